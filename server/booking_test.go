package server_test

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"langelis/app"
	"langelis/internal/e2e"
	"langelis/internal/smtptest"
	"langelis/mail"
	"langelis/queue"
	"langelis/wire"
)

// bookingTestOffice is testOffice with A bookable: desks 1 and 2 give A
// two thirds of their time each, so half of it is one visit per 15-minute
// slot, from 09:00 to 12:00.
func bookingTestOffice() *queue.Office {
	o := testOffice()
	o.Services[0].Booking = &queue.BookingSettings{SlotMinutes: 15, DaysAhead: 14,
		Shares: []queue.BookingShare{{Span: queue.Span{Start: 9 * 60, End: 12 * 60}, Percent: 50}}}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		panic(err)
	}
	return o
}

func newBookingTS(t *testing.T) *ts {
	t.Helper()
	es := e2e.Start(t, e2e.Options{Office: bookingTestOffice(), Configure: func(c *app.Config) {}})
	s := &ts{Server: es, t: t, Eng: es.Engine}
	s.addUser("boss", queue.RoleAdmin)
	return s
}

// The day after the test's office day, as the API writes days.
func (s *ts) tomorrow() string {
	return s.Day.AddDate(0, 0, 1).Format(time.DateOnly)
}

func (s *ts) slots(day string) []wire.BookingSlot {
	s.t.Helper()
	var out []wire.BookingSlot
	if st := s.JSON("GET", "/api/v1/booking/slots?service=A&day="+day, "", nil, &out); st != http.StatusOK {
		s.t.Fatalf("slots: %d", st)
	}
	return out
}

// A visitor books a slot, gets a code with a link, a QR code and a calendar
// file; two bookers racing for the slot's one place get it once; bad input
// is refused in the person's language and changes nothing.
func TestBookingAPI(t *testing.T) {
	s := newBookingTS(t)
	var days []wire.BookingDay
	if st := s.JSON("GET", "/api/v1/booking/days?service=A", "", nil, &days); st != http.StatusOK || len(days) != 15 || !days[1].Open {
		t.Fatalf("days: %d %+v", st, days)
	}
	slots := s.slots(s.tomorrow())
	if len(slots) != 12 || slots[0].Start.In(s.Office.Location()).Format("15:04") != "09:00" {
		t.Fatalf("slots %+v, want 12 from 09:00", slots)
	}
	first := slots[0].Start
	// Two bookers race for the one place of 09:00.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	msgs := make([]wire.ErrorBody, 2)
	var won wire.Booking
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var raw map[string]any
			codes[i] = e2e.Do(t, s.URL, "POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: first, Lang: "en"}, &raw)
			if codes[i] == http.StatusCreated {
				s.JSON("GET", "/api/v1/bookings/"+raw["code"].(string), "", nil, &won)
			} else {
				msgs[i].Error.Message, _ = raw["error"].(map[string]any)["message"].(string)
			}
		}()
	}
	wg.Wait()
	if !(codes[0] == http.StatusCreated) != (codes[1] == http.StatusCreated) {
		t.Fatalf("race for the last place: %v", codes)
	}
	loser := 0
	if codes[0] == http.StatusCreated {
		loser = 1
	}
	if codes[loser] != http.StatusConflict || msgs[loser].Error.Message != "This time is already taken. Please choose another one." {
		t.Fatalf("the loser got %d %q", codes[loser], msgs[loser].Error.Message)
	}
	if won.Status != "booked" || won.URL != "/b/"+won.Code || won.Display[4] != '-' || !won.CheckInFrom.Equal(first.Add(-30*time.Minute)) {
		t.Fatalf("booking %+v", won)
	}
	if got := s.slots(s.tomorrow()); len(got) != 11 || got[0].Start.Equal(first) {
		t.Fatalf("the full slot is still offered: %+v", got[0])
	}
	ics := s.fetch(t, won.ICSURL)
	for _, want := range []string{"BEGIN:VEVENT", "UID:" + won.Code + "@langelis", "DTSTART:" + first.UTC().Format("20060102T150405Z"), "STATUS:CONFIRMED", "/b/" + won.Code} {
		if !strings.Contains(ics, want) {
			t.Fatalf("calendar file lacks %q:\n%s", want, ics)
		}
	}
	if svg := s.fetch(t, won.QRURL); !strings.HasPrefix(svg, "<svg") {
		t.Fatalf("qr: %.60s", svg)
	}

	// Bad input: a time that is not a slot, in Lithuanian; a bad contact.
	var e wire.ErrorBody
	if st := s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: first.Add(5 * time.Minute), Lang: "lt"}, &e); st != http.StatusBadRequest ||
		e.Error.Message != "Tokio laiko nėra. Pasirinkite laiką iš sąrašo." {
		t.Fatalf("not a slot: %d %q", st, e.Error.Message)
	}
	if st := s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: slots[1].Start, Contact: "call me <maybe>"}, &e); st != http.StatusBadRequest ||
		!strings.Contains(e.Error.Message, "e-mail address or a phone number") {
		t.Fatalf("bad contact: %d %q", st, e.Error.Message)
	}
	if got := s.slots(s.tomorrow()); len(got) != 11 {
		t.Fatalf("refused bookings took places: %d slots left", len(got))
	}

	// Move to 09:15, then cancel: the link shows each.
	var moved wire.Booking
	if st := s.JSON("POST", "/api/v1/bookings/"+won.Display+"/move", "", wire.MoveBookingRequest{Start: slots[1].Start}, &moved); st != http.StatusOK || !moved.Start.Equal(slots[1].Start) {
		t.Fatalf("move: %d %+v", st, moved)
	}
	if got := s.slots(s.tomorrow()); len(got) != 11 || !got[0].Start.Equal(first) {
		t.Fatal("the place the move left is not offered again")
	}
	var cancelled wire.Booking
	if st := s.JSON("POST", "/api/v1/bookings/"+won.Code+"/cancel", "", nil, &cancelled); st != http.StatusOK || cancelled.Status != "cancelled" {
		t.Fatalf("cancel: %d %+v", st, cancelled)
	}
	if ics := s.fetch(t, won.ICSURL); !strings.Contains(ics, "STATUS:CANCELLED") {
		t.Fatal("the calendar file of a cancelled booking is not cancelled")
	}
	if st := s.JSON("POST", "/api/v1/bookings/"+won.Code+"/cancel", "", nil, &e); st != http.StatusConflict {
		t.Fatalf("cancel twice: %d", st)
	}
}

