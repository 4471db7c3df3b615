package queue_test

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"langelis/priority"
	"langelis/queue"
)

// TestSnapshotOrderIsCallOrder checks, for every policy, that the waiting
// tickets the snapshot (GET /api/v1/queue) lists are in the order the desk
// then really calls them, when each service takes its expected time.
func TestSnapshotOrderIsCallOrder(t *testing.T) {
	cats := []priority.Category{"", "", priority.Elderly, "", priority.Child, "", "", priority.Disability,
		priority.Pregnant, "", priority.Elderly, ""}
	for _, policy := range []string{"fifo", "default", "strict", "ratio", "aging"} {
		t.Run(policy, func(t *testing.T) {
			o := testOffice()
			// Small limits, so that every rule of every policy fires in
			// a dozen tickets.
			o.Priority = queue.PrioritySettings{Policy: policy, MaxStreak: 2, MaxWaitMinutes: 25, Ratio: 2, AgingFactor: 3}
			e := &env{t: t, path: filepath.Join(t.TempDir(), "q.db"), office: o,
				clock: queue.NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, vilnius))}
			e.open()
			t.Cleanup(e.close)
			for _, c := range cats {
				if _, err := e.eng.Issue(ctx, queue.IssueRequest{Service: "A", Category: c}, queue.Actor{User: "visitor"}); err != nil {
					t.Fatal(err)
				}
				e.clock.Advance(2 * time.Minute)
			}
			e.openDesk(2) // serves A only; A's target is 10 minutes
			var projected []string
			for _, tk := range e.snapshot().Tickets {
				projected = append(projected, tk.Number)
			}
			var called []string
			for {
				tk := e.next(2)
				if tk == nil {
					break
				}
				called = append(called, tk.Number)
				if _, err := e.eng.Start(ctx, 2, clerk(2)); err != nil {
					t.Fatal(err)
				}
				e.clock.Advance(10 * time.Minute)
			}
			t.Logf("%s: %v", policy, called)
			if !reflect.DeepEqual(projected, called) {
				t.Errorf("GET /api/v1/queue listed\n  %v\nbut desk 2 called\n  %v", projected, called)
			}
			if policy != "fifo" && called[0] != "A003" {
				t.Errorf("%s called %s first, want the first priority ticket A003", policy, called[0])
			}
		})
	}
}

// A ticket sent to a named desk waits for that desk, but when that desk is
// closed it goes back to every desk serving its service (DESIGN.md: closing
// a desk returns its queue to the others; nothing is lost).
func TestTransferToClosedDeskIsNotStranded(t *testing.T) {
	e := newEnv(t)
	e.issue("A")
	e.openDesk(1)
	e.openDesk(2)
	if tk := e.next(1); tk == nil || tk.Number != "A001" {
		t.Fatalf("desk 1 called %v", tk)
	}
	if _, err := e.eng.Transfer(ctx, 1, "", 2, clerk(1)); err != nil {
		t.Fatal(err)
	}
	// While desk 2 is open, only desk 2 takes it.
	if tk := e.next(1); tk != nil {
		t.Fatalf("desk 1 called %s, which was sent to desk 2", tk.Number)
	}
	if _, err := e.eng.CloseDesk(ctx, 2, queue.CloseAsk, clerk(2)); err != nil {
		t.Fatal(err)
	}
	if est, ok := e.snapshot().Estimate[e.snapshot().Tickets[0].ID]; !ok || est.Desk != 1 {
		t.Fatalf("with desk 2 closed the projection gives %+v, want desk 1", est)
	}
	if tk := e.next(1); tk == nil || tk.Number != "A001" {
		t.Fatalf("with desk 2 closed, desk 1 called %v; A001 would wait all day", tk)
	}
}
