package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// eodHall is eodOffice at 16:00 (the announcements are due): desk 1 open,
// and `waiting` tickets issued at `issued`, so that six of them can still
// be served by 17:00 and a ticket issued now would most likely not be.
func eodHall(t *testing.T, o *queue.Office, waiting int, issued string) (*e2e.Server, string) {
	t.Helper()
	s := e2e.Start(t, e2e.Options{Office: o, At: issued})
	s.AddUser("clerk1", queue.RoleClerk)
	tok := s.Login("clerk1")
	if code := s.JSON("POST", "/api/v1/desks/1/open", tok, nil, nil); code != 200 {
		t.Fatalf("open desk 1: %d", code)
	}
	for i := 0; i < waiting; i++ {
		issueTicket(t, s, "A")
	}
	s.Clock.Set(s.At("16:00"))
	s.Real.Advance(5 * time.Second) // the forecaster runs on this state (every few seconds of real time)
	return s, tok
}

// tap touches a button as a finger does (Chromium's click: the press and
// release at the element's centre), after waiting until it can be touched.
func tap(sel string) chromedp.Tasks {
	return chromedp.Tasks{chromedp.WaitEnabled(sel, chromedp.ByQuery), chromedp.Click(sel, chromedp.ByQuery)}
}

// pageText is the visible text of the element.
func pageText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	var s string
	if err := chromedp.Run(ctx, chromedp.Text(sel, &s, chromedp.ByQuery, chromedp.NodeVisible)); err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// waitHidden waits until no element sel is shown.
