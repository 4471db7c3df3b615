package e2e_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"langelis/i18n"
	"langelis/internal/e2e"
	"langelis/queue"
)

// At opening, before the clerks have opened any desk, a visitor's ticket
// says the desks have not opened yet, not that no desk serves the service
// (trial bg 33): on the kiosk, the status page after /take and the printed
// ticket. Once a desk has opened today and closed again, "no desk serves
// it" is the truth again.
func TestMorningBeforeAnyDeskOpens(t *testing.T) {
	s := e2e.Start(t, e2e.Options{At: "08:02"})
	kiosk := e2e.Kiosk(t)
	phone := e2e.Phone(t)
	run(t, kiosk, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"))
	run(t, phone, "open /take", chromedp.Navigate(s.URL+"/take"))

	// The kiosk issues at once: the ticket screen, no question.
	run(t, kiosk, "kiosk: choose A", e2e.Choose("en", "A", "none"))
	waitKioskText(t, kiosk, "#estimate", i18n.T("en", "ticket.not_yet_opened"))
	if txt := pageText(t, kiosk, "#number"); !strings.HasPrefix(txt, "A") {
		t.Fatalf("the kiosk's ticket screen shows %q", txt)
	}
	e2e.Screenshot(t, kiosk, "kiosk-morning-ticket")

	// /take too; its ticket's status page says the same in Lithuanian.
	run(t, phone, "take: choose A", e2e.Choose("lt", "A", "none"))
	waitKioskText(t, phone, "#estimate", i18n.T("lt", "ticket.not_yet_opened"))
	e2e.Screenshot(t, phone, "status-morning")

	// The printed ticket.
	tk, err := s.Engine.TicketByNumber(t.Context(), "A001")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(s.URL + "/api/v1/tickets/" + tk.ID + "/pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if text := e2e.PDFText(t, pdf); !strings.Contains(text, "have not opened yet") || strings.Contains(text, "right now") {
		t.Errorf("the printed ticket says %q", text)
	}

	// A desk opens and closes again: the morning is over, and the next
	// ticket says that no desk serves its service now.
	s.AddUser("clerk1", queue.RoleClerk)
	tok := s.Login("clerk1")
	for _, op := range []string{"open", "close"} {
		if code := s.JSON("POST", "/api/v1/desks/1/"+op, tok, nil, nil); code != 200 {
			t.Fatalf("%s desk 1: %d", op, code)
		}
	}
	run(t, kiosk, "kiosk: back to the start", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"))
	run(t, kiosk, "kiosk: choose A again", e2e.Choose("en", "A", "none"))
	waitKioskText(t, kiosk, "#estimate", i18n.T("en", "ticket.no_desk"))
}
