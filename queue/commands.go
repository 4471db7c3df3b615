package queue

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"

	"langelis/priority"
)

// Actor says who asks for a command; it is recorded in the event.
type Actor struct {
	User string // username, or "kiosk:NAME", "visitor", "system"
	Name string // display name, for the desk's staff view
}

// IssueRequest asks for a new ticket.
type IssueRequest struct {
	Service  string
	Category Category
	Channel  Channel
	Lang     string
	Kiosk    string
	// Force issues even outside opening hours (a clerk at a desk may).
	Force bool

	slot time.Time // a booking's check-in: its slot (Ticket.SlotAt)
}

func newToken() string {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("queue: no randomness: " + err.Error())
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// Issue takes a new ticket.
func (e *Engine) Issue(ctx context.Context, r IssueRequest, a Actor) (Ticket, error) {
	res, err := e.do(ctx, true, e.issueCmd(r, a))
	if err != nil {
		return Ticket{}, err
	}
	return res.(Ticket), nil
}

// issueCmd is the command that issues a ticket; it answers the Ticket.
func (e *Engine) issueCmd(r IssueRequest, a Actor) func(tx *Tx) (any, error) {
	return func(tx *Tx) (any, error) {
		svc, ok := e.office.Service(r.Service)
		if !ok {
			return nil, E(EINVALID, "err.service.unknown", "service", Clip(r.Service))
		}
		if r.Lang == "" { // a program that did not say: the office's own
			r.Lang = e.office.FirstLanguage()
		}
		if !ValidLanguage(r.Lang) {
			return nil, E(EINVALID, "err.lang.unknown", "lang", Clip(r.Lang), "langs", strings.Join(Languages, ", "))
		}
		if r.Channel == "" {
			r.Channel = ChannelAPI
		}
		if !r.Force && !e.office.IsOpen(tx.now) {
			if next, ok := e.office.NextOpening(tx.now); ok {
				return nil, closedError(tx.now.In(e.office.Location()), next.In(e.office.Location()))
			}
			return nil, E(ECLOSED, "err.closed")
		}
		serial := e.st.counters[svc.Letter] + 1
		if svc.DailyCap > 0 && serial > svc.DailyCap {
			return nil, dailyCapReached(svc)
		}
		t := Ticket{ID: newToken(), Number: FormatNumber(svc.Letter, serial), Serial: serial, Day: e.st.day,
			Service: svc.Letter, Category: r.Category, Channel: r.Channel, Lang: r.Lang, Kiosk: r.Kiosk,
			Status: Waiting, IssuedAt: tx.now, QueuedAt: tx.now, SlotAt: r.slot}
		if !r.Force {
			if err := e.beyondCutoff(tx, &t); err != nil {
				return nil, err
			}
		}
		tx.emit(Event{Type: TicketIssued, Actor: a.User, Ticket: &t})
		return t, nil
	}
}

// DeskResult is what a desk action answers: the desk and the ticket it
// acted on (nil when none).
type DeskResult struct {
	Desk   Desk    `json:"desk"`
	Ticket *Ticket `json:"ticket"`
}

// deskCmd runs fn for a desk held by the actor.
func (e *Engine) deskCmd(ctx context.Context, n int, a Actor, fn func(tx *Tx, d *Desk) (*Ticket, error)) (DeskResult, error) {
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		d, ok := e.st.desks[n]
		if !ok {
			return nil, E(ENOTFOUND, "err.desk.unknown", "desk", n)
		}
		if d.Status == DeskClosed {
			return nil, E(ECONFLICT, "err.desk.closed", "desk", n)
		}
		if d.Clerk != a.User {
			return nil, E(EFORBIDDEN, "err.desk.held", "desk", n)
		}
		t, err := fn(tx, d)
		if err != nil {
			return nil, err
		}
		r := DeskResult{Desk: *e.st.desks[n]}
		if t != nil {
			cp := *e.st.tickets[t.ID]
			r.Ticket = &cp
		}
		return r, nil
	})
	if err != nil {
		return DeskResult{}, err
	}
	return res.(DeskResult), nil
}

// held returns the ticket the desk holds, or nil.
func (e *Engine) held(d *Desk) *Ticket {
	if d.Ticket == "" {
		return nil
	}
	return e.st.tickets[d.Ticket]
}

