package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"langelis/queue"
	"langelis/wire"
)

func TestIssueAndQueue(t *testing.T) {
	s := newTS(t)
	a := s.issue("A")
	b := s.issue("A")
	if a.Number != "A001" || b.Number != "A002" {
		t.Fatalf("numbers %s %s", a.Number, b.Number)
	}
	if b.Ahead == nil || *b.Ahead != 1 || b.EstimatedCallAt == nil {
		t.Fatalf("second ticket: ahead %v, estimate %v", b.Ahead, b.EstimatedCallAt)
	}
	if a.StatusURL != "/t/"+a.ID || a.PDFURL != "/api/v1/tickets/"+a.ID+"/pdf" || len(a.ID) < 26 {
		t.Fatalf("links: %+v", a)
	}
	var snap queue.PublicSnapshot
	s.do("GET", "/api/v1/queue", "", nil, &snap)
	if len(snap.Tickets) != 2 || snap.Waiting["A"] != 2 {
		t.Fatalf("queue: %+v", snap)
	}
	// The public queue never carries a ticket's token or priority.
	var raw map[string]any
	s.do("GET", "/api/v1/queue", "", nil, &raw)
	data, _ := json.Marshal(raw)
	if strings.Contains(string(data), a.ID) || strings.Contains(string(data), "priority") {
		t.Fatalf("public queue leaks tokens or priority: %s", data)
	}
	var office map[string]any
	if s.do("GET", "/api/v1/office", "", nil, &office); office["name"] != "Testas" {
		t.Fatalf("office: %v", office)
	}
	if code := s.do("GET", "/healthz", "", nil, nil); code != 200 {
		t.Fatalf("healthz %d", code)
	}
}

func TestDeskFlowOverHTTP(t *testing.T) {
	s := newTS(t)
	tok := s.login("clerk1")
	s.issue("A")
	var r queue.DeskResult
	if code := s.do("POST", "/api/v1/desks/1/open", tok, nil, &r); code != 200 || r.Desk.Status != queue.DeskOpen {
		t.Fatalf("open: %d %+v", code, r)
	}
	if code := s.do("POST", "/api/v1/desks/1/next", tok, nil, &r); code != 200 || r.Ticket.Number != "A001" {
		t.Fatalf("next: %d %+v", code, r)
	}
	for _, a := range []string{"start", "finish"} {
		if code := s.do("POST", "/api/v1/desks/1/"+a, tok, nil, &r); code != 200 {
			t.Fatalf("%s: %d", a, code)
		}
	}
	if r.Ticket.Status != queue.Done {
		t.Fatalf("after finish: %s", r.Ticket.Status)
	}
	if code := s.do("POST", "/api/v1/desks/1/next", tok, nil, nil); code != 204 {
		t.Fatalf("next with none waiting: %d", code)
	}
	// Another clerk may not act at desk 1.
	tok2 := s.login("clerk2")
	var e wire.ErrorBody
	if code := s.do("POST", "/api/v1/desks/1/next", tok2, nil, &e); code != 403 || e.Error.Message == "" {
		t.Fatalf("other clerk: %d %+v", code, e)
	}
	if code := s.do("POST", "/api/v1/desks/1/open", tok2, nil, &e); code != 409 || !strings.Contains(e.Error.Message, "Name of clerk1") {
		t.Fatalf("second sign-in to a held desk: %d %+v", code, e)
	}
}

