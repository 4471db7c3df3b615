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
//	  <hall>         → JSON LedgerRecord: city.Ledger (the history followed,
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
	"fmt"
	"os"
	"path/filepath"
	"sort"
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

// Bolt is the centre's store in one bbolt file, the default.
type Bolt struct {
	db       *bolt.DB
	path     string
	counters Counters
}

// OpenBolt opens (creating) the centre's bbolt store at path.
func OpenBolt(path string) (*Bolt, error) {
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
	return &Bolt{db: db, path: path}, nil
}

// Close closes the file.
func (s *Bolt) Close() error { return s.db.Close() }

// Stats returns the verdict counts since open.
func (s *Bolt) Stats() IngestStats { return s.counters.Stats() }

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

func readLedger(tx *bolt.Tx, hall string) (*LedgerRecord, error) {
	rec := &LedgerRecord{}
	if data := tx.Bucket(bucketLedgers).Get([]byte(hall)); data != nil {
		if err := json.Unmarshal(data, rec); err != nil {
			return nil, fmt.Errorf("the ledger of hall %s does not read: %w", hall, err)
		}
	}
	return rec, nil
}

func putLedger(tx *bolt.Tx, hall string, rec *LedgerRecord) error {
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
func (s *Bolt) Ingest(msgs []city.Message) ([]city.Position, []city.Verdict, error) {
	var ps []city.Position
	var vs []city.Verdict
	var st IngestStats
	err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		ps, vs, st, err = Ingest(boltTx{tx}, msgs)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("central: ingest: %w", err)
	}
	s.counters.Add(st)
	return ps, vs, nil
}

// boltTx is one bbolt transaction as Ingest needs it.
type boltTx struct{ tx *bolt.Tx }

func (b boltTx) Ledger(hall string) (*LedgerRecord, error) { return readLedger(b.tx, hall) }

func (b boltTx) PutLedger(hall string, rec *LedgerRecord) error { return putLedger(b.tx, hall, rec) }

func (b boltTx) PutEvent(hall string, seq uint64, day string, data []byte) error {
	events, days, err := hallBuckets(b.tx, hall)
	if err != nil {
		return err
	}
	if err := events.Put(itob(seq), data); err != nil {
		return err
	}
	if day != "" && days.Get([]byte(day)) == nil {
		return days.Put([]byte(day), itob(seq))
	}
	return nil
}

func (b boltTx) DropFrom(hall string, seq uint64) (uint64, error) {
	events, days, err := hallBuckets(b.tx, hall)
	if err != nil {
		return 0, err
	}
	return dropFrom(events, days, seq)
}

func (b boltTx) EventAt(hall string, seq uint64) ([]byte, error) {
	if eb := b.tx.Bucket(bucketEvents).Bucket([]byte(hall)); eb != nil {
		return eb.Get(itob(seq)), nil
	}
	return nil, nil
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
func (s *Bolt) Positions() ([]city.Position, error) {
	var out []city.Position
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLedgers).ForEach(func(k, v []byte) error {
			var rec LedgerRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			out = append(out, city.Position{Hall: string(k), Epoch: rec.Current(), Seq: rec.Last, Digest: rec.Digest})
			return nil
		})
	})
	return out, err
}

// Halls returns every hall the centre holds events of, by id.
func (s *Bolt) Halls() ([]HallRecord, error) {
	var out []HallRecord
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketLedgers).ForEach(func(k, v []byte) error {
			var rec LedgerRecord
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
func (s *Bolt) Events(hall string, after uint64, limit int) ([]RawEvent, error) {
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

// DayEvents returns hall's events of one day, decoded, oldest first.
func (s *Bolt) DayEvents(hall, day string) ([]city.Event, error) {
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
func (s *Bolt) SetRetention(hall string, days int) error {
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
func (s *Bolt) Purge(hall, keepFrom string) (int, error) {
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
