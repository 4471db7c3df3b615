package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/app"
	"langelis/internal/e2e"
	"langelis/queue"
)

// background is the page's background colour.
func background(t *testing.T, ctx context.Context) string {
	t.Helper()
	var c string
	run(t, ctx, "background", chromedp.Evaluate(`getComputedStyle(document.body).backgroundColor`, &c))
	return c
}

// Being called cannot be missed on the phone: the whole screen changes,
// the title says where to go, the phone vibrates and chimes (the visitor
// allowed it with a tap, as browsers require), and giving up the place is
// no longer the big button. A recall does it all again and says so. The
// words in all five languages.
func TestStatusPageCallIsUnmissable(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	s.AddUser("clerk2", queue.RoleClerk)
	tok := s.Login("clerk2")
	desk := func(action string) {
		t.Helper()
		if code := s.JSON("POST", "/api/v1/desks/2/"+action, tok, nil, nil); code != 200 {
			t.Fatalf("desk 2 %s: %d", action, code)
		}
	}
	var mine issued
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "lang": "lt"}, &mine); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	ctx := e2e.Phone(t)
	run(t, ctx, "open the status page", e2e.PhoneAlerts(), chromedp.Navigate(s.URL+mine.StatusURL),
		chromedp.WaitVisible("#alerts", chromedp.ByID))
	waitKioskText(t, ctx, "#status", "Laukiate eilėje")
	waiting := background(t, ctx)
	var title string
	run(t, ctx, "title", chromedp.Title(&title))
	if title != "A001 · Langelis" {
		t.Errorf("the waiting page's title is %q", title)
	}
	e2e.Screenshot(t, ctx, "status-waiting-lt")
	e2e.Axe(t, ctx, "status page, waiting")
	// The visitor allows the alerts: a short buzz and the chime now.
	run(t, ctx, "allow alerts", tap("#alerts"))
	waitKioskText(t, ctx, "#alerts", "Įspėsime jus garsu ir vibracija")
	vib, snd := e2e.Alerts(t, ctx)
	if len(vib) != 1 || len(snd) != 1 {
		t.Fatalf("allowing the alerts: %d vibrations, %d sounds; want a sample of each", len(vib), len(snd))
	}

	desk("open")
	desk("next")
	waitKioskText(t, ctx, "#call-go", "Eikite prie langelio 2")
	if got := pageText(t, ctx, "#call-title"); got != "Jūsų eilė!" {
		t.Errorf("called: the page says %q", got)
	}
	if bg := background(t, ctx); bg == waiting {
		t.Errorf("called: the background is still %s", bg)
	}
	run(t, ctx, "title", chromedp.Title(&title))
	if title != "A001 → langelis 2" {
		t.Errorf("called: the title is %q", title)
	}
	vib, snd = e2e.Alerts(t, ctx)
	if len(vib) != 2 || len(snd) != 2 || !strings.HasSuffix(snd[1], "/static/sounds/chime.wav") {
		t.Errorf("called: vibrations %v, sounds %v; want one more of each, the chime", vib, snd)
	}
	// The call fills the screen; giving up the place is a small button.
	call := e2e.Rects(t, ctx, "#call")[0]
	cancel := e2e.Rects(t, ctx, "#cancel")[0]
	if call.H < 844/2 || cancel.H > 56 || cancel.W*cancel.H*8 > call.W*call.H {
		t.Errorf("called: the call is %s, the give-up button %s; want the call over half the screen and the button small", call, cancel)
	}
	var biggest string
	run(t, ctx, "the biggest button", chromedp.Evaluate(`[...document.querySelectorAll("button")].filter((b) => b.offsetParent)
		.map((b) => [b.id, b.getBoundingClientRect()]).sort((a, b) => b[1].width * b[1].height - a[1].width * a[1].height)[0][0]`, &biggest))
	if biggest != "coming" {
		t.Errorf("called: the biggest button is %q, want the answer \"on my way\"", biggest)
	}
	e2e.Screenshot(t, ctx, "status-called-lt")
	e2e.Axe(t, ctx, "status page, called")

	// Unanswered, the call is told again; "on my way" ends that.
	waitJS(t, ctx, `window.__vibrations.length === 3`)
	run(t, ctx, "on my way", tap("#coming"))
	waitKioskText(t, ctx, "#coming", "Laukiame jūsų prie langelio")
	if held, _ := e2e.Watch(t, ctx, `window.__vibrations.length > 3 || window.__sounds.length > 3`, 11*time.Second); held > 0 {
		t.Error("the phone kept alerting after the visitor answered the call")
	}

	// The recall: all of it again, and the page says it is the second call.
	desk("recall")
	waitKioskText(t, ctx, "#call-title", "Kviečiame dar kartą!")
	vib, snd = e2e.Alerts(t, ctx)
	if len(vib) != 4 || len(snd) != 4 {
		t.Errorf("recalled: %d vibrations, %d sounds; want one more of each", len(vib), len(snd))
	}
	waitKioskText(t, ctx, "#coming", "Jau einu")
	e2e.Screenshot(t, ctx, "status-recalled-lt")

	// The other languages, by the language buttons.
	for _, c := range []struct{ lang, again, go_, title string }{
		{"en", "Called again!", "Please go to desk 2", "A001 → desk 2"},
		{"ru", "Вас вызывают ещё раз!", "Пройдите к окну 2", "A001 → окно 2"},
		{"pl", "Wzywamy ponownie!", "Podejdź do okienka 2", "A001 → okienko 2"},
		{"uk", "Вас викликають ще раз!", "Підійдіть до віконця 2", "A001 → віконце 2"},
	} {
		run(t, ctx, c.lang, tap(fmt.Sprintf(`#langs button[data-lang=%q]`, c.lang)))
		waitKioskText(t, ctx, "#call-go", c.go_)
		if got := pageText(t, ctx, "#call-title"); got != c.again {
			t.Errorf("%s: %q, want %q", c.lang, got, c.again)
		}
		run(t, ctx, "title", chromedp.Title(&title))
		if title != c.title {
			t.Errorf("%s: title %q, want %q", c.lang, title, c.title)
		}
		e2e.Screenshot(t, ctx, "status-recalled-"+c.lang)
	}
	// Served: the screen is calm again.
	desk("start")
	waitKioskText(t, ctx, "#status", "Обслуговування біля віконця 2")
	if bg := background(t, ctx); bg != waiting {
		t.Errorf("being served: the background is %s, want the calm %s", bg, waiting)
	}
}

