package store

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The outbox: committed events leave the hall by reading the journal
// (events/, append-only by seq), one cursor per consumer (the city link,
// each webhook) in outbox/. Package outbox follows the journal with them.
//
// A cursor is the last seq its consumer acknowledged. Losing a cursor
// write costs a resend that the consumer drops by seq, never an event, so
// cursors are not written in transactions of their own while the office
// is busy: SaveCursor notes the new value and the next journal commit
// writes it in the same transaction (no extra fsync, no wait for bbolt's
// one writer); FlushCursors writes what is still pending when the office
// is idle.

var bucketOutbox = []byte("outbox")

// Cursor is one consumer's place in the journal.
type Cursor struct {
	Seq uint64    `json:"seq"` // the last event the consumer acknowledged
	At  time.Time `json:"at"`  // real time of the acknowledgement
}

var consumerRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._:-]{0,63}$`)

// ValidConsumer reports whether name can name an outbox consumer.
func ValidConsumer(name string) bool { return consumerRe.MatchString(name) }

// pendingCursors are acknowledgements not yet written.
type pendingCursors struct {
	mu sync.Mutex
	m  map[string]Cursor
}

// take returns the pending cursors, leaving them pending until done says
// they were written.
func (p *pendingCursors) take() map[string]Cursor {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.m) == 0 {
		return nil
	}
	out := make(map[string]Cursor, len(p.m))
	for k, v := range p.m {
		out[k] = v
	}
	return out
}

// written forgets the pending cursors that were written and not advanced
// since.
func (p *pendingCursors) written(w map[string]Cursor) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, v := range w {
		if cur, ok := p.m[k]; ok && cur.Seq == v.Seq {
			delete(p.m, k)
		}
	}
}

func putCursors(tx *bolt.Tx, cs map[string]Cursor) error {
	if len(cs) == 0 {
		return nil
	}
	b := tx.Bucket(bucketOutbox)
	for name, c := range cs {
		// A cursor only moves forward: an older acknowledgement (a
		// consumer replaying) never takes it back.
		if old := b.Get([]byte(name)); old != nil {
			var prev Cursor
			if json.Unmarshal(old, &prev) == nil && prev.Seq >= c.Seq {
				continue
			}
		}
		data, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(name), data); err != nil {
			return err
		}
	}
	return nil
}

// SaveCursor records that consumer acknowledged every event up to seq. It
// is written with the next journal commit, or by FlushCursors.
func (s *Store) SaveCursor(consumer string, seq uint64) error {
	if !ValidConsumer(consumer) {
		return fmt.Errorf("store: outbox consumer name %q: use lower-case letters, digits and . _ : -", consumer)
	}
	s.cursors.mu.Lock()
	defer s.cursors.mu.Unlock()
	if s.cursors.m == nil {
		s.cursors.m = map[string]Cursor{}
	}
	if cur, ok := s.cursors.m[consumer]; !ok || seq > cur.Seq {
		s.cursors.m[consumer] = Cursor{Seq: seq, At: s.now().UTC()}
	}
	return nil
}

// FlushCursors writes the cursors SaveCursor noted that no journal commit
// has written yet. Consumers call it now and then and when they stop.
func (s *Store) FlushCursors() error {
	cs := s.cursors.take()
	if len(cs) == 0 {
		return nil
	}
	if err := s.update(func(tx *bolt.Tx) error { return putCursors(tx, cs) }); err != nil {
		return fmt.Errorf("store: outbox cursors: %w", err)
	}
	s.cursors.written(cs)
	return nil
}

// Cursors returns every consumer's cursor, the noted ones included.
func (s *Store) Cursors() (map[string]Cursor, error) {
	out := map[string]Cursor{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketOutbox).ForEach(func(k, v []byte) error {
			var c Cursor
			if err := json.Unmarshal(v, &c); err != nil {
				return badRecord("outbox cursor", string(k), err)
			}
			out[string(k)] = c
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: outbox cursors: %w", err)
	}
	for k, v := range s.cursors.take() {
		if v.Seq > out[k].Seq {
			out[k] = v
		}
	}
	return out, nil
}

// CursorOf returns one consumer's cursor; zero when it has none.
func (s *Store) CursorOf(consumer string) (Cursor, error) {
	cs, err := s.Cursors()
	return cs[consumer], err
}

// commitSignal tells followers of the journal that it grew: every commit
// closes the channel they wait on and makes a new one.
type commitSignal struct {
	mu   sync.Mutex
	last uint64
	ch   chan struct{}
}

func (c *commitSignal) init(last uint64) {
	c.mu.Lock()
	c.last, c.ch = last, make(chan struct{})
	c.mu.Unlock()
}

func (c *commitSignal) notify(last uint64) {
	c.mu.Lock()
	if last > c.last {
		c.last = last
	}
	close(c.ch)
	c.ch = make(chan struct{})
	c.mu.Unlock()
}

// Committed returns the journal's last seq and a channel closed at the
// next commit: a follower reads what it has not seen, then waits on the
// channel. The commit path pays one lock and one close for it.
func (s *Store) Committed() (last uint64, next <-chan struct{}) {
	s.signal.mu.Lock()
	defer s.signal.mu.Unlock()
	return s.signal.last, s.signal.ch
}

// LastSeq returns the journal's last seq, from the file.
func (s *Store) LastSeq() (uint64, error) {
	var last uint64
	err := s.view(func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket(bucketEvents).Cursor().Last(); k != nil {
			last = btoi(k)
		}
		return nil
	})
	return last, err
}