func (s *ts) fetch(t *testing.T, path string) string {
	t.Helper()
	resp, err := http.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}

// A guesser of codes is stopped by the rate limit.
func TestBookingCodeGuessesLimited(t *testing.T) {
	s := newBookingTS(t)
	limited := false
	for i := range 40 {
		var e wire.ErrorBody
		st := s.JSON("GET", "/api/v1/bookings/ACEF347"+string("ACEFGHJKMN"[i%10]), "", nil, &e)
		if st == http.StatusTooManyRequests {
			limited = i >= 30 && strings.Contains(e.Error.Message, "Too many attempts")
			break
		}
		if st != http.StatusNotFound {
			t.Fatalf("guess %d: %d", i, st)
		}
	}
	if !limited {
		t.Fatal("40 guesses in a row were all answered")
	}
}

// A holiday added after bookings exist lists them for the manager; none
// is dropped. The admin can close a slot and cancel a booking.
func TestHolidayListsAffectedBookings(t *testing.T) {
	s := newBookingTS(t)
	slots := s.slots(s.tomorrow())
	var bk wire.Booking
	if st := s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: slots[2].Start, Contact: "jonas@example.lt"}, &bk); st != http.StatusCreated {
		t.Fatalf("book: %d", st)
	}
	boss := s.login("boss")
	if st := s.JSON("POST", "/api/v1/admin/holidays", boss, map[string]string{"date": s.tomorrow()}, nil); st != http.StatusOK {
		t.Fatalf("holiday: %d", st)
	}
	var day wire.BookingsDay
	if st := s.JSON("GET", "/api/v1/admin/bookings?day="+s.tomorrow(), boss, nil, &day); st != http.StatusOK {
		t.Fatalf("admin bookings: %d", st)
	}
	if len(day.Stranded) != 1 || day.Stranded[0].Code != bk.Code || !day.Stranded[0].Contact || len(day.Bookings) != 1 {
		t.Fatalf("after the holiday: %+v", day)
	}
	var sb wire.StaffBooking
	if st := s.JSON("POST", "/api/v1/admin/bookings/"+bk.Code+"/cancel", boss, wire.CancelBookingRequest{Reason: "holiday"}, &sb); st != http.StatusOK || sb.Status != "cancelled" {
		t.Fatalf("admin cancel: %d %+v", st, sb)
	}
	if st := s.JSON("GET", "/api/v1/admin/bookings", "", nil, nil); st != http.StatusUnauthorized {
		t.Fatalf("admin bookings without signing in: %d", st)
	}
}

