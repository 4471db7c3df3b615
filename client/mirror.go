package client

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"langelis/queue"
	"langelis/wire"
)

// Mirror is a local copy of the queue kept current from a subscription's
// messages: a snapshot replaces it, and each event is applied by
// queue.State.Apply, the very code the server's engine folds its journal
// with. Tickets are keyed by ID, or by number in the public view where they
// have none. The zero Mirror is empty and waits for a snapshot. It is safe
// for concurrent use, and its Apply fits Subscribe as a handler:
//
//	err := c.Subscribe(ctx, m.Apply)
type Mirror struct {
	mu      sync.RWMutex
	st      *queue.State // nil until the first snapshot
	now     time.Time
	open    bool
	cutoff  *queue.Cutoff
	letters []string // the service letters the snapshot counted, sorted
}

// Apply brings the mirror up to date with one message. Events at or below
// the mirror's sequence number are repeats and are ignored. An event that
// skips a number, or comes before any snapshot, changes nothing and
// returns an error wrapping ErrResync: the caller needs a fresh snapshot.
// Side messages other than the cutoff change nothing.
func (m *Mirror) Apply(msg Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case msg.Type == wire.KindCutoff:
		if m.st != nil {
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
		case m.st == nil:
			return fmt.Errorf("client: mirror: event %d before any snapshot: %w", seq, ErrResync)
		case seq <= m.st.Seq():
			return nil
		case seq > m.st.Seq()+1:
			return fmt.Errorf("client: mirror: event %d after %d: %w", seq, m.st.Seq(), ErrResync)
		}
		ev := *msg.Event
		ev.Seq = seq
		if !ev.At.IsZero() {
			m.now = ev.At
		}
		if ev.Type == queue.DayStarted {
			m.cutoff = nil // a new day's figure comes with its first cutoff message
		}
		m.st.Apply(ev)
	}
	return nil
}

func (m *Mirror) applySnapshot(seq uint64, s *queue.Snapshot) {
	snap := *s
	if seq != 0 {
		snap.Seq = seq
	}
	if m.st == nil {
		m.st = queue.NewState(nil)
	}
	m.st.Load(snap)
	m.now, m.open = s.Now, s.Open
	m.cutoff = copyCutoff(s.Cutoff)
	m.letters = slices.Sorted(maps.Keys(s.Waiting))
}

// Ready reports whether the mirror holds a snapshot.
func (m *Mirror) Ready() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.st != nil
}

// Seq returns the sequence number the mirror is current to; Subscribe's
// WithSince takes it.
func (m *Mirror) Seq() uint64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.st == nil {
		return 0
	}
	return m.st.Seq()
}

// Snapshot returns a copy of the mirrored queue in the shape of the
// server's: the held tickets (called, serving) first, then the waiting ones
// in line order (queue.State.Tickets), desks by number, waiting counts per
// service, calls newest first. Now is the time of the latest message.
// Estimate is nil, and Open is as the last snapshot gave it: events do not
// carry it.
func (m *Mirror) Snapshot() queue.Snapshot {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s := queue.Snapshot{Now: m.now, Open: m.open, Cutoff: copyCutoff(m.cutoff), Waiting: m.waiting(),
		Tickets: []queue.Ticket{}, Desks: []queue.Desk{}, Calls: []queue.Call{}}
	if m.st != nil {
		s.Seq, s.Day = m.st.Seq(), m.st.Day()
		s.Tickets, s.Desks, s.Calls = m.st.Tickets(), m.st.Desks(), m.st.Calls()
	}
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
	if m.st != nil {
		for _, t := range m.st.Tickets() {
			if t.Status == queue.Waiting {
				w[t.Service]++
			}
		}
	}
	return w
}

// Calls returns up to n of the latest calls, newest first; n <= 0 returns
// all the mirror keeps (20, as the server's snapshot lists).
func (m *Mirror) Calls(n int) []queue.Call {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.st == nil {
		return []queue.Call{}
	}
	c := m.st.Calls()
	if n <= 0 || n > len(c) {
		n = len(c)
	}
	return c[:n]
}

// Desk returns the desk with number n.
func (m *Mirror) Desk(n int) (queue.Desk, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.st == nil {
		return queue.Desk{}, false
	}
	for _, d := range m.st.Desks() {
		if d.Number == n {
			return d, true
		}
	}
	return queue.Desk{}, false
}

// Ticket returns the active ticket with the given number (A012).
func (m *Mirror) Ticket(number string) (queue.Ticket, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.st == nil {
		return queue.Ticket{}, false
	}
	t, ok := m.st.Ticket(number)
	if !ok || !t.Status.Active() {
		return queue.Ticket{}, false
	}
	return t, true
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
