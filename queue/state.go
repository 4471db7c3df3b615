package queue

import (
	"sort"
	"time"

	"langelis/priority"
)

// state is the office's current business day, rebuilt from the journal on
// start and changed only by applying events.
type state struct {
	seq      uint64
	day      string
	tickets  map[string]*Ticket // the day's tickets by ID
	byNumber map[string]*Ticket
	counters map[string]int // the day's last serial per service letter
	desks    map[int]*Desk
	history  priority.History
	order    map[string]uint64 // ticket ID → seq of its issue event, to break ties
	calls    []Call            // the day's calls, newest last (at most keepCalls)
	line     []*Ticket         // the waiting tickets in line order, kept sorted as events apply
}

// Call is one invitation of a ticket to a desk, as the hall display lists it.
type Call struct {
	Number string    `json:"number"`
	Desk   int       `json:"desk"`
	At     time.Time `json:"at"`
	Recall bool      `json:"recall,omitempty"`
}

const keepCalls = 20

func newState(o *Office) *state {
	st := &state{}
	st.reset(o, "")
	return st
}

func (st *state) reset(o *Office, day string) {
	st.day = day
	st.tickets = map[string]*Ticket{}
	st.byNumber = map[string]*Ticket{}
	st.counters = map[string]int{}
	st.order = map[string]uint64{}
	st.desks = map[int]*Desk{}
	st.history = priority.History{}
	st.calls = nil
	st.line = nil
	for _, d := range o.Desks {
		st.desks[d.Number] = &Desk{Number: d.Number, Services: append([]string(nil), d.Services...), Status: DeskClosed}
	}
}

// apply changes the state by one event. It never fails: events were
// validated when they were made.
func (st *state) apply(o *Office, ev Event) {
	st.seq = ev.Seq
	if ev.Type == DayStarted {
		st.reset(o, ev.Day)
		return
	}
	if ev.Ticket != nil {
		t := *ev.Ticket
		old, had := st.tickets[t.ID]
		if had && old.Number != t.Number {
			delete(st.byNumber, old.Number)
		}
		if had && old.Status == Waiting {
			st.leaveLine(old)
		}
		st.tickets[t.ID] = &t
		st.byNumber[t.Number] = &t
		if t.Serial > st.counters[t.Service] && ev.Type == TicketIssued {
			st.counters[t.Service] = t.Serial
		}
		if ev.Type == TicketIssued {
			st.order[t.ID] = ev.Seq
		}
		if t.Status == Waiting {
			st.joinLine(&t)
		}
		if ev.Type == TicketCalled || ev.Type == TicketRecalled {
			st.calls = append(st.calls, Call{Number: t.Number, Desk: t.Desk, At: ev.At, Recall: ev.Type == TicketRecalled})
			if len(st.calls) > keepCalls {
				st.calls = st.calls[len(st.calls)-keepCalls:]
			}
		}
	}
	if ev.Desk != nil {
		d := *ev.Desk
		d.Services = append([]string(nil), d.Services...)
		st.desks[d.Number] = &d
	}
	if ev.History != nil {
		st.history = *ev.History
	}
}

// waiting returns the waiting tickets in plain line order. The slice is the
// state's own: callers read it and must not keep it across commands.
func (st *state) waiting() []*Ticket { return st.line }

// joinLine puts t at its place in line: a returned or transferred ticket
// goes back to where its QueuedAt puts it, ahead of later tickets.
func (st *state) joinLine(t *Ticket) {
	c := st.candidate(t)
	i := sort.Search(len(st.line), func(i int) bool { return c.Before(st.candidate(st.line[i])) })
	st.line = append(st.line, nil)
	copy(st.line[i+1:], st.line[i:])
	st.line[i] = t
}

func (st *state) leaveLine(t *Ticket) {
	for i, x := range st.line {
		if x == t {
			st.line = append(st.line[:i], st.line[i+1:]...)
			return
		}
	}
}

func (st *state) candidate(t *Ticket) priority.Candidate {
	return priority.Candidate{ID: t.ID, Service: t.Service, Category: t.Category, QueuedAt: t.QueuedAt,
		Order: st.order[t.ID], TargetDesk: st.target(t)}
}

// target is the desk a ticket waits for: the one it was sent to while that
// desk is open or paused, else none, so that a closed desk's tickets go
// back to every desk serving their service (and to it again if it reopens).
func (st *state) target(t *Ticket) int {
	if d, ok := st.desks[t.TargetDesk]; ok && d.Status != DeskClosed {
		return t.TargetDesk
	}
	return 0
}

func (st *state) sortedDesks() []*Desk {
	out := make([]*Desk, 0, len(st.desks))
	for _, d := range st.desks {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

func policyDesk(d *Desk) priority.Desk {
	return priority.Desk{Number: d.Number, Services: d.Services}
}

// active returns the tickets still in the queue (waiting, called, serving).
func (st *state) active() []*Ticket {
	var out []*Ticket
	for _, t := range st.tickets {
		if t.Status.Active() {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return st.order[out[i].ID] < st.order[out[j].ID] })
	return out
}
