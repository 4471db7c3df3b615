package e2e_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/wire"
)

// pageLang is the language the page is in (its html lang).
func pageLang(t *testing.T, ctx context.Context) string {
	t.Helper()
	var l string
	run(t, ctx, "page language", chromedp.Evaluate(`document.documentElement.lang`, &l))
	return l
}

// waitLang waits until the page is in lang and returns how long it took.
func waitLang(t *testing.T, ctx context.Context, lang string, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for pageLang(t, ctx) != lang {
		if time.Since(start) > within {
			t.Fatalf("the page stayed in %s for %s; want %s", pageLang(t, ctx), within, lang)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return time.Since(start)
}

// The next visitor finds the kiosk in the office's first language: any
// screen, the start screen too, goes back to it after 20 seconds without a
// touch, and a touch starts the 20 seconds again. The priority question
// says that no proof is needed, in every language.
func TestKioskIdleReturnsToTheFirstLanguage(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	var o wire.Office
	s.JSON("GET", "/api/v1/office", "", nil, &o)
	first := o.Languages[0] // the office's own, whatever it is
	other := "ru"
	if first == other {
		other = "pl"
	}
	ctx := e2e.KioskFor(t, 3*time.Minute)
	run(t, ctx, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	if l := pageLang(t, ctx); l != first {
		t.Fatalf("the kiosk starts in %s, want the office's first language %s", l, first)
	}

	// The start screen: a visitor touched a language and walked away.
	run(t, ctx, "choose "+other, tap(fmt.Sprintf(`#langs button[data-lang=%q]`, other)))
	if took := waitLang(t, ctx, first, 40*time.Second); took < 15*time.Second {
		t.Errorf("the start screen went back after %s; want about 20 s", took)
	}
	e2e.Screenshot(t, ctx, "kiosk-idle-back-to-first")

	// The priority question, in each language, with its note.
	run(t, ctx, "choose A", tap(`#services button[data-service="A"]`), chromedp.WaitVisible("#priority-note", chromedp.ByID))
	for _, c := range []struct{ lang, note string }{
		{"lt", "Šių grupių lankytojus galime pakviesti anksčiau. Nieko įrodinėti nereikia, o jūsų pasirinkimas ekranuose nerodomas."},
		{"en", "Visitors in these groups may be invited earlier. No proof is needed, and your choice is never shown on screens."},
		{"ru", ""}, {"pl", ""}, {"uk", ""},
	} {
		run(t, ctx, c.lang, tap(fmt.Sprintf(`#langs button[data-lang=%q]`, c.lang)))
		got := pageText(t, ctx, "#priority-note")
		if c.note != "" && got != c.note {
			t.Errorf("%s: the note says %q, want %q", c.lang, got, c.note)
		}
		if got == "" || got == "priority.note" {
			t.Errorf("%s: no note on the priority question (%q)", c.lang, got)
		}
		e2e.Screenshot(t, ctx, "kiosk-priority-"+c.lang)
	}
	e2e.Axe(t, ctx, "kiosk, priority groups with the note")
	e2e.KioskTargets(t, ctx, "kiosk, priority groups")
	// Half-way a touch: the question stays, past the 20 s from the first.
	time.Sleep(12 * time.Second)
	run(t, ctx, "a touch", tap(`#langs button[data-lang="pl"]`))
	touched := time.Now()
	time.Sleep(12 * time.Second)
	var asking bool
	run(t, ctx, "still asking", chromedp.Evaluate(`!document.getElementById("priority").hidden`, &asking))
	if !asking || pageLang(t, ctx) != "pl" {
		t.Fatal("the kiosk left a visitor who touched it 12 s ago")
	}
	waitLang(t, ctx, first, 30*time.Second)
	if took := time.Since(touched); took < 19*time.Second {
		t.Errorf("the priority question went back %s after the last touch; want 20 s", took)
	}
	var start bool
	run(t, ctx, "the start screen", chromedp.Evaluate(`!document.getElementById("start").hidden && document.getElementById("priority").hidden`, &start))
	if !start {
		t.Error("after the idle time the kiosk is not on its start screen")
	}
}