func (e *Engine) heldIn(d *Desk, want ...Status) (*Ticket, error) {
	t := e.held(d)
	if t == nil {
		return nil, E(ECONFLICT, "err.desk.no_client", "desk", d.Number)
	}
	for _, s := range want {
		if t.Status == s {
			return t, nil
		}
	}
	switch t.Status {
	case Called:
		return nil, E(ECONFLICT, "err.ticket.not_started", "number", t.Number)
	case Serving:
		return nil, E(ECONFLICT, "err.ticket.serving_at", "number", t.Number, "desk", d.Number)
	}
	return nil, E(ECONFLICT, "err.ticket.state", "number", t.Number, "status", StatusWord(t.Status))
}

// ticketDesk emits a ticket's event together with its desk, which holds
// the ticket afterwards when hold is true.
func (tx *Tx) ticketDesk(typ EventType, a Actor, reason string, t Ticket, d *Desk, hold bool) {
	nd := *d
	if hold {
		nd.Ticket, nd.TicketNumber = t.ID, t.Number
	} else {
		nd.Ticket, nd.TicketNumber = "", ""
	}
	tx.emit(Event{Type: typ, Actor: a.User, Reason: reason, Ticket: &t, Desk: &nd})
}

// Next calls the next ticket for desk n, by the office policy. A ticket
// being served at the desk is finished first; a called one must be started,
// recalled or marked a no-show first. The result's Ticket is nil when none waits.
func (e *Engine) Next(ctx context.Context, n int, a Actor) (DeskResult, error) {
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		if d.Status == DeskPaused {
			return nil, E(ECONFLICT, "err.desk.paused", "desk", n)
		}
		cur := e.held(d)
		if cur != nil && cur.Status == Called {
			return nil, E(ECONFLICT, "err.desk.still_called", "number", cur.Number, "desk", n)
		}
		pick, h := e.pick(d, tx)
		if cur != nil && cur.Status == Serving {
			ft := *cur
			ft.Status, ft.EndedAt = Done, tx.now
			tx.ticketDesk(TicketFinished, a, "", ft, d, false)
		}
		if pick == nil {
			return nil, nil
		}
		return e.call(tx, d, pick, h, a), nil
	})
}

// eligible returns the waiting tickets desk pd may call, in line order, as
// candidates and as tickets (same index). The slices are the run
// goroutine's own buffers, reused so that a call over a long line does not
// allocate: valid until the next call.
func (e *Engine) eligible(pd priority.Desk) ([]priority.Candidate, []*Ticket) {
	cands, ts := e.pickCands[:0], e.pickTickets[:0]
	for _, t := range e.st.waiting() {
		c := e.candidate(t)
		if priority.Eligible(c, pd) {
			cands = append(cands, c)
			ts = append(ts, t)
		}
	}
	e.pickCands, e.pickTickets = cands, ts
	return cands, ts
}

// pick asks the policy for the desk's next ticket.
func (e *Engine) pick(d *Desk, tx *Tx) (*Ticket, *priority.History) {
	pd := e.st.callable(d) // a paused service is skipped
	cands, ts := e.eligible(pd)
	i := e.policy.Pick(cands, pd, e.st.history, tx.now)
	if i < 0 {
		return nil, nil
	}
	h := e.policy.Record(e.st.history, cands[i], cands)
	return ts[i], &h
}

// call invites t to desk d; h is the call history after it, when the
// policy chose it.
func (e *Engine) call(tx *Tx, d *Desk, t *Ticket, h *priority.History, a Actor) *Ticket {
	nt := *t
	nt.Status, nt.Desk, nt.CalledAt, nt.Recalls, nt.TargetDesk = Called, d.Number, tx.now, 0, 0
	nt.RecalledAt = time.Time{}
	nd := *e.st.desks[d.Number]
	nd.Ticket, nd.TicketNumber = nt.ID, nt.Number
	tx.emit(Event{Type: TicketCalled, Actor: a.User, Ticket: &nt, Desk: &nd, History: h})
	return &nt
}

