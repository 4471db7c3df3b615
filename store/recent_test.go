package store_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"langelis/queue"
	"langelis/store"
)

// The recent days' service times come from finished services only, from the
// days before the given one, oldest first.
func TestRecentServiceTimes(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	var evs []queue.Event
	seq := uint64(0)
	for i, day := range []string{"2026-11-20", "2026-11-21", "2026-11-22"} {
		seq++
		evs = append(evs, queue.Event{Seq: seq, Type: queue.DayStarted, Day: day})
		start := t0.AddDate(0, 0, i)
		seq++
		evs = append(evs, queue.Event{Seq: seq, Type: queue.TicketFinished, Day: day, Ticket: &queue.Ticket{ID: day, Service: "A",
			Status: queue.Done, StartedAt: start, EndedAt: start.Add(time.Duration(i+1) * time.Minute)}})
		seq++
		evs = append(evs, queue.Event{Seq: seq, Type: queue.TicketNoShow, Day: day, Ticket: &queue.Ticket{ID: day + "n", Service: "A", Status: queue.NoShow}})
	}
	if err := s.Append(evs); err != nil {
		t.Fatal(err)
	}
	got, err := s.RecentServiceTimes("2026-11-22", 7)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(map[string][]time.Duration{"A": {time.Minute, 2 * time.Minute}}) {
		t.Fatalf("recent service times: %v", got)
	}
}
