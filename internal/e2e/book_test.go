package e2e_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/wire"
)

// bookingOffice opens 08:00-18:00 every day; A is bookable from 09:00 to
// 12:00 with one place per 15-minute slot (desks 1 and 2 give A two thirds
// of their time, half of which may be booked).
func bookingOffice() *queue.Office {
	o := &queue.Office{Name: "Testas", TimeZone: "Europe/Vilnius",
		Services: []queue.Service{
			{Letter: "A", Names: map[string]string{"lt": "Deklaravimas", "en": "Declaration"}, TargetMinutes: 10,
				Booking: &queue.BookingSettings{SlotMinutes: 15, DaysAhead: 7,
					Shares: []queue.BookingShare{{Span: queue.Span{Start: 9 * 60, End: 12 * 60}, Percent: 50}}}},
			{Letter: "B", Names: map[string]string{"lt": "Išmokos", "en": "Benefits"}, TargetMinutes: 5},
		},
		Desks: []queue.DeskDef{{Number: 1, Services: []string{"A", "B"}}, {Number: 2, Services: []string{"A", "B"}}},
	}
	for d := 0; d < 7; d++ {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 18 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		panic(err)
	}
	return o
}

// slotAt is the start of tomorrow's slot at hh:mm, as the API writes it.
func slotAt(s *e2e.Server, hhmm string) time.Time {
	return s.At(hhmm).AddDate(0, 0, 1)
}

