package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"langelis/priority"
	"langelis/queue"
	"langelis/wire"
)

// restRecorder is a stand-in for the REST half of the server: it answers
// what the contract says and records what it was asked.
type restRecorder struct {
	mu   sync.Mutex
	auth []string // Authorization header of each request
	body []string
	path []string
}

func (rr *restRecorder) note(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	rr.mu.Lock()
	rr.auth = append(rr.auth, r.Header.Get("Authorization"))
	rr.body = append(rr.body, string(b))
	rr.path = append(rr.path, r.Method+" "+r.URL.Path)
	rr.mu.Unlock()
	return b
}

func (rr *restRecorder) last() (auth, body, path string) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	n := len(rr.auth) - 1
	return rr.auth[n], rr.body[n], rr.path[n]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func apiErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func newREST(t *testing.T) (*restRecorder, *httptest.Server) {
	rr := &restRecorder{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/session", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Username, Password string }
		json.Unmarshal(rr.note(r), &in)
		if in.Password != "secret" {
			apiErr(w, 401, "unauthorized", "Wrong username or password.")
			return
		}
		writeJSON(w, 200, map[string]any{"token": "tok-1", "expires_at": "2026-03-02T18:00:00Z",
			"user": map[string]string{"username": in.Username, "name": "Ona Onaitė", "role": "clerk"}})
	})
	mux.HandleFunc("DELETE /api/v1/session", func(w http.ResponseWriter, r *http.Request) {
		rr.note(r)
		w.WriteHeader(204)
	})
	mux.HandleFunc("GET /api/v1/office", func(w http.ResponseWriter, r *http.Request) {
		rr.note(r)
		writeJSON(w, 200, testOffice(t))
	})
	mux.HandleFunc("GET /api/v1/queue", func(w http.ResponseWriter, r *http.Request) {
		rr.note(r)
		s := queue.Snapshot{Seq: 7, Day: "2026-03-02", Open: true, Waiting: map[string]int{"A": 1},
			Tickets: []queue.Ticket{{ID: "id1", Number: "A001", Service: "A", Status: queue.Waiting, Category: priority.Child}},
			Calls:   []queue.Call{}, Desks: []queue.Desk{{Number: 1, Status: queue.DeskOpen}}}
		if r.Header.Get("Authorization") == "" {
			writeJSON(w, 200, s.Public())
			return
		}
		writeJSON(w, 200, s)
	})
	mux.HandleFunc("POST /api/v1/tickets", func(w http.ResponseWriter, r *http.Request) {
		var in map[string]string
		json.Unmarshal(rr.note(r), &in)
		if in["service"] == "Z" {
			apiErr(w, 400, "invalid", `There is no service "Z" here.`)
			return
		}
		writeJSON(w, 201, map[string]any{"id": "tok123", "number": "A001", "service": in["service"], "status": "waiting",
			"priority": in["priority"], "ahead": 2, "estimated_call_at": "2026-03-02T08:20:00Z",
			"status_url": "/t/tok123", "pdf_url": "/api/v1/tickets/tok123/pdf"})
	})
	mux.HandleFunc("GET /api/v1/tickets/{id}", func(w http.ResponseWriter, r *http.Request) {
		rr.note(r)
		if r.PathValue("id") != "tok123" {
			apiErr(w, 404, "not_found", "This ticket is not in today's queue.")
			return
		}
		writeJSON(w, 200, map[string]any{"id": "tok123", "number": "A001", "status": "called", "desk": 2, "ahead": 0})
	})
	mux.HandleFunc("GET /api/v1/tickets/{id}/pdf", func(w http.ResponseWriter, r *http.Request) {
		rr.note(r)
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.3 A001"))
	})
	mux.HandleFunc("POST /api/v1/desks/{n}/{action}", func(w http.ResponseWriter, r *http.Request) {
		rr.note(r)
		switch r.PathValue("action") {
		case "next":
			if r.PathValue("n") == "2" {
				w.WriteHeader(204)
				return
			}
			tk := queue.Ticket{ID: "id1", Number: "A001", Status: queue.Called, Desk: 1}
			writeJSON(w, 200, queue.DeskResult{Desk: queue.Desk{Number: 1, Status: queue.DeskOpen, TicketNumber: "A001"}, Ticket: &tk})
		case "pause":
			writeJSON(w, 200, map[string]any{"desk": map[string]any{"number": 1, "status": "paused"}, "ticket": nil})
		case "finish":
			apiErr(w, 409, "conflict", "A012 is already being served at desk 2.")
		case "open":
			w.WriteHeader(502)
			w.Write([]byte("<html>bad gateway</html>"))
		default:
			apiErr(w, 400, "invalid", "Unknown action.")
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return rr, srv
}

func TestLoginStoresToken(t *testing.T) {
	rr, srv := newREST(t)
	ctx := context.Background()
	c := New(srv.URL + "/")
	if _, err := c.Login(ctx, "ona", "wrong"); ErrorCode(err) != queue.EUNAUTHORIZED || err.Error() != "Wrong username or password." {
		t.Fatalf("bad login: %v (code %q)", err, ErrorCode(err))
	}
	if c.Token() != "" {
		t.Fatal("a failed login set a token")
	}
	s, err := c.Login(ctx, "ona", "secret")
	if err != nil {
		t.Fatal(err)
	}
	if s.Token != "tok-1" || s.User.Role != "clerk" || s.User.Name != "Ona Onaitė" ||
		!s.ExpiresAt.Equal(time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)) {
		t.Fatalf("session = %+v", s)
	}
	if _, body, _ := rr.last(); body != `{"username":"ona","password":"secret"}` {
		t.Fatalf("login body = %s", body)
	}
	if _, err := c.Office(ctx); err != nil {
		t.Fatal(err)
	}
	if auth, _, path := rr.last(); auth != "Bearer tok-1" || path != "GET /api/v1/office" {
		t.Fatalf("after login: %q %q", auth, path)
	}
	if err := c.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if auth, _, path := rr.last(); auth != "Bearer tok-1" || path != "DELETE /api/v1/session" || c.Token() != "" {
		t.Fatalf("logout: %q %q token %q", auth, path, c.Token())
	}
}

func TestOfficeAndQueue(t *testing.T) {
	_, srv := newREST(t)
	ctx := context.Background()
	o, err := New(srv.URL).Office(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if o.Name != "Testo padalinys" || len(o.Services) != 2 || len(o.Desks) != 2 || len(o.Hours.Week[1]) != 1 {
		t.Fatalf("office = %+v", o)
	}
	pub, err := New(srv.URL).Queue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Seq != 7 || len(pub.Tickets) != 1 || pub.Tickets[0].ID != "" || pub.Tickets[0].Category != priority.None || pub.Tickets[0].Number != "A001" {
		t.Fatalf("public queue = %+v", pub)
	}
	full, err := New(srv.URL, WithToken("tok-1")).Queue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if full.Tickets[0].ID != "id1" || full.Tickets[0].Category != priority.Child {
		t.Fatalf("staff queue = %+v", full)
	}
}

func TestIssueAndPDF(t *testing.T) {
	rr, srv := newREST(t)
	ctx := context.Background()
	c := New(srv.URL, WithHTTPClient(&http.Client{Timeout: 5 * time.Second}))
	tk, err := c.Issue(ctx, wire.IssueRequest{Service: "A", Lang: "lt", Kiosk: "k1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, body, _ := rr.last(); body != `{"service":"A","lang":"lt","kiosk":"k1"}` {
		t.Fatalf("issue body = %s", body)
	}
	if tk.ID != "tok123" || tk.Number != "A001" || tk.Status != queue.Waiting || tk.Ahead == nil || *tk.Ahead != 2 || tk.EstimatedCallAt == nil ||
		!tk.EstimatedCallAt.Equal(time.Date(2026, 3, 2, 8, 20, 0, 0, time.UTC)) || tk.PDFURL == "" || tk.StatusURL != "/t/tok123" {
		t.Fatalf("issued = %+v", tk)
	}
	if _, err := c.Issue(ctx, wire.IssueRequest{Service: "A", Priority: string(priority.Elderly)}); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := rr.last(); !strings.Contains(body, `"priority":"elderly"`) {
		t.Fatalf("issue body = %s", body)
	}
	_, err = c.Issue(ctx, wire.IssueRequest{Service: "Z"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 400 || ae.Code != queue.EINVALID || ae.Error() != `There is no service "Z" here.` {
		t.Fatalf("bad issue: %#v", err)
	}

	got, err := c.Ticket(ctx, "tok123")
	if err != nil || got.Status != queue.Called || got.Desk != 2 {
		t.Fatalf("ticket = %+v, %v", got, err)
	}
	if _, err := c.Ticket(ctx, "nope"); ErrorCode(err) != queue.ENOTFOUND {
		t.Fatalf("missing ticket: %v", err)
	}
	pdf, err := c.TicketPDF(ctx, "tok123")
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("pdf = %q, %v", pdf, err)
	}
	if _, _, path := rr.last(); path != "GET /api/v1/tickets/tok123/pdf" {
		t.Fatalf("pdf path = %s", path)
	}
}

func TestDesk(t *testing.T) {
	rr, srv := newREST(t)
	ctx := context.Background()
	c := New(srv.URL, WithToken("tok-1"))

	res, err := c.Desk(ctx, 1, "next", nil)
	if err != nil || res == nil || res.Ticket == nil || res.Ticket.Number != "A001" || res.Desk.TicketNumber != "A001" {
		t.Fatalf("next = %+v, %v", res, err)
	}
	if auth, body, path := rr.last(); auth != "Bearer tok-1" || body != "" || path != "POST /api/v1/desks/1/next" {
		t.Fatalf("next sent %q %q %q", auth, body, path)
	}
	if res, err := c.Desk(ctx, 2, "next", nil); res != nil || err != nil {
		t.Fatalf("next with nothing waiting = %+v, %v", res, err)
	}
	res, err = c.Desk(ctx, 1, "pause", &wire.DeskRequest{Reason: "lunch"})
	if err != nil || res.Desk.Status != queue.DeskPaused || res.Ticket != nil {
		t.Fatalf("pause = %+v, %v", res, err)
	}
	if _, body, _ := rr.last(); body != `{"reason":"lunch"}` {
		t.Fatalf("pause body = %s", body)
	}
	_, err = c.Desk(ctx, 1, "finish", nil)
	if ErrorCode(err) != queue.ECONFLICT || err.Error() != "A012 is already being served at desk 2." {
		t.Fatalf("finish: %v", err)
	}
	// An answer that is not the contract's JSON still makes an APIError.
	_, err = c.Desk(ctx, 1, "open", nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 502 || ae.Code != queue.EUNAVAILABLE || ae.Message == "" {
		t.Fatalf("502: %#v", err)
	}
}

func TestTransportError(t *testing.T) {
	_, srv := newREST(t)
	srv.Close()
	_, err := New(srv.URL).Office(context.Background())
	if err == nil || !strings.HasPrefix(err.Error(), "client: GET /api/v1/office: ") || ErrorCode(err) != "" {
		t.Fatalf("err = %v", err)
	}
}
