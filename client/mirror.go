package client

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"sync"
	"time"

	"langelis/queue"
)

// maxCalls is how many calls a Mirror remembers, as many as the server's
// snapshot lists.
const maxCalls = 20

// Mirror is a local copy of the queue kept current from a subscription's
// messages: a snapshot replaces it, each event upserts the ticket and the
// desk it carries. Tickets are keyed by ID, or by number in the public view
// where they have none. The zero Mirror is empty and waits for a snapshot.
// It is safe for concurrent use, and its Apply fits Subscribe as a handler:
//
//	err := c.Subscribe(ctx, m.Apply)
type Mirror struct {
	mu      sync.RWMutex
	ready   bool
	seq     uint64
	day     string
	now     time.Time
	open    bool
	cutoff  *queue.Cutoff
	letters []string                 // the service letters the snapshot counted, sorted
	tickets map[string]*queue.Ticket // the active tickets by key
	order   []string                 // ticket keys in line order: the snapshot's, then as issued
	desks   map[int]queue.Desk
	calls   []queue.Call // newest first
}

// Apply brings the mirror up to date with one message. Events at or below
// the mirror's sequence number are repeats and are ignored. An event that
// skips a number, or comes before any snapshot, changes nothing and
// returns an error wrapping ErrResync: the caller needs a fresh snapshot.
func (m *Mirror) Apply(msg Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case msg.Type == TypeCutoff:
		if m.ready {
			m.cutoff = copyCutoff(msg.Cutoff)
		}
	case msg.Snapshot != nil:
		m.applySnapshot(msg.Seq, msg.Snapshot)
	case msg.Event != nil:
		seq := msg.Seq
		if seq == 0 {
			seq = msg.Event.Seq
		}
		switch {
		case !m.ready:
			return fmt.Errorf("client: mirror: event %d before any snapshot: %w", seq, ErrResync)
		case seq <= m.seq:
			return nil
		case seq > m.seq+1:
			return fmt.Errorf("client: mirror: event %d after %d: %w", seq, m.seq, ErrResync)
		}
		m.applyEvent(seq, msg.Event)
	}
	return nil
}

func (m *Mirror) applySnapshot(seq uint64, s *queue.Snapshot) {
	if seq == 0 {
		seq = s.Seq
	}
	m.ready, m.seq, m.day, m.now, m.open = true, seq, s.Day, s.Now, s.Open
	m.cutoff = copyCutoff(s.Cutoff)
	m.letters = slices.Sorted(maps.Keys(s.Waiting))
	m.tickets = make(map[string]*queue.Ticket, len(s.Tickets))
	m.order = make([]string, 0, len(s.Tickets))
	for _, t := range s.Tickets {
		if !t.Status.Active() {
			continue
		}
		k := ticketKey(&t)
		if _, ok := m.tickets[k]; !ok {
			m.order = append(m.order, k)
		}
		m.tickets[k] = copyTicket(&t)
	}
	m.desks = make(map[int]queue.Desk, len(s.Desks))
	for _, d := range s.Desks {
		m.desks[d.Number] = copyDesk(d)
	}
	m.calls = slices.Clone(s.Calls)
	if len(m.calls) > maxCalls {
		m.calls = m.calls[:maxCalls]
	}
}

func (m *Mirror) applyEvent(seq uint64, ev *queue.Event) {
	m.seq = seq
	if !ev.At.IsZero() {
		m.now = ev.At
	}
	if ev.Type == queue.DayStarted {
		// A new business day: numbering restarts and every desk starts closed.
		m.day = ev.Day
		m.cutoff = nil
		clear(m.tickets)
		m.order = m.order[:0]
		m.calls = nil
		for n, d := range m.desks {
			m.desks[n] = queue.Desk{Number: d.Number, Services: d.Services, Status: queue.DeskClosed}
		}
	}
	if t := ev.Ticket; t != nil {
		k := ticketKey(t)
		_, known := m.tickets[k]
		switch {
		case t.Status.Active():
			if !known {
				m.order = append(m.order, k)
			}
			m.tickets[k] = copyTicket(t)
		case known:
			delete(m.tickets, k)
			m.order = slices.DeleteFunc(m.order, func(o string) bool { return o == k })
		}
		if ev.Type == queue.TicketCalled || ev.Type == queue.TicketRecalled {
			c := queue.Call{Number: t.Number, Desk: t.Desk, At: ev.At, Recall: ev.Type == queue.TicketRecalled}
			m.calls = slices.Insert(m.calls, 0, c)
			if len(m.calls) > maxCalls {
				m.calls = m.calls[:maxCalls]
			}
		}
	}
	if d := ev.Desk; d != nil {
		m.desks[d.Number] = copyDesk(*d)
	}
}

