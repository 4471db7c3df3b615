package sim

import (
	"context"
	"testing"

	"langelis/office"
	"langelis/queue"
)

// Bookings in the busy office, with 30 % of every service's desk capacity
// bookable all day: 30 % of the visitors try to book, a tenth of those
// who do never come. The booked visitors' waits past their slots, the
// walk-ins' waits and the cutoff are reported beside the same days
// without bookings.
func TestBookingsSimulated(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates days")
	}
	run := func(b *Bookings) Result {
		t.Helper()
		o := office.Busy()
		for i := range o.Services {
			o.Services[i].Booking = &queue.BookingSettings{SlotMinutes: 15, DaysAhead: 1,
				Shares: []queue.BookingShare{{Span: queue.Span{Start: 0, End: 24 * 60}, Percent: 30}}}
		}
		o.ApplyDefaults()
		if err := o.Validate(); err != nil {
			t.Fatal(err)
		}
		r, err := Run(context.Background(), Config{Office: o, PerDay: BusyPerDay, Profile: BusyProfile, Days: 20, Seed: 7, Estimates: true, Bookings: b})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	with := run(&Bookings{Share: 0.3, NoShow: 0.1})
	without := run(nil)
	bs := with.Booking
	t.Logf("bookings: %+v", *bs)
	t.Logf("walk-ins (regular) wait: median %.1f p90 %.1f min with bookings, %.1f %.1f without",
		with.Row("regular").MedianWait, with.Row("regular").P90Wait, without.Row("regular").MedianWait, without.Row("regular").P90Wait)
	t.Logf("cutoff MAE first %.2f final %.2f with bookings, %.2f %.2f without", with.Estimate.CutoffFirstMAE,
		with.Estimate.CutoffFinalMAE, without.Estimate.CutoffFirstMAE, without.Estimate.CutoffFinalMAE)
	if bs.Booked == 0 || bs.CheckedIn == 0 || bs.CheckedIn+bs.NoShows+bs.Late != bs.Booked {
		t.Fatalf("bookings do not add up: %+v", *bs)
	}
	// Issue 17's targets: booked visitors called within the grace time
	// in at least 95 % of cases, and the end-of-day cutoff within the
	// accuracy README.md promises (6 tickets at the first announcement,
	// 1.5 a minute before closing) with bookings as without. Measured at
	// seed 7: 97 % within the 5-minute grace, 0.5 minutes past the slot
	// on average, p95 3.6 (86 %, 2.1 and 8.2 before booked tickets had
	// a lead, queue.Engine.bookedLead).
	if bs.WithinGrace < 0.95 {
		t.Errorf("%.1f %% of the booked visitors called within the grace time, want at least 95 %%", bs.WithinGrace*100)
	}
	if a := with.Estimate; a.CutoffFirstMAE > 6 || a.CutoffFinalMAE > 1.5 {
		t.Errorf("with bookings the cutoff is off by %.1f tickets at the first announcement and %.1f at closing; README promises at most 6 and 1.5",
			a.CutoffFirstMAE, a.CutoffFinalMAE)
	}
	if bs.NoShows < bs.Booked/20 || bs.NoShows > bs.Booked/5 {
		t.Fatalf("%d no-shows of %d bookers, want about a tenth", bs.NoShows, bs.Booked)
	}
}
