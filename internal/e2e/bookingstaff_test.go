package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/wire"
)

// The clerk's desk lists the next booked visits of its services; the
// manager's page lists the day's bookings per slot, closes a slot, cancels
// and moves a booking, and lists the bookings a holiday strands.
func TestStaffSeeAndManageBookings(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Office: bookingOffice(), At: "10:00"})
	tomorrow := s.Day.AddDate(0, 0, 1).Format(time.DateOnly)
	today := book(t, s, "10:45")
	atDesk := book(t, s, "10:30")
	var y, z wire.Booking
	if s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: slotAt(s, "09:00")}, &y) != 201 ||
		s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: slotAt(s, "09:15")}, &z) != 201 {
		t.Fatal("bookings for tomorrow")
	}
	s.Clock.Set(s.At("10:16"))
	var tk wire.Ticket
	if st := s.JSON("POST", "/api/v1/bookings/"+today+"/check-in", "", wire.CheckInRequest{Lang: "en"}, &tk); st != 201 || tk.Number != "A001" {
		t.Fatalf("check-in: %d %+v", st, tk)
	}

	// The desk.
	pw := s.AddUser("clerk1", queue.RoleClerk)
	desk := e2e.Browser(t, 1366, 768)
	run(t, desk, "desk", signIn(s, "clerk1", pw), chromedp.WaitVisible("#open-1", chromedp.ByID), chromedp.KeyEvent("1"),
		chromedp.WaitVisible("#act-next", chromedp.ByID))
	waitText(t, desk, `#booked li[data-code="`+today+`"]`, "10:45 A · here: A001")
	waitText(t, desk, `#booked li[data-code="`+atDesk+`"]`, "10:30 A · not here yet")
	// The 10:30 visitor came to the desk: the clerk checks them in by code.
	run(t, desk, "check in at the desk", tap("#booked-checkin"), chromedp.WaitVisible("#dlg-input", chromedp.ByID),
		chromedp.SendKeys("#dlg-input", atDesk[:4]+"-"+atDesk[4:]+"\r", chromedp.ByID))
	waitText(t, desk, "#msg", "Checked in: number A002.")
	waitText(t, desk, `#booked li[data-code="`+atDesk+`"]`, "10:30 A · here: A002")
	e2e.Screenshot(t, desk, "desk-booked")
	// Nobody else waits: the desk calls the earliest slot, and sees it is booked.
	run(t, desk, "next", chromedp.KeyEvent("n"))
	waitText(t, desk, "#ticket-number", "A002")
	if g := pageText(t, desk, "#ticket-group"); !strings.HasSuffix(g, " · booked for 10:30") {
		t.Fatalf("the desk shows %q for a booked ticket", g)
	}

	// The manager's page, tomorrow.
	apw := s.AddUser("admin", queue.RoleAdmin)
	ctx := e2e.Browser(t, 1366, 768)
	run(t, ctx, "admin", adminSignIn(s, "/admin/bookings?day="+tomorrow, apw))
	row := func(hhmm string) string { return `#slots tr[data-start="` + isoUTC(slotAt(s, hhmm)) + `"]` }
	waitText(t, ctx, row("09:00")+" td:nth-child(3)", "1 / 1")
	e2e.Screenshot(t, ctx, "admin-bookings")
	e2e.Axe(t, ctx, "admin bookings")
	run(t, ctx, "close 09:30", tap(row("09:30")+" button.slot"))
	waitJS(t, ctx, `document.querySelector(`+quoteJS(row("09:30"))+`).classList.contains("closed")`)
	for _, sl := range slotsOf(t, s, tomorrow) {
		if sl.Start.Equal(slotAt(s, "09:30")) {
			t.Fatal("the closed 09:30 is still offered to visitors")
		}
	}
	run(t, ctx, "cancel Z", tap(`#slots .booking[data-code="`+z.Code+`"] button.cancel`))
	waitJS(t, ctx, `document.querySelector('#slots .booking[data-code="`+z.Code+`"]').classList.contains("cancelled")`)
	var got wire.Booking
	if s.JSON("GET", "/api/v1/bookings/"+z.Code, "", nil, &got); got.Status != "cancelled" {
		t.Fatalf("Z after the manager's cancel: %s", got.Status)
	}
	run(t, ctx, "move Y to 10:00", chromedp.SetValue(`#slots .booking[data-code="`+y.Code+`"] select`, isoUTC(slotAt(s, "10:00")), chromedp.ByQuery),
		tap(`#slots .booking[data-code="`+y.Code+`"] button.move`))
	waitJS(t, ctx, `!!document.querySelector(`+quoteJS(row("10:00")+` .booking[data-code="`+y.Code+`"]`)+`)`)
	if s.JSON("GET", "/api/v1/bookings/"+y.Code, "", nil, &got); !got.Start.Equal(slotAt(s, "10:00")) {
		t.Fatalf("Y after the manager's move: %v", got.Start)
	}

	// A holiday tomorrow: Y is listed, not dropped.
	if st := s.JSON("POST", "/api/v1/admin/holidays", s.Login("admin"), map[string]string{"date": tomorrow}, nil); st != 200 {
		t.Fatalf("holiday: %d", st)
	}
	run(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(`body[data-ready="1"]`, chromedp.ByQuery))
	waitJS(t, ctx, `!!document.querySelector('#stranded .booking[data-code="`+y.Code+`"]')`)
	// The manager moves it to the first day with room, offered first.
	waitJS(t, ctx, `document.querySelector('#stranded .booking select')?.options.length > 0`)
	e2e.Screenshot(t, ctx, "admin-bookings-stranded")
	run(t, ctx, "move Y out of the holiday", tap(`#stranded .booking[data-code="`+y.Code+`"] button.move`))
	waitJS(t, ctx, `!document.querySelector('#stranded .booking')`)
	if s.JSON("GET", "/api/v1/bookings/"+y.Code, "", nil, &got); got.Start.Format(time.DateOnly) == tomorrow || got.Status != "booked" {
		t.Fatalf("Y after the move out of the holiday: %v %s", got.Start, got.Status)
	}
}

func slotsOf(t *testing.T, s *e2e.Server, day string) []wire.BookingSlot {
	t.Helper()
	var out []wire.BookingSlot
	if st := s.JSON("GET", "/api/v1/booking/slots?service=A&day="+day, "", nil, &out); st != 200 {
		t.Fatalf("slots: %d", st)
	}
	return out
}
