package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// migrations bring a file from schema version i to i+1, each in its own
// transaction. Append only: a released migration never changes.
var migrations = []func(tx *bolt.Tx) error{
	// 0 → 1: the buckets of the layout in the package doc.
	func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketEvents, bucketDays, bucketCounters, bucketUsers, bucketSessions, bucketConfig} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 1 → 2: the checkpoint bucket (checkpoint.go); a file without one
	// replays its latest day in full once, then has one.
	func(tx *bolt.Tx) error {
		ck, err := tx.CreateBucketIfNotExists(bucketCheckpoint)
		if err != nil {
			return err
		}
		_, err = ck.CreateBucketIfNotExists(bucketCkTickets)
		return err
	},
	// 2 → 3: the outbox's cursors (outbox.go) and the journal's first
	// epoch (epoch.go), which holds every event already written.
	func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketOutbox); err != nil {
			return err
		}
		es, err := readEpochs(tx)
		if err != nil || len(es) > 0 {
			return err
		}
		now := time.Now()
		return putEpochs(tx, []Epoch{{ID: newID(now), Base: 1, Since: now.UTC()}})
	},
	// 3 → 4: the changes bucket (changes.go), the audit trail of the
	// manager's side; a file without one has had no changes.
	func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketChanges)
		return err
	},
	// 4 → 5: the daily figures (stats.go), anonymous and per clerk. A file
	// from before has none; the app aggregates the days its journal still
	// holds at the next ticks.
	func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketStats, bucketStatsStaff} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 5 → 6: the bookings' current state and the visitors' contacts
	// (bookings.go); a file from before has no bookings.
	func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketBookings)
		if err != nil {
			return err
		}
		for _, sub := range [][]byte{bucketBkCodes, bucketBkClosed} {
			if _, err := b.CreateBucketIfNotExists(sub); err != nil {
				return err
			}
		}
		_, err = tx.CreateBucketIfNotExists(bucketContacts)
		return err
	},
	// 6 → 7: complaints, suggestions and thanks (feedback.go), with the
	// contacts apart; a file from before has none.
	func(tx *bolt.Tx) error {
		fb, err := tx.CreateBucketIfNotExists(bucketFeedback)
		if err != nil {
			return err
		}
		for _, b := range [][]byte{bucketFbEntries, bucketFbContacts, bucketFbYears} {
			if _, err := fb.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 7 → 8: the webhooks (webhooks.go); a file from before has none.
	func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketWebhooks)
		return err
	},
}

// SchemaVersion is the version this build writes.
var SchemaVersion = uint64(len(migrations))

var keySchema = []byte("schema_version")

func (s *Store) migrate() error {
	for {
		var v uint64
		err := s.update(func(tx *bolt.Tx) error {
			meta, err := tx.CreateBucketIfNotExists(bucketMeta)
			if err != nil {
				return err
			}
			v = btoi(meta.Get(keySchema))
			if v > SchemaVersion {
				return fmt.Errorf("the file has schema version %d, newer than this program's %d; run a newer langelis", v, SchemaVersion)
			}
			if v == SchemaVersion {
				return errNoChange // opening a current file writes nothing
			}
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("migration %d→%d: %w", v, v+1, err)
			}
			v++
			return meta.Put(keySchema, itob(v))
		})
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if v == SchemaVersion {
			return nil
		}
	}
}

// Version returns the file's schema version.
func (s *Store) Version() (uint64, error) {
	var v uint64
	err := s.view(func(tx *bolt.Tx) error {
		v = btoi(tx.Bucket(bucketMeta).Get(keySchema))
		return nil
	})
	return v, err
}
