package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"langelis/queue"
)

// A clerk corrects a waiting visitor's group by number: the visitor moves
// up in the order the staff queue lists and the desk calls, and the public
// queue still shows no group.
func TestClerkCorrectsCategory(t *testing.T) {
	s := newTS(t)
	tok := s.login("clerk1")
	s.issue("A")
	s.issue("A")
	var r queue.DeskResult
	if code := s.do("POST", "/api/v1/desks/1/open", tok, nil, &r); code != 200 {
		t.Fatalf("open: %d", code)
	}
	var e struct {
		Error struct{ Code, Message string }
	}
	if code := s.do("POST", "/api/v1/desks/1/category", tok, map[string]string{"number": "A002", "priority": "vip"}, &e); code != 400 || !strings.Contains(e.Error.Message, "elderly") {
		t.Fatalf("a made-up group: %d %+v", code, e)
	}
	if code := s.do("POST", "/api/v1/desks/1/category", "", map[string]string{"number": "A002", "priority": "elderly"}, nil); code != 401 {
		t.Fatalf("a visitor may not change a group: %d", code)
	}
	if code := s.do("POST", "/api/v1/desks/1/category", tok, map[string]string{"number": "A002", "priority": "elderly"}, &r); code != 200 || r.Ticket.Category != "elderly" {
		t.Fatalf("correct A002: %d %+v", code, r.Ticket)
	}
	var snap queue.Snapshot
	s.do("GET", "/api/v1/queue", tok, nil, &snap)
	if len(snap.Tickets) != 2 || snap.Tickets[0].Number != "A002" {
		t.Fatalf("staff queue after the correction: %+v", snap.Tickets)
	}
	var raw map[string]any
	s.do("GET", "/api/v1/queue", "", nil, &raw)
	if data, _ := json.Marshal(raw); strings.Contains(string(data), "elderly") || strings.Contains(string(data), "priority") {
		t.Fatalf("public queue shows a group: %s", data)
	}
	if code := s.do("POST", "/api/v1/desks/1/next", tok, nil, &r); code != 200 || r.Ticket.Number != "A002" {
		t.Fatalf("next after the correction: %d %+v", code, r.Ticket)
	}
	// Without a number, the desk's current client is corrected.
	if code := s.do("POST", "/api/v1/desks/1/category", tok, map[string]string{"priority": "none"}, &r); code != 200 || r.Ticket.Number != "A002" || r.Ticket.Category != "" {
		t.Fatalf("correct the current client: %d %+v", code, r.Ticket)
	}
}
