package queue_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"langelis/priority"
	"langelis/queue"
	"langelis/store"
)

// The numbers a desk would get next follow the office policy (priority
// first), only the desk's services, and leave the queue untouched.
func TestDeskViewUpcomingFollowsPolicy(t *testing.T) {
	e := newEnv(t)
	e.openDesk(1)
	e.issue("A")
	e.clock.Advance(time.Minute)
	if _, err := e.eng.Issue(ctx, queue.IssueRequest{Service: "A", Category: priority.Category("elderly")}, queue.Actor{User: "visitor"}); err != nil {
		t.Fatal(err)
	}
	seq := e.snapshot().Seq
	v, err := e.eng.DeskView(ctx, 1, 5)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(v.Upcoming, " "); got != "A002 A001" {
		t.Fatalf("upcoming %q, want the priority ticket first", got)
	}
	if e.snapshot().Seq != seq {
		t.Fatal("asking what would come next changed the queue")
	}
	if got := e.next(1); got.Number != "A002" {
		t.Fatalf("Next called %s, not what the view promised", got.Number)
	}
	if _, err := e.eng.DeskView(ctx, 99, 5); queue.ErrorCode(err) != queue.ENOTFOUND {
		t.Fatalf("desk 99: %v", err)
	}
}

func deskBenchEngine(b *testing.B, waiting int) *queue.Engine {
	b.Helper()
	st, err := store.Open(filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	clock := queue.NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, vilnius))
	eng, err := queue.NewEngine(testOffice(), st, queue.Options{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { eng.Close(); st.Close() })
	if _, err := eng.OpenDesk(ctx, 1, clerk(1)); err != nil {
		b.Fatal(err)
	}
	for i := range waiting {
		svc := []string{"A", "B"}[i%2]
		if _, err := eng.Issue(ctx, queue.IssueRequest{Service: svc}, queue.Actor{User: "visitor"}); err != nil {
			b.Fatal(err)
		}
	}
	return eng
}

// BenchmarkDeskView is what each desk page pays on every event; compare
// with BenchmarkSnapshotForDesk, the full snapshot it would otherwise fetch.
func BenchmarkDeskView(b *testing.B) {
	eng := deskBenchEngine(b, 200)
	for b.Loop() {
		if _, err := eng.DeskView(ctx, 1, 5); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshotForDesk is the full staff snapshot at the same queue.
func BenchmarkSnapshotForDesk(b *testing.B) {
	eng := deskBenchEngine(b, 200)
	for b.Loop() {
		if _, err := eng.Snapshot(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeskKeyPress is one visitor through a desk: Next, Start, Finish,
// each committed to bbolt with fsync before it answers; the percentiles are
// per key press, which is what a clerk waits for.
func BenchmarkDeskKeyPress(b *testing.B) {
	eng := deskBenchEngine(b, 0)
	var lat []time.Duration
	for b.Loop() {
		b.StopTimer()
		if _, err := eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{User: "visitor"}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, f := range []func() (queue.DeskResult, error){
			func() (queue.DeskResult, error) { return eng.Next(ctx, 1, clerk(1)) },
			func() (queue.DeskResult, error) { return eng.Start(ctx, 1, clerk(1)) },
			func() (queue.DeskResult, error) { return eng.Finish(ctx, 1, clerk(1)) },
		} {
			t0 := time.Now()
			if _, err := f(); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs/key")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs/key")
}
