package store_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
	"langelis/store"
)

func open(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// openTestStore opens a fresh store (store.FileName) in the test's own
// temporary directory and closes it when the test ends. A test that closes
// and reopens it finds the file at s.Path().
func openTestStore(t *testing.T) *store.Store {
	t.Helper()
	s := open(t, filepath.Join(t.TempDir(), store.FileName))
	t.Cleanup(func() { s.Close() })
	return s
}

// downgrade makes the closed store file at path look as schema version
// wrote it: the buckets later migrations add are deleted and the version
// set back, so that opening it runs the migrations after version.
func downgrade(t *testing.T, path string, version uint64, buckets ...string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range buckets {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return fmt.Errorf("bucket %s: %w", b, err)
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), binary.BigEndian.AppendUint64(nil, version))
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
}

func ev(seq uint64, typ queue.EventType, day string, tk *queue.Ticket) queue.Event {
	return queue.Event{Seq: seq, Type: typ, Day: day, At: time.Unix(int64(seq), 0).UTC(), Ticket: tk}
}

// Migration 0→1 turns an empty file (or one from before versioning) into
// the layout of the package doc, and is not run twice.
func TestMigrationToV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("events")); return err })
	db.Close()
	s := open(t, path)
	if v, _ := s.Version(); v != store.SchemaVersion || v != 8 {
		t.Fatalf("version %d", v)
	}
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil)}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutUser(queue.User{Username: "jonas"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	if _, err := s.User("jonas"); err != nil {
		t.Fatal("migration ran again and lost data:", err)
	}
}

// Migration 1→2 adds the checkpoint bucket to a file version 1 wrote (a
// day's journal, no checkpoint): the day recovers by a full replay, and
// checkpoints are written and read from then on.
func TestMigrationToV2(t *testing.T) {
	s := openTestStore(t)
	path := s.Path()
	tk := &queue.Ticket{ID: "x", Number: "A001", Serial: 1, Service: "A", Day: "2026-11-23", Status: queue.Waiting}
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil), ev(2, queue.TicketIssued, "2026-11-23", tk)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Make it the file version 1 left: no checkpoint bucket.
	downgrade(t, path, 1, "checkpoint")
	s = open(t, path)
	defer s.Close()
	if v, _ := s.Version(); v != store.SchemaVersion {
		t.Fatalf("version %d after migration", v)
	}
	cp, evs, last, err := s.RecoverCheckpoint()
	if err != nil || cp != nil || len(evs) != 2 || last != 2 {
		t.Fatalf("recover after migration: checkpoint %v, %d events, last %d, %v", cp, len(evs), last, err)
	}
	tk2 := *tk
	tk2.ID, tk2.Number, tk2.Serial = "y", "A002", 2
	err = s.AppendCheckpoint([]queue.Event{ev(3, queue.TicketIssued, "2026-11-23", &tk2)}, &queue.Checkpoint{
		Version: queue.CheckpointVersion, Seq: 3, Day: "2026-11-23", Full: true,
		Tickets: []queue.CheckpointTicket{{Ticket: *tk, Order: 2}, {Ticket: tk2, Order: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Append([]queue.Event{ev(4, queue.TicketCancelled, "2026-11-23", tk)}); err != nil {
		t.Fatal(err)
	}
	cp, evs, last, err = s.RecoverCheckpoint()
	if err != nil || cp == nil || cp.Seq != 3 || len(cp.Tickets) != 2 || len(evs) != 1 || evs[0].Seq != 4 || last != 4 {
		t.Fatalf("recover from the checkpoint: %+v, %d events, last %d, %v", cp, len(evs), last, err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	open(t, path).Close()
	db, _ := bolt.Open(path, 0o600, nil)
	db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 99})
	})
	db.Close()
	if _, err := store.Open(path); err == nil {
		t.Fatal("a file from a newer version was opened")
	}
}

func TestAppendRefusesGapsAndRecoversLatestDay(t *testing.T) {
	s := openTestStore(t)
	tk := &queue.Ticket{ID: "x", Number: "A001", Serial: 1, Service: "A"}
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-22", nil), ev(2, queue.TicketIssued, "2026-11-22", tk)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Append([]queue.Event{ev(4, queue.TicketIssued, "2026-11-22", tk)}); err == nil {
		t.Fatal("a gap in the journal was accepted")
	}
	if err := s.Append([]queue.Event{ev(3, queue.DayStarted, "2026-11-23", nil), ev(4, queue.TicketIssued, "2026-11-23", tk)}); err != nil {
		t.Fatal(err)
	}
	evs, last, err := s.Recover()
	if err != nil || last != 4 || len(evs) != 2 || evs[0].Seq != 3 {
		t.Fatalf("recover: %d events from %v, last %d, %v", len(evs), evs, last, err)
	}
	if got, _ := s.Events(1, 10); len(got) != 3 {
		t.Fatalf("events after 1: %d", len(got))
	}
	if got, _ := s.DayEvents("2026-11-22"); len(got) != 2 {
		t.Fatalf("day events: %d", len(got))
	}
	// Retention: purging before the 23rd removes the 22nd, keeps the rest.
	if n, err := s.Purge("2026-11-23"); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if days, _ := s.Days(); len(days) != 1 || days[0] != "2026-11-23" {
		t.Fatalf("days after purge %v", days)
	}
	if _, last, _ := s.Recover(); last != 4 {
		t.Fatalf("the sequence moved after purge: %d", last)
	}
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	dir := t.TempDir()
	s := open(t, filepath.Join(dir, "live.db"))
	defer s.Close()
	s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil)})
	s.PutUser(queue.User{Username: "rasa", Role: queue.RoleAdmin})
	dest := filepath.Join(dir, "copy.db")
	if n, err := s.BackupFile(dest); err != nil || n == 0 {
		t.Fatalf("backup: %d %v", n, err)
	}
	c := open(t, dest)
	defer c.Close()
	if _, last, _ := c.Recover(); last != 1 {
		t.Fatalf("backup journal ends at %d", last)
	}
	if _, err := c.User("rasa"); err != nil {
		t.Fatal(err)
	}
}

