package queue_test

import (
	"sync/atomic"
	"testing"
	"time"

	"langelis/queue"
)

// Work scheduled on a ManualClock runs when the clock is moved to its time,
// before the move returns; once per move however far it goes; not after a
// move backwards until d has passed again; never after stop.
func TestManualClockEvery(t *testing.T) {
	c := queue.NewManualClock(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
	var n atomic.Int32
	stop := c.Every(5*time.Second, func() { n.Add(1) })
	c.Advance(4 * time.Second)
	if n.Load() != 0 {
		t.Fatal("ran before its time")
	}
	c.Advance(time.Second)
	if n.Load() != 1 {
		t.Fatalf("ran %d times at its time, want 1", n.Load())
	}
	c.Advance(time.Hour)
	if n.Load() != 2 {
		t.Fatalf("ran %d times after an hour's jump, want 2 (once per move)", n.Load())
	}
	c.Set(c.Now().Add(-time.Hour))
	c.Advance(4 * time.Second)
	if n.Load() != 2 {
		t.Fatalf("ran %d times after moving back, want 2", n.Load())
	}
	c.Advance(time.Second)
	if n.Load() != 3 {
		t.Fatalf("ran %d times 5 s after moving back, want 3", n.Load())
	}
	stop()
	c.Advance(time.Hour)
	if n.Load() != 3 {
		t.Fatal("ran after stop")
	}
}

// On the system clock, Every runs on a ticker of its own and stop waits for
// it to end.
func TestEverySystemClock(t *testing.T) {
	ran := make(chan struct{}, 1)
	stop := queue.Every(queue.SystemClock{}, time.Millisecond, func() {
		select {
		case ran <- struct{}{}:
		default:
		}
	})
	<-ran
	stop()
	stop() // twice is harmless
	for len(ran) > 0 {
		<-ran
	}
	time.Sleep(5 * time.Millisecond)
	if len(ran) != 0 {
		t.Fatal("ran after stop")
	}
}