func waitHidden(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	waitJS(t, ctx, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !e || e.offsetParent === null; })()`, sel))
}

// eodIssuer is a place a visitor takes a ticket near closing: the
// kiosk, or /take on the phone. Both ask the same end-of-day question.
type eodIssuer struct {
	name  string // in test names and screenshots
	path  string
	kiosk bool // a touch screen: the kiosk's targets are checked, its banner read
	open  func(t *testing.T) context.Context
}

var eodIssuers = []eodIssuer{
	{name: "kiosk", path: "/kiosk?kiosk=kiosk1", kiosk: true, open: e2e.Kiosk},
	{name: "take", path: "/take", open: e2e.Phone},
}

// Near closing the kiosk and /take (the README's promise; the trial's
// phone issued at once at 19:45) ask before they issue: they say plainly
// that the visitor will most likely not be served today, with the hall's
// figure (computed without priority information) and how many are ahead,
// and let the visitor go back or take the ticket anyway; in all five
// languages. Back issues nothing. The visitor who takes it finds the same
// on their phone's status page, with the offer to give up the place, and
// gives it up there.
func TestAskBeforeIssuingNearClosing(t *testing.T) {
	for _, is := range eodIssuers {
		t.Run(is.name, func(t *testing.T) { askBeforeIssuing(t, is) })
	}
}

func askBeforeIssuing(t *testing.T, is eodIssuer) {
	s, _ := eodHall(t, eodOffice(t), 8, "15:30")
	ctx := is.open(t)
	run(t, ctx, "open "+is.path, chromedp.Navigate(s.URL+is.path),
		chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	if is.kiosk {
		waitKioskText(t, ctx, "#eod", "Darbo diena baigiasi 17:00")
	}
	for _, c := range []struct{ lang, title, closing, ahead, take string }{
		{"lt", "Šiandien jūsų greičiausiai nebespėsime aptarnauti.", "Darbo diena baigiasi 17:00.", "Prieš jus eilėje: 8 klientai.", "Vis tiek imti bilietą"},
		{"en", "You will most likely not be served today.", "The office closes at 17:00.", "8 clients are ahead of you.", "Take the ticket anyway"},
		{"ru", "Сегодня вас, скорее всего, уже не успеют обслужить.", "Рабочий день заканчивается в 17:00.", "Перед вами в очереди: 8 клиентов.", "Всё равно взять талон"},
		{"pl", "Dziś najprawdopodobniej nie zdążymy Cię obsłużyć.", "Urząd zamyka się o 17:00.", "Przed Tobą w kolejce: 8 klientów.", "Mimo to weź bilet"},
		{"uk", "Сьогодні вас, найімовірніше, уже не встигнуть обслужити.", "Робочий день закінчується о 17:00.", "Перед вами в черзі: 8 клієнтів.", "Однаково взяти талон"},
	} {
		run(t, ctx, c.lang+": choose A, no priority", e2e.Choose(c.lang, "A", "none"), chromedp.WaitVisible("#ask-title", chromedp.ByID))
		if got := pageText(t, ctx, "#ask-title"); got != c.title {
			t.Errorf("%s: %s asks %q, want %q", c.lang, is.name, got, c.title)
		}
		text := pageText(t, ctx, "#ask-text")
		for _, want := range []string{c.closing, c.ahead} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: %s says %q, want it to say %q", c.lang, is.name, text, want)
			}
		}
		if got := pageText(t, ctx, "#ask-take"); got != c.take {
			t.Errorf("%s: the take button says %q, want %q", c.lang, got, c.take)
		}
		e2e.Screenshot(t, ctx, is.name+"-eod-warn-"+c.lang)
		if c.lang == "lt" {
			e2e.Axe(t, ctx, is.name+", the end-of-day question")
			if is.kiosk {
				e2e.KioskTargets(t, ctx, is.name+", the end-of-day question")
			}
		}
		// Back: no ticket, the start screen.
		run(t, ctx, c.lang+": back", tap("#ask-back"), chromedp.WaitVisible("#services", chromedp.ByID))
	}
	var snap queue.PublicSnapshot
	if s.JSON("GET", "/api/v1/queue", "", nil, &snap); snap.Waiting["A"] != 8 {
		t.Fatalf("after five times back, %d wait; want the 8 from before", snap.Waiting["A"])
	}

	// Taken anyway: the ticket, and on the phone the same news with the
	// offer to give up the place.
	run(t, ctx, "take it anyway", e2e.Choose("en", "A", "none"), tap("#ask-take"), chromedp.WaitVisible("#number", chromedp.ByID))
	if number := waitKioskText(t, ctx, "#number", "A009"); number != "A009" {
		t.Fatalf("the ticket taken anyway is %q", number)
	}
	var tk issued
	for _, x := range ticketsOf(t, s) {
		if x.Number == "A009" {
			tk = x
		}
	}
	phone := ctx
	if is.kiosk {
		phone = e2e.Phone(t)
		run(t, phone, "the phone's status page", chromedp.Navigate(s.URL+tk.StatusURL))
	}
	run(t, phone, "the status page", chromedp.WaitVisible("#eod-text", chromedp.ByID))
	text := waitKioskText(t, phone, "#eod-text", "Your ticket A009 is unlikely to be served today")
	if !strings.HasPrefix(text, "The office closes at 17:00.") {
		t.Errorf("the status page says %q", text)
	}
	waitKioskText(t, phone, "#eod-giveup", "If you wish, you can give up your place in the queue.")
	e2e.Screenshot(t, phone, is.name+"-status-eod-beyond-en")
	e2e.Axe(t, phone, "status page, beyond the cutoff")
	run(t, phone, "give the place up", tap("#eod-cancel"), tap("#cancel-yes"))
	waitKioskText(t, phone, "#status", "You gave up your place in the queue.")
	if st := ticketStatus(t, s, tk.ID); st != queue.Cancelled {
		t.Fatalf("A009 after giving the place up: %s", st)
	}
}

// ticketsOf lists the day's tickets with their tokens, as staff see them.
func ticketsOf(t *testing.T, s *e2e.Server) []issued {
	t.Helper()
	s.AddUser("admin-lister", queue.RoleAdmin)
	var snap struct{ Tickets []issued }
	if code := s.JSON("GET", "/api/v1/queue", s.Login("admin-lister"), nil, &snap); code != 200 {
		t.Fatalf("staff snapshot: %d", code)
	}
	for i := range snap.Tickets {
		snap.Tickets[i].StatusURL = "/t/" + snap.Tickets[i].ID
	}
	return snap.Tickets
}

// An office that stops issuing tickets it cannot serve today: once the
// announcements are due, the kiosk and /take say so before issuing and
// offer no ticket, in every language; nothing is issued.
func TestStopIssuingNearClosing(t *testing.T) {
	for _, is := range eodIssuers {
		t.Run(is.name, func(t *testing.T) { stopIssuing(t, is) })
	}
}

func stopIssuing(t *testing.T, is eodIssuer) {
	o := eodOffice(t)
	o.BeyondCutoff = "stop"
	s, _ := eodHall(t, o, 12, "15:30")
	ctx := is.open(t)
	run(t, ctx, "open "+is.path, chromedp.Navigate(s.URL+is.path),
		chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	for _, c := range []struct{ lang, title, why string }{
		{"lt", "Šios paslaugos bilietų šiandien nebeišduodame.", "Prašome atvykti kitą darbo dieną."},
		{"en", "No more tickets for this service today.", "Please come back on another working day."},
		{"ru", "Талоны на эту услугу сегодня больше не выдаются.", "Пожалуйста, приходите в другой рабочий день."},
		{"pl", "Dziś nie wydajemy już biletów na tę usługę.", "Prosimy przyjść w inny dzień roboczy."},
		{"uk", "Талони на цю послугу сьогодні більше не видаються.", "Будь ласка, приходьте в інший робочий день."},
	} {
		run(t, ctx, c.lang+": choose A", e2e.Choose(c.lang, "A", "none"), chromedp.WaitVisible("#ask-title", chromedp.ByID))
		if got := pageText(t, ctx, "#ask-title"); got != c.title {
			t.Errorf("%s: %s says %q, want %q", c.lang, is.name, got, c.title)
		}
		if got := pageText(t, ctx, "#ask-text"); !strings.Contains(got, c.why) || !strings.Contains(got, "17:00") {
			t.Errorf("%s: %s explains %q", c.lang, is.name, got)
		}
		var takeShown bool
		run(t, ctx, "no take button", chromedp.Evaluate(`document.getElementById("ask-take").offsetParent !== null`, &takeShown))
		if takeShown {
			t.Errorf("%s: %s offers a ticket although the office stops issuing them", c.lang, is.name)
		}
		e2e.Screenshot(t, ctx, is.name+"-eod-stop-"+c.lang)
		if c.lang == "lt" {
			e2e.Axe(t, ctx, is.name+", no more tickets today")
			if is.kiosk {
				e2e.KioskTargets(t, ctx, is.name+", no more tickets today")
			}
		}
		run(t, ctx, c.lang+": back", tap("#ask-back"), chromedp.WaitVisible("#services", chromedp.ByID))
	}
	var snap queue.PublicSnapshot
	if s.JSON("GET", "/api/v1/queue", "", nil, &snap); snap.Waiting["A"] != 12 {
		t.Fatalf("%d wait after %s stopped; want 12", snap.Waiting["A"], is.name)
	}
}

// A priority ticket that the office's rules will call today, though it is
// past the hall's last number (which knows no priority): its page says it
// is likely served today, and never shows the hall's "last ticket".
func TestStatusPagePriorityWithinTheCutoff(t *testing.T) {
	// The others came a minute ago: the priority group's head start puts
	// the new ticket before them.
	s, _ := eodHall(t, eodOffice(t), 8, "15:59")
	var p issued
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "priority": "elderly", "lang": "lt"}, &p); code != 201 {
		t.Fatalf("priority ticket: %d", code)
	}
	s.Real.Advance(5 * time.Second) // a forecast that has the ticket (the forecaster runs every few seconds of real time)
	ctx := e2e.Phone(t)
	run(t, ctx, "open the status page", chromedp.Navigate(s.URL+p.StatusURL), chromedp.WaitVisible("#number", chromedp.ByID))
	waitKioskText(t, ctx, "#eod-text", "Tikėtina, kad šiandien būsite aptarnauti")
	var all string
	run(t, ctx, "read the page", chromedp.Text("main", &all, chromedp.ByQuery))
	if strings.Contains(all, "A006") || strings.Contains(all, "A008") {
		t.Errorf("the priority ticket's page names the hall's last ticket: %q", all)
	}
	var offer bool
	run(t, ctx, "no offer", chromedp.Evaluate(`document.getElementById("eod-cancel").offsetParent !== null`, &offer))
	if offer {
		t.Error("a ticket likely served today is offered to give up its place")
	}
	e2e.Screenshot(t, ctx, "status-eod-priority-lt")
}
