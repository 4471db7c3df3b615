package priority

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
	"testing/quick"
	"time"
)

// bookedDay is a day of walk-ins (randomDay) with booked visitors mixed
// in: at most one per slot of length s, each checked in up to 30 minutes
// before their slot (never after it, so that none is late), all with the
// lead given (one service, so one expected service time).
func bookedDay(r *rand.Rand, n int, share float64, s, lead time.Duration) []Candidate {
	arr := randomDay(r, n, share)
	for k := 1; k*int(s) < int(4*time.Hour); k++ {
		if r.Intn(3) != 0 {
			continue
		}
		slot := t0.Add(time.Duration(k) * s)
		in := slot.Add(-time.Duration(r.Intn(31)) * time.Minute)
		arr = append(arr, Candidate{ID: fmt.Sprint("b", k), Service: "A", QueuedAt: in, Slot: slot, Lead: lead})
	}
	slices.SortStableFunc(arr, func(a, b Candidate) int { return a.QueuedAt.Compare(b.QueuedAt) })
	for i := range arr {
		arr[i].Order = uint64(i)
	}
	return arr
}

// The booked visitors' bound, for every policy and its limits and any
// lead from none to one service time: whenever a desk calls while a
// checked-in booked ticket is due (its slot less its lead has come), it
// calls a due booked ticket, the one due first; and with booked slots no
// closer than one service time, each booked visitor who checked in before
// their slot is called within one service time after it, however many
// walk-ins and priority visitors came earlier (a grace time of at least
// one service time holds). The lead moves the call earlier, never later:
// the engine's lead of one expected service time (queue.Engine.bookedLead)
// is what brings the call to around the slot when every desk is busy.
func TestPropertyBookedCalledWithinOneServiceTimeOfTheirSlot(t *testing.T) {
	const s = 7 * time.Minute
	for _, name := range []string{"fifo", "default", "strict", "ratio", "aging"} {
		p := mustNew(t, Settings{Policy: name, MaxStreak: 3, MaxWait: 20 * time.Minute, Ratio: 2, AgingFactor: 3})
		f := func(seed int64, n uint8, share uint8, desks uint8, lead uint8) bool {
			r := rand.New(rand.NewSource(seed))
			arr := bookedDay(r, int(n)+1, float64(share%101)/100, s, time.Duration(lead%8)*time.Minute)
			calls := runCalls(p, arr, int(desks%3)+1, s)
			if len(calls) != len(arr) {
				t.Logf("%s: %d calls for %d tickets", name, len(calls), len(arr))
				return false
			}
			called := map[string]time.Time{}
			for _, c := range calls {
				called[c.c.ID] = c.at
			}
			for _, c := range calls {
				// Every booked ticket due and waiting at this call.
				for _, a := range arr {
					due := !a.Slot.IsZero() && !a.Due().After(c.at) && !a.QueuedAt.After(c.at) && called[a.ID].After(c.at)
					if due && (c.c.Slot.IsZero() || c.c.Due().After(a.Due())) {
						t.Logf("%s: %s called at %v while %s (slot %v, lead %v) was due", name, c.c.ID,
							c.at.Format("15:04:05"), a.ID, a.Slot.Format("15:04"), a.Lead)
						return false
					}
				}
			}
			for _, a := range arr {
				if !a.Slot.IsZero() && called[a.ID].After(a.Slot.Add(s)) {
					t.Logf("%s: %s slot %v lead %v called %v", name, a.ID, a.Slot.Format("15:04"), a.Lead, called[a.ID].Format("15:04:05"))
					return false
				}
			}
			return true
		}
		if err := quick.Check(f, &quick.Config{MaxCount: 300}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A booked ticket is a walk-in to no rule but its own: before it is due
// (its slot less its lead) it waits behind the walk-ins, and is called early only by a desk that
// would otherwise stand idle.
func TestBookedBeforeItsSlot(t *testing.T) {
	p := mustNew(t, Settings{Policy: "default", MaxStreak: 3, MaxWait: 40 * time.Minute})
	d := Desk{Number: 1, Services: []string{"A"}}
	booked := Candidate{ID: "b", Service: "A", QueuedAt: t0, Order: 1, Slot: t0.Add(20 * time.Minute)}
	walk := tk("w", 5, None)
	cands := []Candidate{booked, walk}
	if i := p.Pick(cands, d, History{}, t0.Add(10*time.Minute)); cands[i].ID != "w" {
		t.Fatalf("before its slot the booked ticket went ahead of a walk-in")
	}
	if i := p.Pick(cands, d, History{}, t0.Add(20*time.Minute)); cands[i].ID != "b" {
		t.Fatalf("at its slot the booked ticket did not go first")
	}
	// With a lead the booked ticket is due that long before its slot.
	led := []Candidate{booked, walk}
	led[0].Lead = 8 * time.Minute
	if i := p.Pick(led, d, History{}, t0.Add(11*time.Minute)); led[i].ID != "w" {
		t.Fatalf("before its due time the booked ticket went ahead of a walk-in")
	}
	if i := p.Pick(led, d, History{}, t0.Add(12*time.Minute)); led[i].ID != "b" {
		t.Fatalf("from its due time (slot less lead) the booked ticket did not go first")
	}
	if i := p.Pick(cands[:1], d, History{}, t0.Add(10*time.Minute)); i != 0 {
		t.Fatalf("an idle desk left the early booked visitor waiting")
	}
	other := Desk{Number: 2, Services: []string{"B"}}
	if i := p.Pick(cands[:1], other, History{}, t0.Add(30*time.Minute)); i >= 0 {
		t.Fatalf("a desk not serving the service called the booked ticket")
	}
}
