package store

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
)

// A flood of health checks writes at most one heartbeat a minute of real
// time, and none while real commits keep coming.
func TestHealthChecksDoNotWrite(t *testing.T) {
	real := queue.NewManualClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	s, err := OpenWith(filepath.Join(t.TempDir(), "h.db"), Options{Clock: real, MinFree: 1, LowFree: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	txid := func() int {
		var id int
		s.view(func(tx *bolt.Tx) error { id = tx.ID(); return nil })
		return id
	}
	if err := s.SaveOffice(&queue.Office{Name: "x"}); err != nil { // a real commit
		t.Fatal(err)
	}
	flood := func() {
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 50 {
					s.Health(real.Now())
				}
			}()
		}
		wg.Wait()
	}
	before := txid()
	flood()
	if got := txid(); got != before {
		t.Fatalf("800 checks right after a commit wrote %d transactions", got-before)
	}
	real.Advance(time.Minute)
	flood()
	if got := txid(); got != before+1 {
		t.Fatalf("800 checks after an idle minute wrote %d transactions, want the one heartbeat", got-before)
	}
	real.Advance(59 * time.Second)
	flood()
	if got := txid(); got != before+1 {
		t.Fatalf("checks within the minute after the heartbeat wrote %d more", got-before-1)
	}
}
