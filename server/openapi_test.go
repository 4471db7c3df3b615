package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/queue"
	"langelis/wire"
)

// echoParam matches echo's path parameters, :id and the trailing *.
var echoParam = regexp.MustCompile(`:([A-Za-z_]+)|\*$`)

// openAPIPath turns an echo route path into the OpenAPI form:
// /tickets/:id → /tickets/{id}, /static/* → /static/{path}.
func openAPIPath(p string) string {
	return echoParam.ReplaceAllStringFunc(p, func(m string) string {
		if m == "*" {
			return "{path}"
		}
		return "{" + m[1:] + "}"
	})
}

// TestOpenAPIDescribesEveryRoute: every route the server registers is in
// the served description and every described route is registered.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	s := newTS(t)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if code := s.do("GET", "/api/v1/openapi.json", "", nil, &doc); code != 200 {
		t.Fatalf("GET /api/v1/openapi.json: %d", code)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	described := map[string]bool{}
	for path, methods := range doc.Paths {
		for m := range methods {
			described[strings.ToUpper(m)+" "+path] = true
		}
	}
	registered := map[string]bool{}
	for _, r := range s.Srv.RoutesForTest() {
		method, path, _ := strings.Cut(r, " ")
		registered[method+" "+openAPIPath(path)] = true
	}
	var missing, extra []string
	for r := range registered {
		if !described[r] {
			missing = append(missing, r)
		}
	}
	for r := range described {
		if !registered[r] {
			extra = append(extra, r)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	for _, r := range missing {
		t.Errorf("%s is registered by the server but not described: add a wire.Operation for it (wire/api_*.go, beside its body types)", r)
	}
	for _, r := range extra {
		t.Errorf("%s is described in wire but the server registers no such route", r)
	}
}

// TestOpenAPIStatusesAndErrorShapes sends every described operation a
// real request, as a stranger and as an admin, and checks that the status
// is one the description gives, that every error has the contract's shape
// and a code of that status, and that every JSON success decodes into the
// described type with no field left over.
func TestOpenAPIStatusesAndErrorShapes(t *testing.T) {
	s := newTS(t)
	s.addUser("boss", queue.RoleAdmin)
	admin := s.login("boss")
	ops := wire.Operations()
	// Signing out last: the admin's probes need the session.
	slices.SortStableFunc(ops, func(a, b wire.Operation) int {
		last := func(o wire.Operation) bool { return o.Method == "DELETE" && o.Path == "/api/v1/session" }
		switch {
		case last(a) && !last(b):
			return 1
		case last(b) && !last(a):
			return -1
		}
		return 0
	})
	for _, who := range []string{"stranger", "admin"} {
		token := map[string]string{"admin": admin}[who]
		for _, op := range ops {
			name := fmt.Sprintf("%s %s as %s", op.Method, op.Path, who)
			if op.Upgrade {
				probeUpgrade(t, s.URL, op, token, name)
				continue
			}
			status, ctype, body := probe(t, s.URL, op, token)
			checkAnswer(t, op, name, status, ctype, body)
		}
	}
}

// target is op's URL with its parameters' examples.
func target(base string, op wire.Operation) string {
	path, q := op.Path, url.Values{}
	for _, p := range op.Params {
		switch {
		case p.In == "path":
			path = strings.ReplaceAll(path, "{"+p.Name+"}", p.Example)
		case p.Example != "":
			q.Set(p.Name, p.Example)
		}
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return base + path
}

func probe(t *testing.T, base string, op wire.Operation, token string) (int, string, []byte) {
	t.Helper()
	var body io.Reader
	if op.Request != nil {
		body = bytes.NewBufferString("{}")
	}
	req, _ := http.NewRequest(op.Method, target(base, op), body)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept-Language", "en")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), data
}

func checkAnswer(t testing.TB, op wire.Operation, name string, status int, ctype string, body []byte) {
	t.Helper()
	if !slices.Contains(op.Statuses(), status) {
		t.Errorf("%s answered %d %.200s; the description gives %v", name, status, body, op.Statuses())
		return
	}
	switch {
	case status >= 400:
		checkError(t, name, status, ctype, body)
	case status == http.StatusNoContent:
	default:
		checkSuccess(t, op, name, ctype, body)
	}
}

// checkError: the contract's {"error": {"code", "message"}}, nothing
// else, with a code whose status is the one answered.
func checkError(t testing.TB, name string, status int, ctype string, body []byte) {
	t.Helper()
	if !strings.HasPrefix(ctype, "application/json") {
		t.Errorf("%s: error %d as %q, want JSON: %.200s", name, status, ctype, body)
		return
	}
	var e wire.ErrorBody
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("%s: error %d is not the contract's shape (%v): %.200s", name, status, err, body)
		return
	}
	if wire.Status(e.Error.Code) != status && wire.CodeFor(status) != e.Error.Code {
		t.Errorf("%s: answered %d with code %q, whose status is %d", name, status, e.Error.Code, wire.Status(e.Error.Code))
	}
}

// checkSuccess: a JSON answer decodes into the described Go type (or its
// alternative) with no unknown field; another answer has the described
// content type.
func checkSuccess(t testing.TB, op wire.Operation, name, ctype string, body []byte) {
	t.Helper()
	switch r := op.Response.(type) {
	case nil:
		return
	case wire.Content:
		if r.Type != "*/*" && !strings.HasPrefix(ctype, strings.Split(r.Type, ";")[0]) {
			t.Errorf("%s: answered %q, described as %q", name, ctype, r.Type)
		}
		return
	case wire.Object:
		if !json.Valid(body) {
			t.Errorf("%s: the answer is not JSON: %.200s", name, body)
		}
		return
	}
	var errs []string
	for _, want := range []any{op.Response, op.Alt} {
		if want == nil {
			continue
		}
		v := reflect.New(reflect.TypeOf(want)).Interface()
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		err := dec.Decode(v)
		if err == nil {
			return
		}
		errs = append(errs, fmt.Sprintf("%T: %v", want, err))
	}
	t.Errorf("%s: the answer is not the described type: %s: %.300s", name, strings.Join(errs, "; "), body)
}

func probeUpgrade(t *testing.T, base string, op wire.Operation, token, name string) {
	t.Helper()
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	u := "ws" + strings.TrimPrefix(target(base, op), "http")
	c, resp, err := websocket.DefaultDialer.Dial(u, h)
	if err != nil {
		code := 0
		if resp != nil {
			code = resp.StatusCode
		}
		t.Errorf("%s: the websocket did not open: %d %v", name, code, err)
		return
	}
	c.Close()
	if !slices.Contains(op.Statuses(), resp.StatusCode) {
		t.Errorf("%s answered %s; the description gives %v", name, strconv.Itoa(resp.StatusCode), op.Statuses())
	}
}

// TestOpenAPIDescribesRealTraffic goes through a day's real requests
// (issue, look, sign in, call, serve, the manager's changes) and checks
// each answer against its described operation: the status is described,
// and a JSON success decodes into the described type with no field left
// over, so the schemas are those of what the server really sends.
func TestOpenAPIDescribesRealTraffic(t *testing.T) {
	s := newTS(t)
	s.addUser("boss", queue.RoleAdmin)
	admin, clerk := s.login("boss"), s.login("clerk1")
	send := s.described
	var tk wire.Ticket
	json.Unmarshal(send("POST", "/api/v1/tickets", "", wire.IssueRequest{Service: "A", Lang: "en"}), &tk)
	var tk2 wire.Ticket
	json.Unmarshal(send("POST", "/api/v1/tickets", "", wire.IssueRequest{Service: "B"}), &tk2)
	send("GET", "/api/v1/tickets/preview?service=A&priority=none", "", nil)
	send("GET", "/api/v1/tickets/"+tk.ID, "", nil)
	send("GET", "/api/v1/tickets/"+tk.ID+"/pdf", "", nil)
	send("GET", "/api/v1/tickets/"+tk.ID+"/qr.svg", "", nil)
	send("GET", "/api/v1/queue", "", nil)
	send("GET", "/api/v1/queue", clerk, nil)
	send("POST", "/api/v1/session", "", wire.LoginRequest{Username: "clerk2", Password: "password-clerk2"})
	send("GET", "/api/v1/session", clerk, nil)
	send("POST", "/api/v1/desks/1/open", clerk, map[string]any{})
	send("POST", "/api/v1/desks/1/next", clerk, map[string]any{})
	send("GET", "/api/v1/desks/1", clerk, nil)
	send("POST", "/api/v1/desks/1/start", clerk, map[string]any{})
	send("POST", "/api/v1/desks/1/finish", clerk, map[string]any{})
	send("POST", "/api/v1/tickets/"+tk2.ID+"/cancel", "", nil)
	send("POST", "/api/v1/desks/1/next", clerk, nil) // none waits: 204
	send("POST", "/api/v1/admin/users", admin, wire.AddUserRequest{Username: "newone", Name: "New One", Role: queue.RoleClerk})
	send("POST", "/api/v1/admin/users/newone/reset-password", admin, map[string]any{})
	send("POST", "/api/v1/admin/users/newone/disable", admin, nil)
	send("GET", "/api/v1/admin/users", admin, nil)
	send("POST", "/api/v1/admin/services/A/pause", admin, wire.PauseServiceRequest{Reason: "break"})
	send("POST", "/api/v1/admin/services/A/resume", admin, nil)
	send("POST", "/api/v1/admin/display-message", admin, wire.DisplayMessageRequest{Text: map[string]string{"lt": "Sveiki"}, Until: "19:00"})
	send("DELETE", "/api/v1/admin/display-message", admin, nil)
	send("POST", "/api/v1/admin/holidays", admin, wire.DayBody{Date: "2099-12-24"})
	send("DELETE", "/api/v1/admin/holidays/2099-12-24", admin, nil)
	send("PUT", "/api/v1/admin/desks/3", admin, wire.DeskBody{Services: []string{"A", "B"}})
	send("GET", "/api/v1/admin/live", admin, nil)
	send("GET", "/healthz", "", nil)
	send("GET", "/api/v1/office", "", nil)
	// Satisfaction after service and complaints: the answer by the token,
	// one on the desk's tablet, the public form and the manager's list.
	send("POST", "/api/v1/tickets/"+tk.ID+"/rating", "", wire.RatingRequest{Face: 4, Comment: "quick"})
	var tk3 wire.Ticket
	json.Unmarshal(send("POST", "/api/v1/tickets", "", wire.IssueRequest{Service: "A"}), &tk3)
	send("POST", "/api/v1/desks/1/next", clerk, nil)
	send("POST", "/api/v1/desks/1/start", clerk, nil)
	send("POST", "/api/v1/desks/1/finish", clerk, nil)
	send("POST", "/api/v1/feedback/desk/1/rating", admin, wire.DeskRatingRequest{Number: tk3.Number, Face: 5})
	var rec wire.FeedbackReceipt
	json.Unmarshal(send("POST", "/api/v1/feedback", "", wire.FeedbackRequest{Kind: "complaint", Text: "The kiosk was out of paper.", Ticket: tk.Number}), &rec)
	send("GET", "/api/v1/admin/feedback", admin, nil)
	send("POST", "/api/v1/admin/feedback/"+rec.ID+"/status", admin, wire.FeedbackStatusRequest{Status: "handling", Note: "asked the hall"})
	send("GET", "/api/v1/admin/feedback.csv?lang=lt", admin, nil)
	send("GET", "/api/v1/admin/feedback.xlsx", admin, nil)
}

// TestOpenAPIDescribesBookingTraffic is the day of an office that takes
// bookings: a visitor books, looks, moves and cancels; the manager moves,
// cancels and closes a slot; the desk lists its next visits; the kiosk
// checks a visitor in. Each answer is checked against its operation.
func TestOpenAPIDescribesBookingTraffic(t *testing.T) {
	s := newBookingTS(t)
	s.addUser("clerk1", queue.RoleClerk)
	admin, clerk := s.login("boss"), s.login("clerk1")
	s.Clock.Set(s.At("10:00"))
	today := s.Day.Format(time.DateOnly)
	send := s.described
	book := func(at string) wire.Booking {
		var bk wire.Booking
		json.Unmarshal(send("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: s.At(at), Lang: "en", Contact: "visitor@example.org"}), &bk)
		return bk
	}
	send("GET", "/api/v1/booking/days?service=A", "", nil)
	send("GET", "/api/v1/booking/slots?service=A&day="+today, "", nil)
	first, second := book("10:15"), book("10:30")
	for _, p := range []string{"/api/v1/bookings/" + first.Code, first.ICSURL, first.QRURL, "/book", first.URL} {
		send("GET", p, "", nil)
	}
	send("POST", "/api/v1/bookings/"+second.Code+"/move", "", wire.MoveBookingRequest{Start: s.At("10:45")})
	send("POST", "/api/v1/admin/bookings/"+second.Code+"/move", admin, wire.MoveBookingRequest{Start: s.At("11:00")})
	send("POST", "/api/v1/admin/slots", admin, wire.SlotCloseRequest{Service: "A", Start: s.At("11:30"), Closed: true})
	send("POST", "/api/v1/admin/slots", admin, wire.SlotCloseRequest{Service: "A", Start: s.At("11:30")})
	send("GET", "/api/v1/admin/bookings?day="+today, admin, nil)
	send("GET", "/api/v1/admin/bookings", admin, nil)
	send("GET", "/admin/bookings", admin, nil)
	send("GET", "/api/v1/desks/1/bookings", clerk, nil)
	send("POST", "/api/v1/bookings/"+first.Code+"/check-in", "", wire.CheckInRequest{Lang: "en"}) // the kiosk, on loopback
	send("POST", "/api/v1/admin/bookings/"+second.Code+"/cancel", admin, wire.CancelBookingRequest{Reason: "the desk is closed"})
	send("POST", "/api/v1/bookings/"+book("11:15").Code+"/cancel", "", nil)
}

// described sends a request the scenario expects to succeed and checks
// the answer against its described operation; it returns the body.
func (s *ts) described(method, path, token string, body any) []byte {
	t := s.t
	t.Helper()
	op, ok := operationFor(method, path)
	if !ok {
		t.Fatalf("%s %s: no described operation", method, path)
	}
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 {
		t.Errorf("%s %s: %d %.300s (the scenario expects success)", method, path, resp.StatusCode, data)
	}
	checkAnswer(t, op, method+" "+path, resp.StatusCode, resp.Header.Get("Content-Type"), data)
	return data
}

// operationFor finds the described operation a request's path matches.
func operationFor(method, path string) (wire.Operation, bool) {
	path, _, _ = strings.Cut(path, "?")
	for _, o := range wire.Operations() {
		if o.Method != method {
			continue
		}
		re := "^" + regexp.MustCompile(`\\\{[a-z_]+\\\}`).ReplaceAllString(regexp.QuoteMeta(o.Path), `[^/]+`) + "$"
		if regexp.MustCompile(re).MatchString(path) {
			return o, true
		}
	}
	return wire.Operation{}, false
}
