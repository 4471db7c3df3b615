package e2e_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"langelis/i18n"
	"langelis/internal/e2e"
	"langelis/queue"
)

// The stay dialog refuses a time before closing (the trial's "work until
// 19:00" shortened the day) and an unreadable answer ("abc" was taken
// silently), each with a message in the clerk's language; the day's end
// on the desk is unchanged.
func TestDeskStayRefusesBadAnswers(t *testing.T) {
	s := e2e.Start(t, e2e.Options{At: "18:30"}) // the demo office closes at 20:00
	pw := s.AddUser("clerk1", queue.RoleClerk)
	ctx := e2e.Browser(t, 1366, 768)
	for _, lang := range queue.Languages {
		var before, after string
		run(t, ctx, lang+": sign in, open desk 1",
			chromedp.Navigate(s.URL+"/desk?lang="+lang),
			chromedp.WaitVisible("#username", chromedp.ByID),
			chromedp.SendKeys("#username", "clerk1", chromedp.ByID),
			chromedp.SendKeys("#password", pw+"\r", chromedp.ByID),
			chromedp.WaitVisible("#open-1", chromedp.ByID),
			chromedp.KeyEvent("1"), chromedp.WaitVisible("#desk-title", chromedp.ByID),
			waitIDContains("closing", "20:00"), text("#closing", &before))
		run(t, ctx, lang+": stay until 19:00",
			chromedp.KeyEvent("e"), chromedp.WaitVisible("#dlg-input", chromedp.ByID),
			chromedp.SendKeys("#dlg-input", "19:00\r", chromedp.ByID),
			waitIDText("msg", i18n.T(lang, "err.stay.before_closing", "closing", "20:00")))
		if lang == "lt" {
			e2e.Screenshot(t, ctx, "desk-stay-before-closing-lt")
			e2e.Axe(t, ctx, "desk, a refused stay")
		}
		run(t, ctx, lang+": stay abc",
			chromedp.KeyEvent("e"), chromedp.WaitVisible("#dlg-input", chromedp.ByID),
			chromedp.SendKeys("#dlg-input", "abc\r", chromedp.ByID),
			waitIDText("msg", i18n.T(lang, "err.stay.until")), text("#closing", &after))
		if after != before {
			t.Errorf("%s: after two refused stays the desk says %q, was %q", lang, after, before)
		}
		run(t, ctx, lang+": sign out", chromedp.Click("#signout", chromedp.ByID), chromedp.WaitVisible("#username", chromedp.ByID))
	}
}
