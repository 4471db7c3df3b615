package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/wire"
)

// book books service A at hh:mm today through the API and returns its code.
func book(t *testing.T, s *e2e.Server, hhmm string) string {
	t.Helper()
	var bk wire.Booking
	if st := s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: s.At(hhmm), Lang: "en"}, &bk); st != 201 {
		t.Fatalf("book %s: %d", hhmm, st)
	}
	return bk.Code
}

// tapCode types code on the kiosk's on-screen keypad, key by key.
func tapCode(code string) chromedp.Tasks {
	var out chromedp.Tasks
	for _, ch := range code {
		out = append(out, tap(`#keypad button[data-key="`+string(ch)+`"]`))
	}
	return out
}

// A booked visitor checks in at the kiosk with the code: refused politely
// too early (told when to come back) and too late (offered a regular
// ticket); within the window a normal numbered ticket, which desk 1 calls
// at its slot ahead of the walk-ins who came before it.
func TestKioskCheckInAndTheCallOrder(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Office: bookingOffice(), At: "10:00"})
	onTime, late, early := book(t, s, "10:45"), book(t, s, "10:15"), book(t, s, "11:45")
	w1, w2 := issueTicket(t, s, "A"), issueTicket(t, s, "A")
	ctx := e2e.Kiosk(t)
	run(t, ctx, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled("#have-booking", chromedp.ByID), tap(`#langs button[data-lang="en"]`))
	waitText(t, ctx, "#have-booking", "I have a booking")
	e2e.Screenshot(t, ctx, "kiosk-1-start")

	// Too early: told when to come back; nothing issued.
	run(t, ctx, "early code", tap("#have-booking"), chromedp.WaitVisible("#keypad", chromedp.ByID), tapCode(early))
	waitText(t, ctx, "#booking-code", early[:4]+"-"+early[4:])
	e2e.Screenshot(t, ctx, "kiosk-2-keypad")
	e2e.Axe(t, ctx, "kiosk, booking code")
	run(t, ctx, "check in early", tap("#booking-ok"))
	waitText(t, ctx, "#error", "Your booking is at 11:45. Please check in from 11:15.")
	waitJS(t, ctx, `document.getElementById("booking-walkin").hidden`)
	e2e.Screenshot(t, ctx, "kiosk-3-early")

	// On time, typed on a keyboard: a normal numbered ticket.
	s.Clock.Set(s.At("10:16"))
	run(t, ctx, "erase", tap("#booking-erase"))
	for range 7 {
		run(t, ctx, "backspace", chromedp.KeyEvent(kb.Backspace))
	}
	waitText(t, ctx, "#booking-code", "")
	run(t, ctx, "type the code", chromedp.KeyEvent(strings.ToLower(onTime)), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible("#number", chromedp.ByID))
	waitText(t, ctx, "#number", "A003")
	waitJS(t, ctx, `document.getElementById("error").hidden`) // the "too early" is gone
	var shown string
	run(t, ctx, "the ticket screen", chromedp.Text("#result", &shown, chromedp.ByID))
	if strings.Contains(strings.ToLower(shown), "book") {
		t.Fatalf("the ticket screen mentions the booking: %q", shown)
	}
	e2e.Screenshot(t, ctx, "kiosk-4-checked-in")

	// Too late: offered a regular ticket instead.
	s.Clock.Set(s.At("10:31"))
	run(t, ctx, "late code", tap("#done"), tap(`#langs button[data-lang="en"]`), tap("#have-booking"), tapCode(late), tap("#booking-ok"))
	waitText(t, ctx, "#error", "Your booking time (10:15) has passed. You can take a regular queue ticket instead.")
	waitText(t, ctx, "#booking-walkin", "Take a regular ticket")
	e2e.Screenshot(t, ctx, "kiosk-5-late")
	run(t, ctx, "walk in", tap("#booking-walkin"), chromedp.WaitVisible(`#services button[data-service="A"]`, chromedp.ByQuery))

	// The call order: before the slot the walk-ins, at it the booked ticket
	// ahead of the walk-in who came earlier.
	s.AddUser("clerk1", queue.RoleClerk)
	tok := s.Login("clerk1")
	next := func() string {
		t.Helper()
		var r struct {
			Ticket *wire.Ticket `json:"ticket"`
		}
		if st := s.JSON("POST", "/api/v1/desks/1/next", tok, nil, &r); st != 200 || r.Ticket == nil {
			t.Fatalf("next: %d", st)
		}
		for _, a := range []string{"start", "finish"} {
			if st := s.JSON("POST", "/api/v1/desks/1/"+a, tok, nil, nil); st != 200 {
				t.Fatalf("%s: %d", a, st)
			}
		}
		return r.Ticket.Number
	}
	if st := s.JSON("POST", "/api/v1/desks/1/open", tok, nil, nil); st != 200 {
		t.Fatalf("open: %d", st)
	}
	if got := next(); got != w1.Number {
		t.Fatalf("at 10:31 desk 1 called %s, want the first walk-in %s", got, w1.Number)
	}
	s.Clock.Set(s.At("10:45"))
	if got := next(); got != "A003" {
		t.Fatalf("at the slot desk 1 called %s, want the booked A003 ahead of %s", got, w2.Number)
	}
}
