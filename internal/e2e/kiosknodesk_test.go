package e2e_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"langelis/i18n"
	"langelis/internal/e2e"
	"langelis/queue"
)

// When no open desk serves the chosen service, the kiosk and /take say so
// before issuing, not "you will most likely not be served today … up to
// ticket A001" (trial k06, k12, p23), and never quote another service's
// number to this service's visitor.
func TestNoDeskServesTheServiceIsSaid(t *testing.T) {
	s := e2e.Start(t, e2e.Options{At: "18:30"})
	s.AddUser("clerk1", queue.RoleClerk)
	if code := s.JSON("POST", "/api/v1/desks/1/open", s.Login("clerk1"), nil, nil); code != 200 { // A and D only
		t.Fatalf("open desk 1: %d", code)
	}
	for range 3 {
		issueTicket(t, s, "A")
	}
	other := regexp.MustCompile(`\b[ABD]\d{3}\b`)
	kiosk := e2e.Kiosk(t)
	phone := e2e.Phone(t)
	run(t, kiosk, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="C"]`, chromedp.ByQuery))
	run(t, phone, "open /take", chromedp.Navigate(s.URL+"/take"),
		chromedp.WaitEnabled(`#services button[data-service="C"]`, chromedp.ByQuery))
	for _, lang := range s.Office.Languages { // the kiosk offers the office's languages
		for name, cx := range map[string]context.Context{"kiosk": kiosk, "take": phone} {
			run(t, cx, name+" "+lang+": choose C", e2e.Choose(lang, "C", "none"), chromedp.WaitVisible("#ask-title", chromedp.ByID))
			all := pageText(t, cx, "#ask-title") + " " + pageText(t, cx, "#ask-text")
			if !strings.Contains(all, i18n.T(lang, "ticket.no_desk")) {
				e2e.Screenshot(t, cx, name+"-nodesk-failed-"+lang)
				t.Errorf("%s %s: the question says %q; want it to say that no desk serves the service", name, lang, all)
			}
			if n := other.FindString(all); n != "" {
				t.Errorf("%s %s: a C visitor is told another service's number %s: %q", name, lang, n, all)
			}
			if lang == "uk" {
				e2e.Screenshot(t, cx, name+"-nodesk-uk")
				e2e.Axe(t, cx, name+", no desk serves the service")
			}
			run(t, cx, name+" "+lang+": back", tap("#ask-back"), chromedp.WaitVisible("#services", chromedp.ByID))
		}
	}
}
