package queue_test

import (
	"time"

	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"langelis/queue"
)

// The lifecycle as a table: each case brings desk 1's ticket to a starting
// status, then tries one action. Allowed actions reach the listed status;
// refused ones return the listed code and leave the whole queue unchanged.
func TestLifecycle(t *testing.T) {
	type action struct {
		name string
		do   func(e *env) error
	}
	actions := map[string]action{
		"call":     {"call", func(e *env) error { _, err := e.eng.Next(ctx, 1, clerk(1)); return err }},
		"recall":   {"recall", func(e *env) error { _, err := e.eng.Recall(ctx, 1, clerk(1)); return err }},
		"start":    {"start", func(e *env) error { _, err := e.eng.Start(ctx, 1, clerk(1)); return err }},
		"finish":   {"finish", func(e *env) error { _, err := e.eng.Finish(ctx, 1, clerk(1)); return err }},
		"no-show":  {"no-show", func(e *env) error { _, err := e.eng.NoShowTicket(ctx, 1, clerk(1)); return err }},
		"return":   {"return", func(e *env) error { _, err := e.eng.Return(ctx, 1, clerk(1)); return err }},
		"transfer": {"transfer", func(e *env) error { _, err := e.eng.Transfer(ctx, 1, "B", 0, clerk(1)); return err }},
		"refuse":   {"refuse", func(e *env) error { _, err := e.eng.Refuse(ctx, 1, "aggressive", clerk(1)); return err }},
	}
	// to brings the first ticket to status s at desk 1 and returns its ID.
	to := func(e *env, s queue.Status) string {
		tk := e.issue("A")
		e.openDesk(1)
		if s == queue.Waiting {
			return tk.ID
		}
		e.next(1)
		if s == queue.Serving {
			if _, err := e.eng.Start(ctx, 1, clerk(1)); err != nil {
				t.Fatal(err)
			}
		}
		return tk.ID
	}
	cases := []struct {
		from   queue.Status
		action string
		want   queue.Status // the ticket's status after, when allowed
		code   string       // the error code, when refused
	}{
		{queue.Waiting, "call", queue.Called, ""},
		{queue.Waiting, "recall", "", queue.ECONFLICT},
		{queue.Waiting, "start", "", queue.ECONFLICT},
		{queue.Waiting, "finish", "", queue.ECONFLICT},
		{queue.Waiting, "no-show", "", queue.ECONFLICT},
		{queue.Waiting, "return", "", queue.ECONFLICT},
		{queue.Waiting, "transfer", "", queue.ECONFLICT},
		{queue.Waiting, "refuse", "", queue.ECONFLICT},
		{queue.Called, "call", "", queue.ECONFLICT},
		{queue.Called, "recall", queue.Called, ""},
		{queue.Called, "start", queue.Serving, ""},
		{queue.Called, "finish", "", queue.ECONFLICT},
		{queue.Called, "no-show", queue.NoShow, ""},
		{queue.Called, "return", queue.Waiting, ""},
		{queue.Called, "transfer", queue.Waiting, ""},
		{queue.Called, "refuse", queue.Refused, ""},
		{queue.Serving, "recall", "", queue.ECONFLICT},
		{queue.Serving, "start", "", queue.ECONFLICT},
		{queue.Serving, "finish", queue.Done, ""},
		{queue.Serving, "no-show", "", queue.ECONFLICT},
		{queue.Serving, "return", queue.Waiting, ""},
		{queue.Serving, "transfer", queue.Waiting, ""},
		{queue.Serving, "refuse", queue.Refused, ""},
	}
	for _, c := range cases {
		t.Run(string(c.from)+"/"+c.action, func(t *testing.T) {
			e := newEnv(t)
			id := to(e, c.from)
			before := e.snapshot()
			err := actions[c.action].do(e)
			if c.code != "" {
				if queue.ErrorCode(err) != c.code {
					t.Fatalf("%s on a %s ticket: got %v, want code %s", c.action, c.from, err, c.code)
				}
				if english(err) == "" {
					t.Fatal("refusal without a message")
				}
				after := e.snapshot()
				if !sameJSON(t, before, after) {
					t.Fatalf("refused %s changed the queue", c.action)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s on a %s ticket: %v", c.action, c.from, err)
			}
			if got := e.ticket(id).Status; got != c.want {
				t.Fatalf("%s on a %s ticket: status %s, want %s", c.action, c.from, got, c.want)
			}
		})
	}
}

func sameJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	var x, y any
	json.Unmarshal(ja, &x)
	json.Unmarshal(jb, &y)
	return reflect.DeepEqual(x, y)
}

