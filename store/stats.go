package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/reports"
)

// The daily figures (package reports) live in two buckets of their own,
// apart from the journal, so the journal's Purge never touches them:
// stats holds the anonymous figures, kept for years; stats_staff the
// per-clerk figures, staff data kept under audit_retention_days
// (PurgeStaffStats).
var (
	bucketStats      = []byte("stats")
	bucketStatsStaff = []byte("stats_staff")
)

// PutDayStats stores a day's figures, replacing what was stored for that
// day, in one transaction.
func (s *Store) PutDayStats(d reports.Day, st reports.Staff) error {
	a, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("store: stats: %w", err)
	}
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("store: stats: %w", err)
	}
	err = s.update(func(tx *bolt.Tx) error {
		sb, ss := tx.Bucket(bucketStats), tx.Bucket(bucketStatsStaff)
		sb.FillPercent, ss.FillPercent = appendFill, appendFill
		if err := sb.Put([]byte(d.Day), a); err != nil {
			return err
		}
		return ss.Put([]byte(d.Day), b)
	})
	if err != nil {
		return fmt.Errorf("store: stats of %s: %w", d.Day, err)
	}
	return nil
}

// DayStats returns the stored anonymous figures of the days from..to
// (YYYY-MM-DD, both included), oldest first.
func (s *Store) DayStats(from, to string) ([]reports.Day, error) {
	var out []reports.Day
	err := s.statsRange(bucketStats, from, to, func(k, v []byte) error {
		var d reports.Day
		if err := json.Unmarshal(v, &d); err != nil {
			return badRecord("stats", string(k), err)
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: stats: %w", err)
	}
	return out, nil
}

// StaffStats returns the stored per-clerk figures of the days from..to.
func (s *Store) StaffStats(from, to string) ([]reports.Staff, error) {
	var out []reports.Staff
	err := s.statsRange(bucketStatsStaff, from, to, func(k, v []byte) error {
		var d reports.Staff
		if err := json.Unmarshal(v, &d); err != nil {
			return badRecord("stats_staff", string(k), err)
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: staff stats: %w", err)
	}
	return out, nil
}

func (s *Store) statsRange(bucket []byte, from, to string, fn func(k, v []byte) error) error {
	return s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucket).Cursor()
		for k, v := c.Seek([]byte(from)); k != nil && bytes.Compare(k, []byte(to)) <= 0; k, v = c.Next() {
			if err := fn(k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// StatsDays lists the days that have stored figures, oldest first.
func (s *Store) StatsDays() ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketStats).ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: stats days: %w", err)
	}
	return out, nil
}

// PurgeStaffStats deletes the per-clerk figures of the days before
// keepFrom and returns how many; it marks the file for the compaction the
// next Purge does, so no byte of them stays in the file.
func (s *Store) PurgeStaffStats(keepFrom string) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketStatsStaff)
		var gone [][]byte
		c := b.Cursor()
		for k, _ := c.First(); k != nil && string(k) < keepFrom; k, _ = c.Next() {
			gone = append(gone, append([]byte(nil), k...))
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
		return 0, fmt.Errorf("store: purge staff stats: %w", err)
	}
	return n, nil
}
