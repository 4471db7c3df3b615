// Package store keeps the office's durable state in one bbolt file.
//
// Bucket layout (schema version 8):
//
//	meta/
//	  schema_version  → uint64, big-endian; see migrations.go
//	  epochs          → JSON []Epoch, oldest first (since version 3; epoch.go)
//	  generation      → the live file's generation, also in the marker (epoch.go)
//	  health          → the real time of the last heartbeat write (health.go)
//	  compact_pending → present while a purge's freed pages still hold the
//	                    purged records (purge.go); the compaction removes it
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
//	  running         → JSON queue.Office, the running configuration the last
//	                    configuration change left (changes.go); absent
//	                    while the office runs from its file alone
//	  city_halls      → JSON, the list of halls the city's centre sent (cityhalls.go)
//	  city_staff      → JSON []string, the accounts the city's centre manages here
//	outbox/           (since version 3)
//	  <consumer>      → JSON Cursor: the last seq that consumer acknowledged
//	                    (the city link, each webhook; outbox.go)
//	changes/          (since version 4)
//	  <seq uint64 BE> → JSON queue.Change, the audit trail of configuration
//	                    and account changes, seq from 1; its own retention
//	                    (PurgeChanges), never touched by the journal's Purge,
//	                    which moves purged desk actions into it
//	                    (queue.Event.AuditChange)
//	stats/            (since version 5; stats.go)
//	  <YYYY-MM-DD>    → JSON reports.Day: the day's anonymous figures (counts,
//	                    waits and service times as bare seconds, by service,
//	                    desk and hour); no token, no priority group, no free
//	                    text. Never purged with the journal: kept for years
//	stats_staff/      (since version 5)
//	  <YYYY-MM-DD>    → JSON reports.Staff: the day's figures per clerk
//	                    (username); staff data, purged after the office's
//	                    audit_retention_days (PurgeStaffStats)
//	bookings/         (since version 6; bookings.go)
//	  codes/
//	    <code>        → JSON queue.Booking: each booking's current state,
//	                    written with the booking.* event that changed it;
//	                    a settled one is purged after retention_days
//	                    (PurgeBookings)
//	  closed/
//	    <letter>/<RFC 3339 UTC start> → JSON queue.SlotClosure: a slot the
//	                    manager closed to bookings (purged with them)
//	booking_contacts/ (since version 6)
//	  <code>          → JSON Contact: what a visitor gave to be reached;
//	                    never in the journal, deleted the day after the
//	                    visit (PurgeContacts)
//	feedback/         (since version 7; feedback.go)
//	  entries/
//	    <YYYY-NNNN>   → JSON feedback.Entry: a complaint, suggestion or thanks
//	                    without its contact; its text and notes are emptied
//	                    feedback_retention_days after its answer
//	                    (PurgeFeedback), its anonymous record kept
//	  contacts/
//	    <YYYY-NNNN>   → the contact the visitor chose to give (personal
//	                    data), deleted with the text
//	  years/
//	    <YYYY>        → uint64 BE, the year's last registration number
//	webhooks/         (since version 8; webhooks.go)
//	  <id>            → JSON Webhook: a URL, its signing secret, the event
//	                    kinds it takes and the seq it follows from; its
//	                    cursor is outbox/webhook:<id>
//
// Beside the office's live file (OpenWith with Options.Live) the data
// folder holds a marker, langelis.id (marker.go): the evidence that an
// office already ran here, so that a missing or empty file is refused
// instead of starting the day again from A001.
//
// Every Append is one bbolt transaction, fsynced before it returns: that is
// what lets the engine answer a command only after its events are durable.
// The journal keeps every day until Purge removes those past retention;
// Purge then compacts the file into a fresh one, because bbolt frees the
// pages of deleted records without wiping them (purge.go).
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
//
// A damaged file never panics the program: Open checks the whole file
// (damage.go), and every transaction turns a panic or a memory fault inside
// bbolt into a *DamagedError.
package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
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
	path string
	opt  Options

	// mu is held shared by every transaction and exclusively while a
	// compaction puts its fresh file in the old one's place (purge.go).
	mu sync.RWMutex
	db *bolt.DB

	// maint is held by a purge and its compaction, and shared by Backup:
	// no backup is taken between a purge and the compaction that wipes
	// what it deleted.
	maint sync.RWMutex

	health healthState

	cursors pendingCursors // outbox acknowledgements not yet written (outbox.go)
	signal  commitSignal   // wakes the journal's followers (outbox.go)
	commits commitObserver // hears the journal's commits (commits.go)
}

