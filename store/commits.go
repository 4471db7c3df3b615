package store

import (
	"sync/atomic"
	"time"
)

// CommitObserver hears each commit of the journal (the engine's group
// commit): how many events it wrote and how long its fsynced transaction
// took. It runs on the engine's goroutine, inside the commit path, so it
// must only count (package metrics adds to a histogram).
type CommitObserver func(events int, took time.Duration)

// commitObserver holds the observer set with ObserveCommits.
type commitObserver struct {
	fn atomic.Pointer[CommitObserver]
}

// ObserveCommits sets who hears the journal's commits; nil stops it.
func (s *Store) ObserveCommits(fn CommitObserver) {
	if fn == nil {
		s.commits.fn.Store(nil)
		return
	}
	s.commits.fn.Store(&fn)
}

// committed tells the observer of a journal commit of n events begun at
// start. The duration is measured on the monotonic clock: it is a latency,
// not a time of day.
func (s *Store) committed(n int, start time.Time) {
	if fn := s.commits.fn.Load(); fn != nil && n > 0 {
		(*fn)(n, time.Since(start))
	}
}
