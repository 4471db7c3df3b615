package queue

import (
	"context"
	"time"

	"langelis/priority"
)

// The check-in's refusals the kiosk acts on: an early visitor is told
// when to come back; a late one is offered a walk-in ticket.
const (
	EEARLY = "too_early"
	ELATE  = "too_late"
)

// CheckInRequest checks a booked visitor in.
type CheckInRequest struct {
	Code    string
	Lang    string  // the ticket's language; empty: the booking's
	Channel Channel // kiosk or desk
	Kiosk   string
}

// CheckInResult is a check-in's answer: the booking and the ticket it
// issued.
type CheckInResult struct {
	Booking Booking `json:"booking"`
	Ticket  Ticket  `json:"ticket"`
}

// CheckInWindow returns when bk's visitor may check in.
func (o *Office) CheckInWindow(bk Booking) (from, until time.Time) {
	from, until = bk.Slot.Add(-DefaultCheckInBefore*time.Minute), bk.Slot.Add(DefaultCheckInAfter*time.Minute)
	if s, ok := o.Service(bk.Service); ok && s.Booking != nil {
		from = bk.Slot.Add(-time.Duration(s.Booking.CheckInBefore) * time.Minute)
		until = bk.Slot.Add(time.Duration(s.Booking.CheckInAfter) * time.Minute)
	}
	return from, until
}

// CheckIn gives a booked visitor who came within the check-in window a
// normal numbered ticket of the booking's service, marked with its slot
// (Ticket.SlotAt, staff only): from one expected service time before the
// slot on (bookedLead) it goes ahead of the walk-ins (priority.Rules,
// rule 2). Before the window the visitor is told
// when to come back (err.booking.early); after it, that the booking has
// lapsed and a walk-in ticket is theirs to take (err.booking.late). The
// ticket is issued even before opening or past the cutoff: its place was
// promised when the slot was booked.
func (e *Engine) CheckIn(ctx context.Context, r CheckInRequest, a Actor) (CheckInResult, error) {
	if err := e.bookable(); err != nil {
		return CheckInResult{}, err
	}
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		bk, ok := e.bk.byCode[NormalizeCode(r.Code)]
		if !ok {
			return nil, E(ENOTFOUND, "err.booking.unknown")
		}
		loc := e.office.Location()
		slot := bk.Slot.In(loc)
		// Check-in has its own words for a settled booking: the visitor at
		// the kiosk needs to know what to do, not the booking's state.
		if bk.Status == CheckedIn {
			if t, ok := e.st.tickets[bk.Ticket]; ok && t.Status.Active() {
				return nil, E(ECONFLICT, "err.booking.checked_in", "number", bk.Number)
			}
			return nil, E(ECONFLICT, "err.checkin.used")
		}
		if bk.Status == BookingVoid {
			return nil, E(ECONFLICT, "err.checkin.cancelled")
		}
		if bk.Status == Missed {
			return nil, E(ELATE, "err.booking.late", "time", slot.Format("15:04"))
		}
		if bk.Status != Booked {
			return nil, E(ECONFLICT, "err.booking.settled", "status", Word("booking.status."+string(bk.Status)))
		}
		if e.office.Day(bk.Slot) != e.office.Day(tx.now) {
			if bk.Slot.Before(tx.now) {
				return nil, E(ELATE, "err.booking.late", "time", slot.Format("15:04"))
			}
			return nil, E(ECONFLICT, "err.booking.other_day", "date", Day(slot), "time", slot.Format("15:04"))
		}
		from, until := e.office.CheckInWindow(*bk)
		if tx.now.Before(from) {
			return nil, E(EEARLY, "err.booking.early", "time", slot.Format("15:04"), "from", from.In(loc).Format("15:04"))
		}
		if tx.now.After(until) {
			return nil, E(ELATE, "err.booking.late", "time", slot.Format("15:04"))
		}
		lang := r.Lang
		if lang == "" {
			lang = bk.Lang
		}
		ch := r.Channel
		if ch == "" {
			ch = ChannelKiosk
		}
		out, err := e.issueCmd(IssueRequest{Service: bk.Service, Channel: ch, Lang: lang, Kiosk: r.Kiosk, Force: true, slot: bk.Slot}, a)(tx)
		if err != nil {
			return nil, err
		}
		t := out.(Ticket)
		nb := *bk
		nb.Status, nb.Ticket, nb.Number = CheckedIn, t.ID, t.Number
		tx.emit(Event{Type: BookingCheckedIn, Actor: a.User, Booking: &nb})
		return CheckInResult{Booking: nb, Ticket: t}, nil
	})
	if err != nil {
		return CheckInResult{}, err
	}
	return res.(CheckInResult), nil
}

// markMissed settles today's bookings whose check-in window has closed
// with nobody checked in: no-shows for their slots (booking.missed),
// counted in the day's figures. Tick runs it; it looks at today's
// bookings only (the day index), whatever the months ahead hold.
func (e *Engine) markMissed(tx *Tx) {
	e.missed(tx, e.bk.on(e.office.Day(tx.now), func(b *Booking) bool { return b.Status == Booked }))
}

// settlePast marks missed the bookings of the days before today still
// booked: their windows ended while the engine was down. The rollover
// runs it before the new day starts, so that they count in their own
// day's figures and then leave memory with the rest of their day.
func (e *Engine) settlePast(tx *Tx, today string) {
	var past []Booking
	for d := range e.bk.byDay {
		if d < today {
			past = append(past, e.bk.on(d, func(b *Booking) bool { return b.Status == Booked })...)
		}
	}
	sortBookings(past)
	e.missed(tx, past)
}

func (e *Engine) missed(tx *Tx, list []Booking) {
	for _, bk := range list {
		if _, until := e.office.CheckInWindow(bk); tx.now.After(until) {
			nb := bk
			nb.Status = Missed
			tx.emit(Event{Type: BookingMissed, Actor: "system", Booking: &nb})
		}
	}
}

// Promised returns today's bookings still to come (booked, not checked
// in, their check-in window still open): capacity already promised, which
// the projection and the cutoff count.
func (e *Engine) promised(now time.Time) []Booking {
	return e.bk.on(e.office.Day(now), func(b *Booking) bool {
		if b.Status != Booked {
			return false
		}
		_, until := e.office.CheckInWindow(*b)
		return !now.After(until)
	})
}

// candidate is t as the policy sees it: a checked-in booked ticket with
// its lead (bookedLead).
func (e *Engine) candidate(t *Ticket) priority.Candidate {
	c := e.st.candidate(t)
	if !c.Slot.IsZero() {
		c.Lead = e.bookedLead(t.Service)
	}
	return c
}

// bookedLead is how long before its slot a checked-in booked ticket of
// the service becomes due (priority.Candidate.Lead): the service's
// expected service time. A desk that finishes less than that before the
// slot would otherwise start a walk-in who is still at the desk when the
// slot comes, and the booked visitor would wait for whichever desk
// frees first, a residual service time (in the busy office's simulation
// 14 % of the booked visitors waited more than the 5-minute grace). With
// the lead, the first desk serving the service that finishes within one
// service time before the slot calls the visitor, who is already in the
// hall: the call lands around the slot, seldom much after it.
func (e *Engine) bookedLead(service string) time.Duration {
	return e.expected.Duration(service)
}
