package server_test

import (
	"encoding/json"
	"net"
	"strings"
	"testing"

	"langelis/queue"
	"langelis/server"
)

// A device outside the kiosk network is a phone: it cannot name a kiosk
// (which would make that kiosk print) nor dodge the per-address limit.
func TestUntrustedDeviceIsAPhone(t *testing.T) {
	_, kiosks, _ := net.ParseCIDR("10.9.0.0/24") // loopback is not in it
	s := newTSWith(t, func(c *server.Config) { c.KioskNets = []*net.IPNet{kiosks} })
	tok := s.login("clerk1")
	var first map[string]any
	if code := s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "kiosk": "kiosk1", "channel": "kiosk"}, &first); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	var snap queue.Snapshot
	s.do("GET", "/api/v1/queue", tok, nil, &snap)
	for _, tk := range snap.Tickets {
		if tk.Kiosk != "" || tk.Channel != queue.ChannelPhone {
			t.Fatalf("an outside device's ticket is channel %q kiosk %q; want a phone ticket with no kiosk", tk.Channel, tk.Kiosk)
		}
	}
	// 20 tickets from one address (one taken above), then the limit.
	codes := []int{}
	for i := 0; i < 21; i++ {
		svc := []string{"A", "B"}[i%2]
		codes = append(codes, s.do("POST", "/api/v1/tickets", "", map[string]string{"service": svc, "channel": "kiosk"}, nil))
	}
	if codes[18] != 201 || codes[19] != 429 {
		t.Fatalf("per-address limit: codes %v", codes)
	}
	// A signed-in station or clerk is trusted wherever it is.
	if code := s.do("POST", "/api/v1/tickets", tok, map[string]string{"service": "A"}, nil); code != 201 {
		t.Fatalf("a signed-in clerk's issue: %d", code)
	}
}

// Refused requests do not use up an address's phone allowance.
func TestRefusedPhoneRequestsDoNotCount(t *testing.T) {
	s := newTS(t)
	for i := 0; i < 25; i++ {
		if code := s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "Z", "channel": "phone"}, nil); code != 400 {
			t.Fatalf("unknown service: %d", code)
		}
	}
	if code := s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "channel": "phone"}, nil); code != 201 {
		t.Fatalf("a valid phone ticket after refused ones: %d", code)
	}
}

// The public queue lists waiting tickets by number, with no estimates: a
// priority ticket must not be recognisable by standing ahead of earlier ones.
func TestPublicQueueDoesNotRevealPriorityByOrder(t *testing.T) {
	s := newTS(t)
	s.issue("A")
	s.issue("A")
	s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "priority": "elderly"}, nil)
	var pub queue.PublicSnapshot
	s.do("GET", "/api/v1/queue", "", nil, &pub)
	var nums []string
	for _, tk := range pub.Tickets {
		nums = append(nums, tk.Number)
		if tk.Ahead != nil || !tk.EstimateAt.IsZero() {
			t.Fatalf("public ticket %s carries an estimate", tk.Number)
		}
	}
	if strings.Join(nums, ",") != "A001,A002,A003" {
		t.Fatalf("public order %v, want by number", nums)
	}
	// Staff still see the call order, with the priority ticket first.
	var staff queue.Snapshot
	s.do("GET", "/api/v1/queue", s.login("clerk1"), nil, &staff)
	if staff.Tickets[0].Number != "A003" {
		t.Fatalf("staff order starts with %s, want A003 (elderly)", staff.Tickets[0].Number)
	}
}

// A kiosk station hears the public stream, and in full only the tickets
// issued at its own kiosk.
func TestKioskStationHearsOnlyItsOwnTickets(t *testing.T) {
	s := newTS(t)
	s.addUser("kiosk1", queue.RoleKiosk)
	c := s.dialWS(t, "", s.login("kiosk1"), nil)
	first := readMsg(t, c)
	if strings.Contains(string(first.raw), `"priority"`) {
		t.Fatalf("a kiosk's snapshot carries categories: %s", first.raw)
	}
	var other, own map[string]any
	s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "kiosk": "kiosk2", "priority": "pregnant"}, &other)
	s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "kiosk": "kiosk1"}, &own)
	for _, want := range []map[string]any{other, own} {
		var data []byte
		var ev struct {
			Type   string
			Ticket map[string]any
		}
		for ev.Type != "ticket.issued" { // skip side-band cutoff messages
			c.SetReadDeadline(timeIn(5))
			var err error
			if _, data, err = c.ReadMessage(); err != nil {
				t.Fatal(err)
			}
			json.Unmarshal(data, &ev)
		}
		_, hasID := ev.Ticket["id"]
		if mine := want["id"] == own["id"]; mine != hasID {
			t.Fatalf("ticket %v: the kiosk saw its token: %v (own ticket: %v)", want["number"], hasID, mine)
		}
		if strings.Contains(string(data), "pregnant") {
			t.Fatalf("a kiosk heard a category: %s", data)
		}
	}
}
