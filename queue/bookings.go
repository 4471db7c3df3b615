package queue

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The booking events. They are staff-only (Event.Public drops them): the
// hall learns nothing of who booked.
const (
	BookingMade      EventType = "booking.made"
	BookingMoved     EventType = "booking.moved"
	BookingCancelled EventType = "booking.cancelled"
	BookingCheckedIn EventType = "booking.checked_in"
	BookingMissed    EventType = "booking.missed"
	SlotClosed       EventType = "slot.closed"
	SlotOpened       EventType = "slot.opened"
)

// BookingJournal is a Journal that also keeps the bookings' current state
// beside the journal, written in the same transaction as the events that
// change it (the store implements it), because bookings outlive the
// business day the journal recovers.
type BookingJournal interface {
	// Bookings returns every booking the store holds and the slots the
	// manager closed.
	Bookings() ([]Booking, []SlotClosure, error)
}

type slotKey struct {
	service string
	start   int64 // Unix seconds
}

func keyOf(service string, start time.Time) slotKey { return slotKey{service, start.Unix()} }

// bookState is the engine's bookings, changed only by applying events.
// It holds the bookings still ahead and today's: a day's settled bookings
// (checked in, cancelled, missed) leave it when the next day starts
// (forget), and the store's bucket keeps them until the office's
// retention (store.PurgeBookings), so that neither grows over months.
type bookState struct {
	dayOf  func(time.Time) string // the office day of a time
	byCode map[string]*Booking
	// byDay indexes byCode by the office day of the slot: the tick's
	// check for missed bookings looks at today's only.
	byDay  map[string]map[string]*Booking
	taken  map[slotKey]int
	closed map[slotKey]bool
}

func (b *bookState) reset() {
	*b = bookState{dayOf: b.dayOf, byCode: map[string]*Booking{}, byDay: map[string]map[string]*Booking{},
		taken: map[slotKey]int{}, closed: map[slotKey]bool{}}
}

// load reads the bookings from the journal, when it keeps them, and
// forgets those settled before today (the store may not have purged them
// yet).
func (b *bookState) load(j Journal, today string) error {
	b.reset()
	bj, ok := j.(BookingJournal)
	if !ok {
		return nil
	}
	list, closed, err := bj.Bookings()
	if err != nil {
		return err
	}
	for _, bk := range list {
		b.put(bk)
	}
	for _, c := range closed {
		if c.Closed {
			b.closed[keyOf(c.Service, c.Slot)] = true
		}
	}
	b.forget(today)
	return nil
}

func (b *bookState) apply(ev Event) {
	if b.byCode == nil {
		b.reset()
	}
	if ev.Booking != nil {
		b.put(*ev.Booking)
	}
	if c := ev.SlotClosure; c != nil {
		if c.Closed {
			b.closed[keyOf(c.Service, c.Slot)] = true
		} else {
			delete(b.closed, keyOf(c.Service, c.Slot))
		}
	}
	if ev.Type == DayStarted {
		b.forget(ev.Day)
	}
}

func (b *bookState) put(bk Booking) {
	if old, ok := b.byCode[bk.Code]; ok {
		if old.Status.Holds() {
			k := keyOf(old.Service, old.Slot)
			if b.taken[k]--; b.taken[k] <= 0 {
				delete(b.taken, k)
			}
		}
		if d := b.dayOf(old.Slot); b.byDay[d] != nil {
			if delete(b.byDay[d], old.Code); len(b.byDay[d]) == 0 {
				delete(b.byDay, d)
			}
		}
	}
	if bk.Status.Holds() {
		b.taken[keyOf(bk.Service, bk.Slot)]++
	}
	p := &bk
	b.byCode[bk.Code] = p
	d := b.dayOf(bk.Slot)
	if b.byDay[d] == nil {
		b.byDay[d] = map[string]*Booking{}
	}
	b.byDay[d][bk.Code] = p
}

