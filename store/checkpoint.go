package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
)

var (
	bucketCheckpoint = []byte("checkpoint")
	bucketCkTickets  = []byte("tickets")
	keyCkHead        = []byte("head")
)

// AppendCheckpoint writes events to the journal and cp in the same fsynced
// transaction, so a checkpoint is never ahead of the journal: a crash
// leaves both or neither.
func (s *Store) AppendCheckpoint(events []queue.Event, cp *queue.Checkpoint) error {
	cs := s.cursors.take()
	start := time.Now()
	err := s.update(func(tx *bolt.Tx) error {
		if err := appendEvents(tx, events); err != nil {
			return err
		}
		if err := putCursors(tx, cs); err != nil {
			return err
		}
		return putCheckpoint(tx, cp)
	})
	if err != nil {
		return fmt.Errorf("store: append: %w", err)
	}
	s.committed(len(events), start)
	if len(events) > 0 {
		s.appended(events, cs)
	}
	return nil
}

func putCheckpoint(tx *bolt.Tx, cp *queue.Checkpoint) error {
	ck := tx.Bucket(bucketCheckpoint)
	if cp.Full {
		if err := ck.DeleteBucket(bucketCkTickets); err != nil && err != bolt.ErrBucketNotFound {
			return err
		}
	}
	tb, err := ck.CreateBucketIfNotExists(bucketCkTickets)
	if err != nil {
		return err
	}
	for _, r := range cp.Tickets {
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := tb.Put([]byte(r.Ticket.ID), data); err != nil {
			return err
		}
	}
	head, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	return ck.Put(keyCkHead, head)
}

// RecoverCheckpoint returns the latest business day's checkpoint with all
// its tickets and the events after it, or, when there is no checkpoint of
// this program's queue.CheckpointVersion for that day (none written yet,
// an older format, a damaged record), a nil checkpoint and the whole day's
// events, as Recover.
func (s *Store) RecoverCheckpoint() (*queue.Checkpoint, []queue.Event, uint64, error) {
	return s.recoverDay(true)
}

// readCheckpoint returns the checkpoint if it is usable for the day whose
// journal runs from seq dayStart to last, else nil.
func readCheckpoint(tx *bolt.Tx, dayStart, last uint64) *queue.Checkpoint {
	ck := tx.Bucket(bucketCheckpoint)
	head := ck.Get(keyCkHead)
	if head == nil {
		return nil
	}
	var cp queue.Checkpoint
	if json.Unmarshal(head, &cp) != nil || cp.Version != queue.CheckpointVersion || cp.Seq < dayStart || cp.Seq > last {
		return nil
	}
	if tb := ck.Bucket(bucketCkTickets); tb != nil {
		err := tb.ForEach(func(_, v []byte) error {
			var r queue.CheckpointTicket
			if err := json.Unmarshal(v, &r); err != nil {
				return err
			}
			if r.Ticket.Day != cp.Day {
				return fmt.Errorf("ticket %s of %s in the checkpoint of %s", r.Ticket.Number, r.Ticket.Day, cp.Day)
			}
			cp.Tickets = append(cp.Tickets, r)
			return nil
		})
		if err != nil {
			return nil
		}
	}
	return &cp
}