// CallNumber calls a specific waiting ticket by its number.
func (e *Engine) CallNumber(ctx context.Context, n int, number string, a Actor) (DeskResult, error) {
	number = strings.ToUpper(strings.TrimSpace(number))
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		if d.Status == DeskPaused {
			return nil, E(ECONFLICT, "err.desk.paused", "desk", n)
		}
		if cur := e.held(d); cur != nil {
			return nil, E(ECONFLICT, "err.desk.still_holds", "desk", n, "number", cur.Number)
		}
		t, ok := e.st.byNumber[number]
		if !ok {
			return nil, E(ENOTFOUND, "err.ticket.unknown", "number", Clip(number))
		}
		if t.Status != Waiting {
			if t.Status == Serving {
				return nil, E(ECONFLICT, "err.ticket.serving_at", "number", t.Number, "desk", t.Desk)
			}
			if t.Status == Called {
				return nil, E(ECONFLICT, "err.ticket.called_at", "number", t.Number, "desk", t.Desk)
			}
			return nil, E(ECONFLICT, "err.ticket.not_waiting", "number", t.Number, "status", StatusWord(t.Status))
		}
		return e.call(tx, d, t, nil, a), nil
	})
}

// Recall calls the desk's called ticket again; past the office's recall
// limit the ticket becomes a no-show instead.
func (e *Engine) Recall(ctx context.Context, n int, a Actor) (DeskResult, error) {
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		t, err := e.heldIn(d, Called)
		if err != nil {
			return nil, err
		}
		nt := *t
		if nt.Recalls >= e.office.RecallLimit {
			nt.Status, nt.EndedAt = NoShow, tx.now
			tx.ticketDesk(TicketNoShow, a, "recall limit reached", nt, d, false)
			return &nt, nil
		}
		nt.Recalls++
		// The call stays when it was first made: the visitor's wait ended
		// then, and every figure measured from CalledAt stays true.
		nt.RecalledAt = tx.now
		tx.ticketDesk(TicketRecalled, a, "", nt, d, true)
		return &nt, nil
	})
}

// Start begins serving the called ticket.
func (e *Engine) Start(ctx context.Context, n int, a Actor) (DeskResult, error) {
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		t, err := e.heldIn(d, Called)
		if err != nil {
			return nil, err
		}
		nt := *t
		nt.Status, nt.StartedAt = Serving, tx.now
		tx.ticketDesk(TicketStarted, a, "", nt, d, true)
		return &nt, nil
	})
}

// Finish ends the service of the ticket being served.
func (e *Engine) Finish(ctx context.Context, n int, a Actor) (DeskResult, error) {
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		t, err := e.heldIn(d, Serving)
		if err != nil {
			return nil, err
		}
		nt := *t
		nt.Status, nt.EndedAt = Done, tx.now
		tx.ticketDesk(TicketFinished, a, "", nt, d, false)
		return &nt, nil
	})
}

// NoShowTicket marks the called ticket as a no-show.
func (e *Engine) NoShowTicket(ctx context.Context, n int, a Actor) (DeskResult, error) {
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		t, err := e.heldIn(d, Called)
		if err != nil {
			return nil, err
		}
		nt := *t
		nt.Status, nt.EndedAt = NoShow, tx.now
		tx.ticketDesk(TicketNoShow, a, "", nt, d, false)
		return &nt, nil
	})
}

// Return hands the desk's ticket back to the queue; it keeps its place.
func (e *Engine) Return(ctx context.Context, n int, a Actor) (DeskResult, error) {
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		t, err := e.heldIn(d, Called, Serving)
		if err != nil {
			return nil, err
		}
		nt := returned(*t)
		tx.ticketDesk(TicketReturned, a, "", nt, d, false)
		return &nt, nil
	})
}

func returned(t Ticket) Ticket {
	t.Status, t.Desk, t.Recalls = Waiting, 0, 0
	t.StartedAt = time.Time{}
	return t
}

