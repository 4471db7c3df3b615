package forecast_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"langelis/forecast"
	"langelis/priority"
)

// What the forecaster makes public (the hall's cutoff range, the kiosk's
// preview) and when it makes it are the same whoever has priority: two
// halls that saw the same public events — the same services issued at the
// same moments, the same desks — but whose visitors differ in who has
// priority, publish the same at the same refreshes. The learned model
// does not carry today's priority share (arrivalRates), and the pace of
// the refreshes follows the public run, not whether a private run was
// needed: otherwise a watcher timing the cutoff's updates could tell
// when someone with priority waits, and so who.
func TestPublicForecastKnowsNoPriority(t *testing.T) {
	// A slow pace, so that the runs' work sets the gap between forecasts
	// (Every is only its floor).
	cfg := forecast.Config{Pace: 100}
	type step struct {
		ran    bool
		public string
	}
	play := func(cats []priority.Category) []step {
		// From the opening, a visitor a minute: by 08:30 the day's own
		// rate stands for the rest of it, and with it the priority
		// visitors still to come, which the public run does draw.
		h := newHall(t, office(t, "default"), at("08:00"), cfg)
		h.open(1)
		h.open(2)
		var out []step
		record := func() {
			ran, err := h.fc.Refresh(ctx)
			if err != nil {
				t.Fatal(err)
			}
			snap, _ := h.eng.Snapshot(ctx)
			var pv []any
			for _, svc := range []string{"A", "B"} {
				for _, c := range []priority.Category{"", "elderly"} {
					p, err := h.eng.Preview(ctx, svc, c)
					if err != nil {
						t.Fatal(err)
					}
					pv = append(pv, p)
				}
			}
			b, _ := json.Marshal([]any{snap.Cutoff, pv})
			out = append(out, step{ran, string(b)})
		}
		for i, c := range cats {
			h.issue([]string{"A", "B"}[i%2], c)
			h.clock.Advance(time.Minute)
			// Between the gaps the two runs' work and the public run's
			// alone would set for this line (Pace).
			h.real.Advance(150 * time.Second)
			record()
		}
		return out
	}
	var plainCats, someCats []priority.Category
	for i := range 40 {
		plainCats = append(plainCats, "")
		someCats = append(someCats, []priority.Category{"", "", "elderly", ""}[i%4])
	}
	plain := play(plainCats)
	some := play(someCats)
	for i := range plain {
		if plain[i].ran != some[i].ran {
			t.Errorf("after ticket %d the forecaster ran %v in the hall without priority and %v in the hall with: its pace tells priority apart",
				i+1, plain[i].ran, some[i].ran)
		}
		if plain[i].public != some[i].public {
			t.Errorf("after ticket %d the public forecast differs:\n%s\n%s", i+1, plain[i].public, some[i].public)
		}
	}
	if fmt.Sprint(plain) == fmt.Sprint(make([]step, len(plain))) {
		t.Fatal("nothing was recorded")
	}
}
