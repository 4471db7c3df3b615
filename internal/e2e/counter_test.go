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
	"langelis/wire"
)

// The screen above desk 1 follows the desk: closed, free, calling a number,
// serving it, closed again; and nothing of desk 2's.
func TestCounterDisplay(t *testing.T) {
	h := newHall(t, 4)
	h.act(1, "close")
	ctx := e2e.Browser(t, 800, 480)
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(800, 480), chromedp.Navigate(h.URL+"/display/desk/1")); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "#state-lt", "Langelis uždarytas")
	waitText(t, ctx, "#state-2", "Desk closed")
	h.tokens[1] = h.Login("clerk1")
	h.act(1, "open")
	waitText(t, ctx, "#state-lt", "Laukiama kito kliento")
	other := h.act(2, "next")
	number := h.act(1, "next")
	waitText(t, ctx, "#number", number)
	waitText(t, ctx, "#state-lt", "Kviečiamas")
	e2e.Screenshot(t, ctx, "counter-called")
	h.act(1, "start")
	waitText(t, ctx, "#state-lt", "Aptarnaujamas")
	if got := nowText(t, ctx, "#number"); got != number || got == other {
		t.Fatalf("desk 1 shows %q; it serves %s (desk 2 calls %s)", got, number, other)
	}
	h.JSON("POST", "/api/v1/desks/1/close", h.tokens[1], map[string]string{"ticket": "finish"}, nil)
	waitText(t, ctx, "#state-lt", "Langelis uždarytas")
	waitText(t, ctx, "#number", "")
}

// Near closing the hall display shows the end-of-day banner in Lithuanian
// and the office's second language, from the snapshot's cutoff.
func TestDisplayEndOfDayBanner(t *testing.T) {
	s := e2e.Start(t, e2e.Options{At: "19:40"})
	for range 3 {
		s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, nil)
	}
	ctx := e2e.Browser(t, 1920, 1080)
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(s.URL+"/display")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `!document.getElementById("banner").hidden`)
	text := nowText(t, ctx, "#banner")
	if !strings.Contains(text, "Darbo diena baigiasi 20:00") || !strings.Contains(text, "The office closes at 20:00") {
		t.Fatalf("banner %q: want the Lithuanian and the English text, closing at 20:00", text)
	}
	// The display keeps the office's clock, not the machine's.
	if got := nowText(t, ctx, "#time"); got != "19:40" {
		t.Errorf("the display's clock shows %q, the office's is 19:40", got)
	}
	e2e.Screenshot(t, ctx, "display-banner")
}

func nowText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	var s string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector("`+sel+`").textContent`, &s)); err != nil {
		t.Fatal(err)
	}
	return s
}

// With a line one desk cannot be sure to finish, the hall's banner gives
// the forecast's range, as GET /api/v1/queue has it, in Lithuanian and the
// second language; the ticket's own answer has its chance and range.
func TestDisplayBannerGivesTheRange(t *testing.T) {
	s := e2e.Start(t, e2e.Options{At: "19:00"})
	s.AddUser("clerk1", queue.RoleClerk)
	if code := s.JSON("POST", "/api/v1/desks/1/open", s.Login("clerk1"), nil, nil); code != 200 {
		t.Fatalf("open desk 1: %d", code)
	}
	var last wire.Ticket
	for range 14 {
		s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, &last)
	}
	s.Real.Advance(5 * time.Second) // the forecaster runs on the changed line (every few seconds of real time)
	var q queue.PublicSnapshot
	s.JSON("GET", "/api/v1/queue", "", nil, &q)
	if q.Cutoff == nil || q.Cutoff.CountRange == nil || q.Cutoff.CountRange[0] >= q.Cutoff.CountRange[1] {
		t.Fatalf("the hall's cutoff has no range: %+v", q.Cutoff)
	}
	lo, hi := q.Cutoff.CountRange[0], q.Cutoff.CountRange[1]
	var mine wire.Ticket
	if s.JSON("GET", "/api/v1/tickets/"+last.ID, "", nil, &mine); mine.ServedTodayProbability == nil || mine.EstimatedCallRange == nil ||
		*mine.ServedTodayProbability >= 0.5 {
		t.Fatalf("the 14th visitor of one desk in the last hour: %+v", mine)
	}
	ctx := e2e.Browser(t, 1920, 1080)
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(s.URL+"/display")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `!document.getElementById("banner").hidden`)
	text := nowText(t, ctx, "#banner")
	if want := fmt.Sprintf("nuo %d iki %d klient", lo, hi); !strings.Contains(text, want) || !strings.Contains(text, fmt.Sprintf("Between %d and %d more clients", lo, hi)) {
		t.Fatalf("banner %q: want the range %d–%d in Lithuanian and English", text, lo, hi)
	}
	e2e.Screenshot(t, ctx, "display-banner-range")
}
