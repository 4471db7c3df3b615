package e2e_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/app"
	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/wire"
)

// fingerTargets are what a finger aims at on the kiosk's start screen.
const fingerTargets = "#services button, #langs button"

// kioskCalm is true while the kiosk shows no offline cover and its
// service buttons work.
const kioskCalm = `document.getElementById("offline").hidden &&
	[...document.querySelectorAll("#services button")].every((b) => !b.disabled)`

// A hall is quiet for long stretches (early morning, lunch). The live
// pages stay connected and calm through quiet periods longer than every
// keep-alive timeout (shortened here to 300 ms, so 0.75 s of silence is
// a dead link), show "offline" only while the server is really gone, and
// the kiosk's buttons never move: not through the quiet, not under the
// offline cover, not when the end-of-day banner comes, not in another
// language.
func TestKioskNeverMovesUnderAFinger(t *testing.T) {
	keepAlive := 300 * time.Millisecond
	s := e2e.Start(t, e2e.Options{At: "18:58", Configure: func(c *app.Config) { c.Server.KeepAlive = keepAlive }})
	quiet := 5 * wire.OfflineAfter(keepAlive)
	mine := issueTicket(t, s, "A")
	phone := e2e.Phone(t)
	run(t, phone, "the status page", chromedp.Navigate(s.URL+mine.StatusURL), chromedp.WaitVisible("#number", chromedp.ByID))
	ctx := e2e.Kiosk(t)
	run(t, ctx, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="D"]`, chromedp.ByQuery))
	before := e2e.Rects(t, ctx, fingerTargets)
	e2e.Screenshot(t, ctx, "kiosk-calm-start")
	e2e.Axe(t, ctx, "kiosk, start")
	e2e.KioskTargets(t, ctx, "kiosk, start")

	// Quiet: no event at all for five offline thresholds.
	if held, n := e2e.Watch(t, ctx, kioskCalm, quiet); held != n {
		t.Errorf("quiet kiosk: calm in %d of %d looks; it took the quiet for a dead link", held, n)
	}
	if held, n := e2e.Watch(t, phone, `document.getElementById("offline").hidden`, quiet); held != n {
		t.Errorf("quiet status page: no offline mark in %d of %d looks", held, n)
	}
	e2e.SameRects(t, "after the quiet", before, e2e.Rects(t, ctx, fingerTargets))

	// Another language: the header keeps its height.
	for _, l := range []string{"ru", "uk", "lt"} {
		run(t, ctx, l, tap(`#langs button[data-lang="`+l+`"]`))
		e2e.SameRects(t, "in "+l, before, e2e.Rects(t, ctx, fingerTargets))
	}

	// 19:00: the end-of-day banner takes its reserved space.
	s.Clock.Set(s.At("19:00"))
	waitKioskText(t, ctx, "#eod", "Darbo diena baigiasi 20:00")
	e2e.SameRects(t, "with the end-of-day banner", before, e2e.Rects(t, ctx, fingerTargets))
	e2e.Screenshot(t, ctx, "kiosk-calm-eod-banner")

	// The server goes away: the cover says so, over the buttons, which stay
	// where they are and take no touch.
	s.Stop()
	waitKioskText(t, ctx, "#offline-text", "Nėra ryšio su serveriu")
	waitKioskText(t, phone, "#offline", "Nėra ryšio su serveriu")
	e2e.SameRects(t, "under the offline cover", before, e2e.Rects(t, ctx, fingerTargets))
	a := before[len(before)-4] // service A: after the five languages
	run(t, ctx, "a finger on A", chromedp.MouseClickXY(a.X+a.W/2, a.Y+a.H/2))
	time.Sleep(300 * time.Millisecond)
	var onPriority bool
	run(t, ctx, "still the start", chromedp.Evaluate(`!document.getElementById("priority").hidden`, &onPriority))
	if onPriority {
		t.Error("a touch went through the offline cover")
	}
	e2e.Screenshot(t, ctx, "kiosk-calm-offline")
	e2e.Axe(t, ctx, "kiosk, offline")

	// Back: the cover goes by itself, nothing moved, and the kiosk issues.
	s.StartAgain()
	waitJS(t, ctx, kioskCalm)
	waitJS(t, phone, `document.getElementById("offline").hidden`)
	e2e.SameRects(t, "after the server came back", before, e2e.Rects(t, ctx, fingerTargets))
	if n := takeTicket(t, ctx, "lt", "D"); n != "D001" {
		t.Fatalf("after the outage the kiosk issued %q", n)
	}
}

