package server_test

import (
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/queue"
	"langelis/wire"
)

// hoursUntil reads c up to the first hours message or event of type
// stop, and returns the hours message (nil when stop came first).
func hoursUntil(t *testing.T, c *websocket.Conn, stop string) *wire.Hours {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		m, err := nextMsg(c)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		switch m.Type {
		case wire.KindHours:
			return m.Hours
		case stop:
			return nil
		}
	}
}

// The server tells the hall the moment the office closes and opens by its
// clock (protocol 4), with when it opens next; a client of protocol 3
// hears nothing it does not know, and nothing is said while nothing
// changes.
func TestHoursMessageAtClosingAndOpening(t *testing.T) {
	s := newTS(t)
	c4 := s.dialWS(t, "?protocol=4", "", nil)
	c3 := s.dialWS(t, "?protocol=3", "", nil)
	// The snapshots first: the upgrade answers before the hub has joined a
	// client, and a ticket issued in between is in the snapshot, not an event.
	readMsg(t, c4)
	readMsg(t, c3)
	s.Clock.Set(s.At("19:59"))
	s.issue("A")
	if h := hoursUntil(t, c4, string(queue.TicketIssued)); h != nil {
		t.Fatalf("an hours message while the office stays open: %+v", h)
	}
	s.Clock.Set(s.At("20:00"))
	h := hoursUntil(t, c4, "")
	if h == nil || h.OpenNow || h.NextOpening == nil || !h.NextOpening.Equal(s.At("08:00").AddDate(0, 0, 1)) || !h.Now.Equal(s.At("20:00")) {
		t.Fatalf("at closing: %+v", h)
	}
	if code := s.do("POST", "/api/v1/desks/1/open", s.login("clerk1"), nil, nil); code != 200 {
		t.Fatal("open desk 1", code)
	}
	if h := hoursUntil(t, c3, string(queue.EventDeskOpened)); h != nil {
		t.Fatalf("a protocol-3 client heard %+v", h)
	}
	s.Clock.Set(s.At("08:00").AddDate(0, 0, 1))
	if h := hoursUntil(t, c4, ""); h == nil || !h.OpenNow || len(h.Today) == 0 {
		t.Fatalf("at opening: %+v", h)
	}
}