// The booked mark is staff-only: the hall's snapshot and a checked-in
// ticket's public views carry no trace of it; the staff snapshot does.
func TestBookedMarkIsStaffOnly(t *testing.T) {
	s := newBookingTS(t)
	s.Clock.Set(s.At("10:00"))
	var bk wire.Booking
	if st := s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: s.At("10:15")}, &bk); st != http.StatusCreated {
		t.Fatalf("book: %d", st)
	}
	var tk wire.Ticket
	if st := s.JSON("POST", "/api/v1/bookings/"+bk.Code+"/check-in", "", wire.CheckInRequest{}, &tk); st != http.StatusCreated {
		t.Fatalf("check-in: %d", st)
	}
	for _, path := range []string{"/api/v1/queue", "/api/v1/tickets/" + tk.ID} {
		if body := s.fetch(t, path); strings.Contains(body, "slot") || strings.Contains(body, "book") {
			t.Errorf("%s shows the booking: %s", path, body)
		}
	}
	clerk := s.login("boss")
	var raw map[string]any
	s.JSON("GET", "/api/v1/queue", clerk, nil, &raw)
	if tks, _ := raw["tickets"].([]any); len(tks) != 1 || tks[0].(map[string]any)["slot_at"] == nil {
		t.Fatalf("the staff snapshot lacks the mark: %v", raw["tickets"])
	}
}

// With an SMTP server configured, a visitor who gave an e-mail address
// gets the booking with its calendar file, and each change; one who gave
// none gets nothing.
func TestBookingMail(t *testing.T) {
	smtp := smtptest.Start(t)
	es := e2e.Start(t, e2e.Options{Office: bookingTestOffice(), Configure: func(c *app.Config) {
		c.Server.Mail = &mail.Sender{Addr: smtp.Addr, From: "sale@example.lt"}
	}})
	s := &ts{Server: es, t: t, Eng: es.Engine}
	slots := s.slots(s.tomorrow())
	var bk wire.Booking
	if st := s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: slots[0].Start, Lang: "lt", Contact: "jonas@example.lt"}, &bk); st != http.StatusCreated {
		t.Fatalf("book: %d", st)
	}
	wait := func() smtptest.Message {
		t.Helper()
		select {
		case <-smtp.Arrived():
		case <-time.After(5 * time.Second):
			t.Fatal("no e-mail arrived")
		}
		ms := smtp.Messages()
		return ms[len(ms)-1]
	}
	m := wait()
	body := decodeParts(t, m.Data)
	if m.To[0] != "jonas@example.lt" || !strings.Contains(body, "Rezervacijos kodas: "+bk.Display) || !strings.Contains(body, "/b/"+bk.Code) ||
		!strings.Contains(body, "UID:"+bk.Code+"@langelis") {
		t.Fatalf("the booking's e-mail:\n%s", body)
	}
	if st := s.JSON("POST", "/api/v1/bookings/"+bk.Code+"/cancel", "", nil, nil); st != http.StatusOK {
		t.Fatalf("cancel: %d", st)
	}
	if body := decodeParts(t, wait().Data); !strings.Contains(body, "STATUS:CANCELLED") {
		t.Fatalf("the cancel's e-mail:\n%s", body)
	}
	if st := s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: slots[1].Start}, nil); st != http.StatusCreated {
		t.Fatalf("book without contact: %d", st)
	}
	select {
	case <-smtp.Arrived():
		t.Fatal("an e-mail without an address")
	case <-time.After(300 * time.Millisecond):
	}
}

// decodeParts returns a MIME message's base64 parts decoded, joined.
func decodeParts(t *testing.T, data string) string {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	r := multipart.NewReader(msg.Body, params["boundary"])
	var out strings.Builder
	for {
		p, err := r.NextPart()
		if err != nil {
			break
		}
		b, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
		out.Write(b)
	}
	return out.String()
}

