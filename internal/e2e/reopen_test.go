package e2e_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// weekdayOffice opens Monday to Friday, 08:00-12:00 and 13:00-17:00.
func weekdayOffice(t *testing.T) *queue.Office {
	t.Helper()
	o := eodOffice(t)
	for d := range o.Hours.Week {
		o.Hours.Week[d] = nil
		if d != int(time.Saturday) && d != int(time.Sunday) {
			o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 12 * 60}, {Start: 13 * 60, End: 17 * 60}}
		}
	}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return o
}

// closedSentences are the kiosk's closed notice in each language, for
// the office opening again today at 13:00, tomorrow or on Monday at 08:00.
var closedSentences = map[string]map[string]string{
	"today": {
		"lt": "Padalinys dabar nedirba. Vėl dirbsime šiandien 13:00.",
		"en": "The office is closed now. We open again today at 13:00.",
		"ru": "Сейчас отдел не работает. Мы снова откроемся сегодня в 13:00.",
		"pl": "Urząd jest teraz nieczynny. Zapraszamy ponownie dziś o 13:00.",
		"uk": "Зараз відділ не працює. Ми знову відкриємося сьогодні о 13:00.",
	},
	"monday": {
		"lt": "Padalinys dabar nedirba. Vėl dirbsime pirmadienį 08:00.",
		"en": "The office is closed now. We open again on Monday at 08:00.",
		"ru": "Сейчас отдел не работает. Мы снова откроемся в понедельник в 08:00.",
		"pl": "Urząd jest teraz nieczynny. Zapraszamy ponownie w poniedziałek o 08:00.",
		"uk": "Зараз відділ не працює. Ми знову відкриємося у понеділок о 08:00.",
	},
}

// The closed office says when it opens again in each language's grammar
// ("šiandien 13:00", "pirmadienį 08:00", "в понедельник в 08:00", "w
// poniedziałek o 08:00", "у понеділок о 08:00"), never the weekday when it
// opens again the same day: on the kiosk, on /take and, for a ticket the
// day's end closed, on its status page.
func TestClosedOfficeSaysWhenInEveryLanguage(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Office: weekdayOffice(t), At: "11:00"})
	var tk issued
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "lang": "ru"}, &tk); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	kiosk := e2e.Kiosk(t)
	phone := e2e.Phone(t)
	checkKiosk := func(when string) {
		t.Helper()
		run(t, kiosk, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"), chromedp.WaitVisible("#closed", chromedp.ByID))
		for _, lang := range []string{"lt", "en", "ru", "pl", "uk"} {
			run(t, kiosk, lang, tap(fmt.Sprintf(`#langs button[data-lang=%q]`, lang)))
			waitText(t, kiosk, "#closed", closedSentences[when][lang])
			e2e.Screenshot(t, kiosk, "kiosk-closed-"+when+"-"+lang)
		}
		var usable bool
		run(t, kiosk, "buttons", chromedp.Evaluate(`[...document.querySelectorAll("#services button")].some((b) => !b.disabled)`, &usable))
		if usable {
			t.Errorf("%s: the closed kiosk's service buttons work", when)
		}
		e2e.Axe(t, kiosk, "kiosk, closed")
	}
	checkTake := func(when, lang string) {
		t.Helper()
		run(t, phone, "open /take", chromedp.Navigate(s.URL+"/take"), chromedp.WaitVisible("#closed", chromedp.ByID),
			tap(fmt.Sprintf(`#langs button[data-lang=%q]`, lang)))
		waitText(t, phone, "#closed", closedSentences[when][lang])
		e2e.Screenshot(t, phone, "take-closed-"+when+"-"+lang)
		e2e.Axe(t, phone, "take, closed")
	}

	// Lunch: open again today at 13:00, not on "Monday".
	s.Clock.Set(s.At("12:30"))
	checkKiosk("today")
	checkTake("today", "pl")

	// The day ends: the waiting ticket is closed, and its page says when
	// the office opens again (tomorrow, or on Monday after a Friday).
	s.Clock.Set(s.At("18:30"))
	wd := s.Day.Weekday()
	want := "Мы снова откроемся завтра в 08:00."
	if wd == time.Friday {
		want = "Мы снова откроемся в понедельник в 08:00."
	}
	run(t, phone, "the status page", chromedp.Navigate(s.URL+tk.StatusURL), chromedp.WaitVisible("#reopen", chromedp.ByID))
	waitText(t, phone, "#status", "Рабочий день закончился, талон больше не действует.")
	waitText(t, phone, "#reopen", want)
	e2e.Screenshot(t, phone, "status-closed-reopen-ru")
	e2e.Axe(t, phone, "status page, closed at the day's end")

	// Saturday: on Monday.
	saturday := s.At("10:00").AddDate(0, 0, int(time.Saturday-wd))
	s.Clock.Set(saturday)
	checkKiosk("monday")
	checkTake("monday", "uk")
	checkTake("monday", "lt")
}