// Options say how to open the office's live file. The zero Options open
// any store file (a backup copy, a test's file) as it is.
type Options struct {
	// Clock is real time: when commits happened, and how often an idle
	// store's health check writes. The system clock when nil.
	Clock queue.Clock
	// MinFree and LowFree are the bytes free on the data folder's disk
	// below which Health reports unavailable and degraded;
	// DefaultMinFree and DefaultLowFree when zero.
	MinFree, LowFree uint64
	// Live says the file is the office's store in its data folder: the
	// folder keeps the marker beside it, and a missing or empty file where
	// the folder shows that an office ran is refused (*MissingError).
	Live bool
	// NewStore, with Live, starts a new empty store even where the folder
	// shows an office ran: the operator's explicit choice.
	NewStore bool
	// Evidence names more files whose presence in the data folder shows
	// that an office ran there (the server's note of itself).
	Evidence []string
}

// Open opens (creating if needed) the store file at path and migrates it to
// the current schema, with the zero Options.
func Open(path string) (*Store, error) { return OpenWith(path, Options{}) }

// OpenWith opens (creating if needed) the store at path, checks the whole
// file, and migrates it to the current schema. A damaged file is refused
// with a *DamagedError and left as it is; with opt.Live, a missing or empty
// one where an office ran with a *MissingError. A file held by another
// running server is refused after a short wait rather than blocking for
// ever.
func OpenWith(path string, opt Options) (*Store, error) {
	if opt.Clock == nil {
		opt.Clock = queue.SystemClock{}
	}
	if opt.MinFree == 0 {
		opt.MinFree = DefaultMinFree
	}
	if opt.LowFree == 0 {
		opt.LowFree = DefaultLowFree
	}
	opt.LowFree = max(opt.LowFree, opt.MinFree)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if opt.Live {
		err := refuseMissing(path, opt.Evidence)
		var missing *MissingError
		switch {
		case errors.As(err, &missing) && opt.NewStore:
			// The operator starts a new store: the marker is for it.
			if err := os.Remove(MarkerPath(path)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("store: %w", err)
			}
		case err != nil:
			return nil, err
		}
	}
	db, err := openChecked(path)
	if err != nil {
		return nil, err
	}
	s := &Store{path: path, opt: opt, db: db}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	if opt.Live {
		if err := writeMarker(path); err != nil {
			db.Close()
			return nil, err
		}
		if err := s.checkEpoch(); err != nil {
			db.Close()
			return nil, err
		}
	}
	last, err := s.LastSeq()
	if err != nil {
		db.Close()
		return nil, err
	}
	s.signal.init(last)
	removeLeftovers(path)
	if err := s.health.load(s); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Path returns the file's path.
func (s *Store) Path() string { return s.path }

// view runs a read transaction, turning a panic or fault inside bbolt
// into a *DamagedError.
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return safely(s.path, func() error { return s.db.View(fn) })
}

// errNoChange ends a write transaction that found nothing to change
// without committing it.
var errNoChange = errors.New("nothing to change")

// update runs a write transaction, as view, and notes for Health whether
// its commit reached the disk. An error fn returns is the caller's
// refusal, not the disk's: it rolls back and says nothing about health.
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.health.fault(); err != nil {
		s.health.committed(s.opt.Clock.Now(), err)
		return err
	}
	var refused error
	err := safely(s.path, func() error {
		return s.db.Update(func(tx *bolt.Tx) error {
			refused = fn(tx)
			return refused
		})
	})
	if refused == nil {
		s.health.committed(s.opt.Clock.Now(), err)
	}
	if errors.Is(err, errNoChange) {
		return nil
	}
	return err
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

// now is the store's real time.
func (s *Store) now() time.Time { return s.opt.Clock.Now() }
