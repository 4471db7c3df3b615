package queue_test

import (
	"fmt"
	"reflect"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"langelis/queue"
)

func TestRestartKeepsTicketsAndNumbering(t *testing.T) {
	e := newEnv(t)
	a1 := e.issue("A")
	a2 := e.issue("A")
	b1 := e.issue("B")
	e.openDesk(1)
	e.next(1)
	e.eng.Start(ctx, 1, clerk(1))
	before := e.snapshot()

	e.reopen()
	after := e.snapshot()
	if !sameJSON(t, before, after) {
		t.Fatalf("state differs after restart:\nbefore %+v\nafter  %+v", before, after)
	}
	for id, want := range map[string]queue.Status{a1.ID: queue.Serving, a2.ID: queue.Waiting, b1.ID: queue.Waiting} {
		if got := e.ticket(id).Status; got != want {
			t.Fatalf("after restart %s is %s, want %s", id, got, want)
		}
	}
	if n := e.issue("A").Number; n != "A003" {
		t.Fatalf("next number after restart is %s, want A003", n)
	}
	if n := e.issue("B").Number; n != "B002" {
		t.Fatalf("next B after restart is %s, want B002", n)
	}
	// The desk is still held by its clerk, who can go on.
	if _, err := e.eng.Finish(ctx, 1, clerk(1)); err != nil {
		t.Fatalf("finish after restart: %v", err)
	}
}

func TestNumberingRestartsNextBusinessDay(t *testing.T) {
	e := newEnv(t)
	e.issue("A")
	left := e.issue("A")
	e.openDesk(1)
	// The next morning, after a restart in the night.
	e.clock.Set(time.Date(2026, 11, 24, 8, 5, 0, 0, vilnius))
	e.reopen()
	if n := e.issue("A").Number; n != "A001" {
		t.Fatalf("first ticket of the new day is %s, want A001", n)
	}
	snap := e.snapshot()
	if snap.Day != "2026-11-24" {
		t.Fatalf("day is %s", snap.Day)
	}
	for _, tk := range snap.Tickets {
		if tk.ID == left.ID {
			t.Fatal("yesterday's waiting ticket is still in today's queue")
		}
	}
	for _, d := range snap.Desks {
		if d.Status != queue.DeskClosed {
			t.Fatalf("desk %d is %s on a new day", d.Number, d.Status)
		}
	}
	// The day boundary is the office's midnight, not UTC's: 00:30 in
	// Vilnius is still 22:30 UTC the day before.
	e.clock.Set(time.Date(2026, 11, 25, 0, 30, 0, 0, vilnius))
	if err := e.eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if d := e.snapshot().Day; d != "2026-11-25" {
		t.Fatalf("at 00:30 Vilnius the day is %s", d)
	}
}

func TestConcurrentIssueGivesDistinctConsecutiveNumbers(t *testing.T) {
	e := newEnv(t)
	const n = 50
	nums := make([]string, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tk, err := e.eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{})
			if err != nil {
				t.Error(err)
				return
			}
			nums[i] = tk.Number
		}(i)
	}
	wg.Wait()
	sort.Strings(nums)
	for i, got := range nums {
		if want := fmt.Sprintf("A%03d", i+1); got != want {
			t.Fatalf("numbers %v: position %d is %s, want %s", nums, i, got, want)
		}
	}
}

