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
	t.Logf("cutoff first MAE %.2f with bookings, %.2f without", with.Estimate.CutoffFirstMAE, without.Estimate.CutoffFirstMAE)
	if bs.Booked == 0 || bs.CheckedIn == 0 || bs.CheckedIn+bs.NoShows+bs.Late != bs.Booked {
		t.Fatalf("bookings do not add up: %+v", *bs)
	}
	// Measured at seed 7: 86 % within the 5-minute grace, 2.1 minutes
	// past the slot on average (see the report of issue 17: the issue
	// asks for 95 %, which this office reaches only with a longer grace).
	if bs.WithinGrace < 0.8 || bs.PastSlotMean > 5 {
		t.Fatalf("booked visitors called late: %+v", *bs)
	}
	if bs.NoShows < bs.Booked/20 || bs.NoShows > bs.Booked/5 {
		t.Fatalf("%d no-shows of %d bookers, want about a tenth", bs.NoShows, bs.Booked)
	}
}