// The long variant (LANGELIS_LONG_TESTS=1, as CI runs it): the server's
// default keep-alive, and every live page (the kiosk, the status page,
// /take, the hall display and a clerk's open desk) left quiet for longer
// than every default timeout: the offline threshold, the ticket stream's
// refresh, the kiosk's look at the opening hours and its idle return, and
// an idle HTTP connection. None shows "offline", the kiosk's buttons do
// not move, and each still works at once afterwards: the clerk's key calls
// the next ticket, the display shows it and the phone hears it.
func TestEveryPageQuietPastEveryDefaultTimeout(t *testing.T) {
	if os.Getenv("LANGELIS_LONG_TESTS") == "" {
		t.Skip("a minute and a half of quiet; LANGELIS_LONG_TESTS=1 runs it")
	}
	quiet := wire.OfflineAfter(wire.KeepAlive) + 20*time.Second // 82.5 s: past 62.5 s, 60 s, 30 s and 20 s
	s := e2e.Start(t, e2e.Options{})
	mine := issueTicket(t, s, "A")
	pw := s.AddUser("clerk1", queue.RoleClerk)
	limit := quiet + 90*time.Second
	kiosk := e2e.KioskFor(t, limit)
	phone := e2e.PhoneFor(t, limit)
	take := e2e.PhoneFor(t, limit)
	display := e2e.BrowserFor(t, 1920, 1080, limit)
	desk := e2e.BrowserFor(t, 1366, 768, limit)
	run(t, kiosk, "the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	run(t, phone, "the status page", chromedp.Navigate(s.URL+mine.StatusURL),
		chromedp.WaitVisible("#number", chromedp.ByID))
	run(t, take, "/take", chromedp.Navigate(s.URL+"/take"),
		chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	run(t, display, "the display", chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(s.URL+"/display"),
		chromedp.WaitVisible("#office", chromedp.ByID))
	run(t, desk, "the desk", chromedp.EmulateViewport(1366, 768), signIn(s, "clerk1", pw),
		chromedp.WaitVisible("#open-1", chromedp.ByID), chromedp.Click("#open-1", chromedp.ByID),
		waitIDText("desk-title", "Desk 1"), waitIDText("upcoming", mine.Number))
	before := e2e.Rects(t, kiosk, fingerTargets)
	pages := []struct {
		name string
		ctx  context.Context
		calm string
	}{
		{"kiosk", kiosk, kioskCalm},
		{"status page", phone, `document.getElementById("offline").hidden`},
		{"/take", take, `document.getElementById("offline").hidden && document.getElementById("error").hidden`},
		{"display", display, `document.getElementById("status").hidden`},
		{"desk", desk, `document.getElementById("offline").hidden && document.getElementById("msg").textContent === ""`},
	}
	for _, p := range pages {
		e2e.Sentinel(t, p.ctx, "calm", p.calm)
	}
	looks, uneasy := 0, map[string]int{}
	for end := time.Now().Add(quiet); time.Now().Before(end); time.Sleep(500 * time.Millisecond) {
		looks++
		for _, p := range pages {
			var calm bool
			if err := chromedp.Run(p.ctx, chromedp.Evaluate(p.calm, &calm)); err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
			if !calm {
				uneasy[p.name]++
			}
		}
	}
	for name, n := range uneasy {
		t.Errorf("%s: not calm in %d of %d looks through %s of quiet", name, n, looks, quiet)
	}
	// A flash shorter than a look is still a flash: each page's sentinel
	// saw every change.
	for _, p := range pages {
		if n := e2e.Lapses(t, p.ctx, "calm"); n != 0 {
			t.Errorf("%s: lost its calm %d times through %s of quiet (an offline mark, however short)", p.name, n, quiet)
		}
	}
	e2e.SameRects(t, "kiosk after the quiet", before, e2e.Rects(t, kiosk, fingerTargets))
	e2e.Screenshot(t, kiosk, "kiosk-after-long-quiet")
	e2e.Screenshot(t, desk, "desk-after-long-quiet")
	e2e.Screenshot(t, display, "display-after-long-quiet")
	// Each still works at once: the kiosk issues; the clerk's N calls the
	// phone's ticket, which the display shows and the status page hears
	// within moments; /take issues.
	if n := takeTicket(t, kiosk, "lt", "A"); n != "A002" {
		t.Fatalf("the kiosk after the quiet issued %q", n)
	}
	run(t, desk, "N after the quiet", chromedp.KeyEvent("n"), waitIDText("ticket-number", mine.Number))
	waitText(t, display, "#now-number", mine.Number)
	waitKioskText(t, phone, "#call-go", "Eikite prie langelio 1")
	// A, which the open desk serves: a service no open desk serves is
	// asked about first (TestNoDeskServesTheServiceIsSaid).
	run(t, take, "take after the quiet", e2e.Choose("lt", "A", "none"), chromedp.WaitVisible("#number", chromedp.ByID))
	waitKioskText(t, take, "#number", "A003")
}