func TestConcurrentDesksCallEachTicketOnce(t *testing.T) {
	e := newEnv(t)
	const tickets, desks = 100, 8
	o := *e.office
	o.Desks = nil
	for d := 1; d <= desks; d++ {
		o.Desks = append(o.Desks, queue.DeskDef{Number: d, Services: []string{"A"}})
	}
	e.office = &o
	e.reopen()
	for i := 0; i < tickets; i++ {
		e.issue("A")
	}
	for d := 1; d <= desks; d++ {
		e.openDesk(d)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for d := 1; d <= desks; d++ {
		wg.Add(1)
		go func(d int) {
			defer wg.Done()
			for {
				r, err := e.eng.Next(ctx, d, clerk(d))
				if err != nil {
					t.Error(err)
					return
				}
				if r.Ticket == nil {
					return
				}
				mu.Lock()
				seen[r.Ticket.Number]++
				mu.Unlock()
				if _, err := e.eng.Start(ctx, d, clerk(d)); err != nil {
					t.Error(err)
					return
				}
			}
		}(d)
	}
	wg.Wait()
	if len(seen) != tickets {
		t.Fatalf("%d distinct tickets called, want %d", len(seen), tickets)
	}
	for num, c := range seen {
		if c != 1 {
			t.Fatalf("%s was called %d times", num, c)
		}
	}
}

// A failed commit (the disk refused the write) answers an error and leaves
// nothing behind: the next command sees the state before the failure.
func TestFailedCommitChangesNothing(t *testing.T) {
	e := newEnv(t)
	e.issue("A")
	j := &failingJournal{Journal: e.store}
	e.eng.Close()
	eng, err := queue.NewEngine(e.office, j, queue.Options{Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.eng = eng
	j.failAppend.Store(true)
	if _, err := eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{}); queue.ErrorCode(err) != queue.EUNAVAILABLE {
		t.Fatalf("issue on a failing disk: %v", err)
	}
	j.failAppend.Store(false)
	if n := e.issue("A").Number; n != "A002" {
		t.Fatalf("after the failure the next number is %s, want A002", n)
	}
}

// failingJournal is the real store with a switch for each way a disk fails:
// writes refused, and reads too.
type failingJournal struct {
	queue.Journal
	failAppend, failRecover atomic.Bool
}

func (f *failingJournal) Append(evs []queue.Event) error {
	if f.failAppend.Load() {
		return fmt.Errorf("disk full")
	}
	return f.Journal.Append(evs)
}

func (f *failingJournal) Recover() ([]queue.Event, uint64, error) {
	if f.failRecover.Load() {
		return nil, 0, fmt.Errorf("disk gone")
	}
	return f.Journal.Recover()
}

// A clerk's promise to stay belongs to the clerk: when the desk closes, the
// next clerk does not inherit it (the day end would wait for it).
func TestStayEndsWithTheDesk(t *testing.T) {
	e := newEnv(t)
	e.openDesk(1)
	if _, err := e.eng.Stay(ctx, 1, time.Date(2026, 11, 23, 23, 0, 0, 0, vilnius), clerk(1)); err != nil {
		t.Fatal(err)
	}
	e.eng.CloseDesk(ctx, 1, queue.CloseAsk, clerk(1))
	e.eng.OpenDesk(ctx, 1, clerk(2))
	w := e.issue("A")
	e.clock.Set(time.Date(2026, 11, 23, 21, 30, 0, 0, vilnius)) // closing 20:00, day end 21:00
	if err := e.eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if st := e.ticket(w.ID).Status; st != queue.Closed {
		t.Fatalf("at 21:30 the waiting ticket is %s; the old clerk's stay still counted", st)
	}
}

// The expected service times are the same after a restart, so estimates do
// not jump when the server restarts late in a busy day.
func TestExpectedTimesSurviveRestart(t *testing.T) {
	e := newEnv(t)
	e.openDesk(2)
	for i := 0; i < 130; i++ {
		e.issue("A")
		e.next(2)
		e.eng.Start(ctx, 2, clerk(2))
		if i < 65 {
			e.clock.Advance(4 * time.Minute)
		} else {
			e.clock.Advance(time.Minute)
		}
		e.eng.Finish(ctx, 2, clerk(2))
	}
	e.issue("A")
	e.issue("A")
	before := e.snapshot()
	e.reopen()
	after := e.snapshot()
	if len(before.Estimate) != 2 || !reflect.DeepEqual(before.Estimate, after.Estimate) {
		t.Fatalf("estimates changed across a restart:\nbefore %+v\nafter  %+v", before.Estimate, after.Estimate)
	}
}

// A commit that fails while the store cannot even be read back leaves
// nothing visible, and the first write after the store is back succeeds.
func TestFailedCommitAndFailedRebuild(t *testing.T) {
	e := newEnv(t)
	e.issue("A")
	j := &failingJournal{Journal: e.store}
	e.eng.Close()
	eng, err := queue.NewEngine(e.office, j, queue.Options{Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.eng = eng
	j.failAppend.Store(true)
	j.failRecover.Store(true)
	if _, err := eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{}); err == nil {
		t.Fatal("issued with the disk gone")
	}
	if _, err := eng.Snapshot(ctx); queue.ErrorCode(err) != queue.EUNAVAILABLE {
		t.Fatalf("a read while the state could not be rebuilt: %v", err)
	}
	j.failAppend.Store(false)
	j.failRecover.Store(false)
	if tk, err := eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{}); err != nil || tk.Number != "A002" {
		t.Fatalf("first issue after the disk is back: %v %s", err, tk.Number)
	}
	if n := len(e.snapshot().Tickets); n != 2 {
		t.Fatalf("%d tickets, want 2", n)
	}
}
