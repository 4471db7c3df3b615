package queue_test

import (
	"testing"

	"langelis/queue"
)

// A booked visitor checks in within the window around the slot and gets a
// normal numbered ticket; early ones are told when to come back, late ones
// that the booking lapsed; nothing public shows the mark.
func TestCheckInWindow(t *testing.T) {
	e := newBookingEnv(t)
	e.clock.Set(nov(23, 16, 0)) // Monday afternoon
	visitor := queue.Actor{User: "visitor"}
	bk, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: nov(24, 9, 30), Lang: "en"}, visitor)
	if err != nil {
		t.Fatal(err)
	}
	kiosk := queue.Actor{User: "kiosk:hall"}
	e.clock.Set(nov(24, 8, 59))             // 31 minutes before
	if err := e.eng.Tick(ctx); err != nil { // the new day starts
		t.Fatal(err)
	}
	seq := e.snapshot().Seq
	_, err = e.eng.CheckIn(ctx, queue.CheckInRequest{Code: bk.Code}, kiosk)
	if errKey(err) != "err.booking.early" || english(err) != "Your booking is at 09:30. Please check in from 09:00." {
		t.Fatalf("early: %v (%q)", err, english(err))
	}
	if e.snapshot().Seq != seq {
		t.Fatal("an early check-in changed the journal")
	}
	e.clock.Set(nov(24, 9, 0))
	res, err := e.eng.CheckIn(ctx, queue.CheckInRequest{Code: queue.FormatCode(bk.Code)}, kiosk)
	if err != nil {
		t.Fatal(err)
	}
	if res.Ticket.Number != "A001" || !res.Ticket.SlotAt.Equal(nov(24, 9, 30)) || res.Booking.Status != queue.CheckedIn || res.Booking.Number != "A001" {
		t.Fatalf("check-in: %+v", res)
	}
	if pt := res.Ticket.Public(); pt != (queue.PublicTicket{Number: "A001", Service: "A", Status: queue.Waiting, IssuedAt: res.Ticket.IssuedAt}) {
		t.Fatalf("public view shows more than a walk-in's: %+v", pt)
	}
	if _, err := e.eng.CheckIn(ctx, queue.CheckInRequest{Code: bk.Code}, kiosk); errKey(err) != "err.booking.checked_in" {
		t.Fatalf("second check-in: %v", err)
	}
	late, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: nov(24, 9, 30)}, visitor)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(nov(24, 9, 46))
	if _, err := e.eng.CheckIn(ctx, queue.CheckInRequest{Code: late.Code}, kiosk); errKey(err) != "err.booking.late" {
		t.Fatalf("late: %v", err)
	}
	// The tick settles the lapsed booking as a no-show for its slot.
	if err := e.eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if b, _ := e.eng.FindBooking(ctx, late.Code); b.Status != queue.Missed {
		t.Fatalf("lapsed booking is %s, want missed", b.Status)
	}
	if _, err := e.eng.CheckIn(ctx, queue.CheckInRequest{Code: late.Code}, kiosk); errKey(err) != "err.booking.late" {
		t.Fatalf("late, after the tick: %v", err)
	}
	if _, err := e.eng.CheckIn(ctx, queue.CheckInRequest{Code: "ACEF-3479"}, kiosk); errKey(err) != "err.booking.unknown" {
		t.Fatalf("unknown code: %v", err)
	}
}

// A checked-in booked ticket is called ahead of walk-ins who came earlier
// from one expected service time before its slot (its lead: A's 10-minute
// target here, with no service finished yet), so that a desk finishing
// shortly before the slot takes the booked visitor rather than start a
// walk-in who would still be at the desk when the slot comes; and not
// before that while walk-ins wait.
func TestBookedCalledAtItsSlotAheadOfWalkIns(t *testing.T) {
	e := newBookingEnv(t)
	e.clock.Set(nov(23, 16, 0))
	bk, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: nov(24, 9, 30)}, queue.Actor{User: "visitor"})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(nov(24, 9, 0))
	w1, w2 := e.issue("A"), e.issue("A")
	res, err := e.eng.CheckIn(ctx, queue.CheckInRequest{Code: bk.Code}, queue.Actor{User: "kiosk:hall"})
	if err != nil {
		t.Fatal(err)
	}
	w3 := e.issue("A")
	e.openDesk(1)
	if got := e.next(1); got.ID != w1.ID {
		t.Fatalf("before the slot desk 1 called %s, want the first walk-in %s", got.Number, w1.Number)
	}
	// The projection already places the booked ticket at its due time,
	// and the walk-in behind it after it.
	e.clock.Set(nov(24, 9, 15))
	if pl, err := e.eng.TicketPlaced(ctx, res.Ticket.ID); err != nil || pl.Place == nil || pl.Place.CallAt.Before(nov(24, 9, 20)) {
		t.Fatalf("booked ticket's place %+v %v, want a call from 09:20 (its slot less its lead)", pl.Place, err)
	}
	e.finishAt(1)
	if got := e.next(1); got.ID != w2.ID {
		t.Fatalf("at 09:15 desk 1 called %s, want walk-in %s", got.Number, w2.Number)
	}
	e.clock.Set(nov(24, 9, 21))
	e.finishAt(1)
	if got := e.next(1); got.ID != res.Ticket.ID {
		t.Fatalf("at 09:21, within a service time of the 09:30 slot, desk 1 called %s, want the booked %s ahead of %s",
			got.Number, res.Ticket.Number, w3.Number)
	}
}

