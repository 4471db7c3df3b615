package e2e_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"langelis/internal/e2e"
	"langelis/office"
	"langelis/queue"
	"langelis/store"
)

// adminSignIn opens an admin page, signs in with the keyboard and turns
// the page to English with the nav's language choice.
func adminSignIn(s *e2e.Server, path, pw string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Navigate(s.URL + path),
		chromedp.WaitVisible(`.admin-signin input[name="username"]`),
		chromedp.SendKeys(`.admin-signin input[name="username"]`, "admin"),
		chromedp.SendKeys(`.admin-signin input[name="password"]`, pw+"\r"),
		chromedp.WaitVisible(`.admin-signout`),
		// EN follows LT in the list: the page reloads in English.
		chromedp.Focus(`select.admin-lang`), chromedp.KeyEvent(kb.ArrowDown),
		// Found only once the page has come back in English.
		chromedp.WaitVisible(`html[lang="en"] body[data-ready="1"]`),
	}
}

// fileSays is the office file's own message for the running office
// changed by edit: what a person editing the file would read, without the
// file name and line.
func fileSays(t *testing.T, s *e2e.Server, edit func(o *queue.Office)) string {
	t.Helper()
	o := s.Engine.Office().Clone()
	edit(o)
	_, err := office.Parse("office.yaml", office.Export(o, ""))
	if err == nil {
		t.Fatal("the office file takes the bad value")
	}
	msg := regexp.MustCompile(`^office\.yaml:\d+: `).ReplaceAllString(err.Error(), "")
	return "The configuration was not changed: " + msg
}

func adminWait(id, want string) chromedp.Action {
	return chromedp.Poll(fmt.Sprintf(`document.getElementById(%q)?.textContent === %q`, id, want), nil, chromedp.WithPollingTimeout(10*time.Second))
}

// soon waits a few seconds, no longer, for expr to hold: a page that
// follows the websocket shows a change at once.
func soon(expr string) chromedp.Action {
	return chromedp.Poll(expr, nil, chromedp.WithPollingTimeout(5*time.Second))
}

// typeInto replaces a field's text as a person does: select all, type.
func typeInto(sel, text string) chromedp.Action {
	return chromedp.Tasks{chromedp.Focus(sel), chromedp.KeyEvent("a", chromedp.KeyModifiers(input.ModifierCtrl)),
		chromedp.KeyEvent(kb.Backspace), chromedp.SendKeys(sel, text)}
}

