package server_test

import (
	"testing"
	"time"

	"langelis/queue"
	"langelis/wire"
)

// An issue at a kiosk says whether a kiosk station for that kiosk is
// connected to print it: the kiosk page shows the number and the QR code
// when none is. The station counts from its websocket's start to its end.
func TestIssueSaysWhetherAStationPrints(t *testing.T) {
	s := newTS(t)
	s.addUser("kiosk1", queue.RoleKiosk)
	issue := func(kiosk string) *bool {
		t.Helper()
		var r wire.Ticket
		if code := s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "kiosk": kiosk, "channel": "kiosk"}, &r); code != 201 {
			t.Fatalf("issue at %q: %d", kiosk, code)
		}
		return r.Printing
	}
	if p := issue("kiosk1"); p == nil || *p {
		t.Fatalf("no station connected: printing %v, want false", p)
	}
	station := s.dialWS(t, "?protocol=3", s.login("kiosk1"), nil)
	readMsg(t, station) // the snapshot: it has joined
	if p := issue("kiosk1"); p == nil || !*p {
		t.Fatalf("kiosk1's station connected: printing %v, want true", p)
	}
	if p := issue("kiosk2"); p == nil || *p {
		t.Fatalf("another kiosk's ticket: printing %v, want false", p)
	}
	if p := issue(""); p == nil || *p {
		t.Fatalf("a kiosk with no name: printing %v, want false", p)
	}
	station.Close()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if p := issue("kiosk1"); p != nil && !*p {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the station left, and issues still say it prints")
		}
	}
	var phone wire.Ticket
	s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "channel": "phone"}, &phone)
	if phone.Printing != nil {
		t.Fatalf("a phone ticket says printing %v", *phone.Printing)
	}
}

// A waiting ticket, its stream and the preview say how many desks that can
// serve it are open: with none, the pages promise no time. The office
// answer carries the office clock's now, for "today" and "tomorrow".
func TestOpenDesksAndTheOfficeClock(t *testing.T) {
	s := newTS(t)
	a := s.issue("A")
	b := s.issue("B")
	if a.OpenDesks == nil || *a.OpenDesks != 0 {
		t.Fatalf("no desk open: A's open_desks %v", a.OpenDesks)
	}
	c := s.dialTicket(t, b.ID)
	if m := nextOf(t, c, wire.KindTicket); m.Ticket.OpenDesks == nil || *m.Ticket.OpenDesks != 0 {
		t.Fatalf("the stream with no desk open: %s", m.raw)
	}
	tok := s.login("clerk3")
	if code := s.do("POST", "/api/v1/desks/3/open", tok, nil, nil); code != 200 { // desk 3 serves B only
		t.Fatalf("open desk 3: %d", code)
	}
	if m := nextOf(t, c, wire.KindTicket); m.Ticket.OpenDesks == nil || *m.Ticket.OpenDesks != 1 {
		t.Fatalf("the stream after desk 3 opened: %s", m.raw)
	}
	var ra, rb wire.Ticket
	s.do("GET", "/api/v1/tickets/"+a.ID, "", nil, &ra)
	s.do("GET", "/api/v1/tickets/"+b.ID, "", nil, &rb)
	if *ra.OpenDesks != 0 || *rb.OpenDesks != 1 {
		t.Fatalf("desk 3 (B) open: A has %d, B %d open desks; want 0 and 1", *ra.OpenDesks, *rb.OpenDesks)
	}
	var pv wire.Preview
	if s.do("GET", "/api/v1/tickets/preview?service=B", "", nil, &pv); pv.OpenDesks != 1 {
		t.Fatalf("preview for B: %d open desks", pv.OpenDesks)
	}
	var o wire.Office
	if s.do("GET", "/api/v1/office", "", nil, &o); !o.Now.Equal(s.Clock.Now()) {
		t.Fatalf("office now %s, the office clock %s", o.Now, s.Clock.Now())
	}
}

// The ticket stream carries the forecast's range and chance, as GET
// /api/v1/tickets/{id} does: the status page's end-of-day words follow
// the chance.
func TestTicketStreamCarriesTheForecast(t *testing.T) {
	s := newTS(t)
	tok := s.login("clerk1")
	s.do("POST", "/api/v1/desks/1/open", tok, nil, nil)
	mine := s.issue("A")
	s.Real.Advance(5 * time.Second) // the forecaster runs (every few seconds of real time)
	var got wire.Ticket
	for deadline := time.Now().Add(10 * time.Second); got.ServedTodayProbability == nil; time.Sleep(20 * time.Millisecond) {
		s.do("GET", "/api/v1/tickets/"+mine.ID, "", nil, &got)
		if time.Now().After(deadline) {
			t.Fatal("the ticket has no forecast")
		}
	}
	c := s.dialTicket(t, mine.ID)
	m := nextOf(t, c, wire.KindTicket)
	if m.Ticket.ServedTodayProbability == nil || m.Ticket.EstimatedCallRange == nil {
		t.Fatalf("the stream's ticket has no forecast: %s", m.raw)
	}
}
