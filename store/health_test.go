package store_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"langelis/queue"
	"langelis/store"
)

// Health follows the commits: a failed commit makes the store
// unavailable until one reaches the disk again, whether a real one or the
// heartbeat a check writes after a quiet minute; the free space on the
// disk makes it unavailable or degraded before any commit fails.
func TestHealthFollowsCommitsAndFreeSpace(t *testing.T) {
	real := queue.NewManualClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	s, err := store.OpenWith(filepath.Join(t.TempDir(), "h.db"), store.Options{Clock: real, MinFree: 1 << 20, LowFree: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.FreeSpaceForTest(100 << 20)
	if h := s.Health(real.Now()); h.Status != store.StatusOK || !h.LastCommitOK || h.Schema != store.SchemaVersion || h.FreeBytes != 100<<20 {
		t.Fatalf("a fresh store: %+v", h)
	}

	// The disk fills up: the next commit fails, and so the store is
	// unavailable, saying why without a path.
	s.FailCommitsForTest(fmt.Errorf("write %s: %w", s.Path(), syscall.ENOSPC))
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil)}); err == nil {
		t.Fatal("the failing commit succeeded")
	}
	h := s.Health(real.Now())
	if h.Status != store.StatusUnavailable || h.LastCommitOK || h.LastError != "no space left on device" || len(h.Problems) != 1 {
		t.Fatalf("after a failed commit: %+v", h)
	}
	if strings.Contains(strings.Join(h.Problems, " "), s.Path()) {
		t.Fatalf("the public health report names the data path: %v", h.Problems)
	}
	// Space comes back. Within the minute no check writes: still
	// unavailable, as far as anyone knows.
	s.FailCommitsForTest(nil)
	real.Advance(30 * time.Second)
	if h := s.Health(real.Now()); h.Status != store.StatusUnavailable {
		t.Fatalf("half a minute later, without any commit: %+v", h)
	}
	// A minute after the failure, a check writes the heartbeat and sees
	// the disk take it.
	real.Advance(31 * time.Second)
	if h := s.Health(real.Now()); h.Status != store.StatusOK || !h.LastCommitOK || !h.LastCommitAt.Equal(real.Now()) {
		t.Fatalf("after the heartbeat: %+v", h)
	}
	// A real commit that fails and one that succeeds: the latest counts.
	s.FailCommitsForTest(syscall.EIO)
	s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil)})
	s.FailCommitsForTest(nil)
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil)}); err != nil {
		t.Fatal(err)
	}
	if h := s.Health(real.Now()); h.Status != store.StatusOK || h.LastError != "input/output error" {
		t.Fatalf("after a failed and a good commit: %+v", h)
	}

	// Free space: below LowFree degraded, below MinFree unavailable,
	// while commits still succeed.
	for _, c := range []struct {
		free int64
		want string
	}{{7 << 20, store.StatusDegraded}, {900 << 10, store.StatusUnavailable}, {9 << 20, store.StatusOK}} {
		s.FreeSpaceForTest(c.free)
		if h := s.Health(real.Now()); h.Status != c.want || h.FreeBytes != uint64(c.free) {
			t.Fatalf("%d bytes free: %+v, want %s", c.free, h, c.want)
		}
	}
	// The real disk answers when no test says otherwise.
	s.FreeSpaceForTest(-1)
	if h := s.Health(real.Now()); h.FreeBytes == 0 || h.FileBytes == 0 {
		t.Fatalf("free space and file size from the disk: %+v", h)
	}
}