// The manager adds a service and a desk, changes the week's hours and
// adds a holiday on /admin while the hall works; a bad value in each form
// is refused with the office file's own message. The kiosk (open since
// before) offers the new service and the desk page (a clerk signed in
// since before) opens the new desk, without a restart or a reload; the
// audit lists every change; and a restart keeps them.
func TestAdminConfiguresTheRunningHall(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("admin", queue.RoleAdmin)
	cpw := s.AddUser("clerk1", queue.RoleClerk)

	// The hall, in another browser: a kiosk and a clerk at the chooser.
	hall := e2e.Browser(t, 1366, 768)
	kiosk, _ := chromedp.NewContext(hall)
	run(t, kiosk, "kiosk", chromedp.EmulateViewport(1080, 1920), chromedp.Navigate(s.URL+"/kiosk"),
		chromedp.WaitVisible(`#services button[data-service="A"]`))
	desk, _ := chromedp.NewContext(hall)
	run(t, desk, "desk sign-in", signIn(s, "clerk1", cpw), chromedp.WaitVisible("#open-1", chromedp.ByID))

	ctx := e2e.Browser(t, 1366, 768)
	run(t, ctx, "admin sign-in", adminSignIn(s, "/admin", pw), chromedp.WaitVisible("#svc-letter", chromedp.ByID))
	e2e.Screenshot(t, ctx, "admincfg-services")
	e2e.Axe(t, ctx, "admin services")

	// Services: a bad target first, then a good one.
	want := fileSays(t, s, func(o *queue.Office) {
		o.Services = append(o.Services, queue.Service{Letter: "Q", Names: map[string]string{"lt": "Pasai"}, TargetMinutes: 900})
	})
	run(t, ctx, "bad service",
		typeInto("#svc-letter", "Q"), typeInto("#svc-name-lt", "Pasai"), typeInto("#svc-name-en", "Passports"),
		typeInto("#svc-target", "900"), chromedp.Click("#svc-save", chromedp.ByID), adminWait("error", want))
	e2e.Screenshot(t, ctx, "admincfg-services-refused")
	e2e.Axe(t, ctx, "admin services refused")
	if _, ok := s.Engine.Office().Service("Q"); ok {
		t.Fatal("a refused service is in the running office")
	}
	run(t, ctx, "add service", typeInto("#svc-target", "12"), chromedp.Click("#svc-save", chromedp.ByID),
		adminWait("done", "Service Q added. In effect now."), chromedp.WaitVisible("#svc-edit-Q", chromedp.ByID))
	// Within seconds: not the kiosk's once-a-minute look at the hours.
	run(t, kiosk, "the kiosk offers Q", soon(`document.querySelector('#services button[data-service="Q"]')?.offsetParent != null`))

	// Desks: number 0 is refused as the file refuses it; desk 9 serves Q.
	want = fileSays(t, s, func(o *queue.Office) { o.Desks = append(o.Desks, queue.DeskDef{Number: 0, Services: []string{"Q"}}) })
	run(t, ctx, "bad desk", chromedp.Click("#tab-desks", chromedp.ByID), chromedp.WaitVisible("#desk-number", chromedp.ByID),
		typeInto("#desk-number", "0"), chromedp.Click("#desk-svc-Q", chromedp.ByID), chromedp.Click("#desk-save", chromedp.ByID),
		adminWait("error", want))
	run(t, ctx, "add desk", typeInto("#desk-number", "9"), chromedp.Click("#desk-save", chromedp.ByID),
		adminWait("done", "Desk 9 added. In effect now."), chromedp.WaitVisible("#desk-edit-9", chromedp.ByID))
	e2e.Screenshot(t, ctx, "admincfg-desks")
	e2e.Axe(t, ctx, "admin desks")

	// The clerk's chooser offers desk 9 at once, and it opens.
	run(t, desk, "open desk 9", soon(`document.getElementById("open-9")?.offsetParent != null`), chromedp.Click("#open-9", chromedp.ByID),
		waitIDText("desk-title", "Desk 9"))
	tk := issueTicket(t, s, "Q")
	run(t, desk, "desk 9 calls Q", waitIDText("upcoming", tk.Number), chromedp.Click("#act-next", chromedp.ByID), waitIDText("ticket-number", tk.Number))

	// Hours: a range that ends before it starts, then Saturday mornings.
	_, perr := queue.ParseSpans("08:00-07:00")
	want = "The configuration was not changed: hours for monday: " + perr.Error()
	if fileMsg := monSays(t, s, "08:00-07:00"); !strings.HasSuffix(fileMsg, "hours for monday: "+perr.Error()) {
		t.Fatalf("the file says %q", fileMsg)
	}
	run(t, ctx, "bad week", chromedp.Click("#tab-hours", chromedp.ByID), chromedp.WaitVisible("#week-monday", chromedp.ByID),
		typeInto("#week-monday", "08:00-07:00"), chromedp.Click("#week-save", chromedp.ByID), adminWait("error", want))
	tomorrow := s.Day.AddDate(0, 0, 1).Format(time.DateOnly)
	run(t, ctx, "week", typeInto("#week-monday", "08:00-17:00"), typeInto("#week-saturday", "09:00-13:00"),
		chromedp.Click("#week-save", chromedp.ByID), adminWait("done", "The week's hours changed. Takes effect on "+tomorrow+"."))

	// Holidays: a date that is not one, then one ten days ahead.
	want = fileSays(t, s, func(o *queue.Office) { o.Hours.Holidays = map[string]bool{"2026-13-45": true} })
	run(t, ctx, "bad holiday", typeInto("#holiday-date", "2026-13-45"), chromedp.Click("#holiday-add", chromedp.ByID), adminWait("error", want))
	holiday := s.Day.AddDate(0, 0, 10).Format(time.DateOnly)
	run(t, ctx, "holiday", typeInto("#holiday-date", holiday), chromedp.Click("#holiday-add", chromedp.ByID),
		adminWait("done", holiday+" is a holiday. In effect now."),
		chromedp.Poll(fmt.Sprintf(`document.querySelector('#calendar td[data-date=%q]')?.textContent.includes("Holiday")`, holiday), nil,
			chromedp.WithPollingTimeout(5*time.Second)))
	e2e.Screenshot(t, ctx, "admincfg-hours")
	e2e.Axe(t, ctx, "admin hours")
	if o := s.Engine.Office(); !o.Hours.Holidays[holiday] || len(o.OpenIntervals(s.Day.AddDate(0, 0, 10).Add(12*time.Hour))) != 0 {
		t.Fatal("the holiday is not in the running office")
	}

	// The rules and the file tabs, for the eye and for axe.
	run(t, ctx, "rules", chromedp.Click("#tab-rules", chromedp.ByID), chromedp.WaitVisible("#rule-policy", chromedp.ByID))
	e2e.Screenshot(t, ctx, "admincfg-rules")
	e2e.Axe(t, ctx, "admin rules")
	run(t, ctx, "file", chromedp.Click("#tab-file", chromedp.ByID), chromedp.WaitVisible("#diff", chromedp.ByID),
		chromedp.Poll(`[...document.querySelectorAll("#diff td")].some((td) => td.textContent === "- number: 9")`, nil, chromedp.WithPollingTimeout(5*time.Second)))
	e2e.Screenshot(t, ctx, "admincfg-file")
	e2e.Axe(t, ctx, "admin file")

	// The audit shows each change in words, with who made it.
	run(t, ctx, "audit", chromedp.Click(`nav a[href="/admin/audit"]`), chromedp.WaitVisible("#audit", chromedp.ByID),
		chromedp.Poll(`document.body.dataset.ready === "1"`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	var rows string
	run(t, ctx, "audit rows", chromedp.Text("#audit tbody", &rows, chromedp.ByID))
	for _, w := range []string{"Service added", "service Q", "Desk added", "desk 9", "Opening hours changed", "Holiday added", "holiday " + holiday, "Desk opened", "Ticket called", tk.Number} {
		if !strings.Contains(rows, w) {
			t.Errorf("the audit lacks %q:\n%s", w, rows)
		}
	}
	e2e.Screenshot(t, ctx, "admincfg-audit")
	e2e.Axe(t, ctx, "admin audit")

	// A restart runs the changed configuration, not the file's.
	s.Restart()
	if _, ok := s.Engine.Office().Service("Q"); !ok {
		t.Fatal("service Q is gone after a restart")
	}
	if _, ok := s.Engine.Office().DeskDef(9); !ok {
		t.Fatal("desk 9 is gone after a restart")
	}
	cs, err := s.Store.Changes(store.ChangeFilter{Actor: "admin"})
	if err != nil || len(cs) != 4 {
		t.Fatalf("changes after restart: %d, %v", len(cs), err)
	}
}

// monSays is the file's message for Monday's hours written as text.
func monSays(t *testing.T, s *e2e.Server, hours string) string {
	t.Helper()
	data := string(office.Export(s.Engine.Office(), ""))
	i := strings.Index(data, "  monday: ")
	j := i + strings.IndexByte(data[i:], '\n')
	_, err := office.Parse("office.yaml", []byte(data[:i]+"  monday: \""+hours+"\""+data[j:]))
	if err == nil {
		t.Fatal("the file takes " + hours)
	}
	return err.Error()
}

// acceptDialogs answers every confirm() on the page with OK, as the
// manager does after reading it; the texts are kept for the test.
func acceptDialogs(ctx context.Context) *[]string {
	var mu sync.Mutex
	seen := &[]string{}
	chromedp.ListenTarget(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			mu.Lock()
			*seen = append(*seen, d.Message)
			mu.Unlock()
			go chromedp.Run(ctx, page.HandleJavaScriptDialog(true))
		}
	})
	return seen
}