// A phone that lost its signal while the desk called it again learns of
// the recall from its ticket's own message when it is back (the ticket
// stream replays no events: the hall's recall event is gone for it), and
// is alerted as loudly as the first time.
func TestStatusPageHearsARecallMissedOffline(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Configure: func(c *app.Config) { c.Server.KeepAlive = 300 * time.Millisecond }})
	s.AddUser("clerk2", queue.RoleClerk)
	tok := s.Login("clerk2")
	desk := func(action string) {
		t.Helper()
		if code := s.JSON("POST", "/api/v1/desks/2/"+action, tok, nil, nil); code != 200 {
			t.Fatalf("desk 2 %s: %d", action, code)
		}
	}
	var mine issued
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "lang": "en"}, &mine); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	link := e2e.NewLink(t, s.Addr)
	ctx := e2e.Phone(t)
	run(t, ctx, "open the status page", e2e.PhoneAlerts(), chromedp.Navigate(link.URL+mine.StatusURL),
		chromedp.WaitVisible("#alerts", chromedp.ByID))
	run(t, ctx, "allow alerts", tap("#alerts"))
	desk("open")
	desk("next")
	waitKioskText(t, ctx, "#call-go", "Please go to desk 2")
	run(t, ctx, "on my way", tap("#coming"))
	waitKioskText(t, ctx, "#coming", "The desk is expecting you")
	vib, _ := e2e.Alerts(t, ctx)

	link.Cut()
	waitJS(t, ctx, `!document.getElementById("offline").hidden`)
	s.Clock.Advance(time.Minute) // the clerk waits a minute before calling again
	desk("recall")
	link.Restore()
	waitJS(t, ctx, `document.getElementById("offline").hidden`)
	waitKioskText(t, ctx, "#call-title", "Called again!")
	if again, _ := e2e.Alerts(t, ctx); len(again) != len(vib)+1 {
		t.Errorf("back online after a missed recall: %d vibrations, want %d", len(again), len(vib)+1)
	}
	waitKioskText(t, ctx, "#coming", "I'm on my way")
	e2e.Screenshot(t, ctx, "status-recall-missed-offline-en")
}
