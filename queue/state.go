package queue

import (
	"slices"
	"sort"
	"time"

	"langelis/priority"
)

// State is the office's current business day folded from its events: the
// engine's own state, rebuilt from the journal on start and changed only by
// applying events, and the local copy a websocket client keeps (the Go
// client's Mirror starts it from a snapshot and applies the same events
// through the same Apply). It is not safe for concurrent use.
type State struct {
	office   *Office            // the desks a new day starts with; nil for a client's copy
	seq      uint64             // the last event applied
	day      string             // the business day, "2006-01-02"
	tickets  map[string]*Ticket // the day's tickets by key (ID, or "#number" in the public view)
	byNumber map[string]*Ticket
	counters map[string]int // the day's last serial per service letter
	desks    map[int]*Desk
	history  priority.History
	order    map[string]uint64 // ticket key → seq of its issue event, to break ties
	calls    []Call            // the day's calls, newest last (at most keepCalls)
	line     []*Ticket         // the waiting tickets in line order, kept sorted as events apply
	hall     hall              // the manager's pauses and display message (hall.go)
}

// Call is one invitation of a ticket to a desk, as the hall display lists it.
type Call struct {
	Number string    `json:"number"`
	Desk   int       `json:"desk"`
	At     time.Time `json:"at"`
	Recall bool      `json:"recall,omitempty"`
}

const keepCalls = 20

// NewState returns an empty day. With an office, every day starts with its
// desks, closed; a client's copy passes nil and closes the desks it knows.
func NewState(o *Office) *State {
	st := &State{office: o}
	st.reset("")
	return st
}

func (st *State) reset(day string) {
	desks := st.desks
	st.day = day
	st.tickets = map[string]*Ticket{}
	st.byNumber = map[string]*Ticket{}
	st.counters = map[string]int{}
	st.order = map[string]uint64{}
	st.desks = map[int]*Desk{}
	st.history = priority.History{}
	st.calls = nil
	st.line = nil
	st.hall = hall{}
	if st.office != nil {
		for _, d := range st.office.Desks {
			st.desks[d.Number] = &Desk{Number: d.Number, Services: slices.Clone(d.Services), Status: DeskClosed}
		}
		return
	}
	for n, d := range desks {
		st.desks[n] = &Desk{Number: n, Services: slices.Clone(d.Services), Status: DeskClosed}
	}
}

// key names a ticket in the state: its ID, or its number in the public
// view, where tickets carry no ID.
func key(t *Ticket) string {
	if t.ID != "" {
		return t.ID
	}
	return "#" + t.Number
}

