package store_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"langelis/queue"
	"langelis/store"
)

// The office's live store leaves a marker beside it; where the marker, the
// server's note or another store file shows an office ran, a missing or
// empty store is refused (numbering would start again at A001), unless the
// operator asks for a new store. A first start, and any file opened
// without Live (a backup copy), needs nothing.
func TestMissingStoreWhereAnOfficeRan(t *testing.T) {
	live := store.Options{Live: true, Evidence: []string{"server.json"}}
	dir := t.TempDir()
	path := filepath.Join(dir, store.FileName)
	s, err := store.OpenWith(path, live)
	if err != nil {
		t.Fatalf("a first start: %v", err)
	}
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(store.MarkerPath(path)); err != nil || filepath.Base(store.MarkerPath(path)) != "langelis.id" {
		t.Fatalf("no marker beside the store: %v", err)
	}

	var missing *store.MissingError
	os.WriteFile(path, nil, 0o600) // emptied
	if _, err := store.OpenWith(path, live); !errors.As(err, &missing) || !missing.Empty || missing.Since.IsZero() {
		t.Fatalf("an emptied store: %v", err)
	}
	if fi, _ := os.Stat(path); fi.Size() != 0 {
		t.Fatal("the refused start wrote to the file")
	}
	os.Remove(path)
	if _, err := store.OpenWith(path, live); !errors.As(err, &missing) || missing.Empty {
		t.Fatalf("a missing store: %v", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("the refused start created the file")
	}

	// Other evidence, without the marker.
	os.Remove(store.MarkerPath(path))
	for _, name := range []string{"server.json", "backup-2026-11-22.db"} {
		os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600)
		if _, err := store.OpenWith(path, live); !errors.As(err, &missing) {
			t.Fatalf("beside %s: %v", name, err)
		}
		os.Remove(filepath.Join(dir, name))
	}

	// The operator's choice: a new store, and a new marker for it.
	os.WriteFile(filepath.Join(dir, "server.json"), []byte("x"), 0o600)
	s, err = store.OpenWith(path, store.Options{Live: true, NewStore: true, Evidence: []string{"server.json"}})
	if err != nil {
		t.Fatalf("--new-store: %v", err)
	}
	if _, last, _ := s.Recover(); last != 0 {
		t.Fatalf("the new store has a journal up to %d", last)
	}
	s.Close()
	if _, err := os.Stat(store.MarkerPath(path)); err != nil {
		t.Fatalf("no marker for the new store: %v", err)
	}

	// Without Live, a file is a file: no marker, no refusal.
	other := filepath.Join(dir, "copy.db")
	c, err := store.Open(other)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := os.Stat(store.MarkerPath(other)); err == nil {
		t.Fatal("a plain Open wrote a marker")
	}
}