// forget drops the settled bookings of the days before today, and the
// places and closures of those days' slots: nothing reads them any more
// (a booking not settled by then, when the engine was down at its
// window's end, stays until Engine.settlePast marks it missed).
func (b *bookState) forget(today string) {
	for d, m := range b.byDay {
		if d >= today {
			continue
		}
		for code, bk := range m {
			if bk.Status != Booked {
				delete(m, code)
				delete(b.byCode, code)
			}
		}
		if len(m) == 0 {
			delete(b.byDay, d)
		}
	}
	for k := range b.taken {
		// A slot's place is taken by a booking still held (booked or
		// checked in); a past day's checked-in ones are gone now.
		if d := b.dayOf(time.Unix(k.start, 0)); d < today && b.byDay[d] == nil {
			delete(b.taken, k)
		}
	}
	for k := range b.closed {
		if b.dayOf(time.Unix(k.start, 0)) < today {
			delete(b.closed, k)
		}
	}
}

// on returns copies of the bookings of office day day that keep selects,
// by slot, then service, then code.
func (b *bookState) on(day string, keep func(*Booking) bool) []Booking {
	out := []Booking{}
	for _, bk := range b.byDay[day] {
		if keep(bk) {
			out = append(out, *bk)
		}
	}
	sortBookings(out)
	return out
}

// fill completes slots with what is taken and closed.
func (b *bookState) fill(slots []Slot) []Slot {
	for i := range slots {
		k := keyOf(slots[i].Service, slots[i].Start)
		slots[i].Taken, slots[i].Closed = b.taken[k], b.closed[k]
	}
	return slots
}

// sorted returns copies of the bookings keep selects, by slot, then
// service, then code.
func (b *bookState) sorted(keep func(*Booking) bool) []Booking {
	out := []Booking{}
	for _, bk := range b.byCode {
		if keep(bk) {
			out = append(out, *bk)
		}
	}
	sortBookings(out)
	return out
}

func sortBookings(out []Booking) {
	slices.SortFunc(out, func(x, y Booking) int {
		if c := x.Slot.Compare(y.Slot); c != 0 {
			return c
		}
		if c := strings.Compare(x.Service, y.Service); c != 0 {
			return c
		}
		return strings.Compare(x.Code, y.Code)
	})
}

// BookRequest asks for a booking.
type BookRequest struct {
	Service string
	Slot    time.Time // the slot's start
	Lang    string
}

func (e *Engine) bookable() error {
	if _, ok := e.journal.(BookingJournal); !ok {
		return E(EUNAVAILABLE, "err.booking.unavailable")
	}
	return nil
}

// Book books a place in a slot. A full, closed, past or unknown slot is
// refused and changes nothing; two requests for the last place get it
// once between them, whatever their timing (one writer).
func (e *Engine) Book(ctx context.Context, r BookRequest, a Actor) (Booking, error) {
	if err := e.bookable(); err != nil {
		return Booking{}, err
	}
	return e.bookingCmd(ctx, func(tx *Tx) (*Booking, error) {
		if r.Lang == "" {
			r.Lang = e.office.FirstLanguage()
		}
		if !ValidLanguage(r.Lang) {
			return nil, E(EINVALID, "err.lang.unknown", "lang", Clip(r.Lang), "langs", strings.Join(Languages, ", "))
		}
		s, err := e.roomIn(tx.now, r.Service, r.Slot, "")
		if err != nil {
			return nil, err
		}
		code := NewBookingCode()
		for e.bk.byCode[code] != nil {
			code = NewBookingCode()
		}
		bk := Booking{Code: code, Service: s.Service, Slot: s.Start, End: s.End, Status: Booked, Lang: r.Lang, MadeAt: tx.now}
		tx.emit(Event{Type: BookingMade, Actor: a.User, Booking: &bk})
		return &bk, nil
	})
}

