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

// waitIDText waits until the element's text is want (the page follows the
// websocket, so it may take a moment).
func waitIDText(id, want string) chromedp.Action {
	return chromedp.Poll(fmt.Sprintf(`document.getElementById(%q)?.textContent === %q`, id, want), nil,
		chromedp.WithPollingTimeout(10*time.Second))
}

// signIn opens /desk in English and signs in with the keyboard (Enter in
// the password field submits).
func signIn(s *e2e.Server, user, pw string) chromedp.Action { return signInIn(s, "en", user, pw) }

// signInIn is signIn with the desk in lang.
func signInIn(s *e2e.Server, lang, user, pw string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Navigate(s.URL + "/desk?lang=" + lang),
		chromedp.WaitVisible("#username", chromedp.ByID),
		chromedp.SendKeys("#username", user, chromedp.ByID),
		chromedp.SendKeys("#password", pw+"\r", chromedp.ByID),
	}
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
		signIn(s, "clerk1", pw),
		chromedp.WaitVisible("#open-1", chromedp.ByID),
		chromedp.KeyEvent("1"), // the desk by its number key
		chromedp.WaitVisible("#act-next", chromedp.ByID),
		waitIDText("desk-title", "Desk 1"),
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
	run(t, ctx, "next by key", waitIDText("upcoming", a.Number), chromedp.KeyEvent("n"), waitIDText("ticket-number", a.Number))
	if st := ticketStatus(t, s, a.ID); st != queue.Called {
		t.Fatalf("after N: %s is %s", a.Number, st)
	}
	// A reload (or a restarted computer) comes back to the same desk and ticket.
	run(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible("#act-next", chromedp.ByID), waitIDText("ticket-number", a.Number))
	run(t, ctx, "start by key", chromedp.KeyEvent("s"), waitIDText("ticket-status", "Being served · Declaration of residence"))
	run(t, ctx, "finish by key", chromedp.KeyEvent("f"), waitIDText("ticket-number", "—"), waitIDText("served", "1 client served today"))
	if st := ticketStatus(t, s, a.ID); st != queue.Done {
		t.Fatalf("after F: %s is %s", a.Number, st)
	}

	// By buttons: the same, with the same result.
	b := issueTicket(t, s, "A")
	run(t, ctx, "next by button", waitIDText("upcoming", b.Number), chromedp.Click("#act-next", chromedp.ByID), waitIDText("ticket-number", b.Number))
	run(t, ctx, "start by button", chromedp.Click("#act-start", chromedp.ByID), waitIDText("ticket-status", "Being served · Declaration of residence"))
	run(t, ctx, "finish by button", chromedp.Click("#act-finish", chromedp.ByID), waitIDText("ticket-number", "—"), waitIDText("served", "2 clients served today"))
	if st := ticketStatus(t, s, b.ID); st != queue.Done {
		t.Fatalf("after Finish: %s is %s", b.Number, st)
	}

	// A wrong key is explained in plain words, and nothing changes.
	run(t, ctx, "finish with nobody", chromedp.KeyEvent("f"), waitIDText("msg", "Desk 1 has no current client."))
	// Next with nobody waiting says so.
	run(t, ctx, "next with nobody", chromedp.KeyEvent("n"), waitIDText("msg", "Nobody is waiting."))
	e2e.Screenshot(t, ctx, "desk-1366x768")
}

