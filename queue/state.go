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
		if old, ok := st.tickets[t.ID]; ok && old.Number != t.Number {
			delete(st.byNumber, old.Number)
		}
		st.tickets[t.ID] = &t
		st.byNumber[t.Number] = &t
		if t.Serial > st.counters[t.Service] && ev.Type == TicketIssued {
			st.counters[t.Service] = t.Serial
		}
		if ev.Type == TicketIssued {
			st.order[t.ID] = ev.Seq
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

// waiting returns the waiting tickets in plain line order.
func (st *state) waiting() []*Ticket {
	var out []*Ticket
	for _, t := range st.tickets {
		if t.Status == Waiting {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return st.candidate(out[i]).Before(st.candidate(out[j])) })
	return out
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
