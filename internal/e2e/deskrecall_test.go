package e2e_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"langelis/i18n"
	"langelis/internal/e2e"
	"langelis/queue"
)

// The desk shows how many recalls are left, asks before the recall that
// would make the ticket a no-show (the trial's third recall did so
// silently), and says what happened; in every language.
func TestDeskRecallLimitIsAsked(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("clerk1", queue.RoleClerk)
	ctx := e2e.Browser(t, 1366, 768)
	limit := s.Office.RecallLimit
	for _, lang := range queue.Languages {
		tk := issueTicket(t, s, "A")
		run(t, ctx, lang+": sign in, open desk 1, call",
			chromedp.Navigate(s.URL+"/desk?lang="+lang),
			chromedp.WaitVisible("#username", chromedp.ByID),
			chromedp.SendKeys("#username", "clerk1", chromedp.ByID),
			chromedp.SendKeys("#password", pw+"\r", chromedp.ByID),
			chromedp.WaitVisible("#open-1", chromedp.ByID),
			chromedp.KeyEvent("1"), chromedp.WaitVisible("#desk-title", chromedp.ByID))
		run(t, ctx, lang+": next", waitIDContains("upcoming", tk.Number), chromedp.KeyEvent("n"), waitIDText("ticket-number", tk.Number),
			waitIDContains("ticket-waited", i18n.T(lang, "desk.recalls.left", "n", limit)))
		for r := 1; r <= limit; r++ {
			left := i18n.T(lang, "desk.recalls.left", "n", limit-r)
			if r == limit {
				left = i18n.T(lang, "desk.recalls.last")
			}
			run(t, ctx, lang+": recall", chromedp.KeyEvent("r"), waitIDContains("ticket-waited", left))
		}
		if lang == "en" {
			e2e.Screenshot(t, ctx, "desk-recall-last-en")
		}
		// One more: the page asks instead of ending the call silently.
		ask := i18n.T(lang, "dlg.recall.limit", "number", tk.Number)
		run(t, ctx, lang+": the last recall asks", chromedp.KeyEvent("r"), dialogOpen(), waitIDText("dlg-text", ask))
		if lang == "lt" {
			e2e.Screenshot(t, ctx, "desk-recall-ask-lt")
			e2e.Axe(t, ctx, "desk, the recall limit question")
		}
		run(t, ctx, lang+": escape", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible("#dlg", chromedp.ByID))
		if st := ticketStatus(t, s, tk.ID); st != queue.Called {
			t.Fatalf("%s: after Escape %s is %s, want still called", lang, tk.Number, st)
		}
		run(t, ctx, lang+": no-show from the question", chromedp.KeyEvent("r"), dialogOpen(), chromedp.KeyEvent("x"),
			waitIDText("msg", i18n.T(lang, "desk.noshow.done", "number", tk.Number)))
		if st := ticketStatus(t, s, tk.ID); st != queue.NoShow {
			t.Fatalf("%s: %s is %s, want no_show", lang, tk.Number, st)
		}
		run(t, ctx, lang+": sign out", chromedp.Click("#signout", chromedp.ByID), chromedp.WaitVisible("#username", chromedp.ByID))
	}
}
