package e2e_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

type issued struct {
	ID     string `json:"id"`
	Number string `json:"number"`
}

func issueTicket(t *testing.T, s *e2e.Server, service string) issued {
	t.Helper()
	var r issued
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": service}, &r); code != 201 {
		t.Fatalf("issue %s: %d", service, code)
	}
	return r
}

func ticketStatus(t *testing.T, s *e2e.Server, id string) queue.Status {
	t.Helper()
	var r struct{ Status queue.Status }
	if code := s.JSON("GET", "/api/v1/tickets/"+id, "", nil, &r); code != 200 {
		t.Fatalf("ticket %s: %d", id, code)
	}
	return r.Status
}

// waitText waits until the element's text is want (the page follows the
// websocket, so it may take a moment).
func waitText(id, want string) chromedp.Action {
	return chromedp.Poll(fmt.Sprintf(`document.getElementById(%q).textContent === %q`, id, want), nil,
		chromedp.WithPollingTimeout(10*time.Second))
}

func run(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		var msg string
		_ = chromedp.Run(ctx, chromedp.Evaluate(`document.body.innerText.slice(0, 400)`, &msg))
		e2e.Screenshot(t, ctx, "desk-failed")
		t.Fatalf("%s: %v (page says %q)", step, err, msg)
	}
}

// A clerk signs in on /desk at 1366x768 with the keyboard alone, opens
// desk 1, and serves two tickets: one with the keys, one with the buttons.
// Each step shows on the page and in the queue.
func TestDeskPageServesWithKeysAndButtons(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("clerk1", queue.RoleClerk)
	ctx := e2e.Browser(t, 1366, 768)

	run(t, ctx, "sign in",
		chromedp.Navigate(s.URL+"/desk?lang=en"),
		chromedp.WaitVisible("#username", chromedp.ByID),
		chromedp.SendKeys("#username", "clerk1", chromedp.ByID),
		chromedp.SendKeys("#password", pw+"\r", chromedp.ByID), // Enter signs in
		chromedp.WaitVisible("#open-1", chromedp.ByID),
		chromedp.KeyEvent("1"), // the desk by its number key
		chromedp.WaitVisible("#act-next", chromedp.ByID),
		waitText("desk-title", "Desk 1"),
	)

	// Everything fits the screen: no scrolling to reach an action.
	var fits bool
	run(t, ctx, "layout", chromedp.Evaluate(`[...document.querySelectorAll("#actions button")].every(b => {
		const r = b.getBoundingClientRect(); return r.bottom <= innerHeight && r.right <= innerWidth && r.width > 0;
	}) && document.documentElement.scrollWidth <= innerWidth`, &fits))
	if !fits {
		e2e.Screenshot(t, ctx, "desk-layout")
		t.Fatal("at 1366x768 some action buttons are off screen")
	}

	// By keys: N calls, S starts, F finishes.
	a := issueTicket(t, s, "A")
	run(t, ctx, "next by key", waitText("upcoming", a.Number), chromedp.KeyEvent("n"), waitText("ticket-number", a.Number))
	if st := ticketStatus(t, s, a.ID); st != queue.Called {
		t.Fatalf("after N: %s is %s", a.Number, st)
	}
	// A reload (or a restarted computer) comes back to the same desk and ticket.
	run(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible("#act-next", chromedp.ByID), waitText("ticket-number", a.Number))
	run(t, ctx, "start by key", chromedp.KeyEvent("s"), waitText("ticket-status", "Being served · Declaration of residence"))
	run(t, ctx, "finish by key", chromedp.KeyEvent("f"), waitText("ticket-number", "—"), waitText("served", "1 client served today"))
	if st := ticketStatus(t, s, a.ID); st != queue.Done {
		t.Fatalf("after F: %s is %s", a.Number, st)
	}

	// By buttons: the same, with the same result.
	b := issueTicket(t, s, "A")
	run(t, ctx, "next by button", waitText("upcoming", b.Number), chromedp.Click("#act-next", chromedp.ByID), waitText("ticket-number", b.Number))
	run(t, ctx, "start by button", chromedp.Click("#act-start", chromedp.ByID), waitText("ticket-status", "Being served · Declaration of residence"))
	run(t, ctx, "finish by button", chromedp.Click("#act-finish", chromedp.ByID), waitText("ticket-number", "—"), waitText("served", "2 clients served today"))
	if st := ticketStatus(t, s, b.ID); st != queue.Done {
		t.Fatalf("after Finish: %s is %s", b.Number, st)
	}

	// A wrong key is explained in plain words, and nothing changes.
	run(t, ctx, "finish with nobody", chromedp.KeyEvent("f"), waitText("msg", "Desk 1 has no current client."))
	// Next with nobody waiting says so.
	run(t, ctx, "next with nobody", chromedp.KeyEvent("n"), waitText("msg", "Nobody is waiting."))
	e2e.Screenshot(t, ctx, "desk-1366x768")
}
