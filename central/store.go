// Package central is the city's centre: `langelis central`. It consumes
// every hall's stream (citynats.Feed) into its own store, and serves the
// staff's city view (/city) and the residents' page of every hall's wait
// (/halls). Each hall stays the authority for its queue and never needs
// the centre; the centre holds a copy of each hall's journal, stripped of
// personal data (city.Event: ticket numbers, never tokens; no priority
// group, clerk or free text), purged with that hall's retention.
//
// The centre's bbolt file (DATA/central.db), schema version 1:
//
//	meta/
//	  schema_version → uint64 BE
//	ledgers/
//	  <hall>         → JSON ledgerRecord: city.Ledger (the history followed,
//	                   the last seq held without a gap, what was missed),
//	                   the last event's digest, the hall's retention
//	events/
//	  <hall>/        (one bucket per hall)
//	    <seq BE>     → the event's JSON as the hall sent it (city.Event)
//	days/
//	  <hall>/
//	    <YYYY-MM-DD> → uint64 BE, the seq of that day's first event held
//	users/
//	  <username>     → JSON queue.User (bcrypt hash inside): the city's staff
//	sessions/
//	  <hex sha256(token)> → JSON queue.Session
//
// Ingest applies a whole fetched batch in one fsynced transaction, and
// only then does the feed acknowledge it, to JetStream and to the halls.
package central

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/city"
)

var (
	bucketMeta     = []byte("meta")
	bucketLedgers  = []byte("ledgers")
	bucketEvents   = []byte("events")
	bucketDays     = []byte("days")
	bucketUsers    = []byte("users")
	bucketSessions = []byte("sessions")
	keySchema      = []byte("schema_version")
)

// FileName is the centre's bbolt file inside its data folder.
const FileName = "central.db"

// SchemaVersion is the layout this build writes.
const SchemaVersion = 1

// Store is the centre's bbolt file.
type Store struct {
	db   *bolt.DB
	path string

	mu    sync.Mutex
	stats IngestStats
}

// IngestStats count the verdicts on what the feed brought.
type IngestStats struct {
	Taken, Had, Early, Stale uint64 // city.Verdict
	Dropped                  uint64 // events dropped when a hall's history changed
}

// ledgerRecord is what the centre keeps per hall beside its events.
type ledgerRecord struct {
	city.Ledger
	Digest        string    `json:"digest,omitempty"` // of the event at Last
	RetentionDays int       `json:"retention_days,omitempty"`
	Updated       time.Time `json:"updated"` // real time of the last event taken
}