// Renaming a service on /admin keeps its booking settings: the form does
// not carry them, and a booked service must not silently stop being one.
func TestServiceChangeKeepsBooking(t *testing.T) {
	s := newBookingTS(t)
	boss := s.login("boss")
	body := map[string]any{"letter": "A", "names": map[string]string{"lt": "Deklaravimas ir keitimas"}, "target_minutes": 10}
	if st := s.JSON("PUT", "/api/v1/admin/services/A", boss, body, nil); st != http.StatusOK {
		t.Fatalf("change: %d", st)
	}
	if svc, _ := s.Eng.Office().Service("A"); svc.Booking == nil || svc.Names["lt"] != "Deklaravimas ir keitimas" {
		t.Fatalf("after the change: %+v", svc)
	}
	if got := s.slots(s.tomorrow()); len(got) != 12 {
		t.Fatalf("%d slots after the change, want 12", len(got))
	}
}

// The desk's next booked visits keep a checked-in booking while its ticket
// waits and drop it once the ticket is called and finished.
func TestDeskBookingsDropCalledTickets(t *testing.T) {
	s := newBookingTS(t)
	s.Clock.Set(s.At("10:00"))
	var bk wire.Booking
	if st := s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: s.At("10:15")}, &bk); st != http.StatusCreated {
		t.Fatalf("book: %d", st)
	}
	var tk wire.Ticket
	if st := s.JSON("POST", "/api/v1/bookings/"+bk.Code+"/check-in", "", wire.CheckInRequest{}, &tk); st != http.StatusCreated {
		t.Fatalf("check-in: %d", st)
	}
	clerk := s.login("boss")
	listed := func() []wire.StaffBooking {
		var out []wire.StaffBooking
		if st := s.JSON("GET", "/api/v1/desks/1/bookings", clerk, nil, &out); st != http.StatusOK {
			t.Fatalf("desk bookings: %d", st)
		}
		return out
	}
	if l := listed(); len(l) != 1 || l[0].Number != tk.Number {
		t.Fatalf("a waiting checked-in booking is not listed: %+v", l)
	}
	s.do("POST", "/api/v1/desks/1/open", clerk, map[string]string{}, nil)
	if code := s.do("POST", "/api/v1/desks/1/next", clerk, map[string]string{}, nil); code != http.StatusOK {
		t.Fatalf("next: %d", code)
	}
	if l := listed(); len(l) != 0 {
		t.Fatalf("a called booking is still listed: %+v", l)
	}
	s.do("POST", "/api/v1/desks/1/start", clerk, map[string]string{}, nil)
	s.do("POST", "/api/v1/desks/1/finish", clerk, map[string]string{}, nil)
	if l := listed(); len(l) != 0 {
		t.Fatalf("a finished booking is still listed: %+v", l)
	}
}

// The day after the visit the engine has forgotten the settled booking,
// but the visitor's link still says how it ended: checked in with its
// number, or missed; a code never given stays unknown.
func TestBookingLinkTheDayAfter(t *testing.T) {
	s := newBookingTS(t)
	s.Clock.Set(s.At("10:00"))
	book := func(at string) wire.Booking {
		t.Helper()
		var bk wire.Booking
		if st := s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: s.At(at)}, &bk); st != http.StatusCreated {
			t.Fatalf("book %s: %d", at, st)
		}
		return bk
	}
	kept, missed := book("10:15"), book("11:00")
	var tk wire.Ticket
	if st := s.JSON("POST", "/api/v1/bookings/"+kept.Code+"/check-in", "", wire.CheckInRequest{}, &tk); st != http.StatusCreated {
		t.Fatalf("check-in: %d", st)
	}
	s.Clock.Set(s.At("09:00").AddDate(0, 0, 1))
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := s.Eng.FindBooking(context.Background(), kept.Code); queue.ErrorCode(err) == queue.ENOTFOUND {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the engine still holds yesterday's settled booking")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, c := range []struct{ code, status, number string }{{kept.Code, "checked_in", tk.Number}, {missed.Code, "missed", ""}} {
		var got wire.Booking
		if st := s.JSON("GET", "/api/v1/bookings/"+c.code, "", nil, &got); st != http.StatusOK || string(got.Status) != c.status || got.Number != c.number {
			t.Errorf("the day after, %s: %d %+v; want %s %q", c.code, st, got, c.status, c.number)
		}
	}
	if st := s.JSON("GET", "/api/v1/bookings/BCDFGHJK", "", nil, nil); st != http.StatusNotFound {
		t.Errorf("a code never given: %d", st)
	}
}
