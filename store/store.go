// Package store keeps the office's durable state in one bbolt file.
//
// Bucket layout (schema version 2):
//
//	meta/
//	  schema_version  → uint64, big-endian; see migrations.go
//	  health          → the time of the last health-check write
//	events/
//	  <seq uint64 BE> → JSON queue.Event; the journal, append-only, seq from 1
//	checkpoint/       (since version 2)
//	  head            → JSON queue.Checkpoint without its tickets: the engine's
//	                    state after event head.seq, of the latest day only
//	  tickets/
//	    <ticket id>   → JSON queue.CheckpointTicket, one per ticket of that day
//	days/
//	  <YYYY-MM-DD>    → uint64 BE seq of that day's day.started event
//	counters/
//	  <YYYY-MM-DD>/<letter> → uint64 BE, the last ticket serial issued
//	users/
//	  <username>      → JSON queue.User (bcrypt hash inside)
//	sessions/
//	  <hex sha256(token)> → JSON queue.Session
//	config/
//	  office          → JSON queue.Office, the definition the server last ran with
//
// Every Append is one bbolt transaction, fsynced before it returns: that is
// what lets the engine answer a command only after its events are durable.
// The journal keeps every day until Purge removes those past retention.
//
// A checkpoint is written only together with the events that bring the
// state to it (AppendCheckpoint, every queue.CheckpointEvery events), so it
// is never ahead of the journal; a restart reads it and replays the events
// after head.seq instead of the whole day. Each checkpoint rewrites the
// head and the tickets changed since the one before; the first of a new
// day replaces every ticket record. A head of another
// queue.CheckpointVersion, of an earlier day, or that fails to decode is
// ignored: the day is replayed in full, as before version 2.
//
// The journal's buckets only ever grow at their end, so their pages are
// filled to appendFill instead of bbolt's half (see Append).
package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
)

var (
	bucketMeta     = []byte("meta")
	bucketEvents   = []byte("events")
	bucketDays     = []byte("days")
	bucketCounters = []byte("counters")
	bucketUsers    = []byte("users")
	bucketSessions = []byte("sessions")
	bucketConfig   = []byte("config")
)

// FileName is the bbolt file's name inside the data directory.
const FileName = "langelis.db"

// Store is the open bbolt file.
type Store struct {
	db *bolt.DB
}

// Open opens (creating if needed) the store at path and migrates it to the
// current schema. A file held by another running server is refused after a
// short wait rather than blocking for ever.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("store: %s is in use by another process (is a server already running on it?)", path)
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: db}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Path returns the file's path.
func (s *Store) Path() string { return s.db.Path() }

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

