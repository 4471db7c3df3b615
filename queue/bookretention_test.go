package queue_test

import (
	"slices"
	"testing"

	"langelis/queue"
)

// A day's settled bookings (checked in, cancelled, missed) leave the
// engine's memory when the next day starts, and the store's bucket after
// the office's retention_days; today's and the days ahead stay. A booking
// still booked when its day passed with the engine down is settled as
// missed at the rollover first. The engine restarts on the same file
// between, as a server does.
func TestSettledBookingsLeave(t *testing.T) {
	e := newBookingEnv(t)
	e.clock.Set(nov(23, 16, 0)) // Monday afternoon
	visitor, kiosk := queue.Actor{User: "visitor"}, queue.Actor{User: "kiosk:hall"}
	book := func(day, h, m int) queue.Booking {
		t.Helper()
		bk, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: nov(day, h, m)}, visitor)
		if err != nil {
			t.Fatal(err)
		}
		return bk
	}
	came, cancelled, noShow := book(24, 9, 0), book(24, 9, 0), book(24, 9, 30)
	downDay := book(25, 9, 0) // its day passes with the engine down
	today, ahead := book(26, 9, 30), book(27, 9, 0)
	if _, err := e.eng.CancelBooking(ctx, cancelled.Code, "", visitor); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(nov(24, 8, 55))
	if _, err := e.eng.CheckIn(ctx, queue.CheckInRequest{Code: came.Code}, kiosk); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(nov(24, 9, 50))
	if err := e.eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if b, _ := e.eng.FindBooking(ctx, noShow.Code); b.Status != queue.Missed {
		t.Fatalf("the no-show is %s", b.Status)
	}
	if l, _ := e.eng.BookingsOn(ctx, "2026-11-24"); len(l) != 3 {
		t.Fatalf("on its own day the engine holds %d of the day's 3 bookings", len(l))
	}

	// Thursday morning, the engine back after Wednesday down.
	e.close()
	e.clock.Set(nov(26, 8, 0))
	e.open()
	if err := e.eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	gone := []queue.Booking{came, cancelled, noShow, downDay}
	for _, bk := range gone {
		if _, err := e.eng.FindBooking(ctx, bk.Code); errKey(err) != "err.booking.unknown" {
			t.Fatalf("booking of %s still in memory the day after: %v", bk.Slot.Format("Jan 2 15:04"), err)
		}
	}
	for _, bk := range []queue.Booking{today, ahead} {
		if b, err := e.eng.FindBooking(ctx, bk.Code); err != nil || b.Status != queue.Booked {
			t.Fatalf("booking of %s: %+v %v, want it kept", bk.Slot.Format("Jan 2 15:04"), b, err)
		}
	}
	// Wednesday's booking was settled as a no-show before it went, so
	// the figures (package reports) count it.
	stored := func() []string {
		t.Helper()
		list, _, err := e.store.Bookings()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, b := range list {
			out = append(out, b.Code)
			if b.Code == downDay.Code && b.Status != queue.Missed {
				t.Fatalf("the booking of the day the engine was down is %s in the store, want missed", b.Status)
			}
		}
		return out
	}
	if got := stored(); len(got) != 6 {
		t.Fatalf("the store holds %d bookings before the retention, want all 6", len(got))
	}
	// A restart on a day after theirs does not bring them back.
	e.close()
	e.open()
	if _, err := e.eng.FindBooking(ctx, came.Code); errKey(err) != "err.booking.unknown" {
		t.Fatalf("a restart brought a settled booking of a past day back: %v", err)
	}
	if l, _ := e.eng.BookingsOn(ctx, "2026-11-26"); len(l) != 1 || l[0].Code != today.Code {
		t.Fatalf("today's bookings after a restart: %+v", l)
	}

	// Past retention_days after Tuesday, as the server's hourly purge
	// computes it: Tuesday's go from the store; Wednesday's, today's and
	// the one ahead stay.
	o := e.eng.Office()
	now := nov(25, 12, 0).AddDate(0, 0, o.RetentionDays)
	keepFrom := o.Day(now.AddDate(0, 0, -o.RetentionDays))
	if n, err := e.store.PurgeBookings(keepFrom, o.Day); err != nil || n != 3 {
		t.Fatalf("purged %d bookings before %s, %v; want Tuesday's 3", n, keepFrom, err)
	}
	got := stored()
	for _, bk := range gone[:3] {
		if slices.Contains(got, bk.Code) {
			t.Fatalf("booking of %s kept past retention", bk.Slot.Format("Jan 2 15:04"))
		}
	}
	for _, bk := range []queue.Booking{downDay, today, ahead} {
		if !slices.Contains(got, bk.Code) {
			t.Fatalf("booking of %s purged too early", bk.Slot.Format("Jan 2 15:04"))
		}
	}
}
