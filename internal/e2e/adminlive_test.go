package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"langelis/internal/e2e"
	"langelis/queue"
)

// The manager's live view, signed in at 1366x768: it shows a called ticket
// at its desk, pauses a service's calls, puts a message on the hall
// display (seen on /display at 1920x1080, gone at its end time on the
// office clock), refuses a wrong end time in words, and closes a desk,
// whose ticket goes back to the queue.
func TestAdminLive(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	adminPW := s.AddUser("boss", queue.RoleAdmin)
	s.AddUser("clerk1", queue.RoleClerk)
	clerk := s.Login("clerk1")
	if code := s.JSON("POST", "/api/v1/desks/1/open", clerk, map[string]string{}, nil); code != 200 {
		t.Fatalf("open desk 1: %d", code)
	}
	a := issueTicket(t, s, "A")
	issueTicket(t, s, "B")
	if code := s.JSON("POST", "/api/v1/desks/1/next", clerk, map[string]string{}, nil); code != 200 {
		t.Fatalf("next: %d", code)
	}

	admin := e2e.Browser(t, 1366, 768)
	run(t, admin, "the live view shows the called ticket",
		signInAsAdmin(s, "/admin/live", "boss", adminPW),
		waitHas(`#desks tr[data-desk="1"] td.ticket`, a.Number),
		waitHas(`#desks tr[data-desk="1"] td.held`, "iškviestas "),
		waitHas(`#desks tr[data-desk="1"]`, "Name clerk1"),
		waitHas(`#figures`, "Išduota2"),
		waitHas(`#connections`, "darbuotojų ekranų: 1"),
	)
	e2e.Screenshot(t, admin, "adminpeople-live")
	e2e.Axe(t, admin, "/admin/live")

	run(t, admin, "pause service B",
		chromedp.SendKeys("#pause-reason", "Registrų centras neveikia", chromedp.ByID),
		chromedp.Click(`#services tr[data-service="B"] button`),
		waitHas(`#services tr[data-service="B"]`, "kvietimai sustabdyti nuo 10:00: Registrų centras neveikia"),
		waitHas(`#services tr[data-service="B"] button`, "Tęsti kvietimus"),
	)
	var snap queue.Snapshot
	s.JSON("GET", "/api/v1/queue", clerk, nil, &snap)
	if len(snap.PausedServices) != 1 || snap.PausedServices[0].Service != "B" {
		t.Fatalf("paused services: %+v", snap.PausedServices)
	}

	run(t, admin, "a wrong end time is refused in words",
		chromedp.SendKeys("#message-first", "Šiandien dirbame iki 16 val.", chromedp.ByID),
		chromedp.SendKeys("#message-second", "Today we are open until 4 pm.", chromedp.ByID),
		chromedp.SendKeys("#message-until", "25:00", chromedp.ByID),
		chromedp.Click("#message-send", chromedp.ByID),
		waitHas("#msg", "Nurodykite pabaigos laiką valandomis ir minutėmis, pvz., 16:30."),
	)
	run(t, admin, "a message on the display",
		chromedp.SendKeys("#message-until", strings.Repeat(kb.Backspace, 5)+"10:30", chromedp.ByID),
		chromedp.Click("#message-send", chromedp.ByID),
		waitHas("#message-now", "Rodoma iki 10:30: „Šiandien dirbame iki 16 val.“"),
	)
	e2e.Screenshot(t, admin, "adminpeople-live-message")
	e2e.Axe(t, admin, "/admin/live with a paused service and a message")

	display := e2e.Browser(t, 1920, 1080)
	run(t, display, "the display shows the message",
		chromedp.EmulateViewport(1920, 1080),
		chromedp.Navigate(s.URL+"/display"),
		waitHas("#message", "Šiandien dirbame iki 16 val."),
		waitHas("#message", "Today we are open until 4 pm."),
		waitHas("#now-number", a.Number),
	)
	// The message is a row of its own: it covers neither the call nor a
	// recent call.
	var apart bool
	run(t, display, "layout", chromedp.Evaluate(`(() => {
		const m = document.getElementById("message").getBoundingClientRect();
		const boxes = [document.getElementById("call"), ...document.querySelectorAll("#recent li:not([hidden])")].map(e => e.getBoundingClientRect());
		return m.height > 0 && m.bottom <= innerHeight && boxes.every(b => b.bottom <= m.top || b.top >= m.bottom);
	})()`, &apart))
	if !apart {
		e2e.Screenshot(t, display, "adminpeople-display-overlap")
		t.Fatal("the display's message covers a call, or is off the screen")
	}
	e2e.Screenshot(t, display, "adminpeople-display-message")
	e2e.Axe(t, display, "/display with a message")

	run(t, admin, "close desk 1",
		chromedp.Click(`#desks tr[data-desk="1"] button.danger`),
		waitHas(`#desks tr[data-desk="1"]`, "uždarytas"),
		waitHas("#msg", "Langelis 1 uždarytas; jo bilietas grąžintas į eilę."),
	)
	if st := ticketStatus(t, s, a.ID); st != queue.Waiting {
		t.Fatalf("the called ticket after its desk was closed: %s, want waiting", st)
	}
	if st := deskStatus(t, s, 1); st != queue.DeskClosed {
		t.Fatalf("desk 1: %s", st)
	}

	// The office clock passes the end time; the display, which keeps the
	// office's clock, takes the message down.
	s.Clock.Set(s.At("10:31"))
	issueTicket(t, s, "A") // an event tells the screens the office's time
	run(t, display, "the message is gone", chromedp.Poll(`document.getElementById("message").hidden`, nil))
	run(t, admin, "the live view says so", waitHas("#message-now", "Pranešimas nerodomas."))
	e2e.Screenshot(t, display, "adminpeople-display-after")
}
