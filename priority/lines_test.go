package priority

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
	"time"
)

// TestPickLinesIsPick holds every policy's PickLines and RecordLines to its
// Pick and Record: over random lines (three services, tickets sent to
// desks, every category, times around W) and random desks, histories and
// times, a whole day of calls chosen either way is the same day.
func TestPickLinesIsPick(t *testing.T) {
	settings := []Settings{{Policy: "fifo"}, {Policy: "strict"}, {Policy: "ratio", Ratio: 2},
		{Policy: "aging", AgingFactor: 3}, {Policy: "aging", AgingFactor: 1},
		{Policy: "default", MaxStreak: 2, MaxWait: 9 * time.Minute}, {Policy: "default", MaxStreak: 0, MaxWait: 0},
		{Policy: "default", MaxStreak: 3, MaxWait: 0}, {Policy: "default", MaxStreak: 0, MaxWait: 4 * time.Minute}}
	services := []string{"A", "B", "C"}
	desks := []Desk{{Number: 1, Services: []string{"A"}}, {Number: 2, Services: []string{"A", "B"}},
		{Number: 3, Services: []string{"C", "B"}}, {Number: 4, Services: []string{"A", "B", "C"}}, {Number: 5}}
	for _, s := range settings {
		p := mustNew(t, s).(LinePolicy)
		for seed := int64(0); seed < 300; seed++ {
			r := rand.New(rand.NewSource(seed))
			var line []Candidate
			at := t0
			for i := range 1 + r.Intn(40) {
				if r.Intn(4) > 0 { // some share a time: order breaks the tie
					at = at.Add(tick(r, 3))
				}
				c := Candidate{ID: fmt.Sprint("t", i), Service: services[r.Intn(3)], QueuedAt: at, Order: uint64(i + 1)}
				if r.Intn(3) == 0 {
					c.Category = Categories[r.Intn(len(Categories))]
				}
				if r.Intn(8) == 0 {
					c.TargetDesk = 1 + r.Intn(5)
				}
				line = append(line, c)
			}
			r.Shuffle(len(line), func(i, j int) { line[i], line[j] = line[j], line[i] })
			h := History{Streak: r.Intn(4)}
			now := at.Add(tick(r, 15))
			for step := 0; len(line) > 0; step++ {
				d := desks[r.Intn(len(desks))]
				var el []Candidate
				for _, c := range line {
					if Eligible(c, d) {
						el = append(el, c)
					}
				}
				want := -1
				if len(el) > 0 {
					want = p.Pick(el, d, h, now)
				}
				got, ok := p.PickLines(SliceLines(line), d, h, now)
				if ok != (want >= 0) || ok && got.ID != el[want].ID {
					t.Fatalf("%s seed %d step %d desk %d: PickLines %v %v, Pick %d of %v", p.Name(), seed, step, d.Number, got.ID, ok, want, ids(el))
				}
				if !ok {
					if step > 1000 {
						break
					}
					continue
				}
				hw := p.Record(h, el[want], el)
				if hg := p.RecordLines(h, got, SliceLines(line), d); hg != hw {
					t.Fatalf("%s seed %d step %d: RecordLines %+v, Record %+v", p.Name(), seed, step, hg, hw)
				}
				h = hw
				line = slices.DeleteFunc(line, func(c Candidate) bool { return c.ID == got.ID })
				now = now.Add(tick(r, 5))
			}
		}
	}
}

// tick is a random step of up to max minutes in half minutes, so that
// waits often land exactly on W and urgencies tie.
func tick(r *rand.Rand, max int) time.Duration {
	return time.Duration(r.Intn(2*max+1)) * 30 * time.Second
}