// MoveBooking moves a booking that is still ahead to another slot of its
// service with room.
func (e *Engine) MoveBooking(ctx context.Context, code string, slot time.Time, a Actor) (Booking, error) {
	if err := e.bookable(); err != nil {
		return Booking{}, err
	}
	return e.bookingCmd(ctx, func(tx *Tx) (*Booking, error) {
		old, err := e.activeBooking(code)
		if err != nil {
			return nil, err
		}
		s, err := e.roomIn(tx.now, old.Service, slot, old.Code)
		if err != nil {
			return nil, err
		}
		bk := *old
		bk.Slot, bk.End = s.Start, s.End
		tx.emit(Event{Type: BookingMoved, Actor: a.User, Booking: &bk})
		return &bk, nil
	})
}

// CancelBooking cancels a booking that is still ahead; reason is the
// office's, empty when the visitor cancels.
func (e *Engine) CancelBooking(ctx context.Context, code, reason string, a Actor) (Booking, error) {
	if err := e.bookable(); err != nil {
		return Booking{}, err
	}
	return e.bookingCmd(ctx, func(tx *Tx) (*Booking, error) {
		old, err := e.activeBooking(code)
		if err != nil {
			return nil, err
		}
		bk := *old
		bk.Status, bk.Reason = BookingVoid, Clip(reason)
		tx.emit(Event{Type: BookingCancelled, Actor: a.User, Booking: &bk})
		return &bk, nil
	})
}

// SetSlotClosed closes a slot to new bookings (a desk will be missing) or
// opens it again. The bookings it already holds stay: the manager moves
// or cancels them (BookingsOn lists them).
func (e *Engine) SetSlotClosed(ctx context.Context, service string, slot time.Time, closed bool, a Actor) (Slot, error) {
	if err := e.bookable(); err != nil {
		return Slot{}, err
	}
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		s, err := e.slotAt(service, slot)
		if err != nil {
			return nil, err
		}
		if s.Closed == closed {
			return s, nil
		}
		typ := SlotOpened
		if closed {
			typ = SlotClosed
		}
		tx.emit(Event{Type: typ, Actor: a.User, SlotClosure: &SlotClosure{Service: s.Service, Slot: s.Start, Closed: closed}})
		s.Closed = closed
		return s, nil
	})
	if err != nil {
		return Slot{}, err
	}
	return res.(Slot), nil
}

func (e *Engine) bookingCmd(ctx context.Context, fn func(tx *Tx) (*Booking, error)) (Booking, error) {
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) { return fn(tx) })
	if err != nil {
		return Booking{}, err
	}
	return *res.(*Booking), nil
}

// activeBooking is the booking with code that may still change: booked,
// not yet checked in, cancelled or missed.
func (e *Engine) activeBooking(code string) (*Booking, error) {
	bk, ok := e.bk.byCode[NormalizeCode(code)]
	if !ok {
		return nil, E(ENOTFOUND, "err.booking.unknown")
	}
	if bk.Status != Booked {
		return nil, E(ECONFLICT, "err.booking.settled", "status", Word("booking.status."+string(bk.Status)))
	}
	return bk, nil
}

// slotAt finds the service's slot starting at start, with what it holds.
func (e *Engine) slotAt(service string, start time.Time) (Slot, error) {
	svc, ok := e.office.Service(service)
	if !ok {
		return Slot{}, E(EINVALID, "err.service.unknown", "service", Clip(service))
	}
	if svc.Booking == nil {
		return Slot{}, E(EINVALID, "err.booking.not_bookable", "service", svc.Letter)
	}
	for _, s := range e.bk.fill(e.office.SlotsOn(service, start)) {
		if s.Start.Equal(start) {
			return s, nil
		}
	}
	return Slot{}, E(EINVALID, "err.booking.no_slot")
}

