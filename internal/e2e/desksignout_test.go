package e2e_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// After signing out, the desk page is a clean sign-in page: no
// "no connection to the server" a moment later (the trial's p32/s34), in
// every language.
func TestDeskSignOutIsClean(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("clerk1", queue.RoleClerk)
	ctx := e2e.Browser(t, 1366, 768)
	for _, lang := range queue.Languages {
		run(t, ctx, lang+": sign in, open desk 1, sign out",
			chromedp.Navigate(s.URL+"/desk?lang="+lang),
			chromedp.WaitVisible("#username", chromedp.ByID),
			chromedp.SendKeys("#username", "clerk1", chromedp.ByID),
			chromedp.SendKeys("#password", pw+"\r", chromedp.ByID),
			chromedp.WaitVisible("#open-1", chromedp.ByID),
			chromedp.KeyEvent("1"), chromedp.WaitVisible("#desk-title", chromedp.ByID),
			chromedp.Click("#signout", chromedp.ByID), chromedp.WaitVisible("#username", chromedp.ByID))
		// The page watches itself for longer than the reconnect delay.
		held, samples := e2e.Watch(t, ctx, `!document.getElementById("offline").hidden || !!document.getElementById("offline").offsetParent`, 2500*time.Millisecond)
		if held > 0 {
			e2e.Screenshot(t, ctx, "desk-signout-offline-"+lang)
			t.Fatalf("%s: after signing out the page showed 'no connection' in %d of %d samples", lang, held, samples)
		}
		var user string
		run(t, ctx, lang+": the sign-in form", chromedp.Value("#username", &user, chromedp.ByID))
		if lang == "lt" {
			e2e.Screenshot(t, ctx, "desk-after-signout-lt")
			e2e.Axe(t, ctx, "desk after sign-out")
		}
	}
}
