package server_test

import (
	"context"
	"strings"
	"testing"

	"langelis/queue"
	"langelis/store"
	"langelis/wire"
)

// A paused service is skipped by Next at every desk, its tickets keep
// their places, the kiosk still issues them, and the pause outlives a
// restart; resumed, the desks call it again. Each step is in the change log.
func TestAdminPauseServiceCalls(t *testing.T) {
	s := newTS(t)
	s.addUser("boss", queue.RoleAdmin)
	boss := s.login("boss")
	clerk := s.login("clerk1")
	b := s.issue("B")
	a := s.issue("A")
	if code := s.do("POST", "/api/v1/admin/services/B/pause", clerk, map[string]string{}, nil); code != 403 {
		t.Fatalf("a clerk paused a service: %d", code)
	}
	var werr wire.ErrorBody
	if code := s.do("POST", "/api/v1/admin/services/Z/pause", boss, map[string]string{}, &werr); code != 404 ||
		werr.Error.Message != "There is no service “Z” here." {
		t.Fatalf("an unknown service: %d %+v", code, werr)
	}
	if code := s.do("POST", "/api/v1/admin/services/B/pause", boss, map[string]string{"reason": "registry down"}, nil); code != 200 {
		t.Fatalf("pause B: %d", code)
	}
	if code := s.do("POST", "/api/v1/admin/services/B/pause", boss, map[string]string{}, &werr); code != 409 ||
		werr.Error.Message != "Calls for service B are already paused." {
		t.Fatalf("pause B twice: %d %+v", code, werr)
	}
	s.issue("B") // the kiosk still issues a paused service
	s.Restart()
	clerk = s.login("clerk1")
	boss = s.login("boss")
	var snap queue.Snapshot
	s.do("GET", "/api/v1/queue", boss, nil, &snap)
	if len(snap.PausedServices) != 1 || snap.PausedServices[0].Service != "B" || snap.PausedServices[0].Reason != "registry down" {
		t.Fatalf("paused after a restart: %+v", snap.PausedServices)
	}
	s.do("POST", "/api/v1/desks/1/open", clerk, map[string]string{}, nil)
	var res queue.DeskResult
	if code := s.do("POST", "/api/v1/desks/1/next", clerk, map[string]string{}, &res); code != 200 || res.Ticket.Number != a.Number {
		t.Fatalf("next with B paused: %d %+v, want %s (B %s waits longer)", code, res.Ticket, a.Number, b.Number)
	}
	s.do("POST", "/api/v1/desks/1/start", clerk, map[string]string{}, nil)
	s.do("POST", "/api/v1/desks/1/finish", clerk, map[string]string{}, nil)
	if code := s.do("POST", "/api/v1/desks/1/next", clerk, map[string]string{}, nil); code != 204 {
		t.Fatalf("next with only B waiting, B paused: %d, want nobody called", code)
	}
	if code := s.do("POST", "/api/v1/admin/services/B/resume", boss, map[string]string{}, nil); code != 200 {
		t.Fatalf("resume B: %d", code)
	}
	if code := s.do("POST", "/api/v1/desks/1/next", clerk, map[string]string{}, &res); code != 200 || res.Ticket.Number != b.Number {
		t.Fatalf("next after resuming B: %d %+v, want %s", code, res.Ticket, b.Number)
	}
	changes, err := s.Store.Changes(store.ChangeFilter{Kind: "service."})
	if err != nil || len(changes) != 2 || changes[0].Kind != "service.paused" || changes[1].Kind != "service.resumed" ||
		changes[0].Actor != "boss" || changes[0].Subject != "service B" {
		t.Fatalf("change log: %+v %v", changes, err)
	}
}