// Transfer sends the desk's ticket to another service or to a named desk.
// It waits again ahead of the tickets issued after it.
func (e *Engine) Transfer(ctx context.Context, n int, service string, toDesk int, a Actor) (DeskResult, error) {
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		if (service == "") == (toDesk == 0) {
			return nil, E(EINVALID, "err.transfer.target")
		}
		t, err := e.heldIn(d, Called, Serving)
		if err != nil {
			return nil, err
		}
		nt := returned(*t)
		if service != "" {
			if _, ok := e.office.Service(service); !ok {
				return nil, E(EINVALID, "err.service.unknown", "service", Clip(service))
			}
			nt.Service, nt.TargetDesk = service, 0
		} else {
			if _, ok := e.st.desks[toDesk]; !ok {
				return nil, E(EINVALID, "err.desk.unknown", "desk", toDesk)
			}
			if toDesk == n {
				return nil, E(EINVALID, "err.transfer.same_desk", "number", t.Number, "desk", n)
			}
			nt.TargetDesk = toDesk
		}
		tx.ticketDesk(TicketMoved, a, "", nt, d, false)
		return &nt, nil
	})
}

// Refuse ends the desk's ticket without service, with a recorded reason.
func (e *Engine) Refuse(ctx context.Context, n int, reason string, a Actor) (DeskResult, error) {
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		reason, err := checkReason(reason, true)
		if err != nil {
			return nil, err
		}
		t, err := e.heldIn(d, Called, Serving)
		if err != nil {
			return nil, err
		}
		nt := *t
		nt.Status, nt.EndedAt, nt.Reason = Refused, tx.now, reason
		tx.ticketDesk(TicketRefused, a, reason, nt, d, false)
		return &nt, nil
	})
}

// Pause stops calls at the desk for a while; its held ticket stays.
func (e *Engine) Pause(ctx context.Context, n int, reason string, a Actor) (DeskResult, error) {
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		if d.Status == DeskPaused {
			return nil, E(ECONFLICT, "err.desk.already_paused", "desk", n)
		}
		reason, err := checkReason(reason, false)
		if err != nil {
			return nil, err
		}
		nd := *d
		nd.Status, nd.PauseReason, nd.Since = DeskPaused, reason, tx.now
		tx.emit(Event{Type: EventDeskPaused, Actor: a.User, Reason: nd.PauseReason, Desk: &nd})
		return nil, nil
	})
}

// Resume ends a pause.
func (e *Engine) Resume(ctx context.Context, n int, a Actor) (DeskResult, error) {
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		if d.Status != DeskPaused {
			return nil, E(ECONFLICT, "err.desk.not_paused", "desk", n)
		}
		nd := *d
		nd.Status, nd.PauseReason, nd.Since = DeskOpen, "", tx.now
		tx.emit(Event{Type: EventDeskResumed, Actor: a.User, Desk: &nd})
		return nil, nil
	})
}

// OpenDesk opens desk n for the actor. One clerk holds one desk at a time.
func (e *Engine) OpenDesk(ctx context.Context, n int, a Actor) (DeskResult, error) {
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		d, ok := e.st.desks[n]
		if !ok {
			return nil, E(ENOTFOUND, "err.desk.unknown", "desk", n)
		}
		if d.Status != DeskClosed {
			if d.Clerk == a.User {
				return DeskResult{Desk: *d}, nil
			}
			return nil, E(ECONFLICT, "err.desk.open_by", "desk", n, "name", d.ClerkName)
		}
		for _, o := range e.st.desks {
			if o.Status != DeskClosed && o.Clerk == a.User {
				return nil, E(ECONFLICT, "err.desk.you_hold", "desk", o.Number)
			}
		}
		nd := *d
		nd.Status, nd.Clerk, nd.ClerkName, nd.Since, nd.PauseReason = DeskOpen, a.User, a.Name, tx.now, ""
		nd.StayUntil = time.Time{}
		tx.emit(Event{Type: EventDeskOpened, Actor: a.User, Desk: &nd})
		return DeskResult{Desk: nd}, nil
	})
	if err != nil {
		return DeskResult{}, err
	}
	return res.(DeskResult), nil
}

// CloseMode says what happens to a ticket in service when its desk closes.
type CloseMode string

// The close modes.
const (
	CloseAsk    CloseMode = ""       // refuse to close while a ticket is in service
	CloseFinish CloseMode = "finish" // finish the ticket in service
	CloseReturn CloseMode = "return" // hand it back to the queue, keeping its place
)

// CloseDesk closes desk n. A called ticket goes back to the queue with its place
// kept; a ticket in service is finished or handed back as mode says.
func (e *Engine) CloseDesk(ctx context.Context, n int, mode CloseMode, a Actor) (DeskResult, error) {
	return e.closeDesk(ctx, n, mode, a, false)
}

