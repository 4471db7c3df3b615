package e2e_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// With no desk open that can serve a ticket, nobody promises a time: the
// kiosk, the status page and the printed ticket say that no desk serves
// it now, in the visitor's language; once a desk opens, the status page
// gives the time. "Ahead" counts only the tickets that the desks able to
// serve the ticket call first: a C visitor is not told of the A line at a
// desk that does not serve C.
func TestNoPromiseWithoutAnOpenDesk(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	// Desk 1 has worked this morning and closed: the hall has opened, so
	// the tickets say no desk serves them now (before any desk opens they
	// say the desks have not opened yet: TestMorningBeforeAnyDeskOpens).
	s.AddUser("clerk1", queue.RoleClerk)
	for _, op := range []string{"open", "close"} {
		if code := s.JSON("POST", "/api/v1/desks/1/"+op, s.Login("clerk1"), nil, nil); code != 200 {
			t.Fatalf("%s desk 1: %d", op, code)
		}
	}
	kiosk := e2e.Kiosk(t)
	run(t, kiosk, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"))
	noDesk := map[string]string{
		"lt": "Šiuo metu šios paslaugos neaptarnauja nė vienas langelis.",
		"en": "No desk is serving this service right now.",
		"ru": "Сейчас эту услугу не обслуживает ни одно окно.",
		"pl": "Obecnie żadne okienko nie obsługuje tej usługi.",
		"uk": "Зараз цю послугу не обслуговує жодне віконце.",
	}
	for i, lang := range []string{"lt", "en", "ru", "pl", "uk"} {
		if n := takeTicket(t, kiosk, lang, "A"); n != fmt.Sprintf("A%03d", i+1) {
			t.Fatalf("%s: number %q", lang, n)
		}
		waitText(t, kiosk, "#estimate", noDesk[lang])
		e2e.Screenshot(t, kiosk, "kiosk-no-desk-"+lang)
		if lang == "lt" {
			e2e.Axe(t, kiosk, "kiosk, the ticket with no desk open")
			e2e.KioskTargets(t, kiosk, "kiosk, the ticket")
		}
		run(t, kiosk, "done", tap("#done"), chromedp.WaitVisible("#services", chromedp.ByID))
	}
	var first issued
	for _, x := range ticketsOf(t, s) {
		if x.Number == "A001" {
			first = x
		}
	}
	pdf, _ := get(t, s.URL+"/api/v1/tickets/"+first.ID+"/pdf")
	if text := e2e.PDFText(t, pdf); !strings.Contains(text, noDesk["lt"]) || strings.Contains(text, "apie") {
		t.Errorf("the printed ticket reads %q; want %q and no time", text, noDesk["lt"])
	}
	phone := e2e.Phone(t)
	run(t, phone, "the status page", chromedp.Navigate(s.URL+first.StatusURL), chromedp.WaitVisible("#estimate", chromedp.ByID))
	waitText(t, phone, "#estimate", noDesk["lt"])
	e2e.Axe(t, phone, "status page, waiting with no desk open")

	// Desk 2 (A and B) opens: the time comes, live.
	s.AddUser("clerk2", queue.RoleClerk)
	s.AddUser("clerk4", queue.RoleClerk)
	if code := s.JSON("POST", "/api/v1/desks/2/open", s.Login("clerk2"), nil, nil); code != 200 {
		t.Fatalf("open desk 2: %d", code)
	}
	waitKioskText(t, phone, "#estimate", "Numatomas iškvietimo laikas: apie 10:")
	e2e.Screenshot(t, phone, "status-desk-opened-lt")

	// Desk 4 (C and D) opens too. Desk 2 works through the A line; a C
	// ticket is next at desk 4: nobody ahead of it.
	if code := s.JSON("POST", "/api/v1/desks/4/open", s.Login("clerk4"), nil, nil); code != 200 {
		t.Fatalf("open desk 4: %d", code)
	}
	if n := takeTicket(t, kiosk, "en", "C"); n != "C001" {
		t.Fatalf("C ticket %q", n)
	}
	waitText(t, kiosk, "#ahead", "Nobody is ahead of you")
	waitKioskText(t, kiosk, "#estimate", "Estimated call time: about 10:")
	e2e.Screenshot(t, kiosk, "kiosk-ahead-own-desks-en")
}