// The bookings still to come today are capacity already promised: a
// walk-in's estimate leaves their places free.
func TestPromisedSlotsDelayWalkInEstimates(t *testing.T) {
	e := newBookingEnv(t)
	e.clock.Set(nov(24, 8, 50))
	e.openDesk(1)
	w := e.issue("A")
	before, _ := e.eng.TicketPlaced(ctx, w.ID)
	// Walk-ins fill 08:50-09:30; then two bookings at 09:00 take the desk.
	for range 2 {
		if _, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: nov(24, 9, 0)}, queue.Actor{User: "visitor"}); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		e.issue("A")
	}
	last := e.issue("A")
	pl, _ := e.eng.TicketPlaced(ctx, last.ID)
	if pl.Place == nil || pl.Place.Ahead != 6 {
		t.Fatalf("the last walk-in has %+v ahead, want its 4 walk-ins and the 2 booked visitors", pl.Place)
	}
	_ = before
}

func (e *env) finishAt(n int) {
	e.t.Helper()
	if _, err := e.eng.Start(ctx, n, clerk(n)); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.eng.Finish(ctx, n, clerk(n)); err != nil {
		e.t.Fatal(err)
	}
}

// The cutoff counts today's bookings still to come as capacity already
// promised: fewer walk-ins are announced as served before closing.
func TestPromisedSlotsLowerTheCutoff(t *testing.T) {
	e := newBookingEnv(t)
	o := bookingOffice()
	o.Services[0].Booking.Shares = []queue.BookingShare{{Span: queue.Span{Start: 15 * 60, End: 17 * 60}, Percent: 100}}
	e.office = o
	e.reopen()
	e.clock.Set(nov(24, 15, 0))
	e.openDesk(1)
	for range 30 {
		e.issue("A")
	}
	before := e.snapshot().Cutoff
	for range 3 {
		if _, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: nov(24, 16, 0)}, queue.Actor{User: "visitor"}); err != nil {
			t.Fatal(err)
		}
	}
	after := e.snapshot().Cutoff
	if before == nil || after == nil || after.Count != before.Count-3 {
		t.Fatalf("cutoff %+v before the bookings, %+v after; want 3 fewer walk-ins served", before, after)
	}
}

// Check-in speaks for itself about a settled booking: a cancelled one
// sends the visitor to take a ticket (no raw state name), and one whose
// ticket was already served says it was used, not "your number is A001".
func TestCheckInWithASettledBooking(t *testing.T) {
	e := newBookingEnv(t)
	e.clock.Set(nov(23, 16, 0))
	visitor, kiosk := queue.Actor{User: "visitor"}, queue.Actor{User: "kiosk:hall"}
	gone, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: nov(24, 9, 30)}, visitor)
	if err != nil {
		t.Fatal(err)
	}
	used, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: nov(24, 9, 30)}, visitor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.CancelBooking(ctx, gone.Code, "", visitor); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(nov(24, 9, 20))
	if err := e.eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = e.eng.CheckIn(ctx, queue.CheckInRequest{Code: gone.Code}, kiosk)
	if errKey(err) != "err.checkin.cancelled" || english(err) != "This booking was cancelled. You can take a ticket." {
		t.Fatalf("cancelled: %v (%q)", err, english(err))
	}
	res, err := e.eng.CheckIn(ctx, queue.CheckInRequest{Code: used.Code}, kiosk)
	if err != nil {
		t.Fatal(err)
	}
	// While the ticket waits, the visitor is reminded of its number.
	if _, err := e.eng.CheckIn(ctx, queue.CheckInRequest{Code: used.Code}, kiosk); english(err) != "You have already checked in: your number is "+res.Ticket.Number+"." {
		t.Fatalf("checked in, waiting: %v (%q)", err, english(err))
	}
	e.openDesk(1)
	if got := e.next(1); got.ID != res.Ticket.ID {
		t.Fatalf("desk 1 called %s, want %s", got.Number, res.Ticket.Number)
	}
	e.finishAt(1)
	_, err = e.eng.CheckIn(ctx, queue.CheckInRequest{Code: used.Code}, kiosk)
	if qe, ok := err.(*queue.Error); !ok || qe.Code != queue.ECONFLICT || english(err) != "This booking has already been used." {
		t.Fatalf("served: %v (%q)", err, english(err))
	}
}
