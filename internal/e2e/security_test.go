package e2e_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// A page on another port of the same host (the same site, so the clerk's
// SameSite=Strict cookie goes along) tries to pause the signed-in clerk's
// desk with fetch(..., {mode: "no-cors", credentials: "include"}), as the
// attack did, in the clerk's own Chromium. The desk keeps working.
func TestAnotherPortCannotPauseTheDesk(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("clerk1", queue.RoleClerk)
	ctx := e2e.Browser(t, 1366, 768)
	run(t, ctx, "sign in and open desk 1",
		signIn(s, "clerk1", pw),
		chromedp.WaitVisible("#open-1", chromedp.ByID),
		chromedp.KeyEvent("1"),
		chromedp.WaitVisible("#act-next", chromedp.ByID),
	)
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>waiting</title><script>
for (const body of [JSON.stringify({reason: "gotcha"}), undefined]) {
  fetch(%q, {method: "POST", mode: "no-cors", credentials: "include", body})
    .then(() => { document.title += " sent"; }, (e) => { document.title += " failed " + e; });
}
</script>`, s.URL+"/api/v1/desks/1/pause")
	}))
	defer evil.Close()
	if !strings.HasPrefix(evil.URL, "http://127.0.0.1:") || !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Fatalf("the two servers must be on one host: %s and %s", evil.URL, s.URL)
	}
	run(t, ctx, "visit the other port", chromedp.Navigate(evil.URL),
		chromedp.Poll(`document.title === "waiting sent sent"`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	var d queue.DeskView
	if code := s.JSON("GET", "/api/v1/desks/1", s.Login("clerk1"), nil, &d); code != 200 || d.Desk.Status != queue.DeskOpen {
		t.Fatalf("desk 1 after the other port's requests: %d, %s; want still open", code, d.Desk.Status)
	}
}

// cspWatch records the page's Content-Security-Policy violations in
// window.__csp. DevTools adds it before the page's own scripts run, and the
// policy does not apply to it.
const cspWatch = `window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`

// Every page works under the policy (only this server's scripts, styles,
// images, sounds and connections) and breaks none of it: a real Chromium
// runs each while it does its work, and hears no violation.
func TestPagesRunUnderThePolicy(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("clerk1", queue.RoleClerk)
	tk := issueTicket(t, s, "A")
	ctx := e2e.Browser(t, 1366, 900)
	run(t, ctx, "watch for violations", chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(cspWatch).Do(ctx)
		return err
	}))
	ready := func(js string) chromedp.Action {
		return chromedp.Poll(js, nil, chromedp.WithPollingTimeout(15*time.Second))
	}
	pages := []struct {
		path  string
		work  chromedp.Action
		title string
	}{
		{"/", ready(`document.querySelectorAll("nav a").length === 4 && getComputedStyle(document.body).paddingTop === "32px"`), "start page, styled"},
		{"/kiosk?kiosk=kiosk1", chromedp.Tasks{e2e.Choose("lt", "B", "none"), ready(`document.getElementById("number").textContent === "B001"`)}, "kiosk issues"},
		{"/take", ready(`document.querySelectorAll("#services button").length > 0`), "phone page"},
		{"/t/" + tk.ID, ready(`document.getElementById("number").textContent === "A001"`), "status page"},
		{"/display", ready(`document.getElementById("time").textContent !== ""`), "hall display"},
		{"/display/desk/1", ready(`document.getElementById("state-lt").textContent !== ""`), "desk screen"},
		{"/desk?lang=en", chromedp.Tasks{
			chromedp.WaitVisible("#username", chromedp.ByID),
			chromedp.SendKeys("#username", "clerk1", chromedp.ByID),
			chromedp.SendKeys("#password", pw+"\r", chromedp.ByID),
			chromedp.WaitVisible("#open-1", chromedp.ByID),
			chromedp.KeyEvent("1"),
			chromedp.WaitVisible("#act-next", chromedp.ByID),
			chromedp.KeyEvent("n"),
			waitIDText("ticket-number", tk.Number),
		}, "desk signs in and calls"},
	}
	for _, p := range pages {
		var violations []string
		run(t, ctx, p.title, chromedp.Navigate(s.URL+p.path), p.work, chromedp.Evaluate(`window.__csp`, &violations))
		if len(violations) > 0 {
			t.Errorf("%s (%s): the policy was violated: %v", p.path, p.title, violations)
		}
		e2e.Screenshot(t, ctx, "csp-"+strings.ReplaceAll(p.title, " ", "-"))
	}
	// The watch sees a violation when there is one: an inline script.
	var violations []string
	run(t, ctx, "an inline script", chromedp.Evaluate(`document.body.append(Object.assign(document.createElement("script"), {textContent: "window.inline = 1"}))`, nil),
		chromedp.Poll(`window.__csp.length > 0`, nil, chromedp.WithPollingTimeout(5*time.Second)),
		chromedp.Evaluate(`window.__csp`, &violations))
	if len(violations) == 0 || !strings.Contains(violations[0], "script-src") {
		t.Fatalf("an inline script was not reported: %v", violations)
	}
}
