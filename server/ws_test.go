package server_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/queue"
	"langelis/wire"
)

// wsMsg is a message as the Go client decodes it, with its bytes for the
// tests that look for what must not be in them.
type wsMsg struct {
	wire.Message
	raw []byte
}

func (s *ts) dialWS(t *testing.T, query, token string, dialer *websocket.Dialer) *websocket.Conn {
	t.Helper()
	if dialer == nil {
		dialer = websocket.DefaultDialer
	}
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	c, _, err := dialer.Dial("ws"+strings.TrimPrefix(s.URL, "http")+"/api/v1/ws"+query, h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readMsg returns the next message that is not a side message.
func readMsg(t *testing.T, c *websocket.Conn) wsMsg {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		m, err := nextMsg(c)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if !m.Side() { // side messages (cutoff_test.go) are not events
			return m
		}
	}
}

func nextMsg(c *websocket.Conn) (wsMsg, error) {
	_, data, err := c.ReadMessage()
	if err != nil {
		return wsMsg{}, err
	}
	m, err := wire.Decode(data)
	return wsMsg{Message: m, raw: data}, err
}

func TestWebsocketOrderAndResync(t *testing.T) {
	s := newTS(t)
	s.issue("A")
	c := s.dialWS(t, "", "", nil)
	first := readMsg(t, c)
	if first.Type != "snapshot" || first.Seq == 0 {
		t.Fatalf("first message %+v", first)
	}
	if snap := first.Snapshot; len(snap.Tickets) != 1 || snap.Tickets[0].Number != "A001" {
		t.Fatalf("snapshot %+v", snap)
	}
	for i := 0; i < 5; i++ {
		s.issue("B")
	}
	last := first.Seq
	for i := 0; i < 5; i++ {
		m := readMsg(t, c)
		if m.Seq != last+1 || m.Type != "ticket.issued" {
			t.Fatalf("event %d: %+v after seq %d", i, m, last)
		}
		last = m.Seq
	}
	c.Close()

	// Offline for a while: three more events, then reconnect with since.
	s.issue("A")
	s.issue("A")
	tok := s.login("clerk1")
	s.do("POST", "/api/v1/desks/1/open", tok, nil, nil)
	c2 := s.dialWS(t, fmt.Sprintf("?since=%d", last), "", nil)
	var types []string
	for i := 0; i < 3; i++ {
		m := readMsg(t, c2)
		if m.Seq != last+1 {
			t.Fatalf("replay gave seq %d after %d", m.Seq, last)
		}
		last = m.Seq
		types = append(types, m.Type)
	}
	if strings.Join(types, ",") != "ticket.issued,ticket.issued,desk.opened" {
		t.Fatalf("replayed %v", types)
	}
	// Nothing more than what was missed: the next message is the next event.
	s.do("POST", "/api/v1/desks/1/next", tok, nil, nil)
	if m := readMsg(t, c2); m.Seq != last+1 || m.Type != "ticket.called" {
		t.Fatalf("after replay got %+v", m)
	}

	// A client from before a restart of history (since ahead of the hub)
	// gets a fresh snapshot.
	c3 := s.dialWS(t, "?since=999999", "", nil)
	if m := readMsg(t, c3); m.Type != "snapshot" {
		t.Fatalf("unreplayable since gave %+v", m)
	}
}

func TestWebsocketPublicEventsHideTokenAndPriority(t *testing.T) {
	s := newTS(t)
	c := s.dialWS(t, "", "", nil)
	readMsg(t, c)
	var r struct{ ID string }
	s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "priority": "pregnant"}, &r)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := c.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), r.ID) || strings.Contains(string(data), "pregnant") {
		t.Fatalf("public event leaks: %s", data)
	}
	// Staff see the category: a clerk must honour it.
	tok := s.login("clerk1")
	cs := s.dialWS(t, "", tok, nil)
	m := readMsg(t, cs)
	if !strings.Contains(string(m.raw), "pregnant") {
		t.Fatalf("staff snapshot lacks the category: %s", m.raw)
	}
}

// A client that stops reading is dropped; the others keep receiving every
// event in order, and are not slowed down by it.
func TestSlowClientIsDropped(t *testing.T) {
	s := newTS(t)
	tok := s.login("clerk1")
	// The slow client's socket buffer is tiny, so it backs up quickly.
	slowDialer := &websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			c.(*net.TCPConn).SetReadBuffer(4096)
		}
		return c, err
	}}
	slow := s.dialWS(t, "", tok, slowDialer)
	_ = slow // never read from again
	fast := s.dialWS(t, "", "", nil)
	start := readMsg(t, fast).Seq
	for i := 0; s.Srv.Hub().Clients() != 2; i++ {
		if i > 200 {
			t.Fatalf("%d clients joined, want 2", s.Srv.Hub().Clients())
		}
		time.Sleep(10 * time.Millisecond)
	}

	received := make(chan wsMsg, 100000)
	var heard atomic.Uint64 // the fast client's latest seq
	go func() {
		for {
			fast.SetReadDeadline(time.Now().Add(20 * time.Second))
			m, err := nextMsg(fast)
			if err != nil {
				close(received)
				return
			}
			if m.Side() {
				continue
			}
			heard.Store(m.Seq)
			received <- m
		}
	}()
	// Issue tickets from several goroutines until the slow client is gone.
	// A round is less than the send buffer, and the next waits until the
	// fast client has read it: on a loaded machine a reader that is merely
	// not scheduled for a moment must not be taken for a slow one.
	dropped := false
	total := 0
	for round := 0; round < 2000 && !dropped; round++ {
		var wg sync.WaitGroup
		for g := 0; g < 16; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 2; i++ {
					tk, err := s.Eng.Issue(context.Background(), queue.IssueRequest{Service: "A"}, queue.Actor{})
					if err != nil {
						t.Error(err)
						return
					}
					_ = tk
				}
			}()
		}
		wg.Wait()
		total += 32
		dropped = s.Srv.Hub().Clients() == 1
		snap, _ := s.Eng.Snapshot(context.Background())
		for deadline := time.Now().Add(20 * time.Second); heard.Load() < snap.Seq; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the fast client is stuck at seq %d of %d", heard.Load(), snap.Seq)
			}
		}
	}
	if !dropped {
		t.Fatalf("the slow client was not dropped after %d events", total)
	}
	if n := s.Srv.Hub().Dropped(); n != 1 {
		t.Errorf("the hub counts %d dropped clients, want 1 (langelis_websocket_dropped_total)", n)
	}
	snap, _ := s.Eng.Snapshot(context.Background())
	last := time.Now()
	next := start + 1
	for next <= snap.Seq {
		m, ok := <-received
		if !ok {
			t.Fatalf("the fast client lost its connection at seq %d", next)
		}
		if m.Seq != next {
			t.Fatalf("fast client got seq %d, want %d", m.Seq, next)
		}
		next++
	}
	t.Logf("slow client dropped after %d events; the fast client received all %d in order, the last %v after the last commit",
		total, snap.Seq-start, time.Since(last))
}