// The rest of the manager's forms: today's early close (at once), the
// rules (the kiosk stops past the cutoff), and retiring a desk after the
// confirmation, which leaves the clerk's chooser at once; an open desk
// cannot be retired.
func TestAdminExceptionRulesAndRetire(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("admin", queue.RoleAdmin)
	cpw := s.AddUser("clerk1", queue.RoleClerk)
	hall := e2e.Browser(t, 1366, 768)
	run(t, hall, "desk sign-in", signIn(s, "clerk1", cpw), chromedp.WaitVisible("#open-5", chromedp.ByID))

	ctx := e2e.Browser(t, 1366, 768)
	dialogs := acceptDialogs(ctx)
	run(t, ctx, "admin sign-in", adminSignIn(s, "/admin#hours", pw), chromedp.WaitVisible("#exception-date", chromedp.ByID))

	today := s.Day.Format(time.DateOnly)
	run(t, ctx, "early close today", typeInto("#exception-date", today), typeInto("#exception-hours", "08:00-12:00"),
		chromedp.Click("#exception-set", chromedp.ByID), adminWait("done", "The hours of "+today+" are set. In effect now."),
		soon(fmt.Sprintf(`document.querySelector('#calendar td[data-date=%q]')?.textContent.includes("08:00–12:00")`, today)))
	if c, _ := s.Engine.Office().Closing(s.Clock.Now()); c.Hour() != 12 {
		t.Fatalf("today closes at %v", c)
	}

	run(t, ctx, "rules", chromedp.Click("#tab-rules", chromedp.ByID), chromedp.WaitVisible("#rule-beyond_cutoff", chromedp.ByID),
		chromedp.Focus("#rule-beyond_cutoff", chromedp.ByID), chromedp.KeyEvent(kb.ArrowDown), // warn → stop
		typeInto("#rule-notice_minutes", "45"),
		chromedp.Click("#rules-save", chromedp.ByID), adminWait("done", "The rules changed. In effect now."))
	if o := s.Engine.Office(); o.BeyondCutoff != "stop" || o.NoticeMinutes != 45 {
		t.Fatalf("rules: %s, %d", o.BeyondCutoff, o.NoticeMinutes)
	}

	// Desk 1 is open: refused. Desk 5 is closed: retired, and gone from
	// the clerk's chooser.
	run(t, hall, "open desk 1", chromedp.Click("#open-1", chromedp.ByID), waitIDText("desk-title", "Desk 1"))
	run(t, ctx, "retire open desk", chromedp.Click("#tab-desks", chromedp.ByID), chromedp.Click("#desk-retire-1", chromedp.ByID),
		adminWait("error", "Desk 1 is working now: it can be retired only once it is closed."))
	run(t, ctx, "retire desk 5", chromedp.Click("#desk-retire-5", chromedp.ByID), adminWait("done", "Desk 5 retired. In effect now."),
		soon(`!document.getElementById("desk-retire-5") && document.getElementById("retired-desks").textContent.includes("5")`))
	if len(*dialogs) != 2 || !strings.Contains((*dialogs)[1], "Retire desk 5?") {
		t.Fatalf("confirmations: %q", *dialogs)
	}
	e2e.Screenshot(t, ctx, "admincfg-desk-retired")
	e2e.Axe(t, ctx, "admin desk retired")
	run(t, hall, "close desk 1", chromedp.KeyEvent("q"), dialogOpen(), chromedp.KeyEvent("q"))
	run(t, hall, "desk 5 is gone", soon(`!!document.getElementById("open-1") && !document.getElementById("open-5")`))
}
