package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"langelis/i18n"
	"langelis/internal/e2e"
	"langelis/queue"
)

// The transfer dialog lists the desks open now, also one opened elsewhere
// after the page loaded (the trial's s40 missed it), and every listed
// key works: its digit sends the ticket there.
func TestDeskTransferListIsLive(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("clerk1", queue.RoleClerk)
	s.AddUser("clerk3", queue.RoleClerk)
	s.AddUser("clerk2", queue.RoleClerk)
	tk := issueTicket(t, s, "A")
	ctx := e2e.Browser(t, 1366, 768)
	lang := "pl"
	run(t, ctx, "sign in, open desk 1, call",
		chromedp.Navigate(s.URL+"/desk?lang="+lang),
		chromedp.WaitVisible("#username", chromedp.ByID),
		chromedp.SendKeys("#username", "clerk1", chromedp.ByID),
		chromedp.SendKeys("#password", pw+"\r", chromedp.ByID),
		chromedp.WaitVisible("#open-1", chromedp.ByID),
		chromedp.KeyEvent("1"), chromedp.WaitVisible("#desk-title", chromedp.ByID),
		waitIDContains("upcoming", tk.Number), chromedp.KeyEvent("n"), waitIDText("ticket-number", tk.Number))
	// Desk 3 opens elsewhere after the page loaded.
	if code := s.JSON("POST", "/api/v1/desks/3/open", s.Login("clerk3"), nil, nil); code != 200 {
		t.Fatalf("open desk 3: %d", code)
	}
	desk3 := i18n.T(lang, "desk.number", "n", 3)
	run(t, ctx, "the transfer dialog", chromedp.Sleep(300e6), chromedp.KeyEvent("t"), dialogOpen())
	var buttons string
	run(t, ctx, "read it", chromedp.Text("#dlg-buttons", &buttons, chromedp.ByID))
	if !strings.Contains(buttons, desk3) {
		e2e.Screenshot(t, ctx, "desk-transfer-stale-pl")
		t.Fatalf("the transfer dialog lists %q, not the open desk 3", buttons)
	}
	// Desk 2 opens while the dialog is open: it appears in the list.
	if code := s.JSON("POST", "/api/v1/desks/2/open", s.Login("clerk2"), nil, nil); code != 200 {
		t.Fatalf("open desk 2: %d", code)
	}
	run(t, ctx, "desk 2 appears", waitIDContains("dlg-buttons", i18n.T(lang, "desk.number", "n", 2)))
	e2e.Screenshot(t, ctx, "desk-transfer-pl")
	e2e.Axe(t, ctx, "desk, the transfer dialog")
	run(t, ctx, "press 3", chromedp.KeyEvent("3"), chromedp.WaitNotVisible("#dlg", chromedp.ByID),
		waitIDText("ticket-number", "—"))
	var got struct {
		Tickets []struct {
			Number     string
			TargetDesk int `json:"target_desk"`
		}
	}
	s.AddUser("adm", queue.RoleAdmin)
	s.JSON("GET", "/api/v1/queue", s.Login("adm"), nil, &got)
	for _, x := range got.Tickets {
		if x.Number == tk.Number && x.TargetDesk != 3 {
			t.Fatalf("%s after pressing 3: target desk %d, want 3", tk.Number, x.TargetDesk)
		}
	}
}

// A transfer to a service no open desk serves is not taken silently (the
// trial's s13): the dialog marks it, and choosing it asks first; Escape
// keeps the ticket, T sends it anyway.
func TestDeskTransferToAnUnservedServiceAsks(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("clerk1", queue.RoleClerk)
	ctx := e2e.Browser(t, 1366, 768)
	for _, lang := range queue.Languages {
		tk := issueTicket(t, s, "A")
		run(t, ctx, lang+": sign in, open desk 1, call",
			chromedp.Navigate(s.URL+"/desk?lang="+lang),
			chromedp.WaitVisible("#username", chromedp.ByID),
			chromedp.SendKeys("#username", "clerk1", chromedp.ByID),
			chromedp.SendKeys("#password", pw+"\r", chromedp.ByID),
			chromedp.WaitVisible("#open-1", chromedp.ByID),
			chromedp.KeyEvent("1"), chromedp.WaitVisible("#desk-title", chromedp.ByID),
			waitIDContains("upcoming", tk.Number), chromedp.KeyEvent("n"), waitIDText("ticket-number", tk.Number))
		// Only desk 1 (A, D) is open: nobody serves B.
		run(t, ctx, lang+": transfer to B", chromedp.KeyEvent("t"), dialogOpen(),
			waitIDContains("dlg-buttons", i18n.T(lang, "desk.transfer.nodesk")), chromedp.KeyEvent("b"),
			waitIDContains("dlg-text", i18n.T(lang, "dlg.transfer.unserved", "service", s.Office.Services[1].Names[lang], "number", tk.Number)))
		if lang == "en" {
			e2e.Screenshot(t, ctx, "desk-transfer-unserved-en")
			e2e.Axe(t, ctx, "desk, transfer to an unserved service")
		}
		run(t, ctx, lang+": escape", chromedp.KeyEvent("\x1b"), chromedp.WaitNotVisible("#dlg", chromedp.ByID))
		if st := ticketStatus(t, s, tk.ID); st != queue.Called {
			t.Fatalf("%s: after Escape %s is %s", lang, tk.Number, st)
		}
		run(t, ctx, lang+": transfer anyway", chromedp.KeyEvent("t"), dialogOpen(), chromedp.KeyEvent("b"),
			waitIDContains("dlg-text", tk.Number), chromedp.KeyEvent("t"), waitIDText("ticket-number", "—"),
			chromedp.Click("#signout", chromedp.ByID), chromedp.WaitVisible("#username", chromedp.ByID))
		if st := ticketStatus(t, s, tk.ID); st != queue.Waiting {
			t.Fatalf("%s: after the transfer %s is %s", lang, tk.Number, st)
		}
	}
}
