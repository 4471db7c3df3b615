package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/queue"
	"langelis/server"
	"langelis/wire"
)

// dialProtocol opens the websocket with ?protocol=param ("" sends none) and
// returns the connection and the version the server said it speaks.
func (s *ts) dialProtocol(t *testing.T, param, token string) (*websocket.Conn, string) {
	t.Helper()
	u := "ws" + strings.TrimPrefix(s.URL, "http") + "/api/v1/ws"
	if param != "" {
		u += "?" + wire.ProtocolParam + "=" + param
	}
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	c, resp, err := websocket.DefaultDialer.Dial(u, h)
	if err != nil {
		t.Fatalf("dial protocol %q: %v", param, err)
	}
	t.Cleanup(func() { c.Close() })
	return c, resp.Header.Get(wire.ProtocolHeader)
}

// kinds reads messages until d after the snapshot, closing joined when
// the snapshot is in, and returns their kinds in order; a message that
// does not decode, or a connection that ends, is marked "!".
func kinds(c *websocket.Conn, joined chan struct{}, d time.Duration) []string {
	var out []string
	end := time.Now().Add(time.Minute)
	for {
		c.SetReadDeadline(end)
		_, data, err := c.ReadMessage()
		if ne, ok := err.(interface{ Timeout() bool }); ok && ne.Timeout() && joined == nil {
			return out
		}
		m, derr := wire.Decode(data)
		if err != nil || derr != nil {
			out = append(out, "!")
			if joined != nil {
				close(joined)
			}
			return out
		}
		out = append(out, m.Type)
		if m.Type == wire.KindSnapshot && joined != nil {
			close(joined)
			joined, end = nil, time.Now().Add(d)
		}
	}
}

// A page's websocket stays open through a quiet hall: the server sends a
// ping message every keep-alive interval (a server setting, shortened
// here), and a client that takes the connection for dead after the hello's
// offline_after_ms of silence, as live.js does, never has to.
func TestKeepAliveKeepsAQuietConnectionOpen(t *testing.T) {
	const keepAlive = 300 * time.Millisecond
	s := newTSWith(t, func(c *server.Config) { c.KeepAlive = keepAlive })
	c, proto := s.dialProtocol(t, "2", "")
	if proto != "2" {
		t.Fatalf("the server speaks protocol %q, want 2", proto)
	}
	var hello wire.Hello
	c.SetReadDeadline(timeIn(5))
	if err := c.ReadJSON(&hello); err != nil || hello.Type != wire.KindHello || hello.Protocol != 2 ||
		hello.KeepAliveMS != keepAlive.Milliseconds() || hello.OfflineAfterMS != wire.OfflineAfter(keepAlive).Milliseconds() {
		t.Fatalf("first message %+v, %v; want the hello with the server's keep-alive", hello, err)
	}
	offline := time.Duration(hello.OfflineAfterMS) * time.Millisecond
	quiet := time.Now().Add(4 * offline)
	pings := 0
	for time.Now().Before(quiet) {
		c.SetReadDeadline(time.Now().Add(offline))
		_, data, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("after %d pings, %v without a message: %v; a page would have dropped the connection", pings, offline, err)
		}
		if m, err := wire.Decode(data); err == nil && m.Type == wire.KindPing {
			pings++
		}
	}
	if pings < 3 {
		t.Fatalf("%d ping messages in %v at a keep-alive of %v", pings, 4*offline, keepAlive)
	}
	// Still the same live connection: the next event arrives on it.
	s.issue("A")
	for {
		c.SetReadDeadline(timeIn(5))
		_, data, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("the event after the quiet spell: %v", err)
		}
		if m, _ := wire.Decode(data); m.Type == string(queue.TicketIssued) {
			break
		}
	}
}

// Each client hears only the kinds its protocol knows: a station or page
// from before versions (no ?protocol) gets the old stream, without hello
// and ping messages; a newer one gets the server's newest; one older than
// the server still speaks is refused with a message saying what to do.
func TestProtocolVersions(t *testing.T) {
	s := newTSWith(t, func(c *server.Config) { c.KeepAlive = 150 * time.Millisecond })
	s.addUser("kiosk1", queue.RoleKiosk)
	kiosk := s.login("kiosk1")
	clients := []struct {
		name, param string
		version     int
		conn        *websocket.Conn
		got         []string
	}{{name: "no protocol", version: 1}, {name: "protocol 1", param: "1", version: 1},
		{name: "protocol 2", param: "2", version: 2}, {name: "protocol 3", param: "3", version: 3},
		{name: "protocol 9", param: "9", version: wire.Version}}
	done := make(chan struct{})
	for i := range clients {
		c := &clients[i]
		var spoken string
		c.conn, spoken = s.dialProtocol(t, c.param, "")
		if spoken != strconv.Itoa(c.version) {
			t.Fatalf("%s: the server speaks %q, want %d", c.name, spoken, c.version)
		}
		// Each reads on its own, answering the server's pings, until the
		// snapshot is in (so what follows is heard as events) and then
		// for a few keep-alives more.
		joined := make(chan struct{})
		go func() {
			defer func() { done <- struct{}{} }()
			c.got = kinds(c.conn, joined, 1500*time.Millisecond)
		}()
		<-joined
	}
	// Something of every kind while they listen: an event with a cutoff
	// after it, and a kiosk's failed print.
	var tk wire.Ticket
	s.do("POST", "/api/v1/tickets", "", wire.IssueRequest{Service: "A", Kiosk: "kiosk1", Channel: "kiosk"}, &tk)
	if code := s.do("POST", "/api/v1/kiosks/kiosk1/print-failed", kiosk, wire.PrintFailedRequest{Ticket: tk.ID}, nil); code != 204 {
		t.Fatalf("print-failed: %d", code)
	}
	for range clients {
		<-done
	}
	for _, c := range clients {
		seen := map[string]bool{}
		for _, k := range c.got {
			if !wire.Knows(c.version, k) && !seen[k] {
				t.Errorf("%s: heard %q, unknown to protocol %d (%v)", c.name, k, c.version, c.got)
			}
			seen[k] = true
		}
		if c.version >= 2 && (c.got[0] != wire.KindHello || !seen[wire.KindPing]) {
			t.Errorf("%s: %v; want a hello first and pings", c.name, c.got)
		}
		if c.version == 1 && c.got[0] != wire.KindSnapshot {
			t.Errorf("%s: %v; want the snapshot first", c.name, c.got)
		}
		for _, k := range []string{string(queue.TicketIssued), wire.KindCutoff, wire.KindPrintFailed} {
			if !seen[k] {
				t.Errorf("%s: no %s in %v", c.name, k, c.got)
			}
		}
	}

	for _, c := range []struct{ param, code, says string }{
		{"0", wire.CodeProtocol, "Update the program"},
		{"two", queue.EINVALID, "version number"},
	} {
		_, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(s.URL, "http")+"/api/v1/ws?protocol="+c.param, http.Header{"Accept-Language": {"en"}})
		if err == nil {
			t.Fatalf("protocol %s: connected", c.param)
		}
		var body wire.ErrorBody
		b, _ := io.ReadAll(resp.Body)
		if json.Unmarshal(b, &body); resp.StatusCode != 400 || body.Error.Code != c.code || !strings.Contains(body.Error.Message, c.says) {
			t.Errorf("protocol %s: %d %s; want 400 %s saying %q", c.param, resp.StatusCode, b, c.code, c.says)
		}
	}
}