// roomIn returns the slot at start when it still takes a booking at now:
// ahead, within the days ahead, open and not full. except is a booking
// being moved, whose own place does not count against it.
func (e *Engine) roomIn(now time.Time, service string, start time.Time, except string) (Slot, error) {
	s, err := e.slotAt(service, start)
	if err != nil {
		return Slot{}, err
	}
	if !s.Start.After(now) {
		return Slot{}, E(ECONFLICT, "err.booking.past")
	}
	svc, _ := e.office.Service(service)
	if n := e.daysBetween(now, s.Start); n > svc.Booking.DaysAhead {
		return Slot{}, E(EINVALID, "err.booking.too_far", "n", svc.Booking.DaysAhead)
	}
	taken := s.Taken
	if bk := e.bk.byCode[except]; bk != nil && bk.Status.Holds() && bk.Slot.Equal(s.Start) {
		taken--
	}
	if s.Closed || taken >= s.Places {
		return Slot{}, E(ECONFLICT, "err.booking.full")
	}
	s.Taken = taken
	return s, nil
}

// daysBetween counts the office's calendar days from a's to b's.
func (e *Engine) daysBetween(a, b time.Time) int {
	da, _ := time.Parse(time.DateOnly, e.office.Day(a))
	db, _ := time.Parse(time.DateOnly, e.office.Day(b))
	return int(db.Sub(da).Hours()/24 + 0.5)
}

// FindBooking returns the booking with code (any status).
func (e *Engine) FindBooking(ctx context.Context, code string) (Booking, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		bk, ok := e.bk.byCode[NormalizeCode(code)]
		if !ok {
			return nil, E(ENOTFOUND, "err.booking.unknown")
		}
		return *bk, nil
	})
	if err != nil {
		return Booking{}, err
	}
	return res.(Booking), nil
}

// Slots returns the service's slots on the office day of day, with what
// each holds; the slots already begun are left out unless all is set
// (staff see the whole day).
func (e *Engine) Slots(ctx context.Context, service string, day time.Time, all bool) ([]Slot, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		svc, ok := e.office.Service(service)
		if !ok {
			return nil, E(EINVALID, "err.service.unknown", "service", Clip(service))
		}
		if svc.Booking == nil {
			return nil, E(EINVALID, "err.booking.not_bookable", "service", svc.Letter)
		}
		if n := e.daysBetween(tx.now, day); !all && (n < 0 || n > svc.Booking.DaysAhead) {
			return []Slot{}, nil
		}
		out := []Slot{}
		for _, s := range e.bk.fill(e.office.SlotsOn(service, day)) {
			if all || s.Start.After(tx.now) {
				out = append(out, s)
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return res.([]Slot), nil
}

// BookingsOn returns the bookings of the office day (any status), by slot.
func (e *Engine) BookingsOn(ctx context.Context, day string) ([]Booking, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		return e.bk.on(day, func(*Booking) bool { return true }), nil
	})
	if err != nil {
		return nil, err
	}
	return res.([]Booking), nil
}

// Expected returns, by slot and at most limit, today's bookings of the
// given services a desk should still expect: those still to check in and
// those checked in whose ticket still waits (one called or ended is no
// longer the desk's to expect). One round trip for the desk's polled list.
func (e *Engine) Expected(ctx context.Context, services []string, limit int) ([]Booking, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		out := e.bk.on(e.office.Day(tx.now), func(b *Booking) bool {
			if !slices.Contains(services, b.Service) || !b.Status.Holds() || !b.End.After(tx.now) {
				return false
			}
			if b.Status != CheckedIn {
				return true
			}
			t, ok := e.st.tickets[b.Ticket]
			return ok && t.Status == Waiting
		})
		return out[:min(len(out), limit)], nil
	})
	if err != nil {
		return nil, err
	}
	return res.([]Booking), nil
}

// Stranded returns the bookings still ahead whose slot the office no
// longer offers (a holiday, a closure or new hours added after they were
// made) or the manager closed: none is dropped silently; the manager
// moves or cancels each.
func (e *Engine) Stranded(ctx context.Context) ([]Booking, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		return e.bk.sorted(func(b *Booking) bool {
			if b.Status != Booked || !b.End.After(tx.now) {
				return false
			}
			_, err := e.slotAt(b.Service, b.Slot)
			return err != nil || e.bk.closed[keyOf(b.Service, b.Slot)]
		}), nil
	})
	if err != nil {
		return nil, err
	}
	return res.([]Booking), nil
}
