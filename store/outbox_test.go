package store_test

import (
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
	"langelis/store"
)

// Migration 2→3 adds the outbox's cursors and the journal's first epoch to
// a file version 2 wrote: every event already there belongs to that epoch,
// and the day recovers as before.
func TestMigrationToV3(t *testing.T) {
	s := openTestStore(t)
	path := s.Path()
	tk := &queue.Ticket{ID: "x", Number: "A001", Serial: 1, Service: "A", Day: "2026-11-23", Status: queue.Waiting}
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil), ev(2, queue.TicketIssued, "2026-11-23", tk)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("outbox")); err != nil {
			return err
		}
		meta := tx.Bucket([]byte("meta"))
		meta.Delete([]byte("epochs"))
		return meta.Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 2})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	s = open(t, path)
	defer s.Close()
	if v, _ := s.Version(); v != store.SchemaVersion {
		t.Fatalf("version %d after migration", v)
	}
	es, err := s.Epochs()
	if err != nil || len(es) != 1 || es[0].Base != 1 || es[0].ID == "" {
		t.Fatalf("epochs after migration: %+v %v", es, err)
	}
	if cs, err := s.Cursors(); err != nil || len(cs) != 0 {
		t.Fatalf("cursors after migration: %v %v", cs, err)
	}
	if err := s.SaveCursor("city", 2); err != nil {
		t.Fatal(err)
	}
	if err := s.FlushCursors(); err != nil {
		t.Fatal(err)
	}
	evs, last, err := s.Recover()
	if err != nil || len(evs) != 2 || last != 2 {
		t.Fatalf("recover after migration: %d events, last %d, %v", len(evs), last, err)
	}
}

// A consumer's acknowledgement is written by the next journal commit (no
// transaction of its own while the hall is busy), or by FlushCursors when
// none comes; it survives a restart, and never moves back.
func TestOutboxCursorRidesOnTheNextCommit(t *testing.T) {
	s := openTestStore(t)
	path := s.Path()
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil)}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCursor("city", 1); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCursor("Bad Name", 1); err == nil {
		t.Fatal("a consumer name with spaces was taken")
	}
	if err := s.Append([]queue.Event{ev(2, queue.TicketIssued, "2026-11-23", &queue.Ticket{ID: "a", Number: "A001", Service: "A"})}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	if c, err := s.CursorOf("city"); err != nil || c.Seq != 1 {
		t.Fatalf("the cursor the commit carried: %+v %v", c, err)
	}
	// Idle: FlushCursors writes it; an older one never takes it back.
	s.SaveCursor("city", 2)
	if err := s.FlushCursors(); err != nil {
		t.Fatal(err)
	}
	s.SaveCursor("city", 1)
	s.FlushCursors()
	s.Close()
	s = open(t, path)
	defer s.Close()
	if c, _ := s.CursorOf("city"); c.Seq != 2 {
		t.Fatalf("cursor %d, want 2", c.Seq)
	}
}

// Committed wakes a follower at every commit, with the new last seq.
func TestCommittedWakesFollowers(t *testing.T) {
	s := openTestStore(t)
	last, next := s.Committed()
	if last != 0 {
		t.Fatalf("last %d in an empty journal", last)
	}
	select {
	case <-next:
		t.Fatal("woken before any commit")
	default:
	}
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil)}); err != nil {
		t.Fatal(err)
	}
	<-next
	if last, _ = s.Committed(); last != 1 {
		t.Fatalf("last %d after one commit", last)
	}
}

// A restart keeps the epoch; a backup put back in place starts a new one
// at the seq after the copy's last, and so does a file whose marker is
// gone. The epoch list keeps the older ones, oldest first.
func TestRestoredStoreStartsANewEpoch(t *testing.T) {
	live := store.Options{Live: true}
	dir := t.TempDir()
	path := filepath.Join(dir, store.FileName)
	s, err := store.OpenWith(path, live)
	if err != nil {
		t.Fatal(err)
	}
	day := "2026-11-23"
	issue := func(seq uint64) queue.Event {
		return ev(seq, queue.TicketIssued, day, &queue.Ticket{ID: "t", Number: "A001", Service: "A"})
	}
	s.Append([]queue.Event{ev(1, queue.DayStarted, day, nil), issue(2), issue(3)})
	first, _ := s.Epochs()
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if _, err := s.BackupFile(copyPath); err != nil {
		t.Fatal(err)
	}
	s.Append([]queue.Event{issue(4), issue(5)})
	s.Close()

	s, err = store.OpenWith(path, live)
	if err != nil {
		t.Fatal(err)
	}
	if es, _ := s.Epochs(); len(es) != 1 || es[0] != first[0] {
		t.Fatalf("a plain restart changed the epochs: %+v, was %+v", es, first)
	}
	s.Close()

	// The disk failed; the copy is put back.
	data, _ := os.ReadFile(copyPath)
	os.WriteFile(path, data, 0o600)
	s, err = store.OpenWith(path, live)
	if err != nil {
		t.Fatal(err)
	}
	es, _ := s.Epochs()
	if len(es) != 2 || es[0] != first[0] || es[1].Base != 4 || es[1].ID == first[0].ID {
		t.Fatalf("epochs after the restore: %+v", es)
	}
	s.Append([]queue.Event{issue(4)})
	s.Close()
	s, _ = store.OpenWith(path, live)
	if again, _ := s.Epochs(); len(again) != 2 {
		t.Fatalf("the restart after the restore started another epoch: %+v", again)
	}
	s.Close()

	// The folder moved without its marker.
	os.Remove(store.MarkerPath(path))
	s, err = store.OpenWith(path, live)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if es, _ := s.Epochs(); len(es) != 3 || es[2].Base != 5 {
		t.Fatalf("epochs without the marker: %+v", es)
	}
}
