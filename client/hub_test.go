package client

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/app"
	"langelis/queue"
)

// This file is the test's websocket server: net/http and a gorilla
// Upgrader on 127.0.0.1:0 in front of the real engine (opened by package
// app on a bbolt file, as the server runs it), speaking the contract of
// DESIGN.md (snapshot first unless ?since= can be replayed, events in seq
// order after commit, staff by bearer token get full events, the others
// public ones, pings). The tests that need nothing scripted run against
// the real server instead (realserver_test.go).

const staffToken = "staff-token"

type hubClient struct {
	conn    *websocket.Conn
	staff   bool
	send    chan []byte
	ready   bool          // the snapshot or replay is queued; live events go to send
	pending []queue.Event // live events that came while the snapshot was taken
	gone    bool
}

func (h *testHub) engine() *queue.Engine   { return h.eng }
func (h *testHub) clk() *queue.ManualClock { return h.clock }

// testHub is a scripted websocket server in front of the real engine, for
// what the real server cannot be made to do on demand: drop one connection,
// leave out events, refuse to replay, count pings.
type testHub struct {
	t     *testing.T
	eng   *queue.Engine
	clock *queue.ManualClock
	url   string // http://127.0.0.1:port

	pingEvery time.Duration

	mu         sync.Mutex
	log        []queue.Event // every published event, for replay
	clients    map[*hubClient]bool
	queries    []string // the raw query of each websocket connection, in order
	noReplay   bool     // answer every ?since= with a snapshot
	skipHidden bool     // leave hidden events out of public streams (a gap) instead of sending them bare
	pings      int      // pings heard from clients
	pongs      int      // pongs heard from clients
}