// Append writes events to the journal in one fsynced transaction. Their
// sequence numbers must continue the journal without a gap: a mismatch
// means two writers, and is refused.
func (s *Store) Append(events []queue.Event) error {
	if len(events) == 0 {
		return nil
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return appendEvents(tx, events) }); err != nil {
		return fmt.Errorf("store: append: %w", err)
	}
	return nil
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
	return nil
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
	err := s.db.View(func(tx *bolt.Tx) error {
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
			var ev queue.Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return fmt.Errorf("event %d: %w", btoi(k), err)
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
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketEvents).Cursor()
		for k, v := c.Seek(itob(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			var ev queue.Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return fmt.Errorf("event %d: %w", btoi(k), err)
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
	err := s.db.View(func(tx *bolt.Tx) error {
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
			var ev queue.Event
			if err := json.Unmarshal(v, &ev); err != nil {
				return fmt.Errorf("event %d: %w", btoi(k), err)
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
	err := s.db.View(func(tx *bolt.Tx) error {
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

// Purge deletes the journal of every day before keepFrom (YYYY-MM-DD):
// the retention rule of DESIGN.md invariant 6. It returns the days removed.
func (s *Store) Purge(keepFrom string) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
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
			return nil
		}
		eb := tx.Bucket(bucketEvents)
		ec := eb.Cursor()
		for k, _ := ec.First(); k != nil && (firstKept == nil || bytes.Compare(k, firstKept) < 0); k, _ = ec.First() {
			// Keep the very last event so the sequence never restarts.
			if nk, _ := eb.Cursor().Last(); bytes.Equal(nk, k) {
				break
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
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge: %w", err)
	}
	return n, nil
}

// CheckWritable writes a heartbeat, proving the file takes fsynced writes.
func (s *Store) CheckWritable(now time.Time) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put([]byte("health"), []byte(now.UTC().Format(time.RFC3339Nano)))
	})
	if err != nil {
		return fmt.Errorf("store: not writable: %w", err)
	}
	return nil
}

// Backup writes a consistent copy of the whole file to w while the server
// keeps running (a bbolt read transaction sees one point in time).
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// BackupFile writes a consistent copy to path, via a temporary file and a
// rename so that a half-written copy never carries the final name.
func (s *Store) BackupFile(path string) (int64, error) {
	return WriteFileAtomic(path, func(w io.Writer) (int64, error) { return s.Backup(w) })
}

// WriteFileAtomic writes path through fn into a temporary file in the same
// folder, fsyncs it and renames it into place.
func WriteFileAtomic(path string, fn func(io.Writer) (int64, error)) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".backup-*")
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	defer os.Remove(tmp.Name())
	n, err := fn(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	return n, nil
}

// SaveOffice records the office definition the server runs with.
func (s *Store) SaveOffice(o *queue.Office) error {
	data, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("store: save office: %w", err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketConfig).Put([]byte("office"), data) })
	if err != nil {
		return fmt.Errorf("store: save office: %w", err)
	}
	return nil
}

// ErrNotFound is returned when a user or session does not exist.
var ErrNotFound = errors.New("store: not found")

// PutUser creates or replaces an account.
func (s *Store) PutUser(u queue.User) error {
	data, err := json.Marshal(u)
	if err != nil {
		return fmt.Errorf("store: put user: %w", err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketUsers).Put([]byte(u.Username), data) }); err != nil {
		return fmt.Errorf("store: put user: %w", err)
	}
	return nil
}

// User returns an account, or ErrNotFound.
func (s *Store) User(username string) (queue.User, error) {
	var u queue.User
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketUsers).Get([]byte(username))
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &u)
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return u, ErrNotFound
		}
		return u, fmt.Errorf("store: user: %w", err)
	}
	return u, nil
}

// Users lists all accounts by username.
func (s *Store) Users() ([]queue.User, error) {
	var out []queue.User
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(_, v []byte) error {
			var u queue.User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	return out, nil
}

func sessionKey(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return []byte(hex.EncodeToString(h[:]))
}

// PutSession stores a session under a hash of its token.
func (s *Store) PutSession(token string, ss queue.Session) error {
	data, err := json.Marshal(ss)
	if err != nil {
		return fmt.Errorf("store: put session: %w", err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSessions).Put(sessionKey(token), data) }); err != nil {
		return fmt.Errorf("store: put session: %w", err)
	}
	return nil
}

// Session returns the session of a token, or ErrNotFound.
func (s *Store) Session(token string) (queue.Session, error) {
	var ss queue.Session
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get(sessionKey(token))
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &ss)
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return ss, ErrNotFound
		}
		return ss, fmt.Errorf("store: session: %w", err)
	}
	return ss, nil
}

// DeleteSession signs a token out.
func (s *Store) DeleteSession(token string) error {
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSessions).Delete(sessionKey(token)) }); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// ExpireSessions deletes the sessions expired at now and returns them.
func (s *Store) ExpireSessions(now time.Time) ([]queue.Session, error) {
	var gone []queue.Session
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		var keys [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var ss queue.Session
			if err := json.Unmarshal(v, &ss); err != nil || !now.Before(ss.ExpiresAt) {
				keys = append(keys, append([]byte(nil), k...))
				gone = append(gone, ss)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: expire sessions: %w", err)
	}
	return gone, nil
}

// SignedIn returns the usernames that have a valid session at now, from one
// read of the sessions: the server asks every few seconds which desks have
// lost their clerk.
func (s *Store) SignedIn(now time.Time) (map[string]bool, error) {
	out := map[string]bool{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(_, v []byte) error {
			var ss queue.Session
			if json.Unmarshal(v, &ss) == nil && now.Before(ss.ExpiresAt) {
				out[ss.Username] = true
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: signed in: %w", err)
	}
	return out, nil
}