// ForceClose closes a desk whatever clerk holds it: for an admin, or when
// the clerk's session has ended. A ticket in service is handed back.
func (e *Engine) ForceClose(ctx context.Context, n int, a Actor) (DeskResult, error) {
	return e.closeDesk(ctx, n, CloseReturn, a, true)
}

func (e *Engine) closeDesk(ctx context.Context, n int, mode CloseMode, a Actor, force bool) (DeskResult, error) {
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		d, ok := e.st.desks[n]
		if !ok {
			return nil, E(ENOTFOUND, "err.desk.unknown", "desk", n)
		}
		if d.Status == DeskClosed {
			return DeskResult{Desk: *d}, nil
		}
		if !force && d.Clerk != a.User {
			return nil, E(EFORBIDDEN, "err.desk.held", "desk", n)
		}
		if mode != CloseAsk && mode != CloseFinish && mode != CloseReturn {
			return nil, E(EINVALID, "err.close.say")
		}
		var out *Ticket
		if t := e.held(d); t != nil {
			switch {
			case t.Status == Serving && mode == CloseAsk:
				return nil, E(ECONFLICT, "err.close.serving", "number", t.Number, "desk", n)
			case t.Status == Serving && mode == CloseFinish:
				nt := *t
				nt.Status, nt.EndedAt = Done, tx.now
				tx.ticketDesk(TicketFinished, a, "desk closed", nt, d, false)
				out = &nt
			default:
				nt := returned(*t)
				tx.ticketDesk(TicketReturned, a, "desk closed", nt, d, false)
				out = &nt
			}
		}
		nd := *e.st.desks[n]
		nd.Status, nd.Clerk, nd.ClerkName, nd.PauseReason, nd.Since = DeskClosed, "", "", "", tx.now
		nd.StayUntil = time.Time{} // a promise to stay is the clerk's, not the desk's
		tx.emit(Event{Type: EventDeskClosed, Actor: a.User, Desk: &nd})
		return DeskResult{Desk: nd, Ticket: out}, nil
	})
	if err != nil {
		return DeskResult{}, err
	}
	return res.(DeskResult), nil
}

// Cancel gives up a waiting or called ticket on the visitor's word.
func (e *Engine) Cancel(ctx context.Context, id string, a Actor) (Ticket, error) {
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		t, ok := e.st.tickets[id]
		if !ok {
			return nil, E(ENOTFOUND, "err.ticket.not_today")
		}
		if t.Status != Waiting && t.Status != Called {
			return nil, E(ECONFLICT, "err.cancel.too_late", "number", t.Number, "status", StatusWord(t.Status))
		}
		nt := *t
		nt.Status, nt.EndedAt = Cancelled, tx.now
		if t.Status == Called {
			if d, ok := e.st.desks[t.Desk]; ok && d.Ticket == t.ID {
				tx.ticketDesk(TicketCancelled, a, "", nt, d, false)
				return nt, nil
			}
		}
		tx.emit(Event{Type: TicketCancelled, Actor: a.User, Ticket: &nt})
		return nt, nil
	})
	if err != nil {
		return Ticket{}, err
	}
	return res.(Ticket), nil
}

// SetCategory corrects a ticket's priority category.
func (e *Engine) SetCategory(ctx context.Context, id string, c Category, a Actor) (Ticket, error) {
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		t, ok := e.st.tickets[id]
		if !ok {
			return nil, E(ENOTFOUND, "err.ticket.not_today")
		}
		if !t.Status.Active() {
			return nil, E(ECONFLICT, "err.ticket.gone", "number", t.Number)
		}
		nt := *t
		nt.Category = c
		tx.emit(Event{Type: TicketCategory, Actor: a.User, Ticket: &nt})
		return nt, nil
	})
	if err != nil {
		return Ticket{}, err
	}
	return res.(Ticket), nil
}

// Ticket returns one of today's tickets by its ID (token).
func (e *Engine) Ticket(ctx context.Context, id string) (Ticket, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		t, ok := e.st.tickets[id]
		if !ok {
			return nil, E(ENOTFOUND, "err.ticket.not_today")
		}
		return *t, nil
	})
	if err != nil {
		return Ticket{}, err
	}
	return res.(Ticket), nil
}
