package outbox_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"langelis/outbox"
	"langelis/queue"
	"langelis/store"
)

func ev(seq uint64, day string) queue.Event {
	typ := queue.TicketIssued
	if seq == 1 {
		typ = queue.DayStarted
	}
	return queue.Event{Seq: seq, Type: typ, Day: day, At: time.Date(2026, 11, 23, 10, 0, int(seq), 0, time.UTC)}
}

// A follower waits for the next commit without polling, reads what it has
// not seen, and its acknowledgement survives a restart; the backlog is
// the count after the cursor and the oldest one's time.
func TestFollowTheJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	o, err := outbox.Open(s, "city")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan []queue.Event, 1)
	go func() {
		evs, err := o.Next(context.Background(), 0, 10)
		if err != nil {
			t.Error(err)
		}
		got <- evs
	}()
	select {
	case <-got:
		t.Fatal("Next returned before anything was committed")
	case <-time.After(50 * time.Millisecond):
	}
	if err := s.Append([]queue.Event{ev(1, "2026-11-23"), ev(2, "2026-11-23"), ev(3, "2026-11-23")}); err != nil {
		t.Fatal(err)
	}
	if evs := <-got; len(evs) != 3 || evs[0].Seq != 1 {
		t.Fatalf("Next after the commit: %+v", evs)
	}
	if err := o.Ack(1); err != nil {
		t.Fatal(err)
	}
	b, err := o.Backlog()
	if err != nil || b.Count != 2 || !b.Oldest.Equal(ev(2, "").At) {
		t.Fatalf("backlog %+v %v", b, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := o.Next(ctx, 3, 10); err == nil {
		t.Fatal("Next with nothing new did not wait for its context")
	}
	// The acknowledgement rides on the next commit.
	s.Append([]queue.Event{ev(4, "2026-11-23")})
	s.Close()
	s, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	o, _ = outbox.Open(s, "city")
	if o.Acked() != 1 {
		t.Fatalf("cursor %d after a restart, want 1", o.Acked())
	}
	if _, err := outbox.Open(s, "Not a name"); err == nil {
		t.Fatal("a bad consumer name was taken")
	}
}

// Events purged before the consumer had them show as a gap: the first
// event Next returns does not follow the cursor.
func TestPurgedBeforeDelivery(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Append([]queue.Event{ev(1, "2026-11-01"), ev(2, "2026-11-01")})
	d2 := ev(3, "2026-11-23")
	d2.Type = queue.DayStarted
	s.Append([]queue.Event{d2, ev(4, "2026-11-23")})
	if _, err := s.Purge("2026-11-23"); err != nil {
		t.Fatal(err)
	}
	o, _ := outbox.Open(s, "city")
	evs, err := o.Next(context.Background(), 0, 10)
	if err != nil || len(evs) != 2 || evs[0].Seq != 3 {
		t.Fatalf("after the purge: %+v %v", evs, err)
	}
}
