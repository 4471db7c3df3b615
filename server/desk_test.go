package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"langelis/queue"
	"langelis/server"
	"langelis/wire"
)

// desk runs a desk action and returns the status, the result and the
// error body.
func (s *ts) desk(tok string, n int, action string, body any) (int, queue.DeskResult, wire.ErrorBody) {
	s.t.Helper()
	var ans struct {
		queue.DeskResult
		Error wire.ErrorDetail `json:"error"`
	}
	code := s.do("POST", "/api/v1/desks/"+strconv.Itoa(n)+"/"+action, tok, body, &ans)
	return code, ans.DeskResult, wire.ErrorBody{Error: ans.Error}
}

func (s *ts) view(tok string, n int) queue.DeskView {
	s.t.Helper()
	var v queue.DeskView
	if code := s.do("GET", "/api/v1/desks/"+strconv.Itoa(n), tok, nil, &v); code != 200 {
		s.t.Fatalf("desk view %d: %d", n, code)
	}
	return v
}

func (s *ts) must(tok string, n int, action string, body any) queue.DeskResult {
	s.t.Helper()
	code, r, e := s.desk(tok, n, action, body)
	if code != 200 {
		s.t.Fatalf("desk %d %s: %d %s", n, action, code, e.Error.Message)
	}
	return r
}

