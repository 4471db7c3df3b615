package queue

import (
	"context"
	"slices"
	"time"

	"langelis/priority"
)

// The projection gives each waiting ticket a point: where it would be
// called if every matter took its expected time. A forward model beside
// the engine (package forecast) gives the spread around it: for each
// waiting ticket a median call time, a range that holds with 80 %
// probability and the probability of being called today, and for the hall
// a range for the cutoff (DESIGN.md "Predictions"). It reads the state
// through ForecastInput and hands its answer back through SetForecast; it
// never runs inside a command, so the commit path pays only for copying
// the line out and for reading the answer.

// ForecastInput is the state a forward model starts from: what the
// projection knows, copied out of the engine.
type ForecastInput struct {
	Seq       uint64
	Day       string
	Now       time.Time
	Intervals []Interval // today's opening intervals; a desk does not call between two
	// Closing is the office's closing today, and HasClosing whether it
	// closes today at all.
	Closing    time.Time
	HasClosing bool
	// Desks are the desks the projection counts on: the open and paused ones, or
	// every desk from the next opening when none is open.
	Desks []ForecastDesk
	// Line is the waiting tickets in line order.
	Line    []ForecastTicket
	History priority.History
	Policy  priority.LinePolicy
}

// ForecastDesk is a desk in ForecastInput.
type ForecastDesk struct {
	Number   int
	Services []string
	// Free is when it is first free to call: now when it holds nobody,
	// and, for a paused desk, when it is expected back (PauseReturn) even
	// once the ticket it holds is done.
	Free time.Time
	// Held is the service of the ticket it holds ("" when none), called
	// or (Serving) being served since HeldSince.
	Held      string
	HeldSince time.Time
	Serving   bool
	// End is when it calls no more today: its clerk's stay, or closing.
	End time.Time
}

// ForecastTicket is a waiting ticket in ForecastInput.
type ForecastTicket struct {
	priority.Candidate
	Number string
}

// ForecastInput copies the state a forward model starts from.
func (e *Engine) ForecastInput(ctx context.Context) (ForecastInput, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		now := tx.now
		in := ForecastInput{Seq: e.st.seq, Day: e.st.day, Now: now, Intervals: e.office.OpenIntervals(now),
			History: e.st.history, Policy: e.policy}
		in.Closing, in.HasClosing = e.office.Closing(now)
		for _, pt := range e.waitingLine() {
			in.Line = append(in.Line, ForecastTicket{Candidate: pt.c, Number: pt.t.Number})
		}
		in.Desks = e.forecastDesks(now, in.Intervals, in.Closing, in.HasClosing)
		return in, nil
	})
	if err != nil {
		return ForecastInput{}, err
	}
	return res.(ForecastInput), nil
}

// DayTickets copies every ticket of the day, whatever its status, with the
// sequence number of the state it was read at: what a model that starts
// late (after a restart) learns the day from without reading the journal.
func (e *Engine) DayTickets(ctx context.Context) ([]Ticket, uint64, error) {
	type answer struct {
		ts  []Ticket
		seq uint64
	}
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		out := make([]Ticket, 0, len(e.st.tickets))
		for _, t := range e.st.tickets {
			out = append(out, *t)
		}
		slices.SortFunc(out, func(a, b Ticket) int { return a.IssuedAt.Compare(b.IssuedAt) })
		return answer{out, e.st.seq}, nil
	})
	if err != nil {
		return nil, 0, err
	}
	a := res.(answer)
	return a.ts, a.seq, nil
}

// forecastDesks is slots for the forward model: the same desks, with what
// they hold rather than when it is expected to end.
func (e *Engine) forecastDesks(now time.Time, ivs []Interval, closing time.Time, hasClosing bool) []ForecastDesk {
	var out []ForecastDesk
	for _, d := range e.st.sortedDesks() {
		if d.Status == DeskClosed {
			continue
		}
		free := callable(pausedUntil(d, now), ivs)
		fd := ForecastDesk{Number: d.Number, Services: slices.Clone(d.Services), Free: free, End: deskEnd(d, closing)}
		if t := e.held(d); t != nil {
			fd.Held, fd.HeldSince = t.Service, t.CalledAt
			if t.Status == Serving {
				fd.HeldSince, fd.Serving = t.StartedAt, true
			}
		}
		out = append(out, fd)
	}
	if len(out) > 0 {
		return out
	}
	if start, ok := e.firstCall(now, closing, hasClosing); ok {
		for _, d := range e.st.sortedDesks() {
			out = append(out, ForecastDesk{Number: d.Number, Services: slices.Clone(d.Services), Free: start, End: closing})
		}
	}
	return out
}

