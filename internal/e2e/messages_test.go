package e2e_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"langelis/i18n"
	"langelis/internal/e2e"
	"langelis/office"
)

// A refusal the kiosk cannot foresee (the service's tickets for the day
// have run out) is shown as the server says it, in the visitor's language.
func TestKioskShowsTheServersRefusalInTheVisitorsLanguage(t *testing.T) {
	o := office.Demo()
	o.Services[0].DailyCap = 1 // A
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	s := e2e.Start(t, e2e.Options{Office: o})
	issueTicket(t, s, "A")
	ctx := e2e.Browser(t, 1080, 1920)
	for _, lang := range []string{"pl", "uk"} {
		want := i18n.T(lang, "err.daily_cap", "service", "A", "n", 1)
		run(t, ctx, lang+": the refusal",
			chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
			e2e.Choose(lang, "A", "none"),
			waitIDText("error", want))
		e2e.Screenshot(t, ctx, "kiosk-refusal-"+lang)
	}
}
