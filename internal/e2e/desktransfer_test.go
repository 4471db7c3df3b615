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
