package reports

import (
	"context"
	"testing"
	"time"

	"langelis/queue"
)

// A day of more tickets than MaxReplays has its estimate replayed for an
// evenly spread sample, the same one every time (so a rebuild equals what
// was stored); with room for all, every called ticket has its error.
func TestReplaySample(t *testing.T) {
	o := &queue.Office{Name: "T", TimeZone: "Europe/Vilnius",
		Services: []queue.Service{{Letter: "A", Names: map[string]string{"lt": "A"}}},
		Desks:    []queue.DeskDef{{Number: 1, Services: []string{"A"}}}}
	for d := range o.Hours.Week {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 16 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	clk := queue.NewManualClock(time.Date(2026, 11, 2, 9, 0, 0, 0, o.Location()))
	j := &memJournal{}
	eng, err := queue.NewEngine(o, j, queue.Options{Clock: clk, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	ctx := context.Background()
	clerk := queue.Actor{User: "rasa"}
	eng.OpenDesk(ctx, 1, clerk)
	for i := 0; i < 10; i++ {
		if _, err := eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{User: "kiosk:1"}); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Minute)
	}
	for i := 0; i < 10; i++ {
		eng.Next(ctx, 1, clerk)
		eng.Start(ctx, 1, clerk)
		clk.Advance(7 * time.Minute)
		eng.Finish(ctx, 1, clerk)
	}
	all, _ := Build(o, j.events, Options{Estimates: true})
	some, _ := Build(o, j.events, Options{Estimates: true, MaxReplays: 3})
	again, _ := Build(o, j.events, Options{Estimates: true, MaxReplays: 3})
	if n := len(all.Groups[All].EstErr); n != 10 {
		t.Fatalf("all replayed: %d estimate errors, want 10", n)
	}
	if n := len(some.Groups[All].EstErr); n != 3 && n != 4 {
		t.Fatalf("a sample of 3: %d estimate errors", n)
	}
	if !equal(some.Groups[All].EstErr, again.Groups[All].EstErr) {
		t.Fatal("the sample differs between two builds")
	}
	if all.Groups[All].EstErr[9] <= 0 {
		t.Fatalf("the last of ten called later than told, yet the errors are %v", all.Groups[All].EstErr)
	}
}

func equal(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
