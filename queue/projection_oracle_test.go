package queue

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"sort"
	"testing"
	"time"

	"langelis/priority"
)

// oracleProject is the projection as it was first written, kept as the
// test oracle: for every call it hands the policy every eligible waiting
// ticket and asks Pick. Quadratic, and plainly the policy's own order;
// TestProjectionMatchesOracle holds project to it. public strips the
// categories (except extra's) and the history, as project's public does.
func (e *Engine) oracleProject(now time.Time, extra *Ticket, public bool) Projection {
	st := e.st
	ivs := e.office.OpenIntervals(now)
	closing, hasClosing := e.office.Closing(now)
	slots := e.slots(now, ivs, closing, hasClosing)
	waiting := st.waiting()
	cands := make([]priority.Candidate, 0, len(waiting)+1)
	byID := make(map[string]*Ticket, len(waiting)+1)
	for _, t := range waiting {
		cands = append(cands, st.candidate(t))
		byID[t.ID] = t
	}
	if extra != nil {
		c := st.candidate(extra)
		c.Order = st.seq + 1
		cands = append(cands, c)
		byID[extra.ID] = extra
	}
	h := st.history
	if public {
		h = priority.History{}
		for i := range cands {
			if extra == nil || cands[i].ID != extra.ID {
				cands[i].Category = priority.None
			}
		}
	}
	p := Projection{Estimates: make(map[string]Estimate, len(cands))}
	// Ahead of c: the tickets called so far by a desk that could serve c.
	calledBefore := func(c priority.Candidate) int {
		n := 0
		for _, t := range p.Order {
			if d, ok := st.desks[p.Estimates[t.ID].Desk]; ok && priority.Eligible(c, policyDesk(d)) {
				n++
			}
		}
		return n
	}
	taken := make([]bool, len(cands))
	left := len(cands)
	for left > 0 && len(slots) > 0 {
		sort.SliceStable(slots, func(i, j int) bool { return slots[i].free.Before(slots[j].free) })
		s := slots[0]
		if hasClosing && !s.free.Before(s.end) {
			slots = slots[1:]
			continue
		}
		pd := policyDesk(s.d)
		var el []priority.Candidate
		var idx []int
		for i, c := range cands {
			if !taken[i] && priority.Eligible(c, pd) {
				el = append(el, c)
				idx = append(idx, i)
			}
		}
		i := -1
		if len(el) > 0 {
			i = e.policy.Pick(el, pd, h, s.free)
		}
		if i < 0 {
			slots = slots[1:]
			continue
		}
		c := el[i]
		h = e.policy.Record(h, c, el)
		p.Estimates[c.ID] = Estimate{Ahead: calledBefore(c), CallAt: s.free, Desk: s.d.Number, Today: hasClosing}
		p.Order = append(p.Order, byID[c.ID])
		s.free = callable(s.free.Add(e.expected.Duration(c.Service)), ivs)
		taken[idx[i]] = true
		left--
	}
	var rest []priority.Candidate
	for i, c := range cands {
		if !taken[i] {
			rest = append(rest, c)
		}
	}
	sort.SliceStable(rest, func(i, j int) bool { return rest[i].Before(rest[j]) })
	for i, c := range rest {
		ahead := calledBefore(c)
		for _, o := range rest[:i] { // the rest before it in its own line
			if o.TargetDesk == c.TargetDesk && (c.TargetDesk != 0 || o.Service == c.Service) {
				ahead++
			}
		}
		p.Estimates[c.ID] = Estimate{Ahead: ahead}
		p.Order = append(p.Order, byID[c.ID])
	}
	if closing, ok := e.closingFor(now); ok {
		cut := &Cutoff{Closing: closing, Waiting: len(waiting), PerService: map[string]int{}, LastPer: map[string]string{}}
		for _, t := range p.Order {
			if extra != nil && t.ID == extra.ID {
				continue
			}
			if p.Estimates[t.ID].Today {
				cut.Count++
				cut.Last = t.Number
				cut.PerService[t.Service]++
				cut.LastPer[t.Service] = t.Number
			}
		}
		end, _ := e.dayEndAt(now)
		cut.Notice = !now.Before(closing.Add(-time.Duration(e.office.NoticeMinutes)*time.Minute)) && now.Before(end)
		p.Cutoff = cut
	}
	return p
}

