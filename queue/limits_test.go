package queue_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"langelis/queue"
)

// A service's daily cap refuses the tickets past it, with its own code,
// leaves the other services alone, holds across a restart, and starts
// again with the next day's numbering.
func TestDailyCap(t *testing.T) {
	e := newEnv(t)
	e.office.Services[0].DailyCap = 3 // A
	e.reopen()
	for range 3 {
		e.issue("A")
	}
	before := e.snapshot().Seq
	_, err := e.eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{User: "visitor"})
	var qe *queue.Error
	if !errors.As(err, &qe) || qe.Code != queue.EDAILYCAP || !strings.Contains(english(err), "run out (3 a day)") {
		t.Fatalf("the fourth A ticket: %v, want %s", err, queue.EDAILYCAP)
	}
	if after := e.snapshot().Seq; after != before {
		t.Fatalf("a refused ticket changed the journal: seq %d → %d", before, after)
	}
	if b := e.issue("B"); b.Number != "B001" {
		t.Fatalf("service B: %s", b.Number)
	}
	e.reopen()
	if _, err := e.eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{User: "visitor"}); queue.ErrorCode(err) != queue.EDAILYCAP {
		t.Fatalf("after a restart the cap is forgotten: %v", err)
	}
	e.clock.Advance(24 * time.Hour)
	if a := e.issue("A"); a.Number != "A001" {
		t.Fatalf("the next day: %s", a.Number)
	}
}

// The office validates the cap like every other setting.
func TestDailyCapValidated(t *testing.T) {
	o := testOffice()
	o.Services[0].DailyCap = queue.MaxDailyCap + 1
	if err := o.Validate(); err == nil || !strings.Contains(err.Error(), "daily cap") {
		t.Fatalf("a cap of %d: %v", queue.MaxDailyCap+1, err)
	}
	o.Services[0].DailyCap = -1
	if err := o.Validate(); err == nil {
		t.Fatal("a negative cap is valid")
	}
}

// A reason's length is counted in characters, as the message says, after
// the spaces around it are trimmed: 200 Cyrillic letters (400 bytes) are
// fine, 201 are too long, and a reason of only spaces is no reason.
func TestReasonLimits(t *testing.T) {
	e := newEnv(t)
	e.openDesk(1)
	cyr := strings.Repeat("ж", queue.MaxReason)
	e.issue("A")
	e.next(1)
	if _, err := e.eng.Refuse(ctx, 1, cyr+"ж", clerk(1)); queue.ErrorCode(err) != queue.EINVALID ||
		!strings.Contains(english(err), "200 characters") {
		t.Fatalf("201 characters: %v", err)
	}
	if _, err := e.eng.Refuse(ctx, 1, strings.Repeat(" ", 250), clerk(1)); queue.ErrorCode(err) != queue.EINVALID ||
		!strings.Contains(english(err), "Give the reason") {
		t.Fatalf("250 spaces as a refusal's reason: %v, want the reason missing", err)
	}
	r, err := e.eng.Refuse(ctx, 1, "  "+cyr+"  ", clerk(1))
	if err != nil || r.Ticket.Reason != cyr {
		t.Fatalf("200 Cyrillic characters: %v, ticket %+v", err, r.Ticket)
	}
	if _, err := e.eng.Pause(ctx, 1, cyr+"ж", clerk(1)); queue.ErrorCode(err) != queue.EINVALID {
		t.Fatalf("pause with 201 characters: %v", err)
	}
	d, err := e.eng.Pause(ctx, 1, strings.Repeat(" ", 250), clerk(1))
	if err != nil || d.Desk.PauseReason != "" {
		t.Fatalf("pause with 250 spaces: %v, reason %q; want a pause without a reason", err, d.Desk.PauseReason)
	}
}
