package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Retention (DESIGN.md invariant 6) is more than deleting records: bbolt
// frees the pages of deleted records without wiping them, and copies of
// them stay in freed pages, in the freelist's neighbours and in what a
// backup copies (a backup copies every page). So a purge that deleted
// anything is followed by a compaction: every live record is copied into
// a fresh file, which then takes the old one's place by an atomic rename.
// The purged records are in no page of the new file.
//
// The compaction runs while the office works. It copies from a read
// transaction, so commits go on meanwhile; then, holding the store
// exclusively for a moment, it checks that nothing was committed since
// its copy began, renames the new file into place, fsyncs the folder and
// swaps the open database. When something was committed meanwhile it
// copies again, and the third time it copies holding the store, so
// commits wait for that copy (about 2 s for 30 busy days; purges run in
// the night). Nothing acknowledged is lost either way: every commit lands
// in the file that is in place when it commits.
//
// A crash before the rename leaves the old file whole and a half-written
// copy, which the next Open removes; the purge's meta/compact_pending
// makes the next Purge compact again. After the rename the new file is
// the store.

var keyCompactPending = []byte("compact_pending")

// compactPrefix starts the name of a compaction's new file, beside the
// store's: .langelis.db.compact-*.
func compactPrefix(path string) string { return "." + filepath.Base(path) + ".compact-" }

// ErrBusy says a purge did not run because a backup was being taken; the
// next one will.
var ErrBusy = errors.New("store: a backup is being taken; the purge waits for the next run")

// compactTxSize bounds how much a compaction commits at once.
const compactTxSize = 64 << 20

// Purge deletes the journal of every day before keepFrom (YYYY-MM-DD):
// the retention rule of DESIGN.md invariant 6. It returns the days
// removed. When it removed any (or an earlier purge's compaction did not
// finish), it compacts the file, so that nothing of the removed days is
// left in its bytes or in a backup taken after it. While a backup is
// being taken it does nothing and returns ErrBusy.
func (s *Store) Purge(keepFrom string) (int, error) {
	if !s.maint.TryLock() {
		return 0, ErrBusy
	}
	defer s.maint.Unlock()
	n, err := s.deleteDays(keepFrom)
	if err != nil {
		return 0, fmt.Errorf("store: purge: %w", err)
	}
	var pending bool
	if err := s.view(func(tx *bolt.Tx) error {
		pending = tx.Bucket(bucketMeta).Get(keyCompactPending) != nil
		return nil
	}); err != nil {
		return n, fmt.Errorf("store: purge: %w", err)
	}
	if !pending {
		return n, nil
	}
	err = s.compact()
	s.health.compacted(err)
	if err != nil {
		return n, fmt.Errorf("store: purge: removed %d days, but their records still sit in the file's free pages: %w", n, err)
	}
	return n, nil
}

// deleteDays deletes the days before keepFrom and marks the file for
// compaction, in one transaction.
func (s *Store) deleteDays(keepFrom string) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		days := tx.Bucket(bucketDays)
		var firstKept []byte
		var gone [][]byte
		c := days.Cursor()
		lastDay, _ := days.Cursor().Last()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			// The latest day is the queue the engine recovers: never purge
			// it, whatever keepFrom says, or its numbers would repeat.
			if string(k) >= keepFrom || bytes.Equal(k, lastDay) {
				firstKept = v
				break
			}
			gone = append(gone, append([]byte(nil), k...))
		}
		if len(gone) == 0 {
			return errNoChange
		}
		eb := tx.Bucket(bucketEvents)
		ec := eb.Cursor()
		for k, v := ec.First(); k != nil && (firstKept == nil || bytes.Compare(k, firstKept) < 0); k, v = ec.First() {
			// Keep the very last event so the sequence never restarts.
			if nk, _ := eb.Cursor().Last(); bytes.Equal(nk, k) {
				break
			}
			if err := archiveDeskAction(tx, k, v); err != nil {
				return err
			}
			if err := eb.Delete(k); err != nil {
				return err
			}
		}
		cc := tx.Bucket(bucketCounters)
		for _, d := range gone {
			if err := days.Delete(d); err != nil {
				return err
			}
			prefix := append(append([]byte(nil), d...), '/')
			var del [][]byte
			c := cc.Cursor()
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				del = append(del, append([]byte(nil), k...))
			}
			for _, k := range del {
				if err := cc.Delete(k); err != nil {
					return err
				}
			}
			n++
		}
		if err := dropCheckpointOf(tx, string(gone[len(gone)-1])); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyCompactPending, []byte(s.now().UTC().Format(time.RFC3339)))
	})
	return n, err
}

