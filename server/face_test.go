package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"langelis/wire"
)

// TestPublicFace: on the public listener no staff endpoint answers, even
// to an admin's token, while every public one does; the main listener
// still serves both faces.
func TestPublicFace(t *testing.T) {
	s := newBookingTS(t) // the test office with A bookable: the booking calls answer too
	admin := s.login("boss")
	at, err := s.App.ListenPublic("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	public := "http://" + at
	tk := s.issue("A")
	var bk wire.Booking
	if st := s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: s.slots(s.tomorrow())[0].Start}, &bk); st != http.StatusCreated {
		t.Fatalf("book: %d", st)
	}
	var staff, open int
	for _, op := range wire.Operations() {
		if op.Method == "DELETE" && op.Path == "/api/v1/session" {
			continue // would sign the admin out on the main listener below
		}
		name := op.Method + " " + op.Path
		if op.Upgrade {
			_, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(target(public, op), "http"), nil)
			if op.Public && err != nil {
				t.Errorf("%s: the public listener refuses the websocket: %v", name, err)
			}
			if !op.Public && (err == nil || resp == nil || resp.StatusCode != 404) {
				t.Errorf("%s answers on the public listener", name)
			}
			continue
		}
		opx := op
		for i, p := range opx.Params {
			if p.Name == "id" && p.In == "path" && strings.HasPrefix(op.Path, "/api/v1/tickets/") {
				opx.Params = append([]wire.Param(nil), op.Params...)
				opx.Params[i].Example = tk.ID // a real ticket: its public routes answer 200
			}
			if p.Name == "code" && p.In == "path" {
				opx.Params = append([]wire.Param(nil), opx.Params...)
				opx.Params[i].Example = bk.Code // a real booking, likewise
			}
		}
		status, _, body := probe(t, public, opx, admin)
		switch {
		case !op.Public:
			staff++
			if status != http.StatusNotFound {
				t.Errorf("%s is a staff endpoint but answers %d on the public listener: %.200s", name, status, body)
			}
		default:
			open++
			if status == http.StatusNotFound && !strings.Contains(op.Path, "{path}") && op.Path != "/api/v1/tickets/{id}/cancel" {
				t.Errorf("%s is public but the public listener answers 404: %.200s", name, body)
			}
		}
	}
	if staff < 40 || open < 10 {
		t.Fatalf("checked %d staff and %d public operations: the description lost its routes", staff, open)
	}
	// The same admin on the main listener is still an admin.
	if code := s.do("GET", "/api/v1/admin/users", admin, nil, nil); code != 200 {
		t.Errorf("GET /api/v1/admin/users on the main listener: %d, want 200", code)
	}
	// A token on the public face is not believed: the live stream there is
	// the hall's, without the tickets' tokens the staff's stream carries.
	tk = s.issue("A") // the probes above cancelled the first
	for _, face := range []struct {
		base   string
		tokens bool
	}{{s.URL, true}, {public, false}} {
		h := http.Header{"Authorization": {"Bearer " + admin}}
		c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(face.base, "http")+"/api/v1/ws?protocol=3", h)
		if err != nil {
			t.Fatal(err)
		}
		var all string
		for range 2 { // the hello, the snapshot
			_, m, err := c.ReadMessage()
			if err != nil {
				t.Fatal(err)
			}
			all += string(m)
		}
		c.Close()
		if got := strings.Contains(all, tk.ID); got != face.tokens {
			t.Errorf("the stream at %s with an admin's token carries the ticket's token: %v, want %v", face.base, got, face.tokens)
		}
	}
	req, _ := http.NewRequest("GET", public+"/api/v1/session", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GET /api/v1/session on the public listener: %d, want 404", resp.StatusCode)
	}
}

// An answer over HTTPS (here: a proxy's X-Forwarded-Proto) tells the
// browser to come back over HTTPS only; one over plain HTTP does not.
func TestHSTSOverHTTPS(t *testing.T) {
	s := newTS(t)
	for proto, want := range map[string]string{"https": "max-age=31536000; includeSubdomains", "": ""} {
		req, _ := http.NewRequest("GET", s.URL+"/take", nil)
		if proto != "" {
			req.Header.Set("X-Forwarded-Proto", proto)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Strict-Transport-Security"); got != want {
			t.Errorf("X-Forwarded-Proto %q: Strict-Transport-Security %q, want %q", proto, got, want)
		}
	}
}