// Ready reports whether the mirror holds a snapshot.
func (m *Mirror) Ready() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.ready
}

// Seq returns the sequence number the mirror is current to; Subscribe's
// WithSince takes it.
func (m *Mirror) Seq() uint64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.seq
}

// Snapshot returns a copy of the mirrored queue in the shape of the
// server's: the held tickets (called, serving) first, then the waiting ones
// in line order (the last snapshot's projected order, later tickets after
// it), desks by number, waiting counts per service, calls newest first.
// Now is the time of the latest message. Estimate is nil, and Cutoff and
// Open are as the last snapshot gave them: events do not carry them.
func (m *Mirror) Snapshot() queue.Snapshot {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s := queue.Snapshot{Seq: m.seq, Day: m.day, Now: m.now, Open: m.open, Cutoff: copyCutoff(m.cutoff),
		Tickets: make([]queue.Ticket, 0, len(m.order)), Desks: make([]queue.Desk, 0, len(m.desks)),
		Waiting: m.waiting(), Calls: slices.Clone(m.calls)}
	if s.Calls == nil {
		s.Calls = []queue.Call{}
	}
	for _, held := range []bool{true, false} {
		for _, k := range m.order {
			if t := m.tickets[k]; (t.Status != queue.Waiting) == held {
				s.Tickets = append(s.Tickets, *copyTicket(t))
			}
		}
	}
	for _, d := range m.desks {
		s.Desks = append(s.Desks, copyDesk(d))
	}
	sort.Slice(s.Desks, func(i, j int) bool { return s.Desks[i].Number < s.Desks[j].Number })
	return s
}

// Waiting returns the number of waiting tickets per service letter; every
// letter the last snapshot counted is present, at zero when none waits.
func (m *Mirror) Waiting() map[string]int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.waiting()
}

func (m *Mirror) waiting() map[string]int {
	w := make(map[string]int, len(m.letters))
	for _, l := range m.letters {
		w[l] = 0
	}
	for _, t := range m.tickets {
		if t.Status == queue.Waiting {
			w[t.Service]++
		}
	}
	return w
}

// Calls returns up to n of the latest calls, newest first; n <= 0 returns
// all the mirror keeps (20).
func (m *Mirror) Calls(n int) []queue.Call {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if n <= 0 || n > len(m.calls) {
		n = len(m.calls)
	}
	return slices.Clone(m.calls[:n])
}

// Desk returns the desk with number n.
func (m *Mirror) Desk(n int) (queue.Desk, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	d, ok := m.desks[n]
	if !ok {
		return queue.Desk{}, false
	}
	return copyDesk(d), true
}

// Ticket returns the active ticket with the given number (A012).
func (m *Mirror) Ticket(number string) (queue.Ticket, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, t := range m.tickets {
		if t.Number == number {
			return *copyTicket(t), true
		}
	}
	return queue.Ticket{}, false
}

// ticketKey is the ticket's ID, or its number in the public view.
func ticketKey(t *queue.Ticket) string {
	if t.ID != "" {
		return t.ID
	}
	return "#" + t.Number
}

func copyTicket(t *queue.Ticket) *queue.Ticket {
	c := *t
	return &c
}

func copyDesk(d queue.Desk) queue.Desk {
	d.Services = slices.Clone(d.Services)
	return d
}

func copyCutoff(c *queue.Cutoff) *queue.Cutoff {
	if c == nil {
		return nil
	}
	n := *c
	n.PerService = maps.Clone(c.PerService)
	n.LastPer = maps.Clone(c.LastPer)
	return &n
}
