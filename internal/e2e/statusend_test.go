package e2e_test

import (
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// A ticket that ended without service (the visitor did not come when
// called, or gave up the place) says so on its page without success's
// green, and offers a new ticket; the new ticket's page (/take) opens in
// the language the visitor read the status page in (trial, issue 12).
func TestStatusPageAfterANoShowOffersANewTicket(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	s.AddUser("clerk1", queue.RoleClerk)
	tok := s.Login("clerk1")
	if code := s.JSON("POST", "/api/v1/desks/1/open", tok, nil, nil); code != 200 {
		t.Fatalf("open desk 1: %d", code)
	}
	tk := issueTicket(t, s, "A")
	ctx := e2e.Phone(t)
	run(t, ctx, "the status page", chromedp.Navigate(s.URL+"/t/"+tk.ID), chromedp.WaitVisible("#number", chromedp.ByID),
		// The visitor reads it in Polish.
		chromedp.Click(`#langs button[data-lang="pl"]`, chromedp.ByQuery), chromedp.WaitVisible(`html[lang="pl"]`, chromedp.ByQuery))
	var again bool
	run(t, ctx, "no offer while waiting", chromedp.Evaluate(`document.getElementById("again").offsetParent !== null`, &again))
	if again {
		t.Error("a waiting ticket's page offers a new ticket")
	}
	for _, action := range []string{"next", "no-show"} {
		if code := s.JSON("POST", "/api/v1/desks/1/"+action, tok, nil, nil); code != 200 {
			t.Fatalf("desk 1 %s: %d", action, code)
		}
	}
	waitKioskText(t, ctx, "#status", "Bilet jest już nieważny")
	var colour, green string
	run(t, ctx, "the status's colour",
		chromedp.Evaluate(`getComputedStyle(document.getElementById("status")).color`, &colour),
		chromedp.Evaluate(`(() => { const e = document.createElement("span"); e.style.color = getComputedStyle(document.documentElement).getPropertyValue("--ok"); document.body.append(e); const c = getComputedStyle(e).color; e.remove(); return c; })()`, &green))
	if colour == green {
		t.Errorf("a no-show is said in success's green (%s)", colour)
	}
	if got := pageText(t, ctx, "#again"); got != "Weź nowy bilet" {
		t.Errorf("the offer of a new ticket says %q", got)
	}
	e2e.Screenshot(t, ctx, "status-no-show-pl")
	e2e.Axe(t, ctx, "status page after a no-show")
	run(t, ctx, "take a new ticket", tap("#again"), chromedp.WaitVisible(`#services button[data-service="A"]`, chromedp.ByQuery))
	var lang string
	run(t, ctx, "the language of /take", chromedp.Evaluate(`document.documentElement.lang`, &lang))
	if lang != "pl" {
		t.Errorf("/take opened in %q after the Polish status page", lang)
	}
}

// The phone's priority step says what the kiosk's says: no proof is
// needed and the choice is never shown (trial, issue 12), in the
// visitor's language.
func TestTakePriorityStepSaysNoProofIsNeeded(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.Phone(t)
	for _, c := range []struct{ lang, want string }{
		{"en", "Visitors in these groups may be invited earlier. No proof is needed, and your choice is never shown on screens."},
		{"ru", "Посетителей из этих групп могут пригласить раньше. Доказательства не нужны, и ваш выбор не показывается на экранах."},
	} {
		lang, want := c.lang, c.want
		run(t, ctx, lang+": the priority step", chromedp.Navigate(s.URL+"/take"),
			chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery),
			chromedp.Click(`#langs button[data-lang="`+lang+`"]`, chromedp.ByQuery),
			chromedp.Click(`#services button[data-service="A"]`, chromedp.ByQuery),
			chromedp.WaitVisible("#groups", chromedp.ByID))
		if got := pageText(t, ctx, "#priority-note"); got != want {
			t.Errorf("%s: the phone's priority step says %q, want %q", lang, got, want)
		}
	}
	e2e.Screenshot(t, ctx, "take-priority-note-ru")
}

// Every page has an icon the browser can load, and /favicon.ico answers
// (the trial's console showed its 404 on every page).
func TestEveryPageHasAnIcon(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.Browser(t, 1366, 768)
	for _, path := range []string{"/", "/kiosk", "/take", "/display", "/display/desk/1", "/desk", "/admin", "/admin/reports", "/results",
		"/feedback", "/feedback/desk/1", "/admin/feedback"} {
		var icon string
		run(t, ctx, path, chromedp.Navigate(s.URL+path), chromedp.WaitReady("body", chromedp.ByQuery),
			chromedp.Evaluate(`(async () => {
				const l = document.querySelector('link[rel="icon"]');
				if (!l) return "no icon link";
				const r = await fetch(l.href), old = await fetch("/favicon.ico");
				return r.status + " " + r.headers.get("content-type").split(";")[0] + " " + old.status;
			})()`, &icon, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
		if icon != "200 image/svg+xml 200" {
			t.Errorf("%s: icon %q", path, icon)
		}
	}
}
