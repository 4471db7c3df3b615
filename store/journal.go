package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
)

// Append writes events to the journal in one fsynced transaction. Their
// sequence numbers must continue the journal without a gap: a mismatch
// means two writers, and is refused.
func (s *Store) Append(events []queue.Event) error {
	if len(events) == 0 {
		return nil
	}
	cs := s.cursors.take()
	start := time.Now()
	err := s.update(func(tx *bolt.Tx) error {
		if err := appendEvents(tx, events); err != nil {
			return err
		}
		return putCursors(tx, cs)
	})
	if err != nil {
		return fmt.Errorf("store: append: %w", err)
	}
	s.committed(len(events), start)
	s.appended(events, cs)
	return nil
}

// appended tells the journal's followers of a commit and forgets the
// outbox cursors it wrote.
func (s *Store) appended(events []queue.Event, cs map[string]Cursor) {
	s.cursors.written(cs)
	s.signal.notify(events[len(events)-1].Seq)
}

// appendFill is the fill percent of the buckets whose keys only grow (the
// journal's sequence numbers, the days, the counters' day prefixes): a
// page split there never gets a key in its left half again, so bbolt's
// default of half-full pages would leave half of every journal page
// empty for good.
const appendFill = 0.95

// appendEvents writes events to the journal inside tx.
func appendEvents(tx *bolt.Tx, events []queue.Event) error {
	eb := tx.Bucket(bucketEvents)
	last := uint64(0)
	if k, _ := eb.Cursor().Last(); k != nil {
		last = btoi(k)
	}
	days, counters := tx.Bucket(bucketDays), tx.Bucket(bucketCounters)
	eb.FillPercent, days.FillPercent, counters.FillPercent = appendFill, appendFill, appendFill
	for _, ev := range events {
		if ev.Seq != last+1 {
			return fmt.Errorf("event seq %d does not follow %d", ev.Seq, last)
		}
		last = ev.Seq
		data, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		if err := eb.Put(itob(ev.Seq), data); err != nil {
			return err
		}
		switch {
		case ev.Type == queue.DayStarted:
			if err := days.Put([]byte(ev.Day), itob(ev.Seq)); err != nil {
				return err
			}
		case ev.Type == queue.TicketIssued && ev.Ticket != nil:
			if err := counters.Put([]byte(ev.Day+"/"+ev.Ticket.Service), itob(uint64(ev.Ticket.Serial))); err != nil {
				return err
			}
		}
	}
	return putBookings(tx, events)
}

// Recover returns the latest business day's events and the last seq.
func (s *Store) Recover() ([]queue.Event, uint64, error) {
	_, evs, last, err := s.recoverDay(false)
	return evs, last, err
}

// recoverDay reads the latest business day: from its checkpoint when
// checkpoint is true and it has a usable one (then the events after it),
// else all its events.
func (s *Store) recoverDay(checkpoint bool) (*queue.Checkpoint, []queue.Event, uint64, error) {
	var cp *queue.Checkpoint
	var out []queue.Event
	var last uint64
	err := s.view(func(tx *bolt.Tx) error {
		eb := tx.Bucket(bucketEvents)
		k, _ := eb.Cursor().Last()
		if k == nil {
			return nil
		}
		last = btoi(k)
		_, first := tx.Bucket(bucketDays).Cursor().Last()
		if first == nil {
			return nil
		}
		if checkpoint {
			cp = readCheckpoint(tx, btoi(first), last)
		}
		from := first
		if cp != nil {
			from = itob(cp.Seq + 1)
		}
		c := eb.Cursor()
		for k, v := c.Seek(from); k != nil; k, v = c.Next() {
			ev, err := decodeEvent(k, v)
			if err != nil {
				return err
			}
			out = append(out, ev)
		}
		return nil
	})
	if err != nil {
		return nil, nil, 0, fmt.Errorf("store: recover: %w", err)
	}
	return cp, out, last, nil
}

// Events returns up to limit events with seq > after, oldest first.
func (s *Store) Events(after uint64, limit int) ([]queue.Event, error) {
	var out []queue.Event
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketEvents).Cursor()
		for k, v := c.Seek(itob(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			ev, err := decodeEvent(k, v)
			if err != nil {
				return err
			}
			out = append(out, ev)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: events: %w", err)
	}
	return out, nil
}

// DayEvents returns every event of one business day, oldest first.
func (s *Store) DayEvents(day string) ([]queue.Event, error) {
	var out []queue.Event
	err := s.view(func(tx *bolt.Tx) error {
		dc := tx.Bucket(bucketDays).Cursor()
		k, first := dc.Seek([]byte(day))
		if k == nil || string(k) != day {
			return nil
		}
		var end []byte
		if nk, _ := dc.Next(); nk != nil {
			end = tx.Bucket(bucketDays).Get(nk)
		}
		c := tx.Bucket(bucketEvents).Cursor()
		for k, v := c.Seek(first); k != nil && (end == nil || bytes.Compare(k, end) < 0); k, v = c.Next() {
			ev, err := decodeEvent(k, v)
			if err != nil {
				return err
			}
			out = append(out, ev)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: day events: %w", err)
	}
	return out, nil
}

// Days lists the business days in the journal, oldest first.
func (s *Store) Days() ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDays).ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: days: %w", err)
	}
	return out, nil
}

// decodeEvent reads a journal record; one that does not decode is damage.
func decodeEvent(k, v []byte) (queue.Event, error) {
	var ev queue.Event
	if err := json.Unmarshal(v, &ev); err != nil {
		return ev, badRecord("event", fmt.Sprint(btoi(k)), err)
	}
	return ev, nil
}