func testOffice(t *testing.T) *queue.Office {
	t.Helper()
	all := []queue.Span{{Start: 0, End: 24 * 60}}
	o := &queue.Office{
		Name: "Testo padalinys",
		Services: []queue.Service{
			{Letter: "A", Names: map[string]string{"lt": "Deklaravimas"}},
			{Letter: "B", Names: map[string]string{"lt": "Pažymos"}},
		},
		Desks: []queue.DeskDef{{Number: 1, Services: []string{"A", "B"}}, {Number: 2, Services: []string{"A"}}},
		Hours: queue.Hours{Week: [7][]queue.Span{all, all, all, all, all, all, all}},
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return o
}

// newTestHub starts a hub; each setup function may change its settings
// before it serves.
func newTestHub(t *testing.T, setup ...func(*testHub)) *testHub {
	t.Helper()
	h := &testHub{t: t, clients: map[*hubClient]bool{}, pingEvery: 25 * time.Second,
		clock: queue.NewManualClock(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))}
	for _, f := range setup {
		f(h)
	}
	a, err := app.Open(app.Config{Office: testOffice(t), Path: filepath.Join(t.TempDir(), "hub.db"), Clock: h.clock,
		RealClock: queue.NewManualClock(time.Now()), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	// This hub stands in for the server's: it hears the committed events
	// instead (the app's server never listens here).
	a.Engine.SetPublisher(h.publish)
	h.eng = a.Engine
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/ws", h.serveWS)
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	h.url = "http://" + ln.Addr().String()
	t.Cleanup(func() {
		srv.Close()
		h.drop()
		a.Close()
	})
	return h
}

// publish is the engine's publisher: it runs after each commit.
func (h *testHub) publish(evs []queue.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ev := range evs {
		h.log = append(h.log, ev)
		for c := range h.clients {
			if !c.ready {
				c.pending = append(c.pending, ev)
				continue
			}
			h.queue(c, ev)
		}
	}
}

// queue puts ev on c's send channel; a client that cannot keep up is
// dropped (invariant 5). Called with h.mu held.
func (h *testHub) queue(c *hubClient, ev queue.Event) {
	var v any = ev
	if !c.staff {
		p, ok := ev.Public()
		if !ok {
			if h.skipHidden {
				return
			}
			p = queue.PublicEvent{Seq: ev.Seq, Type: ev.Type, At: ev.At, Day: ev.Day}
		}
		v = p
	}
	h.sendJSON(c, v)
}

func (h *testHub) sendJSON(c *hubClient, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		h.t.Errorf("hub: %v", err)
		return
	}
	if c.gone {
		return
	}
	select {
	case c.send <- b:
	default:
		c.gone = true
		delete(h.clients, c)
		close(c.send)
	}
}

func (h *testHub) sendSnapshot(c *hubClient, s queue.Snapshot) {
	var v any = s
	if !c.staff {
		v = s.Public()
	}
	h.sendJSON(c, map[string]any{"type": "snapshot", "seq": s.Seq, "snapshot": v})
}

func (h *testHub) serveWS(w http.ResponseWriter, r *http.Request) {
	staff := false
	if a := r.Header.Get("Authorization"); a != "" {
		if a != "Bearer "+staffToken {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"code":"unauthorized","message":"Your session has ended; sign in again."}}`))
			return
		}
		staff = true
	}
	up := websocket.Upgrader{}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &hubClient{conn: conn, staff: staff, send: make(chan []byte, 256)}

	h.mu.Lock()
	h.queries = append(h.queries, r.URL.RawQuery)
	h.clients[c] = true
	if s := r.URL.Query().Get("since"); s != "" && !h.noReplay {
		since, err := strconv.ParseUint(s, 10, 64)
		if last := uint64(len(h.log)); err == nil && since <= last {
			for _, ev := range h.log[since:] {
				h.queue(c, ev)
			}
			c.ready = true
		}
	}
	h.mu.Unlock()
	if !c.ready {
		snap, err := h.eng.Snapshot(r.Context())
		if err != nil {
			h.t.Errorf("hub: snapshot: %v", err)
			conn.Close()
			return
		}
		h.mu.Lock()
		h.sendSnapshot(c, snap)
		for _, ev := range c.pending {
			if ev.Seq > snap.Seq {
				h.queue(c, ev)
			}
		}
		c.pending, c.ready = nil, true
		h.mu.Unlock()
	}
	go h.writePump(c)
	h.readPump(c)
}

func (h *testHub) writePump(c *hubClient) {
	tick := time.NewTicker(h.pingEvery)
	defer tick.Stop()
	defer c.conn.Close()
	for {
		select {
		case b, ok := <-c.send:
			c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if !ok {
				c.conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, ""))
				return
			}
			if err := c.conn.WriteMessage(websocket.TextMessage, b); err != nil {
				return
			}
		case <-tick.C:
			if err := c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second)); err != nil {
				return
			}
		}
	}
}

func (h *testHub) readPump(c *hubClient) {
	ping := c.conn.PingHandler()
	c.conn.SetPingHandler(func(s string) error {
		h.mu.Lock()
		h.pings++
		h.mu.Unlock()
		return ping(s)
	})
	c.conn.SetPongHandler(func(string) error {
		h.mu.Lock()
		h.pongs++
		h.mu.Unlock()
		return nil
	})
	for {
		if _, _, err := c.conn.ReadMessage(); err != nil {
			break
		}
	}
	h.mu.Lock()
	if !c.gone {
		c.gone = true
		delete(h.clients, c)
		close(c.send)
	}
	h.mu.Unlock()
	c.conn.Close()
}

// drop cuts every connection without a closing handshake, as a network
// fault would.
func (h *testHub) drop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		c.conn.NetConn().Close()
	}
}

// pushSnapshot sends every client a fresh snapshot, as the server may at
// any time.
func (h *testHub) pushSnapshot() {
	snap, err := h.eng.Snapshot(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		if c.ready {
			h.sendSnapshot(c, snap)
		}
	}
}

func (h *testHub) connQueries() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.queries...)
}

func (h *testHub) pingPongs() (pings, pongs int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.pings, h.pongs
}

func (h *testHub) setNoReplay(v bool) {
	h.mu.Lock()
	h.noReplay = v
	h.mu.Unlock()
}