// A display message shows in the public snapshot until its end time on
// the office clock, is refused with a clear message when it is wrong, and
// is heard live by a public websocket.
func TestAdminDisplayMessage(t *testing.T) {
	s := newTS(t)
	s.addUser("boss", queue.RoleAdmin)
	boss := s.login("boss")
	send := func(body any) (int, string) {
		var werr wire.ErrorBody
		code := s.do("POST", "/api/v1/admin/display-message", boss, body, &werr)
		return code, werr.Error.Message
	}
	for _, bad := range []struct {
		body map[string]any
		want string
	}{
		{map[string]any{"text": map[string]string{"en": "Hello"}, "until": "10:30"}, "Write the message in the office's first language (lt) at least."},
		{map[string]any{"text": map[string]string{"lt": "Labas"}, "until": "9:00"}, "The end time has passed: choose a time later today."},
		{map[string]any{"text": map[string]string{"lt": "Labas"}, "until": "noon"}, "Give the end time as hours and minutes, e.g. 16:30."},
		{map[string]any{"text": map[string]string{"lt": strings.Repeat("x", 141)}, "until": "10:30"}, "A message has at most 140 characters in each language."},
	} {
		if code, msg := send(bad.body); code != 400 || msg != bad.want {
			t.Errorf("%v: %d %q, want 400 %q", bad.body, code, msg, bad.want)
		}
	}
	ws := s.dialWS(t, "?protocol=4", "", nil)
	// The snapshot first: a message sent before it would be in it, not an event.
	if m := readMsg(t, ws); m.Type != "snapshot" {
		t.Fatalf("first message %s", m.raw)
	}
	if code, msg := send(map[string]any{"text": map[string]string{"lt": "Šiandien dirbame iki 16 val.", "ru": "Сегодня работаем до 16:00."}, "until": "10:30"}); code != 200 {
		t.Fatalf("message: %d %s", code, msg)
	}
	for {
		m := readMsg(t, ws)
		if m.Type == "display.message" {
			if !strings.Contains(string(m.raw), "Šiandien dirbame iki 16 val.") {
				t.Fatalf("the public stream heard %s", m.raw)
			}
			break
		}
	}
	var pub queue.PublicSnapshot
	s.do("GET", "/api/v1/queue", "", nil, &pub)
	if pub.Message == nil || pub.Message.Text["ru"] != "Сегодня работаем до 16:00." {
		t.Fatalf("public snapshot message: %+v", pub.Message)
	}
	s.Clock.Set(s.At("10:31"))
	pub = queue.PublicSnapshot{}
	s.do("GET", "/api/v1/queue", "", nil, &pub)
	if pub.Message != nil {
		t.Fatalf("the message shows past its end: %+v", pub.Message)
	}
}

// An admin sees where each person is signed in and ends one session: that
// token no longer works, and the desk only it held closes.
func TestAdminEndsASession(t *testing.T) {
	s := newTS(t)
	s.addUser("boss", queue.RoleAdmin)
	boss := s.login("boss")
	clerk := s.login("clerk1")
	if code := s.do("POST", "/api/v1/desks/2/open", clerk, map[string]string{}, nil); code != 200 {
		t.Fatalf("open: %d", code)
	}
	var people []wire.Account
	if code := s.do("GET", "/api/v1/admin/users", boss, nil, &people); code != 200 {
		t.Fatalf("users: %d", code)
	}
	var id string
	for _, p := range people {
		if p.Username == "clerk1" && len(p.Sessions) == 1 && len(p.Sessions[0].Desks) == 1 && p.Sessions[0].Desks[0] == 2 &&
			p.Sessions[0].Addr == "127.0.0.1" {
			id = p.Sessions[0].ID
		}
	}
	if id == "" {
		t.Fatalf("clerk1 at desk 2 from 127.0.0.1 is not in %+v", people)
	}
	if code := s.do("DELETE", "/api/v1/admin/sessions/"+id, clerk, nil, nil); code != 403 {
		t.Fatalf("a clerk ended a session: %d", code)
	}
	if code := s.do("DELETE", "/api/v1/admin/sessions/"+id, boss, nil, nil); code != 204 {
		t.Fatalf("end the session: %d", code)
	}
	if code := s.do("GET", "/api/v1/session", clerk, nil, nil); code != 401 {
		t.Fatalf("the ended session still answers: %d", code)
	}
	desks, _ := s.Eng.Desks(context.Background())
	for _, d := range desks {
		if d.Number == 2 && d.Status != queue.DeskClosed {
			t.Fatalf("desk 2 after its clerk's only session ended: %s", d.Status)
		}
	}
	var werr wire.ErrorBody
	if code := s.do("DELETE", "/api/v1/admin/sessions/"+id, boss, nil, &werr); code != 404 || werr.Error.Message != "That session has already ended." {
		t.Fatalf("end it again: %d %+v", code, werr)
	}
	changes, _ := s.Store.Changes(store.ChangeFilter{Kind: "session."})
	if len(changes) != 1 || changes[0].Actor != "boss" || changes[0].Subject != "user clerk1" {
		t.Fatalf("change log: %+v", changes)
	}
}