func TestCancelOnlyWhileWaitingOrCalled(t *testing.T) {
	e := newEnv(t)
	a := e.issue("A")
	if _, err := e.eng.Cancel(ctx, a.ID, queue.Actor{User: "visitor"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Cancel(ctx, a.ID, queue.Actor{User: "visitor"}); queue.ErrorCode(err) != queue.ECONFLICT {
		t.Fatalf("second cancel: %v", err)
	}
	if _, err := e.eng.Cancel(ctx, "nope", queue.Actor{User: "visitor"}); queue.ErrorCode(err) != queue.ENOTFOUND {
		t.Fatalf("cancel unknown: %v", err)
	}
	// A called ticket cancelled frees its desk.
	b := e.issue("A")
	e.openDesk(1)
	e.next(1)
	if _, err := e.eng.Cancel(ctx, b.ID, queue.Actor{User: "visitor"}); err != nil {
		t.Fatal(err)
	}
	if d := e.snapshot().Desks[0]; d.Ticket != "" {
		t.Fatalf("desk still holds %s after its ticket was cancelled", d.TicketNumber)
	}
}

func TestDeskRules(t *testing.T) {
	e := newEnv(t)
	if _, err := e.eng.Next(ctx, 1, clerk(1)); queue.ErrorCode(err) != queue.ECONFLICT {
		t.Fatalf("next at a closed desk: %v", err)
	}
	e.openDesk(1)
	if _, err := e.eng.OpenDesk(ctx, 1, clerk(2)); queue.ErrorCode(err) != queue.ECONFLICT {
		t.Fatalf("second clerk on desk 1: %v", err)
	}
	if _, err := e.eng.OpenDesk(ctx, 2, clerk(1)); queue.ErrorCode(err) != queue.ECONFLICT {
		t.Fatalf("one clerk on two desks: %v", err)
	}
	if _, err := e.eng.Next(ctx, 1, clerk(2)); queue.ErrorCode(err) != queue.EFORBIDDEN {
		t.Fatalf("another clerk acting at desk 1: %v", err)
	}
	if _, err := e.eng.Next(ctx, 99, clerk(1)); queue.ErrorCode(err) != queue.ENOTFOUND {
		t.Fatalf("next at desk 99: %v", err)
	}
	if r := e.next(1); r != nil {
		t.Fatalf("next with nobody waiting gave %s", r.Number)
	}
	if _, err := e.eng.Pause(ctx, 1, "lunch", clerk(1)); err != nil {
		t.Fatal(err)
	}
	e.issue("A")
	if _, err := e.eng.Next(ctx, 1, clerk(1)); queue.ErrorCode(err) != queue.ECONFLICT {
		t.Fatalf("next while paused: %v", err)
	}
	if _, err := e.eng.Resume(ctx, 1, clerk(1)); err != nil {
		t.Fatal(err)
	}
	if r := e.next(1); r == nil || r.Number != "A001" {
		t.Fatalf("after resume got %v", r)
	}
}

// A desk that only serves B never gets an A ticket; a ticket sent to a desk
// waits for that desk.
func TestDeskServesItsServices(t *testing.T) {
	e := newEnv(t)
	e.issue("A")
	b := e.issue("B")
	e.openDesk(3) // B, C
	if got := e.next(3); got == nil || got.ID != b.ID {
		t.Fatalf("desk 3 got %v, want B001", got)
	}
}

func TestTransferKeepsPlace(t *testing.T) {
	e := newEnv(t)
	first := e.issue("A")
	e.clock.Advance(60e9)
	e.issue("B") // B001, later than A001
	e.openDesk(1)
	e.next(1) // A001
	if _, err := e.eng.Transfer(ctx, 1, "B", 0, clerk(1)); err != nil {
		t.Fatal(err)
	}
	e.openDesk(3) // serves B: the transferred A001 is older than B001
	if got := e.next(3); got == nil || got.ID != first.ID {
		t.Fatalf("after transfer desk 3 called %v, want A001", got)
	}
	// Transfer to a desk: only that desk gets it.
	if _, err := e.eng.Transfer(ctx, 3, "", 2, clerk(3)); err != nil {
		t.Fatal(err)
	}
	e.issue("A")
	if _, err := e.eng.Finish(ctx, 1, clerk(1)); queue.ErrorCode(err) != queue.ECONFLICT {
		t.Fatalf("desk 1 holds nothing now: %v", err)
	}
	e.openDesk(2)
	if got := e.next(2); got == nil || got.ID != first.ID {
		t.Fatalf("desk 2 called %v, want the ticket sent to it", got)
	}
}

func TestRecallLimitMakesNoShow(t *testing.T) {
	e := newEnv(t)
	tk := e.issue("A")
	e.openDesk(1)
	e.next(1)
	for i := 0; i < e.office.RecallLimit; i++ {
		r, err := e.eng.Recall(ctx, 1, clerk(1))
		if err != nil || r.Ticket.Status != queue.Called || r.Ticket.Recalls != i+1 {
			t.Fatalf("recall %d: %+v %v", i+1, r.Ticket, err)
		}
	}
	r, err := e.eng.Recall(ctx, 1, clerk(1))
	if err != nil || r.Ticket.Status != queue.NoShow {
		t.Fatalf("recall past the limit: %+v %v", r.Ticket, err)
	}
	if e.ticket(tk.ID).Status != queue.NoShow {
		t.Fatal("not a no-show")
	}
}

func TestCloseDeskReturnsCalledTicketAheadOfLaterOnes(t *testing.T) {
	e := newEnv(t)
	first := e.issue("A")
	e.clock.Advance(60e9)
	e.issue("A")
	e.openDesk(1)
	e.next(1)
	if _, err := e.eng.CloseDesk(ctx, 1, queue.CloseAsk, clerk(1)); err != nil {
		t.Fatal(err)
	}
	e.openDesk(2)
	if got := e.next(2); got == nil || got.ID != first.ID {
		t.Fatalf("after close desk 2 got %v, want A001 back first", got)
	}
	// In service: closing must say what to do with it.
	if _, err := e.eng.Start(ctx, 2, clerk(2)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.CloseDesk(ctx, 2, queue.CloseAsk, clerk(2)); queue.ErrorCode(err) != queue.ECONFLICT {
		t.Fatalf("closing with a ticket in service: %v", err)
	}
	if _, err := e.eng.CloseDesk(ctx, 2, queue.CloseFinish, clerk(2)); err != nil {
		t.Fatal(err)
	}
	if e.ticket(first.ID).Status != queue.Done {
		t.Fatal("finish on close did not finish")
	}
}

func TestNextFinishesTheTicketInService(t *testing.T) {
	e := newEnv(t)
	a := e.issue("A")
	e.issue("A")
	e.openDesk(1)
	e.next(1)
	e.eng.Start(ctx, 1, clerk(1))
	if got := e.next(1); got == nil || got.Number != "A002" {
		t.Fatalf("next got %v", got)
	}
	if e.ticket(a.ID).Status != queue.Done {
		t.Fatal("the served ticket was not finished by next")
	}
}

func TestIssueValidation(t *testing.T) {
	e := newEnv(t)
	e.issue("A") // the day has started; what follows must change nothing
	before := e.snapshot()
	for _, r := range []queue.IssueRequest{{Service: "Z"}, {Service: "A", Lang: "de"}, {Service: ""}} {
		if _, err := e.eng.Issue(ctx, r, queue.Actor{}); queue.ErrorCode(err) != queue.EINVALID {
			t.Fatalf("%+v: %v", r, err)
		}
	}
	e.clock.Set(e.clock.Now().Add(11 * 3600e9)) // 21:00, closed
	if _, err := e.eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{}); queue.ErrorCode(err) != queue.ECLOSED {
		t.Fatalf("issue when closed: %v", err)
	}
	e.clock.Set(e.clock.Now().Add(-11 * 3600e9))
	if after := e.snapshot(); after.Seq != before.Seq {
		t.Fatalf("refused issues moved seq %d → %d", before.Seq, after.Seq)
	}
}

// A ticket no open desk serves counts only its own line as ahead of it:
// the A line is not in the way of a B visitor.
func TestAheadCountsOwnLineWhenNoDeskServesIt(t *testing.T) {
	e := newEnv(t)
	e.issue("A")
	e.issue("A")
	e.openDesk(2) // serves A only
	c := e.issue("C")
	e.issue("C")
	snap := e.snapshot()
	pt := snap.PublicTicket(e.ticket(c.ID))
	if pt.Ahead == nil || *pt.Ahead != 0 {
		t.Fatalf("C001 with no desk for C has %v ahead, want 0", pt.Ahead)
	}
	if !pt.EstimateAt.IsZero() {
		t.Fatalf("C001 got an estimate %v though no open desk serves C", pt.EstimateAt)
	}
}

// "Ahead" counts only the tickets that the desks able to serve a ticket
// call before it: another service's visitors at a desk that cannot serve
// this one are not in its way (issue 12: C001 was told 3 ahead while C had
// 1 waiting).
func TestAheadCountsOnlyDesksThatServeTheTicket(t *testing.T) {
	e := newEnv(t)
	e.openDesk(2) // A only
	e.openDesk(3) // B and C
	a1, a2, b1, c1 := e.issue("A"), e.issue("A"), e.issue("B"), e.issue("C")
	snap := e.snapshot()
	for _, c := range []struct {
		t    queue.Ticket
		want int
	}{{a1, 0}, {a2, 1}, {b1, 0}, {c1, 1}} {
		pt := snap.PublicTicket(e.ticket(c.t.ID))
		if pt.Ahead == nil || *pt.Ahead != c.want {
			t.Errorf("%s: %s ahead, want %d (only the tickets its own desks call first)", c.t.Number, fmtAhead(pt.Ahead), c.want)
		}
	}
	// Desk 3 calls B001: C001 is next at desk 3, and the A line that desk 2
	// works through first is not in its way.
	if got := e.next(3); got == nil || got.Number != b1.Number {
		t.Fatalf("desk 3 called %v, want %s", got, b1.Number)
	}
	snap = e.snapshot()
	if pt := snap.PublicTicket(e.ticket(c1.ID)); pt.Ahead == nil || *pt.Ahead != 0 {
		t.Errorf("C001 next at desk 3: %s ahead, want 0", fmtAhead(pt.Ahead))
	}
}

func fmtAhead(n *int) string {
	if n == nil {
		return "none"
	}
	return fmt.Sprint(*n)
}

// A recall is the same call said again: the visitor's wait ended at the
// call, so the desk's "waited" and every figure measured from CalledAt
// stay; RecalledAt is what tells the phone to alert again, and both
// survive a replay of the journal.
func TestRecallKeepsTheCallTime(t *testing.T) {
	e := newEnv(t)
	tk := e.issue("A")
	e.openDesk(1)
	e.clock.Advance(4 * time.Minute)
	e.next(1)
	called := e.clock.Now()
	e.clock.Advance(2 * time.Minute)
	r, err := e.eng.Recall(ctx, 1, clerk(1))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Ticket.CalledAt.Equal(called) || !r.Ticket.RecalledAt.Equal(e.clock.Now()) {
		t.Fatalf("after a recall: called %v recalled %v, want %v and %v", r.Ticket.CalledAt, r.Ticket.RecalledAt, called, e.clock.Now())
	}
	check := func(when string) {
		t.Helper()
		v, err := e.eng.DeskView(ctx, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		if v.Waited != 240 {
			t.Fatalf("%s: the desk says the visitor waited %v s, want 240", when, v.Waited)
		}
		if got := e.ticket(tk.ID); !got.CalledAt.Equal(called) || got.RecalledAt.IsZero() {
			t.Fatalf("%s: called %v recalled %v", when, got.CalledAt, got.RecalledAt)
		}
	}
	check("after the recall")
	e.reopen()
	check("after a replay")
}
