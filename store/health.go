package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// Health is what the store knows of its own health: whether its last
// commit reached the disk, and whether the disk has room for the next
// ones. Reading it costs no write, except a heartbeat when the store has
// committed nothing for HeartbeatEvery (an idle hall still learns that
// its disk stopped taking writes).
type Health struct {
	Status   string   // StatusOK, StatusDegraded or StatusUnavailable
	Problems []string // what a person should look at, one sentence each

	Schema       uint64
	LastCommitOK bool      // the latest commit (real or heartbeat) reached the disk
	LastCommitAt time.Time // the latest commit that reached the disk
	LastError    string    // why the latest failed commit failed, without paths
	LastErrorAt  time.Time

	FreeBytes        uint64 // free on the data folder's disk, for this process
	FileBytes        int64  // the store file's size
	MinFree, LowFree uint64 // the thresholds below which Status is unavailable, degraded

	CompactPending bool // purged records still sit in free pages: the compaction failed
}

// The health statuses.
const (
	StatusOK          = "ok"          // commits reach the disk and it has room
	StatusDegraded    = "degraded"    // it works, but a person should look soon
	StatusUnavailable = "unavailable" // commits fail, or are about to
)

// HeartbeatEvery is how long the store may go without a commit before a
// health check writes one to prove the disk still takes writes; real
// time.
const HeartbeatEvery = time.Minute

// The default free-space thresholds. A busy hall writes about 6 MB a
// day; the nightly compaction needs room for a second copy of the file.
const (
	DefaultMinFree = 64 << 20
	DefaultLowFree = 512 << 20
)

var keyHealth = []byte("health")

// healthState is what the store's transactions tell Health.
type healthState struct {
	mu          sync.Mutex
	lastOK      time.Time
	failing     bool // the latest commit failed
	lastErr     error
	lastErrAt   time.Time
	heartbeatAt time.Time
	schema      uint64
	compactErr  error

	failForTest atomic.Pointer[error]
	freeForTest atomic.Pointer[uint64]
}

func (h *healthState) load(s *Store) error {
	v, err := s.Version()
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.schema = v
	h.mu.Unlock()
	return nil
}

// committed notes the outcome of a commit at now.
func (h *healthState) committed(now time.Time, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failing = err != nil
	if err == nil {
		h.lastOK = now
		return
	}
	h.lastErr, h.lastErrAt = err, now
}

func (h *healthState) fault() error {
	if p := h.failForTest.Load(); p != nil {
		return *p
	}
	return nil
}

func (h *healthState) compacted(err error) {
	h.mu.Lock()
	h.compactErr = err
	h.mu.Unlock()
}

// Health reports the store's health at now (real time), writing a
// heartbeat first when nothing was committed for HeartbeatEvery and no
// other check has tried one since: a flood of checks costs the hall no
// more than one write a minute.
func (s *Store) Health(now time.Time) Health {
	h := &s.health
	h.mu.Lock()
	due := now.Sub(h.lastOK) >= HeartbeatEvery && now.Sub(h.heartbeatAt) >= HeartbeatEvery
	if due {
		h.heartbeatAt = now
	}
	h.mu.Unlock()
	if due {
		// Its outcome is noted like any commit's.
		_ = s.update(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keyHealth, []byte(now.UTC().Format(time.RFC3339Nano)))
		})
	}

	h.mu.Lock()
	out := Health{Schema: h.schema, LastCommitAt: h.lastOK, LastErrorAt: h.lastErrAt,
		LastCommitOK: !h.failing, MinFree: s.opt.MinFree, LowFree: s.opt.LowFree,
		CompactPending: h.compactErr != nil}
	lastErr, compactErr := h.lastErr, h.compactErr
	h.mu.Unlock()
	if lastErr != nil {
		out.LastError = publicReason(lastErr)
	}

	var unavailable, degraded []string
	if !out.LastCommitOK {
		unavailable = append(unavailable, fmt.Sprintf("The latest commit failed at %s: %s.", out.LastErrorAt.Format(time.RFC3339), out.LastError))
	}
	free, err := s.freeBytes()
	if fi, serr := os.Stat(s.path); serr == nil {
		out.FileBytes = fi.Size()
	}
	out.FreeBytes = free
	switch {
	case err != nil:
		degraded = append(degraded, "The free space on the data disk cannot be read: "+publicReason(err)+".")
	case free < s.opt.MinFree:
		unavailable = append(unavailable, fmt.Sprintf("Only %s free on the data disk, below the minimum of %s: commits are about to fail.", size(free), size(s.opt.MinFree)))
	case free < s.opt.LowFree:
		degraded = append(degraded, fmt.Sprintf("%s free on the data disk, below %s.", size(free), size(s.opt.LowFree)))
	case free < uint64(out.FileBytes):
		degraded = append(degraded, fmt.Sprintf("%s free on the data disk, less than the store's %s: the compaction after a purge needs room for a copy.", size(free), size(uint64(out.FileBytes))))
	}
	if compactErr != nil {
		degraded = append(degraded, "Purged records still sit in the file's free pages; the compaction failed: "+publicReason(compactErr)+".")
	}
	out.Status = StatusOK
	if len(degraded) > 0 {
		out.Status = StatusDegraded
	}
	if len(unavailable) > 0 {
		out.Status = StatusUnavailable
	}
	out.Problems = append(unavailable, degraded...)
	return out
}

// freeBytes is the space this process may still write on the data
// folder's disk.
func (s *Store) freeBytes() (uint64, error) {
	if n := s.health.freeForTest.Load(); n != nil {
		return *n, nil
	}
	var st unix.Statfs_t
	if err := unix.Statfs(filepath.Dir(s.path), &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}

// publicReason says why something failed without the paths inside the
// error: the health report is public.
func publicReason(err error) string {
	var errno syscall.Errno
	var de *DamagedError
	switch {
	case errors.As(err, &errno):
		return errno.Error()
	case errors.As(err, &de):
		return "the store file is damaged"
	}
	return "the write failed"
}

func size(n uint64) string {
	switch {
	case n >= 10<<30:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 10<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// FailCommitsForTest makes every commit fail with err without writing, as
// a full disk makes them fail (syscall.ENOSPC); nil makes them write
// again.
func (s *Store) FailCommitsForTest(err error) {
	if err == nil {
		s.health.failForTest.Store(nil)
		return
	}
	s.health.failForTest.Store(&err)
}

// FreeSpaceForTest makes Health see n bytes free on the data disk; a
// negative n makes it ask the disk again.
func (s *Store) FreeSpaceForTest(n int64) {
	if n < 0 {
		s.health.freeForTest.Store(nil)
		return
	}
	u := uint64(n)
	s.health.freeForTest.Store(&u)
}
