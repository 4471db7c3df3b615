package queue

import (
	"maps"
	"sort"
	"time"

	"langelis/priority"
)

// Restarting by replaying the whole day's journal grows with the day: a
// busy hall has 100,000 events by the evening. So every CheckpointEvery
// events the engine hands the journal a checkpoint of its state, which
// the journal writes in the same transaction as those events (never ahead
// of them), and a restart starts from the checkpoint and replays only the
// events after it. The day's tickets are the bulk of the state; a
// checkpoint carries only the tickets changed since the one before, and
// the journal keeps one record per ticket.

// CheckpointVersion is the checkpoint format. A journal returns no
// checkpoint of another version, and the engine then replays the day in
// full: a format change costs one slow restart, never a wrong state.
const CheckpointVersion = 1

// CheckpointEvery is how many events pass between checkpoints unless
// Options.CheckpointEvery says otherwise: a restart replays at most this
// many events after reading the day's tickets.
const CheckpointEvery = 1000

// Checkpoint is the engine's state after the event Seq: the queue of the
// business day and what the engine has learned today.
type Checkpoint struct {
	Version  int                        `json:"version"`
	Seq      uint64                     `json:"seq"`
	Day      string                     `json:"day"`
	Counters map[string]int             `json:"counters"`
	Desks    []Desk                     `json:"desks"`
	History  priority.History           `json:"history"`
	Calls    []Call                     `json:"calls"`
	Samples  map[string][]time.Duration `json:"samples"` // today's service times, oldest first (Expected)
	// Paused and Message are the manager's hold on the hall (hall.go).
	Paused  []ServicePause `json:"paused,omitempty"`
	Message *HallMessage   `json:"message,omitempty"`
	// Tickets are the day's tickets: on writing, those changed since the
	// previous checkpoint, or all of them when Full; on reading, all.
	Tickets []CheckpointTicket `json:"-"`
	// Full says the journal's ticket records are of another state (an
	// earlier day, a replay without a checkpoint): replace them all.
	Full bool `json:"-"`
}

// CheckpointTicket is one ticket of the day with its place in the order of
// issue.
type CheckpointTicket struct {
	Ticket Ticket `json:"ticket"`
	Order  uint64 `json:"order"` // seq of its issue event
}

// Checkpointer is a Journal that also keeps a checkpoint. The store
// implements it; any other Journal is replayed in full.
type Checkpointer interface {
	Journal
	// AppendCheckpoint is Append, writing cp in the same transaction.
	AppendCheckpoint(events []Event, cp *Checkpoint) error
	// RecoverCheckpoint returns the latest business day's last checkpoint
	// of this CheckpointVersion, with all its tickets, and the day's events
	// after it; or a nil checkpoint and all the day's events. lastSeq is
	// the highest sequence number written.
	RecoverCheckpoint() (cp *Checkpoint, events []Event, lastSeq uint64, err error)
}

// ckptTrack is what the engine tracks between checkpoints.
type ckptTrack struct {
	every int
	since int             // events committed since the last checkpoint
	dirty map[string]bool // tickets changed since
	full  bool            // the next checkpoint replaces every ticket record
}

// note takes note of events about to be committed.
func (c *ckptTrack) note(events []Event) {
	c.since += len(events)
	for _, ev := range events {
		if ev.Type == DayStarted {
			c.full, c.dirty = true, map[string]bool{}
		}
		if ev.Ticket != nil {
			c.dirty[ev.Ticket.ID] = true
		}
	}
}

// restart resets the tracking after a recovery: from a checkpoint and the
// events replayed after it, or (cp nil) from a full replay.
func (c *ckptTrack) restart(cp *Checkpoint, replayed []Event) {
	*c = ckptTrack{every: c.every, dirty: map[string]bool{}, full: cp == nil}
	c.note(replayed)
}

// commit makes events durable, with a checkpoint when one is due.
func (e *Engine) commit(events []Event) error {
	cj, ok := e.journal.(Checkpointer)
	if !ok || e.ckpt.every <= 0 {
		return e.journal.Append(events)
	}
	e.ckpt.note(events)
	if e.ckpt.since < e.ckpt.every {
		return e.journal.Append(events)
	}
	if err := cj.AppendCheckpoint(events, e.checkpoint(events)); err != nil {
		return err // recover, which follows, resets the tracking
	}
	e.ckpt = ckptTrack{every: e.ckpt.every, dirty: map[string]bool{}}
	return nil
}

// checkpoint is the state now, after events (applied to the state, not yet
// learned from).
func (e *Engine) checkpoint(events []Event) *Checkpoint {
	st := e.st
	cp := &Checkpoint{Version: CheckpointVersion, Seq: st.seq, Day: st.day, Counters: maps.Clone(st.counters),
		History: st.history, Calls: append([]Call(nil), st.calls...), Full: e.ckpt.full,
		Samples: e.expected.todayAfter(events), Message: st.hall.message}
	if len(st.hall.paused) > 0 {
		cp.Paused = st.pausedList()
	}
	for _, d := range st.sortedDesks() {
		cp.Desks = append(cp.Desks, *d)
	}
	add := func(t *Ticket) {
		cp.Tickets = append(cp.Tickets, CheckpointTicket{Ticket: *t, Order: st.order[key(t)]})
	}
	if cp.Full {
		for _, t := range st.tickets {
			add(t)
		}
	} else {
		for id := range e.ckpt.dirty {
			if t, ok := st.tickets[id]; ok {
				add(t)
			}
		}
	}
	// In issue order, so the journal writes the same bytes for the same state.
	sort.Slice(cp.Tickets, func(i, j int) bool { return cp.Tickets[i].Order < cp.Tickets[j].Order })
	return cp
}

// todayAfter returns today's samples as they will be once events are
// learned, leaving x as it is.
func (x Expected) todayAfter(events []Event) map[string][]time.Duration {
	y := Expected{office: x.office, today: map[string][]time.Duration{}, recent: map[string][]time.Duration{},
		cache: map[string]time.Duration{}}
	for svc, ds := range x.today {
		y.today[svc] = append([]time.Duration(nil), ds...)
	}
	for _, ev := range events {
		y.observe(ev)
	}
	return y.today
}

// restore builds the state a checkpoint describes.
func restore(o *Office, cp *Checkpoint) *State {
	st := NewState(o)
	st.reset(cp.Day)
	st.seq = cp.Seq
	maps.Copy(st.counters, cp.Counters)
	for _, d := range cp.Desks {
		d.Services = append([]string(nil), d.Services...)
		st.desks[d.Number] = &d
	}
	st.history = cp.History
	for _, p := range cp.Paused {
		st.applyHall(Event{Type: ServicePaused, Pause: &p})
	}
	st.applyHall(Event{Type: DisplayMessage, Message: cp.Message})
	st.calls = append([]Call(nil), cp.Calls...)
	if len(st.calls) == 0 {
		st.calls = nil
	}
	for _, r := range cp.Tickets {
		t := r.Ticket
		st.tickets[key(&t)] = &t
		st.byNumber[t.Number] = &t
		st.order[key(&t)] = r.Order
		if t.Status == Waiting {
			st.line = append(st.line, &t)
		}
	}
	sort.Slice(st.line, func(i, j int) bool { return st.candidate(st.line[i]).Before(st.candidate(st.line[j])) })
	return st
}