// OpenStore opens (creating) the centre's store at path.
func OpenStore(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("central: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("central: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if v := btoi(meta.Get(keySchema)); v > SchemaVersion {
			return fmt.Errorf("the file has schema version %d, newer than this program's %d; run a newer langelis", v, SchemaVersion)
		}
		for _, b := range [][]byte{bucketLedgers, bucketEvents, bucketDays, bucketUsers, bucketSessions} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return meta.Put(keySchema, itob(SchemaVersion))
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("central: %s: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// Stats returns the verdict counts since open.
func (s *Store) Stats() IngestStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

func itob(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

func btoi(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

func readLedger(tx *bolt.Tx, hall string) (*ledgerRecord, error) {
	rec := &ledgerRecord{}
	if data := tx.Bucket(bucketLedgers).Get([]byte(hall)); data != nil {
		if err := json.Unmarshal(data, rec); err != nil {
			return nil, fmt.Errorf("the ledger of hall %s does not read: %w", hall, err)
		}
	}
	return rec, nil
}

func putLedger(tx *bolt.Tx, hall string, rec *ledgerRecord) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketLedgers).Put([]byte(hall), data)
}

// hallBuckets returns (creating) hall's events and days buckets.
func hallBuckets(tx *bolt.Tx, hall string) (events, days *bolt.Bucket, err error) {
	if events, err = tx.Bucket(bucketEvents).CreateBucketIfNotExists([]byte(hall)); err != nil {
		return nil, nil, err
	}
	events.FillPercent = 0.95 // seqs only grow
	if days, err = tx.Bucket(bucketDays).CreateBucketIfNotExists([]byte(hall)); err != nil {
		return nil, nil, err
	}
	return events, days, nil
}

// Ingest applies msgs (city.Ledger.Decide) in one transaction and returns
// the verdict on each and the positions of the halls they touched.
func (s *Store) Ingest(msgs []city.Message) ([]city.Position, []city.Verdict, error) {
	var st IngestStats
	var out []city.Position
	var verdicts []city.Verdict
	err := s.db.Update(func(tx *bolt.Tx) error {
		st, out, verdicts = IngestStats{}, nil, make([]city.Verdict, len(msgs))
		gap := map[string]bool{}
		recs := map[string]*ledgerRecord{}
		var order []string
		now := time.Now().UTC()
		for i, m := range msgs {
			rec, ok := recs[m.Hall]
			if !ok {
				var err error
				if rec, err = readLedger(tx, m.Hall); err != nil {
					return err
				}
				recs[m.Hall] = rec
				order = append(order, m.Hall)
			}
			events, days, err := hallBuckets(tx, m.Hall)
			if err != nil {
				return err
			}
			v, drop := rec.Decide(m)
			verdicts[i] = v
			if drop > 0 {
				n, err := dropFrom(events, days, drop)
				if err != nil {
					return err
				}
				st.Dropped += n
				rec.Digest = ""
				if d := events.Get(itob(rec.Last)); d != nil {
					rec.Digest = city.Digest(d)
				}
			}
			switch v {
			case city.Take:
				st.Taken++
				if err := events.Put(itob(m.Seq), m.Event); err != nil {
					return err
				}
				var day struct {
					Day string `json:"day"`
				}
				if json.Unmarshal(m.Event, &day) == nil && day.Day != "" && days.Get([]byte(day.Day)) == nil {
					if err := days.Put([]byte(day.Day), itob(m.Seq)); err != nil {
						return err
					}
				}
				rec.Digest, rec.Updated = city.Digest(m.Event), now
			case city.Have:
				st.Had++
			case city.Early:
				st.Early++
				gap[m.Hall] = true
			case city.Stale:
				st.Stale++
			}
		}
		for _, hall := range order {
			rec := recs[hall]
			if err := putLedger(tx, hall, rec); err != nil {
				return err
			}
			out = append(out, city.Position{Hall: hall, Epoch: rec.Current(), Seq: rec.Last, Digest: rec.Digest, Gap: gap[hall]})
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("central: ingest: %w", err)
	}
	s.mu.Lock()
	s.stats.Taken += st.Taken
	s.stats.Had += st.Had
	s.stats.Early += st.Early
	s.stats.Stale += st.Stale
	s.stats.Dropped += st.Dropped
	s.mu.Unlock()
	return out, verdicts, nil
}

// dropFrom deletes a hall's events from seq on, and the days that start
// there.
func dropFrom(events, days *bolt.Bucket, seq uint64) (uint64, error) {
	var n uint64
	c := events.Cursor()
	for k, _ := c.Seek(itob(seq)); k != nil; k, _ = c.Seek(itob(seq)) {
		if err := events.Delete(k); err != nil {
			return n, err
		}
		n++
	}
	var gone [][]byte
	_ = days.ForEach(func(k, v []byte) error {
		if btoi(v) >= seq {
			gone = append(gone, append([]byte(nil), k...))
		}
		return nil
	})
	for _, k := range gone {
		if err := days.Delete(k); err != nil {
			return n, err
		}
	}
	return n, nil
}

// Positions returns every hall's position.
func (s *Store) Positions() ([]city.Position, error) {
	var out []city.Position
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLedgers).ForEach(func(k, v []byte) error {
			var rec ledgerRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			out = append(out, city.Position{Hall: string(k), Epoch: rec.Current(), Seq: rec.Last, Digest: rec.Digest})
			return nil
		})
	})
	return out, err
}

// HallRecord is what the centre holds of one hall's journal.
type HallRecord struct {
	ID            string
	Ledger        city.Ledger
	Updated       time.Time // real time of the last event taken
	RetentionDays int
	Days          []string // the days held, oldest first
}

// Halls returns every hall the centre holds events of, by id.
func (s *Store) Halls() ([]HallRecord, error) {
	var out []HallRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLedgers).ForEach(func(k, v []byte) error {
			var rec ledgerRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			h := HallRecord{ID: string(k), Ledger: rec.Ledger, Updated: rec.Updated, RetentionDays: rec.RetentionDays}
			if db := tx.Bucket(bucketDays).Bucket(k); db != nil {
				db.ForEach(func(d, _ []byte) error { h.Days = append(h.Days, string(d)); return nil })
			}
			out = append(out, h)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// Events returns up to limit raw events of hall with seq > after.
func (s *Store) Events(hall string, after uint64, limit int) ([]RawEvent, error) {
	var out []RawEvent
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEvents).Bucket([]byte(hall))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(itob(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			out = append(out, RawEvent{Seq: btoi(k), Data: append([]byte(nil), v...)})
		}
		return nil
	})
	return out, err
}

// RawEvent is one held event as the hall sent it.
type RawEvent struct {
	Seq  uint64
	Data []byte
}

// DayEvents returns hall's events of one day, decoded, oldest first.
func (s *Store) DayEvents(hall, day string) ([]city.Event, error) {
	var out []city.Event
	err := s.db.View(func(tx *bolt.Tx) error {
		db := tx.Bucket(bucketDays).Bucket([]byte(hall))
		eb := tx.Bucket(bucketEvents).Bucket([]byte(hall))
		if db == nil || eb == nil {
			return nil
		}
		dc := db.Cursor()
		k, first := dc.Seek([]byte(day))
		if k == nil || string(k) != day {
			return nil
		}
		var end []byte
		if nk, nv := dc.Next(); nk != nil {
			end = nv
		}
		c := eb.Cursor()
		for k, v := c.Seek(first); k != nil && (end == nil || bytes.Compare(k, end) < 0); k, v = c.Next() {
			var ev city.Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return fmt.Errorf("hall %s event %d: %w", hall, btoi(k), err)
			}
			out = append(out, ev)
		}
		return nil
	})
	return out, err
}

// SetRetention records a hall's retention (from its status), which the
// centre's purge follows.
func (s *Store) SetRetention(hall string, days int) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		rec, err := readLedger(tx, hall)
		if err != nil || rec.RetentionDays == days || tx.Bucket(bucketLedgers).Get([]byte(hall)) == nil {
			return err
		}
		rec.RetentionDays = days
		return putLedger(tx, hall, rec)
	})
}

// Purge deletes hall's days before keepFrom (YYYY-MM-DD) and their
// events; the ledger stays, so what the hall resends is still known as
// held. It returns the days removed.
func (s *Store) Purge(hall, keepFrom string) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		db := tx.Bucket(bucketDays).Bucket([]byte(hall))
		eb := tx.Bucket(bucketEvents).Bucket([]byte(hall))
		if db == nil || eb == nil {
			return nil
		}
		var gone [][]byte
		var keepSeq []byte
		c := db.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if string(k) >= keepFrom {
				keepSeq = v
				break
			}
			gone = append(gone, append([]byte(nil), k...))
		}
		if len(gone) == 0 {
			return nil
		}
		ec := eb.Cursor()
		for k, _ := ec.First(); k != nil && (keepSeq == nil || bytes.Compare(k, keepSeq) < 0); k, _ = ec.First() {
			if err := eb.Delete(k); err != nil {
				return err
			}
		}
		for _, k := range gone {
			if err := db.Delete(k); err != nil {
				return err
			}
		}
		n = len(gone)
		return nil
	})
	return n, err
}

// ErrNotFound says a user or session is not there.
var ErrNotFound = errors.New("central: not found")
