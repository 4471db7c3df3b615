package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// /take on a phone offers the same end-of-day choice as the kiosk (the
// README's promise; the trial's phone issued at once at 19:45): it asks
// the preview first and says, in the visitor's language, that the ticket
// will most likely not be served today, with "take anyway" and "back";
// back issues nothing, take anyway opens the ticket's page. With the
// office's "stop" rule it offers no ticket at all.
func TestTakeAsksBeforeIssuingNearClosing(t *testing.T) {
	s, _ := eodHall(t, eodOffice(t), 8, "15:30")
	ctx := e2e.Phone(t)
	run(t, ctx, "open /take", chromedp.Navigate(s.URL+"/take"),
		chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	for _, c := range []struct{ lang, title, closing, ahead, take string }{
		{"lt", "Šiandien jūsų greičiausiai nebespėsime aptarnauti.", "Darbo diena baigiasi 17:00.", "Prieš jus eilėje: 8 klientai.", "Vis tiek imti bilietą"},
		{"en", "You will most likely not be served today.", "The office closes at 17:00.", "8 clients are ahead of you.", "Take the ticket anyway"},
		{"ru", "Сегодня вас, скорее всего, уже не успеют обслужить.", "Рабочий день заканчивается в 17:00.", "Перед вами в очереди: 8 клиентов.", "Всё равно взять талон"},
		{"pl", "Dziś najprawdopodobniej nie zdążymy Cię obsłużyć.", "Urząd zamyka się o 17:00.", "Przed Tobą w kolejce: 8 klientów.", "Mimo to weź bilet"},
		{"uk", "Сьогодні вас, найімовірніше, уже не встигнуть обслужити.", "Робочий день закінчується о 17:00.", "Перед вами в черзі: 8 клієнтів.", "Однаково взяти талон"},
	} {
		run(t, ctx, c.lang+": choose A, no priority", e2e.Choose(c.lang, "A", "none"), chromedp.WaitVisible("#ask-title", chromedp.ByID))
		if got := pageText(t, ctx, "#ask-title"); got != c.title {
			t.Errorf("%s: /take asks %q, want %q", c.lang, got, c.title)
		}
		text := pageText(t, ctx, "#ask-text")
		for _, want := range []string{c.closing, c.ahead} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: /take says %q, want it to say %q", c.lang, text, want)
			}
		}
		if got := pageText(t, ctx, "#ask-take"); got != c.take {
			t.Errorf("%s: the take button says %q, want %q", c.lang, got, c.take)
		}
		e2e.Screenshot(t, ctx, "take-eod-warn-"+c.lang)
		if c.lang == "lt" {
			e2e.Axe(t, ctx, "/take, the end-of-day question")
		}
		run(t, ctx, c.lang+": back", tap("#ask-back"), chromedp.WaitVisible("#services", chromedp.ByID))
	}
	var snap queue.PublicSnapshot
	if s.JSON("GET", "/api/v1/queue", "", nil, &snap); snap.Waiting["A"] != 8 {
		t.Fatalf("after five times back, %d wait; want the 8 from before", snap.Waiting["A"])
	}
	run(t, ctx, "take it anyway", e2e.Choose("en", "A", "none"), tap("#ask-take"), chromedp.WaitVisible("#number", chromedp.ByID))
	waitKioskText(t, ctx, "#number", "A009")
}

// With "stop", /take says no more tickets today and offers none.
func TestTakeStopsNearClosing(t *testing.T) {
	o := eodOffice(t)
	o.BeyondCutoff = "stop"
	s, _ := eodHall(t, o, 12, "15:30")
	ctx := e2e.Phone(t)
	run(t, ctx, "open /take", chromedp.Navigate(s.URL+"/take"),
		chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	run(t, ctx, "choose A", e2e.Choose("pl", "A", "none"), chromedp.WaitVisible("#ask-title", chromedp.ByID))
	if got := pageText(t, ctx, "#ask-title"); got != "Dziś nie wydajemy już biletów na tę usługę." {
		t.Errorf("/take says %q", got)
	}
	var takeShown bool
	run(t, ctx, "no take button", chromedp.Evaluate(`document.getElementById("ask-take").offsetParent !== null`, &takeShown))
	if takeShown {
		t.Error("/take offers a ticket although the office stops issuing them")
	}
	e2e.Screenshot(t, ctx, "take-eod-stop-pl")
	run(t, ctx, "back", tap("#ask-back"), chromedp.WaitVisible("#services", chromedp.ByID))
	var snap queue.PublicSnapshot
	if s.JSON("GET", "/api/v1/queue", "", nil, &snap); snap.Waiting["A"] != 12 {
		t.Fatalf("%d wait after /take stopped; want 12", snap.Waiting["A"])
	}
}
