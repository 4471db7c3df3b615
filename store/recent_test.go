package store_test

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"langelis/queue"
)

// The recent days' service times come from finished services only, from the
// days before the given one, oldest first.
func TestRecentServiceTimes(t *testing.T) {
	s := openTestStore(t)
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

// Reading backwards and stopping at queue.SamplesKept per service gives
// exactly the newest samples a reading of every chosen day in full gives,
// over days with more finished services than are kept, services that
// stop and start, and days after the one asked about.
func TestRecentServiceTimesAreTheNewestOfAllDays(t *testing.T) {
	s := openTestStore(t)
	r := rand.New(rand.NewSource(1))
	seq := uint64(0)
	days := []string{"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"}
	for i, day := range days {
		seq++
		evs := []queue.Event{{Seq: seq, Type: queue.DayStarted, Day: day}}
		start := time.Date(2026, 11, 16+i, 9, 0, 0, 0, time.UTC)
		for n := range r.Intn(150) {
			seq++
			svc := []string{"A", "B", "C"}[r.Intn(3)]
			if i == 3 && svc == "C" {
				svc = "A" // no C on the 19th
			}
			tk := &queue.Ticket{ID: fmt.Sprint(day, n), Service: svc, Status: queue.Done, StartedAt: start,
				EndedAt: start.Add(time.Duration(1+r.Intn(600)) * time.Second)}
			typ := queue.TicketFinished
			if r.Intn(5) == 0 {
				typ, tk.Status = queue.TicketNoShow, queue.NoShow
			}
			ds := &queue.Desk{Number: 1, Services: []string{"C", "B"}, Status: queue.DeskOpen}
			evs = append(evs, queue.Event{Seq: seq, Type: typ, Day: day, Ticket: tk, Desk: ds})
		}
		if err := s.Append(evs); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		before string
		n      int
	}{{"2026-11-21", 3}, {"2026-11-22", 7}, {"2026-11-19", 1}, {"2026-11-16", 7}} {
		want := map[string][]time.Duration{}
		for _, day := range days {
			if day >= c.before || day < days[max(0, indexOf(days, c.before)-c.n)] {
				continue
			}
			evs, _ := s.DayEvents(day)
			for svc, ds := range queue.ServiceTimes(evs) {
				want[svc] = append(want[svc], ds...)
			}
		}
		for svc, ds := range want {
			want[svc] = ds[max(0, len(ds)-queue.SamplesKept):]
		}
		got, err := s.RecentServiceTimes(c.before, c.n)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%d days before %s:\n got %v\nwant %v (%v)", c.n, c.before, got, want, err)
		}
	}
}

// indexOf returns where day would stand among days.
func indexOf(days []string, day string) int {
	for i, d := range days {
		if d >= day {
			return i
		}
	}
	return len(days)
}
