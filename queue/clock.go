package queue

import (
	"sync"
	"time"
)

// Clock tells the time. The engine and the projection take it from here so
// that tests and the simulator can control it.
//
// A running office has two clocks (DESIGN.md "Time"): the office clock for
// office rules (hours, numbering, the day, estimates, the cutoff) and real
// time for what browsers, people and networks measure (sessions, cookies,
// rate-limit windows). Both are a Clock, so tests can step either.
type Clock interface {
	Now() time.Time
}

// Scheduler is a Clock that runs periodic work on its own time rather than
// the wall clock's; ManualClock is one. See Every.
type Scheduler interface {
	Clock
	Every(d time.Duration, f func()) (stop func())
}

// Every runs f every d of c's time until stop is called. On a Scheduler
// (a ManualClock in tests) the clock itself decides when f runs; on any
// other clock f runs from a time.Ticker on its own goroutine, one call at a
// time. stop returns once no call of f is running or will start.
func Every(c Clock, d time.Duration, f func()) (stop func()) {
	if s, ok := c.(Scheduler); ok {
		return s.Every(d, f)
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(d)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
				select { // a stop that came with the tick wins
				case <-quit:
					return
				default:
				}
				f()
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(quit) })
		<-done
	}
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// ManualClock is a clock that moves only when told to; safe for concurrent
// use. Work scheduled with Every runs when the clock is moved to or past
// its time, in the goroutine that moved it, before Set or Advance returns:
// a test moves the clock and then sees what the time-driven rules did,
// without sleeping.
type ManualClock struct {
	mu      sync.Mutex
	now     time.Time
	tickers []*manualTicker

	fire sync.Mutex // one move's scheduled work at a time, in order
}

type manualTicker struct {
	every time.Duration
	next  time.Time
	f     func()
}

// NewManualClock returns a clock standing at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t and runs the work that has come due.
func (c *ManualClock) Set(t time.Time) { c.move(func(time.Time) time.Time { return t }) }

// Advance moves the clock forward by d and runs the work that has come due.
func (c *ManualClock) Advance(d time.Duration) {
	c.move(func(now time.Time) time.Time { return now.Add(d) })
}

// Every runs f whenever the clock is moved to or past d after the last
// time f ran (or after now). However far one move goes, f runs once, as a
// time.Ticker drops the ticks a slow reader missed. A move backwards
// re-arms f for d after the new time. f must not move this clock.
func (c *ManualClock) Every(d time.Duration, f func()) (stop func()) {
	if d <= 0 {
		panic("queue: ManualClock.Every needs a positive interval")
	}
	c.mu.Lock()
	tk := &manualTicker{every: d, next: c.now.Add(d), f: f}
	c.tickers = append(c.tickers, tk)
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		for i, x := range c.tickers {
			if x == tk {
				c.tickers = append(c.tickers[:i:i], c.tickers[i+1:]...)
				break
			}
		}
		c.mu.Unlock()
		// A move already running f holds fire: wait for it to finish.
		c.fire.Lock()
		defer c.fire.Unlock()
	}
}

func (c *ManualClock) move(to func(now time.Time) time.Time) {
	c.fire.Lock()
	defer c.fire.Unlock()
	c.mu.Lock()
	c.now = to(c.now)
	now := c.now
	var due []func()
	for _, tk := range c.tickers {
		switch {
		case !now.Before(tk.next):
			due = append(due, tk.f)
			tk.next = now.Add(tk.every)
		case tk.next.Sub(now) > tk.every: // moved backwards
			tk.next = now.Add(tk.every)
		}
	}
	c.mu.Unlock()
	for _, f := range due {
		f()
	}
}

// OffsetClock is the system clock shifted by a fixed offset: the demo uses it
// to show the end of the day without waiting for it.
type OffsetClock struct{ Offset time.Duration }

// Now returns the wall time plus the offset.
func (c OffsetClock) Now() time.Time { return time.Now().Add(c.Offset) }