// A visitor books a time on a phone: service, day, time, confirm; sees
// the code, its QR code, the link and the calendar file; a slot taken
// meanwhile is refused in their language; then they move the booking and
// cancel it on its own page.
func TestBookOnAPhone(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Office: bookingOffice()})
	ctx := e2e.Phone(t)
	tomorrow := s.Day.AddDate(0, 0, 1).Format(time.DateOnly)
	run(t, ctx, "open /book", chromedp.Navigate(s.URL+"/book"),
		chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery), tap(`#langs button[data-lang="en"]`))
	waitText(t, ctx, "#service-h", "Choose a service")
	if n := count(t, ctx, "#services button"); n != 1 {
		t.Fatalf("%d services offered, want only the bookable A", n)
	}
	e2e.Screenshot(t, ctx, "book-1-service")
	e2e.Axe(t, ctx, "book, service")
	run(t, ctx, "choose A", tap(`#services button[data-service="A"]`), chromedp.WaitVisible(`#days button[data-day="`+tomorrow+`"]`, chromedp.ByQuery))
	e2e.Screenshot(t, ctx, "book-2-day")
	run(t, ctx, "choose tomorrow", tap(`#days button[data-day="`+tomorrow+`"]`), chromedp.WaitVisible(`#times button`, chromedp.ByQuery))
	if n := count(t, ctx, "#times button"); n != 12 {
		t.Fatalf("%d times offered, want 12 (09:00-11:45)", n)
	}
	e2e.Screenshot(t, ctx, "book-3-time")
	run(t, ctx, "choose 09:00", tap(`#times button[data-start="`+isoUTC(slotAt(s, "09:00"))+`"]`), chromedp.WaitVisible("#confirm", chromedp.ByID))
	if sum := pageText(t, ctx, "#summary"); !strings.HasPrefix(sum, "Declaration: ") || !strings.HasSuffix(sum, ", 09:00") {
		t.Fatalf("summary %q", sum)
	}
	e2e.Screenshot(t, ctx, "book-4-confirm")
	run(t, ctx, "confirm", tap("#confirm"), chromedp.WaitVisible("#code", chromedp.ByID))
	waitText(t, ctx, "#done-h", "Your time is booked")
	code := pageText(t, ctx, "#code")
	if !regexp.MustCompile(`^[` + queue.CodeAlphabet + `]{4}-[` + queue.CodeAlphabet + `]{4}$`).MatchString(code) {
		t.Fatalf("code %q", code)
	}
	waitJS(t, ctx, `document.getElementById("qr").naturalWidth > 0`)
	waitJS(t, ctx, `location.pathname === "/b/`+code[:4]+code[5:]+`"`)
	waitJS(t, ctx, `document.getElementById("ics").getAttribute("href").startsWith("/api/v1/bookings/`+code[:4]+code[5:]+`/calendar.ics")`)
	e2e.Screenshot(t, ctx, "book-5-done")
	e2e.Axe(t, ctx, "book, done")
	var bk wire.Booking
	if st := s.JSON("GET", "/api/v1/bookings/"+code, "", nil, &bk); st != 200 || !bk.Start.Equal(slotAt(s, "09:00")) || bk.Status != "booked" {
		t.Fatalf("the booking as the API has it: %d %+v", st, bk)
	}

	// Another booking: 09:00 is full now and not offered; 09:15 is taken
	// by someone else while the visitor looks at the list.
	run(t, ctx, "book another", tap("#again"), tap(`#services button[data-service="A"]`), tap(`#days button[data-day="`+tomorrow+`"]`),
		chromedp.WaitVisible(`#times button`, chromedp.ByQuery))
	if n := count(t, ctx, `#times button[data-start="`+isoUTC(slotAt(s, "09:00"))+`"]`); n != 0 {
		t.Fatal("the full 09:00 is still offered")
	}
	if st := s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: slotAt(s, "09:15")}, nil); st != 201 {
		t.Fatalf("the other visitor's booking: %d", st)
	}
	run(t, ctx, "Lithuanian, 09:15", tap(`#langs button[data-lang="lt"]`), tap(`#times button[data-start="`+isoUTC(slotAt(s, "09:15"))+`"]`),
		tap("#confirm"))
	waitText(t, ctx, "#error", "Šis laikas jau užimtas. Pasirinkite kitą.")
	e2e.Screenshot(t, ctx, "book-6-full")
	var day wire.BookingsDay
	boss := s.AddUser("boss", queue.RoleAdmin)
	if st := s.JSON("GET", "/api/v1/admin/bookings?day="+tomorrow, s.Login("boss"), nil, &day); st != 200 || len(day.Bookings) != 2 {
		t.Fatalf("after the refusal: %d %d bookings, want 2", st, len(day.Bookings))
	}
	_ = boss

	// Move to 10:00 and cancel, on the booking's own page.
	run(t, ctx, "open the booking", tap(`#langs button[data-lang="en"]`), chromedp.Navigate(s.URL+"/b/"+code), chromedp.WaitVisible("#move", chromedp.ByID),
		tap("#move"), tap(`#days button[data-day="`+tomorrow+`"]`), tap(`#times button[data-start="`+isoUTC(slotAt(s, "10:00"))+`"]`))
	waitText(t, ctx, "#confirm", "Move to this time")
	run(t, ctx, "move", tap("#confirm"), chromedp.WaitVisible("#info", chromedp.ByID))
	waitText(t, ctx, "#info", "The time is changed.")
	if st := s.JSON("GET", "/api/v1/bookings/"+code, "", nil, &bk); st != 200 || !bk.Start.Equal(slotAt(s, "10:00")) {
		t.Fatalf("after the move: %+v", bk)
	}
	e2e.Screenshot(t, ctx, "book-7-moved")
	run(t, ctx, "cancel", tap("#cancel"), tap("#cancel-yes"))
	waitText(t, ctx, "#done-h", "This booking is cancelled.")
	waitJS(t, ctx, `document.getElementById("manage").hidden`)
	// The move's notice belongs to the booking that was; a cancelled one
	// offers no calendar entry to add.
	var stale bool
	run(t, ctx, "stale notices", chromedp.Evaluate(`!document.getElementById("info").hidden || !document.getElementById("ics").hidden`, &stale))
	if stale {
		t.Error("the cancelled booking still shows the move's notice or the .ics button")
	}
	if st := s.JSON("GET", "/api/v1/bookings/"+code, "", nil, &bk); st != 200 || bk.Status != "cancelled" {
		t.Fatalf("after the cancel: %+v", bk)
	}
	e2e.Screenshot(t, ctx, "book-8-cancelled")
}

func isoUTC(t time.Time) string { return t.Format(time.RFC3339) } // as the API writes it: in the office zone

func count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	var n int
	run(t, ctx, "count "+sel, chromedp.Evaluate(`document.querySelectorAll(`+quoteJS(sel)+`).length`, &n))
	return n
}

func quoteJS(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