// The dialogs, by keys alone: a held desk is refused with its holder's
// name; Call a number, Transfer to a service, Refuse with a preset reason,
// and Close with a ticket in service (handed back).
func TestDeskPageDialogs(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	s.AddUser("clerk1", queue.RoleClerk)
	pw := s.AddUser("clerk2", queue.RoleClerk)
	holder := s.Login("clerk1")
	if code := s.JSON("POST", "/api/v1/desks/1/open", holder, nil, nil); code != 200 {
		t.Fatalf("clerk1 opens desk 1: %d", code)
	}
	a1 := issueTicket(t, s, "A")
	a2 := issueTicket(t, s, "A")
	ctx := e2e.Browser(t, 1366, 768)
	run(t, ctx, "sign in",
		signIn(s, "clerk2", pw),
		chromedp.WaitVisible("#open-1", chromedp.ByID),
		chromedp.KeyEvent("1"),
		waitIDText("msg", "Desk 1 is held by Name clerk1; choose a free desk."),
		chromedp.KeyEvent("2"),
		waitIDText("desk-title", "Desk 2"),
	)
	run(t, ctx, "call a number",
		chromedp.KeyEvent("c"), chromedp.WaitVisible("#dlg-input", chromedp.ByID),
		chromedp.SendKeys("#dlg-input", a2.Number+"\r", chromedp.ByID),
		waitIDText("ticket-number", a2.Number))
	run(t, ctx, "transfer to B",
		chromedp.KeyEvent("t"), chromedp.WaitVisible(`#dlg-buttons button[data-key="b"]`, chromedp.ByQuery),
		chromedp.KeyEvent("b"),
		waitIDText("ticket-number", "—"))
	var tk struct {
		Service string
		Status  queue.Status
	}
	s.JSON("GET", "/api/v1/tickets/"+a2.ID, "", nil, &tk)
	if tk.Service != "B" || tk.Status != queue.Waiting {
		t.Fatalf("after transfer %s is %+v", a2.Number, tk)
	}
	// Desk 2 serves A and B; the transferred ticket keeps its place behind A001.
	run(t, ctx, "upcoming", waitIDText("upcoming", a1.Number+"  "+a2.Number))
	run(t, ctx, "refuse with a preset",
		chromedp.KeyEvent("n"), waitIDText("ticket-number", a1.Number),
		chromedp.KeyEvent("d"), chromedp.WaitVisible("#dlg-input", chromedp.ByID),
		chromedp.Click("#dlg-presets button:nth-child(2)", chromedp.ByQuery),
		chromedp.Click("#dlg-ok", chromedp.ByID),
		waitIDText("ticket-number", "—"))
	var r struct {
		Status queue.Status
	}
	s.JSON("GET", "/api/v1/tickets/"+a1.ID, "", nil, &r)
	if r.Status != queue.Refused {
		t.Fatalf("after refuse %s is %s", a1.Number, r.Status)
	}
	evs, _ := s.Store.DayEvents(s.Office.Day(s.Clock.Now()))
	if last := evs[len(evs)-1]; last.Reason != "Aggressive" || last.Actor != "clerk2" {
		t.Fatalf("refusal recorded as %q by %q", last.Reason, last.Actor)
	}
	run(t, ctx, "close with a ticket in service",
		chromedp.KeyEvent("n"), waitIDText("ticket-number", a2.Number),
		chromedp.KeyEvent("s"), waitIDText("ticket-status", "Being served · Social benefits"),
		chromedp.KeyEvent("q"), chromedp.WaitVisible("#dlg-buttons", chromedp.ByID),
		chromedp.KeyEvent("b"),
		chromedp.WaitVisible("#open-2", chromedp.ByID))
	s.JSON("GET", "/api/v1/tickets/"+a2.ID, "", nil, &r)
	if r.Status != queue.Waiting {
		t.Fatalf("after closing with hand-back %s is %s", a2.Number, r.Status)
	}
}

// An admin closes a desk its clerk left open; its called ticket goes back.
func TestDeskPageAdminForceClose(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	s.AddUser("clerk1", queue.RoleClerk)
	pw := s.AddUser("boss", queue.RoleAdmin)
	tok := s.Login("clerk1")
	a := issueTicket(t, s, "A")
	s.JSON("POST", "/api/v1/desks/1/open", tok, nil, nil)
	s.JSON("POST", "/api/v1/desks/1/next", tok, nil, nil)
	ctx := e2e.Browser(t, 1366, 768)
	run(t, ctx, "force close",
		signIn(s, "boss", pw),
		waitIDText("force-1", "Close desk 1 (Name clerk1)"),
		chromedp.Click("#force-1", chromedp.ByID),
		chromedp.WaitNotPresent("#force-1", chromedp.ByID))
	if st := ticketStatus(t, s, a.ID); st != queue.Waiting {
		t.Fatalf("after the admin closed desk 1, %s is %s", a.Number, st)
	}
}