// firstCall is when the desks are assumed to start calling when none is
// open: now, or today's next opening; false when that is not today.
func (e *Engine) firstCall(now, closing time.Time, hasClosing bool) (time.Time, bool) {
	start := now
	if next, ok := e.office.NextOpening(now); ok && next.After(now) {
		start = next
	}
	return start, e.office.Day(start) == e.office.Day(now) && (!hasClosing || start.Before(closing))
}

// Forecast is the forward model's answer for the state at Seq.
type Forecast struct {
	Seq  uint64
	Day  string
	At   time.Time
	Sims int // simulated days behind it
	// Tickets are the waiting tickets' forecasts under the office's
	// policy, by ID: what each holder is told.
	Tickets map[string]CallForecast
	// New is a ticket issued at At, under the policy: what the holder of
	// a ticket just issued is told before the next forecast has it.
	New map[NewTicket]CallForecast
	// Preview is the same without the waiting tickets' priority: what
	// anyone asking the kiosk's preview is told.
	Preview map[NewTicket]CallForecast
	// Count is the hall's cutoff range (how many of the waiting tickets
	// will be called today), worked out without priority information;
	// nil on a day the office does not close.
	Count *CountRange
}

// NewTicket names a ticket not yet issued: its service and whether it has
// priority.
type NewTicket struct {
	Service  string
	Priority bool
}

// CallForecast is one ticket's forecast.
type CallForecast struct {
	Range  CallRange
	PToday float64 // the probability of being called before the desks stop calling today
}

// CallRange is a forecast call time: the median and the range it falls in
// with 80 % probability (the 10th and 90th percentiles). A zero time is
// "not today": To is zero when more than one visitor in ten in this place
// would not be called today, Median when half would not.
type CallRange struct {
	Median time.Time `json:"median,omitzero"`
	From   time.Time `json:"from,omitzero"`
	To     time.Time `json:"to,omitzero"`
}

// CountRange is how many of the waiting tickets will be called today: Lo
// to Hi with 90 % probability.
type CountRange struct {
	Lo, Hi int
}

// forecastFresh is how long after its state a forecast still describes
// the queue: the forecaster runs again within seconds of a change.
const forecastFresh = time.Minute

// newTicketLag is how many events after a forecast a ticket just issued
// may come and still be told the forecast's New: the issue itself and a
// few more. Later, it waits for the next forecast.
const newTicketLag = 3

// SetForecast hands the engine a forecast. The engine reads it, it never
// waits for one: views made before a forecast (or a day without one)
// carry only the projection's point.
func (e *Engine) SetForecast(ctx context.Context, f *Forecast) error {
	_, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		e.forecast = f
		// Views already made do not have it: make them again, and tell
		// the hall's cutoff now if its range changed, so that the message
		// is on its way before SetForecast returns (a caller that steps
		// a clock then sees it in order, before later events).
		e.views.real, e.views.public, e.views.preview = projCache{}, projCache{}, nil
		e.snapCache.ok = false
		e.tellCutoff(tx.now)
		return nil, nil
	})
	return err
}

// currentForecast returns the forecast when it is of today and recent.
func (e *Engine) currentForecast(now time.Time) *Forecast {
	f := e.forecast
	if f == nil || f.Day != e.st.day || now.Sub(f.At) > forecastFresh || f.Seq > e.st.seq {
		return nil
	}
	return f
}

// ticketForecast returns waiting ticket t's forecast: its own, or, just
// after its issue, that of a new ticket of its kind.
func (e *Engine) ticketForecast(t *Ticket, now time.Time) (CallForecast, bool) {
	f := e.currentForecast(now)
	if f == nil {
		return CallForecast{}, false
	}
	if cf, ok := f.Tickets[t.ID]; ok {
		return cf, true
	}
	if e.st.order[key(t)] > f.Seq && e.st.seq-f.Seq <= newTicketLag {
		cf, ok := f.New[NewTicket{Service: t.Service, Priority: t.Category.IsPriority()}]
		return cf, ok
	}
	return CallForecast{}, false
}

// previewForecast returns the forecast of a new ticket as anyone may ask.
func (e *Engine) previewForecast(service string, prio bool, now time.Time) (CallForecast, bool) {
	f := e.currentForecast(now)
	if f == nil || e.st.seq-f.Seq > newTicketLag-1 {
		return CallForecast{}, false
	}
	cf, ok := f.Preview[NewTicket{Service: service, Priority: prio}]
	return cf, ok
}

// countRange is the cutoff range for the hall, when a forecast has one.
func (e *Engine) countRange(now time.Time) *[2]int {
	f := e.currentForecast(now)
	if f == nil || f.Count == nil {
		return nil
	}
	return &[2]int{f.Count.Lo, f.Count.Hi}
}
