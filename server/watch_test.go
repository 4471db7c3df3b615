package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/queue"
	"langelis/wire"
)

// dialTicket opens a ticket stream and names tok in the first message.
func (s *ts) dialTicket(t *testing.T, tok string) *websocket.Conn {
	t.Helper()
	c := s.dialWS(t, fmt.Sprintf("?protocol=%d&stream=ticket", wire.Version), "", nil)
	if err := c.WriteJSON(wire.Watch{Type: wire.KindWatch, Ticket: tok}); err != nil {
		t.Fatal(err)
	}
	return c
}

// next returns the next message of the kinds given, skipping pings.
func nextOf(t *testing.T, c *websocket.Conn, kinds ...string) wsMsg {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		m, err := nextMsg(c)
		if err != nil {
			t.Fatalf("waiting for %v: %v", kinds, err)
		}
		for _, k := range kinds {
			if m.Type == k {
				return m
			}
		}
		if m.Type != wire.KindPing && m.Type != wire.KindHello {
			t.Fatalf("got %s (%s) while waiting for %v", m.Type, m.raw, kinds)
		}
	}
}

// A phone's ticket stream carries its own ticket (place and estimate under
// the real policy) and the hall's calls, and nothing else of the hall: no
// other visitor's issue, no cutoff message at every issue, no other
// ticket's token or priority.
func TestTicketStreamFollowsOneTicket(t *testing.T) {
	s := newTS(t)
	other := s.issue("A")
	var prio wire.Ticket
	s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "priority": "pregnant"}, &prio)
	mine := s.issue("A")
	c := s.dialTicket(t, mine.ID)

	first := nextOf(t, c, wire.KindTicket)
	if first.Ticket == nil || first.Ticket.Number != mine.Number || first.Ticket.Ahead == nil || *first.Ticket.Ahead != 2 {
		t.Fatalf("first message %s, want %s with 2 ahead", first.raw, mine.Number)
	}
	if first.Cutoff == nil || first.Cutoff.Waiting != 3 {
		t.Fatalf("the first message's cutoff: %s", first.raw)
	}
	// Others take tickets: nothing of it reaches the phone (the next
	// message it gets is the call below, not these issues).
	s.issue("B")
	s.issue("A")
	tok := s.login("clerk1")
	s.do("POST", "/api/v1/desks/1/open", tok, nil, nil)
	s.do("POST", "/api/v1/desks/1/next", tok, nil, nil) // the priority ticket goes first
	call := nextOf(t, c, string(queue.TicketCalled))
	if call.Event.Ticket.Number != prio.Number {
		t.Fatalf("heard the call of %s, want %s", call.Event.Ticket.Number, prio.Number)
	}
	if strings.Contains(string(call.raw), prio.ID) || strings.Contains(string(call.raw), "pregnant") {
		t.Fatalf("the call leaks the ticket's token or priority: %s", call.raw)
	}
	if m := nextOf(t, c, wire.KindTicket); m.Ticket.Ahead == nil || *m.Ticket.Ahead != 1 {
		t.Fatalf("after one call: %s, want 1 ahead", m.raw)
	}
	// Ours is called next after the other's: the page hears the call and
	// its own ticket, called to desk 1.
	s.do("POST", "/api/v1/desks/1/start", tok, nil, nil)
	s.do("POST", "/api/v1/desks/1/next", tok, nil, nil)
	if m := nextOf(t, c, string(queue.TicketCalled)); m.Event.Ticket.Number != other.Number {
		t.Fatalf("second call %s, want %s", m.raw, other.Number)
	}
	s.do("POST", "/api/v1/desks/1/start", tok, nil, nil)
	s.do("POST", "/api/v1/desks/1/next", tok, nil, nil)
	for {
		m := nextOf(t, c, wire.KindTicket, string(queue.TicketCalled))
		if m.Type == wire.KindTicket && m.Ticket.Status == queue.Called {
			if m.Ticket.Desk != 1 || m.Ticket.ID != mine.ID {
				t.Fatalf("called: %s", m.raw)
			}
			break
		}
	}
}

// The token travels in the watch message: a stream that names no ticket
// the server knows is ended with the close code that tells the page to
// stop trying, and a client that does not speak protocol 3 is told so.
func TestTicketStreamRefusals(t *testing.T) {
	s := newTS(t)
	c := s.dialTicket(t, "no-such-token")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, _, err := c.ReadMessage()
		var ce *websocket.CloseError
		if errors.As(err, &ce) {
			if ce.Code != wire.CloseUnknownTicket {
				t.Fatalf("closed with %d, want %d", ce.Code, wire.CloseUnknownTicket)
			}
			break
		}
		if err != nil {
			t.Fatalf("ended without a close code: %v", err)
		}
	}
	_, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(s.URL, "http")+"/api/v1/ws?protocol=2&stream=ticket", http.Header{"Accept-Language": {"en"}})
	if err == nil {
		t.Fatal("protocol 2 opened a ticket stream")
	}
	var body wire.ErrorBody
	json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != 400 || !strings.Contains(body.Error.Message, "protocol 3") {
		t.Fatalf("protocol 2 ticket stream: %d %+v", resp.StatusCode, body)
	}
}

// The ticket stream has no cutoff messages of its own: when the end-of-day
// notice comes due (the clock moves, no event), a waiting ticket's page
// gets its ticket again with the cutoff that says so.
func TestTicketStreamHearsTheNotice(t *testing.T) {
	s := newTS(t)
	mine := s.issue("A")
	c := s.dialTicket(t, mine.ID)
	if m := nextOf(t, c, wire.KindTicket); m.Cutoff == nil || m.Cutoff.Notice {
		t.Fatalf("at 10:00: %s", m.raw)
	}
	s.Clock.Set(s.At("19:05")) // the test office closes at 20:00, the notice is an hour before
	m := nextOf(t, c, wire.KindTicket)
	if m.Cutoff == nil || !m.Cutoff.Notice || m.Ticket.Number != mine.Number {
		t.Fatalf("at 19:05: %s", m.raw)
	}
}
