package queue_test

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"langelis/queue"
)

// bookingOffice opens 08:00-17:00 on weekdays; A (10 minutes) has one desk
// of its own and shares desk 2 with B (5 minutes); half of A's capacity
// from 09:00 to 10:00 may be booked, in 30-minute slots.
func bookingOffice() *queue.Office {
	o := &queue.Office{Name: "Test", TimeZone: "Europe/Vilnius",
		Services: []queue.Service{
			{Letter: "A", Names: map[string]string{"lt": "Deklaravimas"}, TargetMinutes: 10,
				Booking: &queue.BookingSettings{SlotMinutes: 30, DaysAhead: 7,
					Shares: []queue.BookingShare{{Span: queue.Span{Start: 9 * 60, End: 10 * 60}, Percent: 50}}}},
			{Letter: "B", Names: map[string]string{"lt": "Išmokos"}, TargetMinutes: 5},
		},
		Desks: []queue.DeskDef{{Number: 1, Services: []string{"A"}}, {Number: 2, Services: []string{"A", "B"}}},
	}
	for d := time.Monday; d <= time.Friday; d++ {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 17 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		panic(err)
	}
	return o
}

func newBookingEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, path: filepath.Join(t.TempDir(), "q.db"), office: bookingOffice(),
		clock: queue.NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, vilnius))} // a Monday
	e.open()
	t.Cleanup(e.close)
	return e
}

func nov(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, vilnius) }

func errKey(err error) string {
	var qe *queue.Error
	if errors.As(err, &qe) {
		return qe.Key
	}
	return ""
}

// Capacity is counted in desk-minutes of the desks serving the service:
// desk 1 gives A all its time, desk 2 two thirds of it (A's 10 minutes
// against B's 5), so a 30-minute slot at 50 % holds 0.5·(1+2/3)·30 = 25
// desk-minutes, 2.5 visits of 10 minutes: the fractions carry, 2 then 3.
func TestSlotPlacesFromDeskMinutes(t *testing.T) {
	o := bookingOffice()
	if got := o.DeskShare(o.Desks[1], "A"); got < 0.666 || got > 0.667 {
		t.Fatalf("desk 2's share of A is %v, want 2/3", got)
	}
	slots := o.SlotsOn("A", nov(24, 12, 0))
	if len(slots) != 2 || !slots[0].Start.Equal(nov(24, 9, 0)) || !slots[1].Start.Equal(nov(24, 9, 30)) {
		t.Fatalf("slots %+v, want 09:00 and 09:30", slots)
	}
	if slots[0].Places != 2 || slots[1].Places != 3 {
		t.Fatalf("places %d and %d, want 2 and 3", slots[0].Places, slots[1].Places)
	}
	if s := o.SlotsOn("A", nov(28, 12, 0)); s != nil { // a Saturday
		t.Fatalf("slots on a closed day: %+v", s)
	}
	if s := o.SlotsOn("B", nov(24, 12, 0)); s != nil {
		t.Fatalf("slots of a service not bookable: %+v", s)
	}
	o.Hours.Holidays = map[string]bool{"2026-11-24": true}
	if s := o.SlotsOn("A", nov(24, 12, 0)); s != nil {
		t.Fatalf("slots on a holiday: %+v", s)
	}
}