// memJournal keeps the events in memory: the differential test is about
// the projection, not the disk.
type memJournal struct{ events []Event }

func (j *memJournal) Append(evs []Event) error { j.events = append(j.events, evs...); return nil }

func (j *memJournal) Recover() ([]Event, uint64, error) {
	var last uint64
	if n := len(j.events); n > 0 {
		last = j.events[n-1].Seq
	}
	return append([]Event(nil), j.events...), last, nil
}

// oracleOffice has three services, five desks with overlapping services,
// a lunch break, and the policy named.
func oracleOffice(t *testing.T, policy string, r *rand.Rand) *Office {
	o := &Office{Name: "Oracle", TimeZone: "Europe/Vilnius",
		Services: []Service{{Letter: "A", Names: map[string]string{"lt": "A"}, TargetMinutes: 10},
			{Letter: "B", Names: map[string]string{"lt": "B"}, TargetMinutes: 4},
			{Letter: "C", Names: map[string]string{"lt": "C"}, TargetMinutes: 25}},
		Desks: []DeskDef{{Number: 1, Services: []string{"A"}}, {Number: 2, Services: []string{"A", "B"}},
			{Number: 3, Services: []string{"B", "C"}}, {Number: 4, Services: []string{"A", "B", "C"}},
			{Number: 5, Services: []string{"C"}}},
		Priority: PrioritySettings{Policy: policy, MaxStreak: 1 + r.Intn(3), MaxWaitMinutes: float64(5 + r.Intn(30)),
			Ratio: 1 + r.Intn(3), AgingFactor: 1 + 2*r.Float64()},
		NoticeMinutes: 60, BeyondCutoff: []string{"warn", "stop"}[r.Intn(2)]}
	for d := range 7 {
		o.Hours.Week[d] = []Span{{Start: 8 * 60, End: 12 * 60}, {Start: 12*60 + 45, End: 17 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestProjectionMatchesOracle drives random halls through random days
// (issues in every category, desks opening, calling, serving, pausing,
// staying, closing, transfers to services and to named desks, returns,
// cancellations, category corrections, a lunch break, the clock moving)
// under every policy, and after each step compares the projection with
// the oracle's: the same call order, the same estimates and the same
// cutoff, with and without priority information, with and without a
// previewed ticket.
func TestProjectionMatchesOracle(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Vilnius")
	policies := []string{"fifo", "default", "strict", "ratio", "aging"}
	checks := 0
	for seed := int64(1); seed <= 50; seed++ {
		r := rand.New(rand.NewSource(seed))
		policy := policies[int(seed)%len(policies)]
		o := oracleOffice(t, policy, r)
		clock := NewManualClock(time.Date(2026, 11, 23, 7, 50+r.Intn(300), 0, 0, loc))
		e, err := NewEngine(o, &memJournal{}, Options{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		w := &walker{t: t, r: r, e: e, clock: clock}
		for step := range 200 {
			w.step()
			if step%3 == 0 {
				checks += w.compare(fmt.Sprintf("%s seed %d step %d", policy, seed, step))
			}
		}
		e.Close()
	}
	t.Logf("%d projections compared", checks)
}

// walker takes random steps through a day.
type walker struct {
	t     *testing.T
	r     *rand.Rand
	e     *Engine
	clock *ManualClock
	ids   []string
}

var oracleCtx = context.Background()

func (w *walker) clerk(n int) Actor { return Actor{User: fmt.Sprint("clerk", n)} }

func (w *walker) step() {
	r, e := w.r, w.e
	n := 1 + r.Intn(5)
	switch k := r.Intn(100); {
	case k < 30:
		cat := priority.None
		if r.Intn(3) == 0 {
			cat = priority.Categories[r.Intn(4)]
		}
		tk, err := e.Issue(oracleCtx, IssueRequest{Service: string(rune('A' + r.Intn(3))), Category: cat, Force: r.Intn(2) == 0}, Actor{User: "v"})
		if err == nil {
			w.ids = append(w.ids, tk.ID)
		}
	case k < 38:
		e.OpenDesk(oracleCtx, n, w.clerk(n))
	case k < 52:
		e.Next(oracleCtx, n, w.clerk(n))
	case k < 59:
		e.Start(oracleCtx, n, w.clerk(n))
	case k < 65:
		e.Finish(oracleCtx, n, w.clerk(n))
	case k < 68:
		e.Return(oracleCtx, n, w.clerk(n))
	case k < 76:
		e.Transfer(oracleCtx, n, "", 1+r.Intn(5), w.clerk(n))
	case k < 79:
		e.Transfer(oracleCtx, n, string(rune('A'+r.Intn(3))), 0, w.clerk(n))
	case k < 81:
		if _, err := e.Pause(oracleCtx, n, "", w.clerk(n)); err != nil {
			e.Resume(oracleCtx, n, w.clerk(n))
		}
	case k < 83:
		e.Stay(oracleCtx, n, w.clock.Now().Add(time.Duration(r.Intn(600))*time.Minute), w.clerk(n))
	case k < 85:
		e.CloseDesk(oracleCtx, n, []CloseMode{CloseFinish, CloseReturn}[r.Intn(2)], w.clerk(n))
	case k < 87 && len(w.ids) > 0:
		e.Cancel(oracleCtx, w.ids[r.Intn(len(w.ids))], Actor{User: "v"})
	case k < 89 && len(w.ids) > 0:
		e.SetCategory(oracleCtx, w.ids[r.Intn(len(w.ids))], priority.Categories[r.Intn(4)], Actor{User: "a"})
	case k < 94:
		e.CallNumber(oracleCtx, n, fmt.Sprintf("%c%03d", 'A'+r.Intn(3), 1+r.Intn(20)), w.clerk(n))
	default:
		// Whole minutes often, so desks come free at the same instant.
		if r.Intn(2) == 0 {
			w.clock.Advance(time.Duration(r.Intn(12)) * time.Minute)
		} else {
			w.clock.Advance(time.Duration(r.Intn(900)) * time.Second)
		}
	}
}

// compare checks the projection against the oracle in every variant and
// returns how many it compared.
func (w *walker) compare(at string) int {
	n := 0
	_, err := w.e.do(oracleCtx, false, func(tx *Tx) (any, error) {
		// The snapshot lists the held tickets from the desks: every
		// called or served ticket must be held by one.
		var busy []*Ticket
		for _, t := range w.e.st.active() {
			if t.Status != Waiting {
				busy = append(busy, t)
			}
		}
		if held := w.e.st.held(); !reflect.DeepEqual(held, busy) {
			w.t.Fatalf("%s: desks hold %v, called and served are %v", at, held, busy)
		}
		cat := priority.Categories[w.r.Intn(4)]
		for _, extra := range []*Ticket{nil,
			{ID: "x1", Service: "A", Status: Waiting, QueuedAt: tx.now, IssuedAt: tx.now},
			{ID: "x2", Service: "C", Category: cat, Status: Waiting, QueuedAt: tx.now, IssuedAt: tx.now}} {
			for _, public := range []bool{false, true} {
				got, want := w.e.project(tx.now, extra, public), w.e.oracleProject(tx.now, extra, public)
				if !sameProjection(got, want) {
					w.t.Fatalf("%s (extra %v, public %v):\n got %s\nwant %s", at, extra != nil, public, show(got), show(want))
				}
				n++
			}
		}
		return nil, nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return n
}

func sameProjection(a, b Projection) bool {
	if len(a.Order) != len(b.Order) {
		return false
	}
	for i := range a.Order {
		if a.Order[i] != b.Order[i] {
			return false
		}
	}
	return reflect.DeepEqual(a.Estimates, b.Estimates) && reflect.DeepEqual(a.Cutoff, b.Cutoff)
}

func show(p Projection) string {
	s := ""
	for _, t := range p.Order {
		est := p.Estimates[t.ID]
		s += fmt.Sprintf("%s(%s,%d,d%d,%s) ", t.Number, t.Category, est.Ahead, est.Desk, est.CallAt.Format("15:04:05"))
	}
	if p.Cutoff != nil {
		s += fmt.Sprintf("cutoff %d %s %v", p.Cutoff.Count, p.Cutoff.Last, p.Cutoff.LastPer)
	}
	return s
}