func (s *ts) ticketStatus(id string) queue.Ticket {
	s.t.Helper()
	t, err := s.Eng.Ticket(s.t.Context(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return t
}

// Two clerks press Next at the same instant with one ticket waiting: one
// gets it, the other hears that nobody waits. Repeated, so a lost race
// would show.
func TestTwoDesksNextAtOnce(t *testing.T) {
	s := newTS(t)
	toks := []string{s.login("clerk1"), s.login("clerk2")}
	s.must(toks[0], 1, "open", nil)
	s.must(toks[1], 2, "open", nil)
	for round := 0; round < 20; round++ {
		tk := s.issue("A")
		var wg sync.WaitGroup
		start := make(chan struct{})
		codes := make([]int, 2)
		got := make([]queue.DeskResult, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				codes[i], got[i], _ = s.desk(toks[i], i+1, "next", nil)
			}()
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, c := range codes {
			switch c {
			case 200:
				if winner >= 0 {
					t.Fatalf("round %d: both desks got a ticket", round)
				}
				winner = i
				if got[i].Ticket.Number != tk.Number {
					t.Fatalf("round %d: desk %d got %s, want %s", round, i+1, got[i].Ticket.Number, tk.Number)
				}
			case 204:
			default:
				t.Fatalf("round %d: desk %d answered %d", round, i+1, c)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: nobody got %s", round, tk.Number)
		}
		s.must(toks[winner], winner+1, "start", nil)
		s.must(toks[winner], winner+1, "finish", nil)
	}
}

// Closing a desk with a called ticket sends it back ahead of the tickets
// issued after it; a ticket in service needs the clerk's word.
func TestCloseDeskKeepsCalledTicketsPlace(t *testing.T) {
	s := newTS(t)
	t1, t2 := s.login("clerk1"), s.login("clerk2")
	s.must(t1, 1, "open", nil)
	s.must(t2, 2, "open", nil)
	a1 := s.issue("A")
	s.Clock.Advance(time.Minute)
	s.issue("A")
	if r := s.must(t1, 1, "next", nil); r.Ticket.Number != a1.Number {
		t.Fatalf("desk 1 called %s", r.Ticket.Number)
	}
	s.Clock.Advance(time.Minute)
	s.issue("A")
	r := s.must(t1, 1, "close", nil)
	if r.Desk.Status != queue.DeskClosed || r.Ticket == nil || r.Ticket.Status != queue.Waiting {
		t.Fatalf("close: %+v", r)
	}
	if up := s.view(t2, 2).Upcoming; strings.Join(up, " ") != "A001 A002 A003" {
		t.Fatalf("desk 2 would call %v", up)
	}
	if r := s.must(t2, 2, "next", nil); r.Ticket.Number != a1.Number {
		t.Fatalf("desk 2 called %s, want the returned %s", r.Ticket.Number, a1.Number)
	}

	// In service: close asks, then finishes or hands back as told.
	s.must(t2, 2, "start", nil)
	code, _, e := s.desk(t2, 2, "close", nil)
	if code != 409 || !strings.Contains(e.Error.Message, "A001 is being served at desk 2") {
		t.Fatalf("close with a ticket in service: %d %q", code, e.Error.Message)
	}
	if r := s.must(t2, 2, "close", map[string]string{"ticket": "return"}); r.Ticket.Status != queue.Waiting {
		t.Fatalf("close return: %+v", r.Ticket)
	}
	s.must(t2, 2, "open", nil)
	if r := s.must(t2, 2, "next", nil); r.Ticket.Number != a1.Number {
		t.Fatalf("after hand-back desk 2 called %s", r.Ticket.Number)
	}
	s.must(t2, 2, "start", nil)
	if r := s.must(t2, 2, "close", map[string]string{"ticket": "finish"}); r.Ticket.Status != queue.Done {
		t.Fatalf("close finish: %+v", r.Ticket)
	}
}

func TestTransferCallRefuseRecallLimit(t *testing.T) {
	s := newTS(t)
	t1, t2, t3 := s.login("clerk1"), s.login("clerk2"), s.login("clerk3")
	s.must(t1, 1, "open", nil)
	s.must(t2, 2, "open", nil)
	s.must(t3, 3, "open", nil)

	// To a service: A001 becomes a B ticket, ahead of B001 issued later.
	a1 := s.issue("A")
	s.Clock.Advance(time.Minute)
	b1 := s.issue("B")
	s.must(t1, 1, "next", nil)
	if r := s.must(t1, 1, "transfer", map[string]string{"service": "B"}); r.Ticket.Service != "B" || r.Ticket.Status != queue.Waiting {
		t.Fatalf("transfer to B: %+v", r.Ticket)
	}
	if r := s.must(t3, 3, "next", nil); r.Ticket.Number != a1.Number {
		t.Fatalf("desk 3 (B) called %s, want the transferred %s", r.Ticket.Number, a1.Number)
	}
	// To a desk: only that desk calls it, still ahead of later tickets.
	if r := s.must(t3, 3, "transfer", map[string]int{"desk": 2}); r.Ticket.TargetDesk != 2 {
		t.Fatalf("transfer to desk 2: %+v", r.Ticket)
	}
	s.Clock.Advance(time.Minute)
	s.issue("A")
	if up := s.view(t1, 1).Upcoming; strings.Join(up, " ") != "B001 A002" {
		t.Fatalf("desk 1 would call %v; the ticket sent to desk 2 must not be among them", up)
	}
	if r := s.must(t2, 2, "next", nil); r.Ticket.Number != a1.Number {
		t.Fatalf("desk 2 called %s, want %s sent to it", r.Ticket.Number, a1.Number)
	}
	code, _, e := s.desk(t1, 1, "transfer", map[string]string{"service": "Z"})
	if code != 409 && code != 400 || e.Error.Message == "" {
		t.Fatalf("transfer with nothing held: %d %+v", code, e)
	}

	// Call a specific number, out of line; one held elsewhere is explained.
	if r := s.must(t1, 1, "call", map[string]string{"number": "a002"}); r.Ticket.Number != "A002" {
		t.Fatalf("call A002: %+v", r.Ticket)
	}
	s.must(t2, 2, "start", nil)
	s.must(t1, 1, "return", nil)
	code, _, e = s.desk(t1, 1, "call", map[string]string{"number": a1.Number})
	if code != 409 || e.Error.Message != "A001 is already being served at desk 2." {
		t.Fatalf("call a ticket in service elsewhere: %d %q", code, e.Error.Message)
	}
	code, _, e = s.desk(t1, 1, "call", map[string]string{"number": "A099"})
	if code != 404 || e.Error.Message != "There is no ticket A099 today." {
		t.Fatalf("call an unknown number: %d %q", code, e.Error.Message)
	}

	// Refuse: a reason is required and recorded, with who refused.
	code, _, e = s.desk(t2, 2, "refuse", map[string]string{"reason": "  "})
	if code != 400 || e.Error.Message != "Give the reason for refusing service." {
		t.Fatalf("refuse without reason: %d %q", code, e.Error.Message)
	}
	r := s.must(t2, 2, "refuse", map[string]string{"reason": "Intoxicated"})
	if r.Ticket.Status != queue.Refused || r.Ticket.Reason != "Intoxicated" {
		t.Fatalf("refuse: %+v", r.Ticket)
	}
	evs, err := s.Store.DayEvents(r.Ticket.Day)
	if err != nil {
		t.Fatal(err)
	}
	last := evs[len(evs)-1]
	if last.Type != queue.TicketRefused || last.Actor != "clerk2" || last.Reason != "Intoxicated" {
		t.Fatalf("refusal recorded as %+v", last)
	}

	// Recall limit (2 in the test office): the third recall is a no-show.
	if r := s.must(t3, 3, "call", map[string]string{"number": b1.Number}); r.Ticket.Number != b1.Number {
		t.Fatalf("call %s: %+v", b1.Number, r.Ticket)
	}
	for i := 1; i <= 2; i++ {
		if r := s.must(t3, 3, "recall", nil); r.Ticket.Status != queue.Called || r.Ticket.Recalls != i {
			t.Fatalf("recall %d: %+v", i, r.Ticket)
		}
	}
	if r := s.must(t3, 3, "recall", nil); r.Ticket.Status != queue.NoShow {
		t.Fatalf("recall past the limit: %+v", r.Ticket)
	}
	if v := s.view(t3, 3); v.Ticket != nil {
		t.Fatalf("desk 3 still holds %s after the no-show", v.Ticket.Number)
	}
	// Every desk action carries the clerk who did it.
	evs, _ = s.Store.DayEvents(r.Ticket.Day)
	for _, ev := range evs {
		if ev.Desk != nil && ev.Type != queue.DayStarted && !strings.HasPrefix(ev.Actor, "clerk") {
			t.Errorf("%s at desk %d recorded as done by %q", ev.Type, ev.Desk.Number, ev.Actor)
		}
	}
}

// The desk view carries what the clerk's screen shows: the held ticket and
// its wait, the line per service, and the desk's own figures for today.
func TestDeskViewFigures(t *testing.T) {
	s := newTS(t)
	tok := s.login("clerk1")
	if code := s.do("GET", "/api/v1/desks/1", "", nil, nil); code != 401 {
		t.Fatalf("desk view without sign-in: %d", code)
	}
	s.must(tok, 1, "open", nil)
	s.issue("A")
	s.issue("B")
	s.issue("A")
	s.Clock.Advance(3 * time.Minute)
	s.must(tok, 1, "next", nil)
	v := s.view(tok, 1)
	if v.Ticket == nil || v.Ticket.Number != "A001" || v.Waited != 180 {
		t.Fatalf("held ticket: %+v waited %v", v.Ticket, v.Waited)
	}
	if v.Waiting["A"] != 1 || v.Waiting["B"] != 1 || strings.Join(v.Upcoming, " ") != "B001 A002" {
		t.Fatalf("line: %v upcoming %v", v.Waiting, v.Upcoming)
	}
	s.must(tok, 1, "start", nil)
	s.Clock.Advance(4 * time.Minute)
	s.must(tok, 1, "next", nil) // finishes A001 after 4 min, calls B001
	s.must(tok, 1, "start", nil)
	s.Clock.Advance(6 * time.Minute)
	s.must(tok, 1, "finish", nil)
	v = s.view(tok, 1)
	if v.Served != 2 || v.MeanSvc != 300 {
		t.Fatalf("served %d, mean %v s; want 2 and 300", v.Served, v.MeanSvc)
	}
}

func TestSignInAnswers(t *testing.T) {
	s := newTSWith(t, func(c *server.Config) { c.SessionTTL = time.Hour })
	login := func(user, pw string) (int, wire.ErrorBody) {
		var e wire.ErrorBody
		return s.do("POST", "/api/v1/session", "", map[string]string{"username": user, "password": pw}, &e), e
	}
	if code, e := login("clerk1", "nope-nope"); code != 401 || e.Error.Message != "Wrong username or password." {
		t.Fatalf("wrong password: %d %q", code, e.Error.Message)
	}
	if code, e := login("nobody", "nope-nope"); code != 401 || e.Error.Message != "Wrong username or password." {
		t.Fatalf("unknown user: %d %q", code, e.Error.Message)
	}
	u, _ := s.Store.User("clerk3")
	u.Disabled = true
	s.Store.PutUser(u)
	// A disabled account answers as a wrong password does, right or wrong
	// (signin_test.go): the answer must not confirm the password.
	for _, pw := range []string{"password-clerk3", "nope-nope"} {
		if code, e := login("clerk3", pw); code != 401 || e.Error.Message != "Wrong username or password." {
			t.Fatalf("disabled account: %d %q", code, e.Error.Message)
		}
	}

	// Rate limit: five failures lock the username, even for the right
	// password, until the window has passed.
	for range 5 {
		login("clerk2", "nope-nope")
	}
	if code, e := login("clerk2", "password-clerk2"); code != 429 || !strings.Contains(e.Error.Message, "Try again in 10 minutes") {
		t.Fatalf("locked: %d %q", code, e.Error.Message)
	}
	s.Clock.Advance(11 * time.Minute) // the office clock is not the lock's
	if code, e := login("clerk2", "password-clerk2"); code != 429 {
		t.Fatalf("the lock ended by the office clock: %d %q", code, e.Error.Message)
	}
	s.Real.Advance(11 * time.Minute)
	if code, e := login("clerk2", "password-clerk2"); code != 200 {
		t.Fatalf("after the lock: %d %q", code, e.Error.Message)
	}

	// Expiry: the session ends, the clerk is told, and the desk closes by
	// itself with its called ticket back in line.
	tok := s.login("clerk1")
	s.must(tok, 1, "open", nil)
	tk := s.issue("A")
	s.must(tok, 1, "next", nil)
	s.Real.Advance(59 * time.Minute)
	if r := s.must(tok, 1, "recall", nil); r.Ticket == nil || r.Ticket.ID != tk.ID {
		t.Fatalf("recall at 59 minutes: %+v", r)
	}
	s.Real.Advance(time.Minute)
	var e wire.ErrorBody
	if code := s.do("POST", "/api/v1/desks/1/start", tok, nil, &e); code != 401 || e.Error.Message != "Your session has ended; sign in again." {
		t.Fatalf("expired session: %d %q", code, e.Error.Message)
	}
	// Moving the real clock ran the session check before it returned.
	if st := s.ticketStatus(tk.ID).Status; st != queue.Waiting {
		t.Fatalf("desk 1 still holds %s (%s) after its clerk's session ended", tk.Number, st)
	}
	desks, _ := s.Eng.Desks(t.Context())
	if desks[0].Status != queue.DeskClosed {
		t.Fatalf("desk 1 is %s", desks[0].Status)
	}
}

// A session and its cookie last SessionTTL of real time, whatever the office
// clock says: an office clock hours behind (a demonstration, a test) neither
// shortens the cookie nor stretches the session.
func TestSessionFollowsRealTime(t *testing.T) {
	s := newTSWith(t, func(c *server.Config) { c.SessionTTL = time.Hour })
	s.Clock.Set(s.Clock.Now().Add(-13 * time.Hour)) // the office clock 13 hours behind
	body, _ := json.Marshal(map[string]string{"username": "clerk1", "password": "password-clerk1"})
	resp, err := http.Post(s.URL+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "langelis_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.Expires.Equal(s.Real.Now().Add(time.Hour).Truncate(time.Second)) {
		t.Fatalf("cookie %+v, want one expiring an hour of real time from now (%s)", cookie, s.Real.Now().Add(time.Hour))
	}
	whoami := func() int {
		req, _ := http.NewRequest("GET", s.URL+"/api/v1/session", nil)
		req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	s.Clock.Advance(2 * time.Hour) // office time alone never ends it
	if code := whoami(); code != 200 {
		t.Fatalf("signed in after two office hours and no real time: %d", code)
	}
	s.Real.Advance(59 * time.Minute)
	if code := whoami(); code != 200 {
		t.Fatalf("signed in after 59 real minutes: %d", code)
	}
	s.Real.Advance(time.Minute)
	if code := whoami(); code != 401 {
		t.Fatalf("after an hour of real time: %d, want 401", code)
	}
}

// Signing out closes the clerk's desk unless another of their sessions is
// still valid; an admin can close any desk.
func TestSignOutAndForceClose(t *testing.T) {
	s := newTS(t)
	s.addUser("boss", queue.RoleAdmin)
	web, kbd := s.login("clerk1"), s.login("clerk1")
	s.must(web, 1, "open", nil)
	tk := s.issue("A")
	s.must(web, 1, "next", nil)
	s.do("DELETE", "/api/v1/session", web, nil, nil)
	if st := s.ticketStatus(tk.ID).Status; st != queue.Called {
		t.Fatalf("signing out of one screen changed %s to %s", tk.Number, st)
	}
	if code, _, e := s.desk(s.login("clerk2"), 1, "open", nil); code != 409 || e.Error.Message != "Desk 1 is already open by Name of clerk1." {
		t.Fatalf("second clerk at a held desk: %d %q", code, e.Error.Message)
	}
	var e wire.ErrorBody
	if code := s.do("POST", "/api/v1/admin/desks/1/close", kbd, nil, &e); code != 403 {
		t.Fatalf("clerk force-closing: %d", code)
	}
	if code := s.do("POST", "/api/v1/admin/desks/1/close", s.login("boss"), nil, &e); code != 200 {
		t.Fatalf("admin force-close: %d %q", code, e.Error.Message)
	}
	if st := s.ticketStatus(tk.ID).Status; st != queue.Waiting {
		t.Fatalf("after force-close %s is %s", tk.Number, st)
	}
	s.must(kbd, 1, "open", nil)
	s.must(kbd, 1, "next", nil)
	s.do("DELETE", "/api/v1/session", kbd, nil, nil)
	if st := s.ticketStatus(tk.ID).Status; st != queue.Waiting {
		t.Fatalf("after the last sign-out %s is %s", tk.Number, st)
	}
}