// Bad input gets the right 4xx with a message and leaves the queue as it was.
func TestBadInputChangesNothing(t *testing.T) {
	s := newTS(t)
	s.issue("A")
	tok := s.login("clerk1")
	var before queue.PublicSnapshot
	s.do("GET", "/api/v1/queue", "", nil, &before)
	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
		phrase                    string
	}{
		{"unknown service", "POST", "/api/v1/tickets", "", `{"service":"Z"}`, 400, "no service"},
		{"no service", "POST", "/api/v1/tickets", "", `{}`, 400, "Choose a service"},
		{"malformed JSON", "POST", "/api/v1/tickets", "", `{"service":`, 400, "JSON"},
		{"not an object", "POST", "/api/v1/tickets", "", `["A"]`, 400, "JSON object"},
		{"wrong type", "POST", "/api/v1/tickets", "", `{"service":1}`, 400, "text"},
		{"unknown field", "POST", "/api/v1/tickets", "", `{"service":"A","name":"Jonas"}`, 400, "Unknown field"},
		{"trailing data", "POST", "/api/v1/tickets", "", `{"service":"A"} {}`, 400, "after the JSON"},
		{"bad priority", "POST", "/api/v1/tickets", "", `{"service":"A","priority":"vip"}`, 400, "Priority"},
		{"bad language", "POST", "/api/v1/tickets", "", `{"service":"A","lang":"de"}`, 400, "Language"},
		{"oversized body", "POST", "/api/v1/tickets", "", `{"service":"A","lang":"` + strings.Repeat("x", 100<<10) + `"}`, 413, "too large"},
		{"desk action without sign-in", "POST", "/api/v1/desks/1/next", "", nil, 401, "Sign in"},
		{"desk action with a bad token", "POST", "/api/v1/desks/1/next", "nonsense", nil, 401, "sign in again"},
		{"unknown desk action", "POST", "/api/v1/desks/1/dance", tok, nil, 404, "Unknown desk action"},
		{"desk not a number", "POST", "/api/v1/desks/x/next", tok, nil, 400, "desk number"},
		{"unknown desk", "POST", "/api/v1/desks/9/open", tok, nil, 404, "no desk 9"},
		{"unknown ticket", "GET", "/api/v1/tickets/nope", "", nil, 404, "not in today"},
		{"wrong password", "POST", "/api/v1/session", "", `{"username":"clerk1","password":"wrong-one"}`, 401, "Wrong username or password"},
		{"bad since", "GET", "/api/v1/ws?since=x", "", nil, 400, "sequence"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var e wire.ErrorBody
			code := s.do(c.method, c.path, c.token, c.body, &e)
			if code != c.status {
				t.Fatalf("status %d, want %d (%+v)", code, c.status, e)
			}
			if e.Error.Code == "" || !strings.Contains(e.Error.Message, c.phrase) {
				t.Fatalf("error %+v lacks %q", e.Error, c.phrase)
			}
		})
	}
	var after queue.PublicSnapshot
	s.do("GET", "/api/v1/queue", "", nil, &after)
	if before.Seq != after.Seq || len(after.Tickets) != 1 {
		t.Fatalf("bad input changed the queue: seq %d → %d, %d tickets", before.Seq, after.Seq, len(after.Tickets))
	}
}

func TestLoginRateLimit(t *testing.T) {
	s := newTS(t)
	for i := 0; i < 5; i++ {
		s.do("POST", "/api/v1/session", "", map[string]string{"username": "clerk1", "password": "wrong-pass"}, nil)
	}
	var e wire.ErrorBody
	code := s.do("POST", "/api/v1/session", "", map[string]string{"username": "clerk1", "password": "password-clerk1"}, &e)
	if code != 429 || !strings.Contains(e.Error.Message, "Try again in") {
		t.Fatalf("sixth attempt: %d %+v", code, e)
	}
}

// A client cannot dodge the sign-in limit by claiming another address in
// X-Forwarded-For: without a trusted proxy the connection's address counts.
func TestForwardedForIsNotBelieved(t *testing.T) {
	s := newTS(t)
	for i := 0; i < 25; i++ {
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/session", strings.NewReader(fmt.Sprintf(`{"username":"u%d","password":"wrong-pass"}`, i)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if i >= 20 && resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("attempt %d from one address with forged X-Forwarded-For: %d, want 429", i+1, resp.StatusCode)
		}
	}
}

// An error quotes the mistake, not kilobytes of it.
func TestErrorsDoNotEchoLongInput(t *testing.T) {
	s := newTS(t)
	var e wire.ErrorBody
	if code := s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "lang": strings.Repeat("x", 5000)}, &e); code != 400 {
		t.Fatalf("status %d", code)
	}
	if len(e.Error.Message) > 200 {
		t.Fatalf("a %d-byte message echoes the input", len(e.Error.Message))
	}
}