// Apply changes the state by one event. It never fails: events were
// validated when they were made. The caller checks the sequence.
func (st *State) Apply(ev Event) {
	st.seq = ev.Seq
	if ev.Type == DayStarted {
		st.reset(ev.Day)
		return
	}
	if st.applyHall(ev) {
		return
	}
	if ev.Ticket != nil {
		t := *ev.Ticket
		k := key(&t)
		old, had := st.tickets[k]
		if had && old.Number != t.Number {
			delete(st.byNumber, old.Number)
		}
		if had && old.Status == Waiting {
			st.leaveLine(old)
		}
		st.tickets[k] = &t
		st.byNumber[t.Number] = &t
		if t.Serial > st.counters[t.Service] && ev.Type == TicketIssued {
			st.counters[t.Service] = t.Serial
		}
		if ev.Type == TicketIssued {
			st.order[k] = ev.Seq
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
		// A call holds while its ticket is still at the call's desk (called,
		// served or finished there). Once the ticket goes (a no-show, a
		// transfer, a return, a call at another desk), its older calls leave
		// the hall's list: when a later call goes away, the display must
		// never fall back to one that sends a person to the wrong desk.
		st.dropCalls(func(c Call) bool { return c.Number == t.Number && !callHolds(t, c) })
	}
	if ev.Desk != nil && ev.Desk.Status == DeskRetired {
		// A configuration change retired the desk (config.go).
		delete(st.desks, ev.Desk.Number)
		st.dropCalls(func(c Call) bool { return c.Desk == ev.Desk.Number })
	} else if ev.Desk != nil {
		d := *ev.Desk
		d.Services = slices.Clone(d.Services)
		st.desks[d.Number] = &d
		// Nor a desk's calls once it has closed: nobody is there to go to.
		if d.Status == DeskClosed {
			st.dropCalls(func(c Call) bool { return c.Desk == d.Number })
		}
	}
	if ev.History != nil {
		st.history = *ev.History
	}
}

// callHolds reports whether call c still sends a person to where ticket t is.
func callHolds(t Ticket, c Call) bool {
	switch t.Status {
	case Called, Serving, Done:
		return c.Desk == t.Desk
	}
	return false
}

// dropCalls removes the calls gone says are gone, keeping the order.
func (st *State) dropCalls(gone func(Call) bool) {
	st.calls = slices.DeleteFunc(st.calls, gone)
	if len(st.calls) == 0 {
		st.calls = nil // as a checkpoint restores it, so both compare equal
	}
}

// Load replaces the state by a snapshot's (a websocket client's start): its
// active tickets, desks and calls. Tickets with equal queue times keep the
// snapshot's order; later events come after them.
func (st *State) Load(s Snapshot) {
	st.reset(s.Day)
	st.seq = s.Seq
	for _, d := range s.Desks {
		d.Services = slices.Clone(d.Services)
		st.desks[d.Number] = &d
	}
	for i, t := range s.Tickets {
		if !t.Status.Active() {
			continue
		}
		k := key(&t)
		st.tickets[k] = &t
		st.byNumber[t.Number] = &t
		st.order[k] = uint64(i + 1) // at most one per event so far, so below any later seq
		st.counters[t.Service] = max(st.counters[t.Service], t.Serial)
		if t.Status == Waiting {
			st.joinLine(&t)
		}
	}
	for i := len(s.Calls) - 1; i >= 0 && len(st.calls) < keepCalls; i-- {
		st.calls = append(st.calls, s.Calls[i])
	}
}

// Seq returns the sequence number of the last event applied.
func (st *State) Seq() uint64 { return st.seq }

// Day returns the business day.
func (st *State) Day() string { return st.day }

// Tickets returns copies of the active tickets: the held ones (called,
// serving) in issue order, then the waiting ones in line order.
func (st *State) Tickets() []Ticket {
	out := []Ticket{}
	for _, t := range st.active() {
		if t.Status != Waiting {
			out = append(out, *t)
		}
	}
	for _, t := range st.line {
		out = append(out, *t)
	}
	return out
}

// Ticket returns a copy of the day's ticket with the given number.
func (st *State) Ticket(number string) (Ticket, bool) {
	t, ok := st.byNumber[number]
	if !ok {
		return Ticket{}, false
	}
	return *t, true
}

// Desks returns copies of the desks in number order.
func (st *State) Desks() []Desk {
	out := make([]Desk, 0, len(st.desks))
	for _, d := range st.sortedDesks() {
		c := *d
		c.Services = slices.Clone(d.Services)
		out = append(out, c)
	}
	return out
}

// Calls returns the day's latest calls, newest first (at most 20).
func (st *State) Calls() []Call {
	out := make([]Call, 0, len(st.calls))
	for i := len(st.calls) - 1; i >= 0; i-- {
		out = append(out, st.calls[i])
	}
	return out
}

// waiting returns the waiting tickets in plain line order. The slice is the
// state's own: callers read it and must not keep it across commands.
func (st *State) waiting() []*Ticket { return st.line }

// joinLine puts t at its place in line: a returned or transferred ticket
// goes back to where its QueuedAt puts it, ahead of later tickets.
func (st *State) joinLine(t *Ticket) {
	c := st.candidate(t)
	i := sort.Search(len(st.line), func(i int) bool { return c.Before(st.candidate(st.line[i])) })
	st.line = append(st.line, nil)
	copy(st.line[i+1:], st.line[i:])
	st.line[i] = t
}

func (st *State) leaveLine(t *Ticket) {
	for i, x := range st.line {
		if x == t {
			st.line = append(st.line[:i], st.line[i+1:]...)
			return
		}
	}
}

func (st *State) candidate(t *Ticket) priority.Candidate {
	return priority.Candidate{ID: t.ID, Service: t.Service, Category: t.Category, QueuedAt: t.QueuedAt,
		Order: st.order[key(t)], TargetDesk: st.target(t), Slot: t.SlotAt}
}

// target is the desk a ticket waits for: the one it was sent to while that
// desk is open or paused, else none, so that a closed desk's tickets go
// back to every desk serving their service (and to it again if it reopens).
func (st *State) target(t *Ticket) int {
	if d, ok := st.desks[t.TargetDesk]; ok && d.Status != DeskClosed {
		return t.TargetDesk
	}
	return 0
}

func (st *State) sortedDesks() []*Desk {
	out := make([]*Desk, 0, len(st.desks))
	for _, d := range st.desks {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// openDesksFor counts the desks, open or paused, that may call c.
func (st *State) openDesksFor(c priority.Candidate) int {
	n := 0
	for _, d := range st.desks {
		if d.Status != DeskClosed && priority.Eligible(c, policyDesk(d)) {
			n++
		}
	}
	return n
}

// notYetOpened reports whether no desk of the hall has opened yet on
// now's business day while the office is open: the morning's first
// minutes, when the clerks are still arriving. A visitor then hears that
// the desks have not opened yet, not that no desk serves the service and
// it may not happen today.
func (st *State) notYetOpened(o *Office, now time.Time) bool {
	first, ok := dayOpenedAt(o, now)
	if !ok {
		return false
	}
	for _, d := range st.desks {
		if d.openedSince(first) {
			return false
		}
	}
	return true
}

// DesksNotYetOpened is State.notYetOpened for a snapshot's desks.
func DesksNotYetOpened(desks []Desk, o *Office, now time.Time) bool {
	first, ok := dayOpenedAt(o, now)
	if !ok {
		return false
	}
	for _, d := range desks {
		if d.openedSince(first) {
			return false
		}
	}
	return true
}

// dayOpenedAt is the first opening of now's business day, when the office
// is open at now.
func dayOpenedAt(o *Office, now time.Time) (time.Time, bool) {
	ivs := o.OpenIntervals(now)
	if len(ivs) == 0 || !o.IsOpen(now) {
		return time.Time{}, false
	}
	return ivs[0].Start, true
}

// openedSince reports whether the desk is open now or has changed its
// state since t (a desk opened and closed again today shows a later Since).
func (d *Desk) openedSince(t time.Time) bool { return d.Status != DeskClosed || !d.Since.Before(t) }

func policyDesk(d *Desk) priority.Desk {
	return priority.Desk{Number: d.Number, Services: d.Services}
}

// active returns the tickets still in the queue (waiting, called, serving).
func (st *State) active() []*Ticket {
	var out []*Ticket
	for _, t := range st.tickets {
		if t.Status.Active() {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return st.order[key(out[i])] < st.order[key(out[j])] })
	return out
}
