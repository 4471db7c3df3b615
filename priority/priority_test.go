package priority

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"
	"testing/quick"
	"time"
)

var t0 = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// tk makes a candidate issued m minutes after t0; order follows m.
func tk(id string, m int, c Category) Candidate {
	return Candidate{ID: id, Service: "A", Category: c, QueuedAt: t0.Add(time.Duration(m) * time.Minute), Order: uint64(m + 1)}
}

func ids(cs []Candidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

var deskA = Desk{Number: 1, Services: []string{"A"}}

func mustNew(t *testing.T, s Settings) Policy {
	t.Helper()
	p, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOrderPerPolicy(t *testing.T) {
	// r = regular, p = priority; the number is the minute of issue.
	queue := []Candidate{tk("r0", 0, None), tk("r1", 1, None), tk("p2", 2, Elderly), tk("p3", 3, Child),
		tk("p4", 4, Pregnant), tk("p5", 5, Disability), tk("r6", 6, None), tk("p7", 7, Elderly)}
	at := t0.Add(10 * time.Minute)
	cases := []struct {
		name string
		s    Settings
		now  time.Time
		want []string
	}{
		{"fifo", Settings{Policy: "fifo"}, at, []string{"r0", "r1", "p2", "p3", "p4", "p5", "r6", "p7"}},
		{"strict", Settings{Policy: "strict"}, at, []string{"p2", "p3", "p4", "p5", "p7", "r0", "r1", "r6"}},
		// K=2: two priority calls, then the oldest regular.
		{"default K=2", Settings{Policy: "default", MaxStreak: 2, MaxWait: time.Hour}, at,
			[]string{"p2", "p3", "r0", "p4", "p5", "r1", "p7", "r6"}},
		// W=9 min at 08:10: r0 has waited 10 min, so it goes before anything
		// issued after it; r1 (9 min, not more) does not yet.
		{"default W overdue", Settings{Policy: "default", MaxStreak: 10, MaxWait: 9 * time.Minute}, at,
			[]string{"r0", "p2", "p3", "p4", "p5", "p7", "r1", "r6"}},
		// A head start of 3 min: p2 counts as issued at -1, p3 at 0 (a tie
		// with r0, which is older), p4 at 1 (a tie with r1), p5 at 2, p7 at 4.
		{"default head start 3", Settings{Policy: "default", MaxStreak: 10, MaxWait: time.Hour, HeadStart: 3 * time.Minute}, at,
			[]string{"p2", "r0", "p3", "r1", "p4", "p5", "p7", "r6"}},
		{"ratio 3", Settings{Policy: "ratio", Ratio: 3}, at, []string{"p2", "p3", "p4", "r0", "p5", "p7", "r1", "r6"}},
		// aging ×2 at 08:10: urgencies r0 10, r1 9, p2 16, p3 14, p4 12, p5 10, r6 4, p7 6.
		{"aging 2", Settings{Policy: "aging", AgingFactor: 2}, at, []string{"p2", "p3", "p4", "r0", "p5", "r1", "p7", "r6"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := mustNew(t, c.s)
			got := ids(Order(p, queue, deskA, History{}, c.now, 0))
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s order\n got %v\nwant %v", p.Name(), got, c.want)
			}
			// The same question asked twice gets the same answer.
			if again := ids(Order(p, queue, deskA, History{}, c.now, 0)); !reflect.DeepEqual(again, got) {
				t.Errorf("not deterministic: %v then %v", got, again)
			}
		})
	}
}

func TestTransferredTicketGoesFirstAtItsDesk(t *testing.T) {
	sent := tk("x9", 9, None)
	sent.TargetDesk = 1
	queue := []Candidate{tk("p0", 0, Elderly), tk("r1", 1, None), sent}
	for _, name := range []string{"fifo", "default", "strict", "ratio", "aging"} {
		p := mustNew(t, Settings{Policy: name, MaxStreak: 3, MaxWait: time.Hour, Ratio: 3, AgingFactor: 2})
		if i := p.Pick(queue, deskA, History{}, t0.Add(20*time.Minute)); queue[i].ID != "x9" {
			t.Errorf("%s: desk 1 called %s, want the ticket transferred to it", name, queue[i].ID)
		}
		// Desk 2 never gets it: Eligible keeps it out of desk 2's candidates.
		if Eligible(sent, Desk{Number: 2, Services: []string{"A"}}) {
			t.Errorf("a ticket sent to desk 1 is eligible at desk 2")
		}
	}
}

func TestNewRefusesUnknownPolicy(t *testing.T) {
	if _, err := New(Settings{Policy: "loudest"}); err == nil {
		t.Fatal("unknown policy accepted")
	}
}

// sim is a tiny call loop for the property tests: c desks serving one
// service, each busy for exactly s per ticket and calling again at once.
type simCall struct {
	c   Candidate
	at  time.Time
	reg bool // a regular ticket was waiting when it was called
}

func runCalls(p Policy, arrivals []Candidate, desks int, s time.Duration) []simCall {
	free := make([]time.Time, desks)
	for i := range free {
		free[i] = t0
	}
	var waiting []Candidate
	var calls []simCall
	next := 0
	h := History{}
	for next < len(arrivals) || len(waiting) > 0 {
		// the desk free soonest
		d := 0
		for i := range free {
			if free[i].Before(free[d]) {
				d = i
			}
		}
		now := free[d]
		for next < len(arrivals) && !arrivals[next].QueuedAt.After(now) {
			waiting = append(waiting, arrivals[next])
			next++
		}
		if len(waiting) == 0 {
			free[d] = arrivals[next].QueuedAt
			continue
		}
		i := p.Pick(waiting, Desk{Number: d + 1, Services: []string{"A"}}, h, now)
		reg := false
		for _, w := range waiting {
			if !w.Category.IsPriority() && w.ID != waiting[i].ID {
				reg = true
			}
		}
		h = p.Record(h, waiting[i], waiting)
		calls = append(calls, simCall{c: waiting[i], at: now, reg: reg})
		waiting = append(waiting[:i], waiting[i+1:]...)
		free[d] = now.Add(s)
	}
	return calls
}

// randomDay makes n arrivals at random whole seconds with a priority share.
func randomDay(r *rand.Rand, n int, share float64) []Candidate {
	out := make([]Candidate, n)
	at := t0
	for i := range out {
		at = at.Add(time.Duration(r.Intn(240)) * time.Second)
		c := None
		if r.Float64() < share {
			c = Categories[r.Intn(len(Categories))]
		}
		out[i] = Candidate{ID: fmt.Sprint("t", i), Service: "A", Category: c, QueuedAt: at, Order: uint64(i)}
	}
	return out
}

func TestPropertyEveryPolicyCallsOnceAndFIFOInsideGroups(t *testing.T) {
	for _, name := range []string{"fifo", "default", "strict", "ratio", "aging"} {
		p := mustNew(t, Settings{Policy: name, MaxStreak: 3, MaxWait: 20 * time.Minute, Ratio: 2, AgingFactor: 3})
		f := func(seed int64, n uint8, share uint8, desks uint8) bool {
			r := rand.New(rand.NewSource(seed))
			arr := randomDay(r, int(n)+1, float64(share%101)/100)
			calls := runCalls(p, arr, int(desks%4)+1, 7*time.Minute)
			if len(calls) != len(arr) {
				t.Logf("%s: %d calls for %d tickets", name, len(calls), len(arr))
				return false
			}
			seen := map[string]bool{}
			last := map[bool]Candidate{}
			for _, c := range calls {
				if seen[c.c.ID] {
					t.Logf("%s: %s called twice", name, c.c.ID)
					return false
				}
				seen[c.c.ID] = true
				g := c.c.Category.IsPriority()
				if l, ok := last[g]; ok && c.c.Before(l) {
					t.Logf("%s: %s overtook %s inside its group", name, l.ID, c.c.ID)
					return false
				}
				last[g] = c.c
			}
			return true
		}
		if err := quick.Check(f, &quick.Config{MaxCount: 300}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestPropertyDefaultLimitsProtectRegularVisitors(t *testing.T) {
	const s = 7 * time.Minute
	f := func(seed int64, n uint8, share uint8, desks uint8, k uint8, wmin uint8, hs uint8) bool {
		r := rand.New(rand.NewSource(seed))
		K := int(k%5) + 1
		W := time.Duration(wmin%60+1) * time.Minute
		p := Rules{Label: "default", MaxStreak: K, MaxWait: W, HeadStart: time.Duration(hs%40) * time.Minute}
		arr := randomDay(r, int(n)+1, float64(share%101)/100)
		calls := runCalls(p, arr, int(desks%4)+1, s)
		calledAt := map[string]time.Time{}
		streak := 0
		for _, c := range calls {
			calledAt[c.c.ID] = c.at
			if c.c.Category.IsPriority() && c.reg {
				streak++
				if streak > K {
					t.Logf("K=%d: %d priority calls in a row while regular tickets waited", K, streak)
					return false
				}
			} else {
				streak = 0
			}
		}
		// A regular ticket could first be called once every ticket ahead
		// of it in line was called; from then (or from its own issue),
		// it waits at most W plus one service time.
		var lastAhead time.Time
		for _, a := range arr {
			if !a.Category.IsPriority() {
				first := a.QueuedAt
				if lastAhead.After(first) {
					first = lastAhead
				}
				bound := maxTime(first, a.QueuedAt.Add(W)).Add(s)
				if calledAt[a.ID].After(bound) {
					t.Logf("K=%d W=%v: %s issued %v called %v, bound %v", K, W, a.ID,
						a.QueuedAt.Format("15:04:05"), calledAt[a.ID].Format("15:04:05"), bound.Format("15:04:05"))
					return false
				}
			}
			if calledAt[a.ID].After(lastAhead) {
				lastAhead = calledAt[a.ID]
			}
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 500}); err != nil {
		t.Error(err)
	}
}

// TestPropertyHeadStartBoundsWhoOvertakes holds the default policy's
// promise to a regular visitor: only a priority visitor who came less than
// the head start after them is ever called before them, and nobody once
// they have waited W.
func TestPropertyHeadStartBoundsWhoOvertakes(t *testing.T) {
	f := func(seed int64, n uint8, share uint8, desks uint8, hmin uint8, wmin uint8) bool {
		r := rand.New(rand.NewSource(seed))
		H := time.Duration(hmin%45+1) * time.Minute
		W := time.Duration(wmin%60+1) * time.Minute
		p, err := New(Settings{Policy: "default", MaxStreak: 1000, MaxWait: W, HeadStart: H})
		if err != nil {
			t.Fatal(err)
		}
		arr := randomDay(r, int(n)+1, float64(share%101)/100)
		calls := runCalls(p, arr, int(desks%4)+1, 7*time.Minute)
		calledAt := map[string]time.Time{}
		for _, c := range calls {
			calledAt[c.c.ID] = c.at
		}
		for _, a := range arr {
			if a.Category.IsPriority() {
				continue
			}
			for _, b := range arr {
				if !a.Before(b) || !calledAt[b.ID].Before(calledAt[a.ID]) {
					continue
				}
				// b came after a and was called first.
				if !b.Category.IsPriority() || b.QueuedAt.Sub(a.QueuedAt) >= H {
					t.Logf("H=%v: %s (%s) overtook regular %s (%s)", H, b.ID, b.QueuedAt.Format("15:04:05"), a.ID, a.QueuedAt.Format("15:04:05"))
					return false
				}
				if calledAt[b.ID].Sub(a.QueuedAt) > W {
					t.Logf("W=%v: %s overtook %s after it had waited %v", W, b.ID, a.ID, calledAt[b.ID].Sub(a.QueuedAt))
					return false
				}
			}
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 300}); err != nil {
		t.Error(err)
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func BenchmarkDefaultPick(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	cands := randomDay(r, 100, 0.1)
	p, _ := New(Settings{Policy: "default", MaxStreak: 3, MaxWait: 30 * time.Minute})
	now := cands[len(cands)-1].QueuedAt
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p.Pick(cands, deskA, History{}, now)
	}
}
