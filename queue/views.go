package queue

import (
	"context"
	"time"
)

// The engine answers many reads of the same state: every ticket answer,
// status page and snapshot wants the projection, and a burst of commands
// committed together would otherwise pay for one projection each. The run
// goroutine keeps the last projection of each kind and reuses it while
// the state is the same and it is less than snapshotReuse old.

// snapshotReuse is how long a projection or snapshot serves later reads of
// the same state.
const snapshotReuse = time.Second

func reusable(at, now time.Time) bool {
	return !now.Before(at) && now.Sub(at) < snapshotReuse
}

// projCache is one cached projection.
type projCache struct {
	ok  bool
	seq uint64
	at  time.Time
	p   Projection
}

func (c *projCache) get(seq uint64, now time.Time) (Projection, bool) {
	if c.ok && c.seq == seq && reusable(c.at, now) {
		return c.p, true
	}
	return Projection{}, false
}

func (c *projCache) put(seq uint64, now time.Time, p Projection) {
	*c = projCache{ok: true, seq: seq, at: now, p: p}
}

// viewCache holds the run goroutine's cached views.
type viewCache struct {
	real projCache
	// public holds only the cutoff without priority information.
	public     projCache
	preview    map[previewKey]Preview
	previewSeq uint64
	previewAt  time.Time
	// line is the waiting line as the forward run starts from it, for
	// the state at lineSeq: it changes only with the state, while the
	// projections of one state (under the policy, without priority, at
	// later instants) are many.
	line    []projTicket
	lineSeq uint64
	lineOK  bool
}

type previewKey struct {
	service string
	prio    bool
}

// forget drops every cached view: the state was rebuilt (possibly to an
// earlier sequence number that later events will reuse).
func (c *viewCache) forget() { *c = viewCache{} }

// waitingLine returns the waiting tickets in line order with their
// candidates, fresh from the run's start. The slice is the cache's own:
// copy it before changing it.
func (e *Engine) waitingLine() []projTicket {
	v := &e.views
	if v.lineOK && v.lineSeq == e.st.seq {
		return v.line
	}
	line := v.line[:0]
	for _, t := range e.st.waiting() {
		line = append(line, projTicket{c: e.candidate(t), t: t})
	}
	v.line, v.lineSeq, v.lineOK = line, e.st.seq, true
	return line
}

// projection is the projection under the office's policy at now.
func (e *Engine) projection(now time.Time) Projection {
	if p, ok := e.views.real.get(e.st.seq, now); ok {
		return p
	}
	p := e.project(now, nil, false)
	e.views.real.put(e.st.seq, now, p)
	if p.Plain {
		// No priority ticket waits: the run is the public one too.
		e.views.public.put(e.st.seq, now, Projection{Cutoff: p.Cutoff})
	}
	return p
}

// publicCutoff is the end-of-day figure the hall hears, projected without
// priority information (see project); nil on a day the office does not
// close.
func (e *Engine) publicCutoff(now time.Time) *Cutoff {
	v := &e.views
	if p, ok := v.public.get(e.st.seq, now); ok {
		return p.Cutoff
	}
	if p, ok := v.real.get(e.st.seq, now); ok && p.Plain {
		return p.Cutoff
	}
	c := e.cutoff(now, e.runForward(now, nil, true).order, nil)
	v.public.put(e.st.seq, now, Projection{Cutoff: c})
	return c
}

// Place is where a waiting ticket stands under the office's policy: what
// its holder, and only its holder, is told.
type Place struct {
	Ahead  int       // tickets projected to be called before it
	CallAt time.Time // projected call time; zero when no desk will call it today
	Today  *bool     // called before its desk stops calling today; nil on a day the office does not close
	// Range and PToday are the forward model's forecast (median, 80 %
	// range, probability of a call today), nil until it has one for the
	// ticket; PToday also nil on a day the office does not close.
	Range  *CallRange
	PToday *float64
	// OpenDesks is how many desks able to serve the ticket are open (or
	// paused) now. With none, the estimate is only what would happen if
	// they opened now: the pages say no desk serves it instead of a time.
	OpenDesks int
	// NotYetOpened: no desk of the hall has opened yet today (Preview).
	NotYetOpened bool
}

// place returns id's place in p, or nil when it does not wait.
func (p Projection) place(id string) *Place {
	est, ok := p.Estimates[id]
	if !ok {
		return nil
	}
	pl := &Place{Ahead: est.Ahead, CallAt: est.CallAt}
	if p.Cutoff != nil {
		today := est.Today
		pl.Today = &today
	}
	return pl
}

// Placed is a ticket and, while it waits, its place.
type Placed struct {
	Ticket Ticket
	Place  *Place // nil unless the ticket waits
}

// placed returns ticket id as it is now, with its place.
func (e *Engine) placed(id string, now time.Time) Placed {
	t := *e.st.tickets[id]
	out := Placed{Ticket: t}
	if t.Status == Waiting {
		out.Place = e.projection(now).place(id)
		if out.Place != nil {
			out.Place.OpenDesks = e.st.openDesksFor(e.st.candidate(&t))
			out.Place.NotYetOpened = out.Place.OpenDesks == 0 && e.st.notYetOpened(e.office, now)
		}
		if cf, ok := e.ticketForecast(&t, now); ok && out.Place != nil {
			r := cf.Range
			out.Place.Range = &r
			if out.Place.Today != nil {
				p := cf.PToday
				out.Place.PToday = &p
			}
		}
	}
	return out
}

// IssuePlaced takes a new ticket, as Issue does, and answers it with its
// place in one trip through the engine: the projection it reads is made
// once for all the commands committed together.
func (e *Engine) IssuePlaced(ctx context.Context, r IssueRequest, a Actor) (Placed, error) {
	res, err := e.doPost(ctx, e.issueCmd(r, a), func(res any, now time.Time) any {
		return e.placed(res.(Ticket).ID, now)
	})
	if err != nil {
		return Placed{}, err
	}
	return res.(Placed), nil
}

// TicketPlaced returns one of today's tickets by its ID (token), with its
// place while it waits.
func (e *Engine) TicketPlaced(ctx context.Context, id string) (Placed, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		if _, ok := e.st.tickets[id]; !ok {
			return nil, E(ENOTFOUND, "err.ticket.not_today")
		}
		return e.placed(id, tx.now), nil
	})
	if err != nil {
		return Placed{}, err
	}
	return res.(Placed), nil
}