func TestSessions(t *testing.T) {
	s := openTestStore(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	s.PutSession("tok-a", queue.Session{Username: "a", ExpiresAt: now.Add(time.Hour)})
	s.PutSession("tok-b", queue.Session{Username: "b", ExpiresAt: now.Add(-time.Minute)})
	if ss, err := s.Session("tok-a"); err != nil || ss.Username != "a" {
		t.Fatalf("session a: %v %v", ss, err)
	}
	if _, err := s.Session("nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	gone, _ := s.ExpireSessions(now)
	if len(gone) != 1 || gone[0].Username != "b" {
		t.Fatalf("expired %v", gone)
	}
	if in, err := s.SignedIn(now); err != nil || !in["a"] || in["b"] {
		t.Fatalf("signed in at %v: %v %v", now, in, err)
	}
}

func TestSecondProcessIsRefused(t *testing.T) {
	s := openTestStore(t)
	path := s.Path()
	defer s.Close()
	if _, err := store.Open(path); err == nil {
		t.Fatal("the same file was opened twice")
	}
}

// Purging "everything before tomorrow" must keep today: it is the queue the
// engine recovers, and its numbers must not start again.
func TestPurgeNeverRemovesTheLatestDay(t *testing.T) {
	s := openTestStore(t)
	tk := &queue.Ticket{ID: "x", Number: "A001", Serial: 1, Service: "A"}
	s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-22", nil), ev(2, queue.DayStarted, "2026-11-23", nil), ev(3, queue.TicketIssued, "2026-11-23", tk)})
	if n, err := s.Purge("2026-11-30"); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	evs, last, _ := s.Recover()
	if last != 3 || len(evs) != 2 || evs[1].Ticket.Number != "A001" {
		t.Fatalf("after purge the latest day has %d events (last %d)", len(evs), last)
	}
}
