package server_test

import (
	"testing"

	"langelis/queue"
	"langelis/wire"
)

// A clerk says how long they stay, by time or by minutes past closing; the
// snapshot's cutoff moves with it, and bad input changes nothing.
func TestDeskStay(t *testing.T) {
	s := newTS(t)
	s.Clock.Set(s.At("19:30"))
	tok := s.login("clerk1")
	if code := s.do("POST", "/api/v1/desks/1/open", tok, nil, nil); code != 200 {
		t.Fatal("open", code)
	}
	for i := 0; i < 6; i++ {
		s.issue("A") // 10 minutes each; desk 1 alone serves A
	}
	cutoff := func() *queue.Cutoff {
		var snap queue.PublicSnapshot
		s.do("GET", "/api/v1/queue", "", nil, &snap)
		return snap.Cutoff
	}
	if c := cutoff(); c.Count != 3 || c.Last != "A003" {
		t.Fatalf("before the stay: %+v", c)
	}
	var res queue.DeskResult
	if code := s.do("POST", "/api/v1/desks/1/stay", tok, map[string]any{"minutes": 15}, &res); code != 200 ||
		!res.Desk.StayUntil.Equal(s.At("20:15")) {
		t.Fatalf("stay 15 minutes: %d %+v", code, res.Desk)
	}
	if c := cutoff(); c.Count != 5 || c.Last != "A005" || !c.Closing.Equal(s.At("20:00")) {
		t.Fatalf("after staying until 20:15: %+v", c)
	}
	if code := s.do("POST", "/api/v1/desks/1/stay", tok, map[string]any{"until": "20:05"}, nil); code != 200 {
		t.Fatal("stay until 20:05", code)
	}
	if c := cutoff(); c.Count != 4 {
		t.Fatalf("after staying until 20:05: %+v", c)
	}
	for _, bad := range []map[string]any{{"until": "25:00"}, {"until": "19:00"}, {"minutes": -5}, {"minutes": 10, "until": "20:10"}} {
		if code := s.do("POST", "/api/v1/desks/1/stay", tok, bad, nil); code != 400 {
			t.Fatalf("stay %v: %d, want 400", bad, code)
		}
	}
	if c := cutoff(); c.Count != 4 {
		t.Fatalf("a refused stay changed the cutoff: %+v", c)
	}
	// Another clerk cannot speak for desk 1.
	if code := s.do("POST", "/api/v1/desks/1/stay", s.login("clerk2"), map[string]any{"minutes": 60}, nil); code != 409 && code != 403 {
		t.Fatalf("another clerk's stay: %d", code)
	}
}

// The preview answers what the kiosk needs before issuing, and refuses
// what it cannot answer.
func TestTicketPreview(t *testing.T) {
	s := newTS(t)
	var pv queue.Preview
	if code := s.do("GET", "/api/v1/tickets/preview?service=a", "", nil, &pv); code != 200 || pv.Action != "issue" || pv.Service != "A" || pv.Today == nil || !*pv.Today {
		t.Fatalf("preview at 10:00: %d %+v", code, pv)
	}
	for _, q := range []string{"", "?service=Z", "?service=A&priority=vip"} {
		if code := s.do("GET", "/api/v1/tickets/preview"+q, "", nil, nil); code != 400 {
			t.Fatalf("preview%s: %d, want 400", q, code)
		}
	}
	s.Clock.Set(s.At("21:00"))
	var closed wire.Preview
	if s.do("GET", "/api/v1/tickets/preview?service=A", "", nil, &closed); closed.Action != "closed" || closed.NextOpening == nil ||
		!closed.NextOpening.Equal(s.At("08:00").AddDate(0, 0, 1)) {
		t.Fatalf("preview after closing: %+v", closed)
	}
}