// archiveDeskAction moves what the audit keeps of a purged event done by
// a person at a desk (queue.Event.AuditChange) into the changes bucket,
// in the purge's own transaction: the audit trail outlives the journal,
// under the audit's retention, and holds no token, priority group or
// visitor's reason. An event that cannot be read is not the audit's.
func archiveDeskAction(tx *bolt.Tx, k, v []byte) error {
	ev, err := decodeEvent(k, v)
	if err != nil {
		return nil
	}
	ch, ok := ev.AuditChange()
	if !ok {
		return nil
	}
	return putChange(tx, &ch)
}

// dropCheckpointOf deletes the checkpoint when it is of a day up to
// lastGone: a busy day followed by a quiet month (no day reaching
// queue.CheckpointEvery events) leaves the busy day's tickets there.
func dropCheckpointOf(tx *bolt.Tx, lastGone string) error {
	ck := tx.Bucket(bucketCheckpoint)
	head := ck.Get(keyCkHead)
	if head == nil {
		return nil
	}
	var h struct {
		Day string `json:"day"`
	}
	if json.Unmarshal(head, &h) == nil && h.Day > lastGone {
		return nil
	}
	if err := ck.Delete(keyCkHead); err != nil {
		return err
	}
	if err := ck.DeleteBucket(bucketCkTickets); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
		return err
	}
	_, err := ck.CreateBucket(bucketCkTickets)
	return err
}

// compact copies the store into a fresh file and puts it in the old one's
// place (see the top of this file). The caller holds maint.
func (s *Store) compact() error {
	for attempt := 1; ; attempt++ {
		locked := attempt == 3
		if locked {
			s.mu.Lock()
		} else {
			s.mu.RLock()
		}
		txid, dst, tmp, err := s.copyLive()
		if !locked {
			s.mu.RUnlock()
		}
		if err != nil {
			if locked {
				s.mu.Unlock()
			}
			return err
		}
		if !locked {
			s.mu.Lock()
		}
		swapped, err := s.swapIfUnchanged(txid, dst, tmp)
		s.mu.Unlock()
		if err != nil || swapped {
			return err
		}
	}
}

// copyLive compacts the open store into a new file beside it, returning
// the transaction id its copy saw and the new database, open.
func (s *Store) copyLive() (txid int, dst *bolt.DB, tmp string, err error) {
	f, err := os.CreateTemp(filepath.Dir(s.path), compactPrefix(s.path)+"*")
	if err != nil {
		return 0, nil, "", err
	}
	tmp = f.Name()
	f.Close()
	fail := func(err error) (int, *bolt.DB, string, error) {
		if dst != nil {
			dst.Close()
		}
		os.Remove(tmp)
		return 0, nil, "", err
	}
	// Without an fsync per chunk: the copy counts only once it is synced
	// and renamed below.
	if dst, err = bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second, NoSync: true}); err != nil {
		return fail(err)
	}
	err = safely(s.path, func() error {
		if err := s.db.View(func(tx *bolt.Tx) error { txid = tx.ID(); return nil }); err != nil {
			return err
		}
		return bolt.Compact(dst, s.db, compactTxSize)
	})
	if err == nil {
		err = dst.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keyCompactPending) })
	}
	if err == nil {
		err = dst.Sync()
	}
	if err != nil {
		return fail(err)
	}
	dst.NoSync = false
	return txid, dst, tmp, nil
}

// swapIfUnchanged renames the new file into the store's place and makes it
// the open database, if the store committed nothing since txid; else it
// drops the new file. The caller holds mu exclusively.
func (s *Store) swapIfUnchanged(txid int, dst *bolt.DB, tmp string) (bool, error) {
	var now int
	err := s.db.View(func(tx *bolt.Tx) error { now = tx.ID(); return nil })
	if err != nil || now != txid {
		dst.Close()
		os.Remove(tmp)
		return false, err
	}
	if err := os.Rename(tmp, s.path); err != nil {
		dst.Close()
		os.Remove(tmp)
		return false, err
	}
	// From here the new file is the store, synced; the old one is gone
	// from the folder and only waits to be closed.
	old := s.db
	s.db = dst
	old.Close()
	if err := syncDir(filepath.Dir(s.path)); err != nil {
		return true, fmt.Errorf("fsync the data folder after the compaction: %w", err)
	}
	return true, nil
}

// removeLeftovers removes the new files of compactions a crash cut short.
// Only the process that holds the store's lock calls it.
func removeLeftovers(path string) {
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), compactPrefix(path)) {
			os.Remove(filepath.Join(filepath.Dir(path), e.Name()))
		}
	}
}