// A slot is booked until it is full; a full, past, closed or too distant
// slot is refused and changes nothing; bookings survive a restart.
func TestBookMoveCancel(t *testing.T) {
	e := newBookingEnv(t)
	visitor := queue.Actor{User: "visitor"}
	slot := nov(24, 9, 0)
	var codes []string
	for range 2 {
		bk, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: slot, Lang: "en"}, visitor)
		if err != nil {
			t.Fatal(err)
		}
		if len(bk.Code) != queue.CodeLength || queue.NormalizeCode(queue.FormatCode(bk.Code)) != bk.Code {
			t.Fatalf("code %q", bk.Code)
		}
		codes = append(codes, bk.Code)
	}
	seq := e.snapshot().Seq
	if _, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: slot}, visitor); errKey(err) != "err.booking.full" {
		t.Fatalf("third booking of a 2-place slot: %v", err)
	}
	for _, c := range []struct {
		r    queue.BookRequest
		want string
	}{
		{queue.BookRequest{Service: "A", Slot: nov(23, 9, 0)}, "err.booking.past"},
		{queue.BookRequest{Service: "A", Slot: nov(24, 9, 10)}, "err.booking.no_slot"},
		{queue.BookRequest{Service: "B", Slot: slot}, "err.booking.not_bookable"},
		{queue.BookRequest{Service: "Q", Slot: slot}, "err.service.unknown"},
		{queue.BookRequest{Service: "A", Slot: time.Date(2026, 12, 3, 9, 0, 0, 0, vilnius)}, "err.booking.too_far"},
		{queue.BookRequest{Service: "A", Slot: slot.Add(30 * time.Minute), Lang: "xx"}, "err.lang.unknown"},
	} {
		if _, err := e.eng.Book(ctx, c.r, visitor); errKey(err) != c.want {
			t.Errorf("%+v: %v, want %s", c.r, err, c.want)
		}
	}
	if s := e.snapshot().Seq; s != seq {
		t.Fatalf("refused bookings changed the journal: seq %d → %d", seq, s)
	}
	// Move one to 09:30, which frees a place at 09:00.
	moved, err := e.eng.MoveBooking(ctx, codes[0], slot.Add(30*time.Minute), visitor)
	if err != nil || !moved.Slot.Equal(nov(24, 9, 30)) {
		t.Fatalf("move: %+v %v", moved, err)
	}
	third, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: slot}, visitor)
	if err != nil {
		t.Fatal("the moved booking's place was not freed:", err)
	}
	if _, err := e.eng.CancelBooking(ctx, third.Code, "", visitor); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.CancelBooking(ctx, third.Code, "", visitor); errKey(err) != "err.booking.settled" {
		t.Fatalf("cancel twice: %v", err)
	}
	if _, err := e.eng.FindBooking(ctx, "ZZZZZZZZ"); errKey(err) != "err.booking.unknown" {
		t.Fatalf("unknown code: %v", err)
	}
	e.reopen()
	slots, err := e.eng.Slots(ctx, "A", slot, false)
	if err != nil || len(slots) != 2 || slots[0].Taken != 1 || slots[1].Taken != 1 {
		t.Fatalf("slots after restart: %+v %v", slots, err)
	}
	bk, err := e.eng.FindBooking(ctx, queue.FormatCode(third.Code))
	if err != nil || bk.Status != queue.BookingVoid {
		t.Fatalf("cancelled booking after restart: %+v %v", bk, err)
	}
	// The manager closes 09:30: nothing new goes in, the booking in it is
	// listed for the manager, not dropped.
	if _, err := e.eng.SetSlotClosed(ctx, "A", slot.Add(30*time.Minute), true, queue.Actor{User: "boss"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: slot.Add(30 * time.Minute)}, visitor); errKey(err) != "err.booking.full" {
		t.Fatalf("booking a closed slot: %v", err)
	}
	st, err := e.eng.Stranded(ctx)
	if err != nil || len(st) != 1 || st[0].Code != codes[0] {
		t.Fatalf("stranded after closing a slot: %+v %v", st, err)
	}
}

// Many visitors racing for the last place: exactly one gets it.
func TestBookingRaceForTheLastPlace(t *testing.T) {
	e := newBookingEnv(t)
	slot := nov(24, 9, 0) // 2 places
	if _, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: slot}, queue.Actor{User: "visitor"}); err != nil {
		t.Fatal(err)
	}
	const n = 64
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, full := 0, 0
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := e.eng.Book(ctx, queue.BookRequest{Service: "A", Slot: slot}, queue.Actor{User: "visitor"})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errKey(err) == "err.booking.full":
				full++
			default:
				t.Error(err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if won != 1 || full != n-1 {
		t.Fatalf("%d won and %d were told it is full, want 1 and %d", won, full, n-1)
	}
	e.reopen()
	if s, _ := e.eng.Slots(ctx, "A", slot, true); s[0].Taken != 2 {
		t.Fatalf("taken %d after restart, want 2", s[0].Taken)
	}
}
