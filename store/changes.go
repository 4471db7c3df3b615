package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
)

// The changes bucket (since schema version 3) is the audit trail of the
// manager's side: every configuration and account change, keyed by its
// seq. It is not part of the journal: the journal's Purge never touches
// it (and its compaction copies it whole); PurgeChanges removes the
// changes past their own retention (Office.AuditRetentionDays).
//
// The running configuration does not depend on this trail: every
// configuration change is written together with the running office
// (config/running, AppendConfig), so purging old changes never
// changes the configuration the office runs with.
var (
	bucketChanges = []byte("changes")
	keyRunning    = []byte("running")
)

// ChangeFilter chooses changes. Zero fields choose everything.
type ChangeFilter struct {
	// From and To are office days (YYYY-MM-DD), inclusive, read in Loc
	// (UTC when nil).
	From, To string
	Loc      *time.Location
	Actor    string // exactly this actor
	Kind     string // a prefix of the kind: "service." or "user.added"
	Subject  string // exactly this subject
	// Limit keeps only the newest Limit changes; 0 keeps all.
	Limit int
}

func (f ChangeFilter) match(c queue.Change) bool {
	if f.From != "" || f.To != "" {
		loc := f.Loc
		if loc == nil {
			loc = time.UTC
		}
		day := c.At.In(loc).Format(time.DateOnly)
		if (f.From != "" && day < f.From) || (f.To != "" && day > f.To) {
			return false
		}
	}
	return (f.Actor == "" || c.Actor == f.Actor) &&
		strings.HasPrefix(c.Kind, f.Kind) &&
		(f.Subject == "" || c.Subject == f.Subject)
}

// AppendChange records a change, durable (fsynced) before it returns, and
// returns it with its Seq.
func (s *Store) AppendChange(c queue.Change) (queue.Change, error) {
	err := s.update(func(tx *bolt.Tx) error { return putChange(tx, &c) })
	if err != nil {
		return c, fmt.Errorf("store: append change: %w", err)
	}
	return c, nil
}

func putChange(tx *bolt.Tx, c *queue.Change) error {
	b := tx.Bucket(bucketChanges)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	c.Seq = seq
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return b.Put(itob(seq), data)
}

// RunningOffice returns the running office the last configuration change
// left, or ErrNotFound when the office has run only from its file.
func (s *Store) RunningOffice() (*queue.Office, error) {
	var o *queue.Office
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketConfig).Get(keyRunning)
		if v == nil {
			return ErrNotFound
		}
		o = &queue.Office{}
		if err := json.Unmarshal(v, o); err != nil {
			return badRecord("config", string(keyRunning), err)
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: running office: %w", err)
	}
	return o, nil
}

// ForgetRunningOffice removes the running office, so that the next start
// runs from the file (langelis serve --config-wins). The changes stay.
func (s *Store) ForgetRunningOffice() error {
	err := s.update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketConfig).Get(keyRunning) == nil {
			return errNoChange
		}
		return tx.Bucket(bucketConfig).Delete(keyRunning)
	})
	if err != nil {
		return fmt.Errorf("store: forget running office: %w", err)
	}
	return nil
}

// Changes returns the changes f chooses, oldest first.
func (s *Store) Changes(f ChangeFilter) ([]queue.Change, error) {
	var out []queue.Change
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketChanges).Cursor()
		// Newest first, so that Limit stops the walk early.
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var ch queue.Change
			if err := json.Unmarshal(v, &ch); err != nil {
				return badRecord("change", fmt.Sprint(btoi(k)), err)
			}
			if !f.match(ch) {
				continue
			}
			out = append(out, ch)
			if f.Limit > 0 && len(out) == f.Limit {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: changes: %w", err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// PurgeChanges deletes the changes made before before (their retention,
// Office.AuditRetentionDays) and returns how many. Changes are appended in
// time order, so it stops at the first one it keeps. The journal's Purge
// compacts the file afterwards; until then the deleted changes sit in
// free pages, as any deleted record does between purges.
func (s *Store) PurgeChanges(before time.Time) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChanges)
		var gone [][]byte
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var ch struct {
				At time.Time `json:"at"`
			}
			if json.Unmarshal(v, &ch) == nil && !ch.At.Before(before) {
				break
			}
			gone = append(gone, bytes.Clone(k))
		}
		if len(gone) == 0 {
			return errNoChange
		}
		for _, k := range gone {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(gone)
		return tx.Bucket(bucketMeta).Put(keyCompactPending, []byte(s.now().UTC().Format(time.RFC3339)))
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge changes: %w", err)
	}
	return n, nil
}

// AppendConfig writes a configuration command's outcome in one fsynced
// transaction: the journal's events (the desks it changed, the hall's
// office.changed), the running office it leaves, and its changes,
// numbered. It implements queue.ConfigJournal: the engine answers the
// command only after all three are on disk, and a restart finds all or
// none of them.
func (s *Store) AppendConfig(events []queue.Event, running *queue.Office, changes []queue.Change) error {
	data, err := json.Marshal(running)
	if err != nil {
		return fmt.Errorf("store: append config: %w", err)
	}
	start := time.Now()
	err = s.update(func(tx *bolt.Tx) error {
		if len(events) > 0 {
			if err := appendEvents(tx, events); err != nil {
				return err
			}
		}
		for i := range changes {
			if err := putChange(tx, &changes[i]); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketConfig).Put(keyRunning, data)
	})
	if err != nil {
		return fmt.Errorf("store: append config: %w", err)
	}
	s.committed(len(events), start)
	return nil
}
