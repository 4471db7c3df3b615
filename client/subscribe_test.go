package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/priority"
	"langelis/queue"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// fast makes the timing of a subscription fit a test.
func fast(readWait time.Duration) SubOption {
	return func(c *subConfig) {
		c.minBackoff, c.maxBackoff, c.stable = 5*time.Millisecond, 40*time.Millisecond, 40*time.Millisecond
		if readWait > 0 {
			c.readWait = readWait
		}
	}
}

type running struct {
	cancel context.CancelFunc
	done   chan struct{} // closed when Subscribe has returned err
	err    *error
}

func (r running) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	select {
	case <-r.done:
		return *r.err
	case <-time.After(5 * time.Second):
		t.Fatal("Subscribe did not return after cancel")
		return nil
	}
}

func subscribe(t *testing.T, c *Client, handle func(Message) error, opts ...SubOption) running {
	ctx, cancel := context.WithCancel(context.Background())
	r := running{cancel: cancel, done: make(chan struct{}), err: new(error)}
	go func() {
		*r.err = c.Subscribe(ctx, handle, opts...)
		close(r.done)
	}()
	t.Cleanup(func() {
		cancel()
		<-r.done
	})
	return r
}

var (
	anna  = queue.Actor{User: "anna", Name: "Anna"}
	kiosk = queue.Actor{User: "kiosk:k1"}
)

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// backend is what the shared helpers need of a server: its engine and its
// clock. The real server (realServer) and the scripted hub (testHub) both
// have them.
type backend interface {
	engine() *queue.Engine
	clk() *queue.ManualClock
}

func issue(t *testing.T, h backend, service string, cat queue.Category) queue.Ticket {
	t.Helper()
	return must[queue.Ticket](t)(h.engine().Issue(context.Background(), queue.IssueRequest{Service: service, Category: cat, Channel: queue.ChannelKiosk, Kiosk: "k1"}, kiosk))
}

// busyDay runs a stretch of a working day on the engine.
func busyDay(t *testing.T, h backend) {
	t.Helper()
	ctx := context.Background()
	ok := must[queue.DeskResult](t)
	ok(h.engine().OpenDesk(ctx, 1, anna))
	ok(h.engine().OpenDesk(ctx, 2, queue.Actor{User: "jonas", Name: "Jonas"}))
	a1 := issue(t, h, "A", priority.None)
	issue(t, h, "B", priority.None)
	issue(t, h, "A", priority.None)
	h.clk().Advance(time.Minute)
	ok(h.engine().Next(ctx, 1, anna))
	ok(h.engine().Recall(ctx, 1, anna))
	ok(h.engine().Start(ctx, 1, anna))
	ok(h.engine().Next(ctx, 2, queue.Actor{User: "jonas", Name: "Jonas"}))
	h.clk().Advance(5 * time.Minute)
	ok(h.engine().Finish(ctx, 1, anna))
	a4 := issue(t, h, "A", priority.None)
	must[queue.Ticket](t)(h.engine().SetCategory(ctx, a4.ID, priority.Elderly, anna))
	ok(h.engine().Next(ctx, 1, anna))
	ok(h.engine().Transfer(ctx, 1, "B", 0, anna))
	ok(h.engine().Pause(ctx, 1, "break", anna))
	_ = a1
}

// sameQueue checks the mirror against the engine's own snapshot.
func sameQueue(t *testing.T, h backend, m *Mirror, staff bool) {
	t.Helper()
	want := must[queue.Snapshot](t)(h.engine().Snapshot(context.Background()))
	waitFor(t, fmt.Sprintf("mirror at seq %d", want.Seq), func() bool { return m.Seq() == want.Seq })
	got := m.Snapshot()
	if !reflect.DeepEqual(got.Waiting, want.Waiting) {
		t.Errorf("waiting = %v, want %v", got.Waiting, want.Waiting)
	}
	view := func(ts []queue.Ticket) []string {
		var out []string
		for _, tk := range ts {
			id, cat := tk.ID, tk.Category
			if !staff {
				id, cat = "", priority.None
			}
			out = append(out, fmt.Sprintf("%s id=%s %s svc=%s desk=%d recalls=%d cat=%s", tk.Number, id, tk.Status, tk.Service, tk.Desk, tk.Recalls, cat))
		}
		sort.Strings(out)
		return out
	}
	if g, w := view(got.Tickets), view(want.Tickets); !reflect.DeepEqual(g, w) {
		t.Errorf("tickets:\n got %q\nwant %q", g, w)
	}
	for _, tk := range got.Tickets {
		if !staff && (tk.ID != "" || tk.Category != priority.None) {
			t.Errorf("public mirror holds private data: %+v", tk)
		}
	}
	desks := func(ds []queue.Desk) []string {
		var out []string
		for _, d := range ds {
			if !staff {
				d = d.Public()
			}
			out = append(out, fmt.Sprintf("%d %s clerk=%s held=%s/%s pause=%s", d.Number, d.Status, d.Clerk, d.Ticket, d.TicketNumber, d.PauseReason))
		}
		return out
	}
	if g, w := desks(got.Desks), desks(want.Desks); !reflect.DeepEqual(g, w) {
		t.Errorf("desks:\n got %q\nwant %q", g, w)
	}
	calls := func(cs []queue.Call) []string {
		var out []string
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%s→%d recall=%v %s", c.Number, c.Desk, c.Recall, c.At.UTC().Format(time.TimeOnly)))
		}
		return out
	}
	if g, w := calls(got.Calls), calls(want.Calls); !reflect.DeepEqual(g, w) {
		t.Errorf("calls:\n got %q\nwant %q", g, w)
	}
	if got.Day != want.Day {
		t.Errorf("day = %q, want %q", got.Day, want.Day)
	}
}

func TestSubscribePublicGapFromHiddenEvents(t *testing.T) {
	// A server that leaves hidden events out of public streams makes a gap:
	// the client resyncs from a fresh snapshot and still ends up right.
	h := newTestHub(t, func(h *testHub) { h.skipHidden = true })
	var m Mirror
	subscribe(t, New(h.url, WithLogger(quiet)), m.Apply, fast(0))
	waitFor(t, "first snapshot", m.Ready)
	busyDay(t, h)
	sameQueue(t, h, &m, false)
	if q := h.connQueries(); len(q) != 2 || q[1] != protoQ {
		t.Errorf("connections %q, want a second one without since", q)
	}
}

func TestSubscribeReconnectReplays(t *testing.T) {
	h := newTestHub(t)
	var m Mirror
	var mu sync.Mutex
	var snaps int
	subscribe(t, New(h.url, WithToken(staffToken), WithLogger(quiet)), func(msg Message) error {
		if msg.Snapshot != nil {
			mu.Lock()
			snaps++
			mu.Unlock()
		}
		return m.Apply(msg)
	}, fast(0))
	waitFor(t, "first snapshot", m.Ready)
	busyDay(t, h)
	sameQueue(t, h, &m, true)
	seq := m.Seq()

	h.drop() // the network fails mid-stream
	issue(t, h, "A", priority.None)
	issue(t, h, "B", priority.None)
	waitFor(t, "a second connection", func() bool { return len(h.connQueries()) == 2 })
	issue(t, h, "A", priority.None)
	sameQueue(t, h, &m, true)
	if q := h.connQueries(); q[1] != fmt.Sprintf("%s&since=%d", protoQ, seq) {
		t.Errorf("reconnected with %q, want %s&since=%d", q[1], protoQ, seq)
	}
	mu.Lock()
	defer mu.Unlock()
	if snaps != 1 {
		t.Errorf("%d snapshots, want 1: the missed events should have been replayed", snaps)
	}
}

func TestSubscribeReconnectSnapshot(t *testing.T) {
	// A server that cannot replay sends a snapshot; it may also send one at
	// any time. Either way the mirror follows.
	h := newTestHub(t)
	var m Mirror
	subscribe(t, New(h.url, WithLogger(quiet)), m.Apply, fast(0))
	busyDay(t, h)
	sameQueue(t, h, &m, false)
	h.setNoReplay(true)
	h.drop()
	issue(t, h, "A", priority.None)
	waitFor(t, "a second connection", func() bool { return len(h.connQueries()) == 2 })
	sameQueue(t, h, &m, false)
	issue(t, h, "B", priority.None)
	h.pushSnapshot()
	issue(t, h, "B", priority.None)
	sameQueue(t, h, &m, false)
}

func TestSubscribePingsKeepAlive(t *testing.T) {
	// No message for several read deadlines: pings alone keep the
	// connection alive, whichever side sends them. The deadline leaves a
	// loaded machine room: what is tested is that pings count, not speed.
	for _, tc := range []struct {
		name           string
		server, client time.Duration // ping intervals
	}{
		{"server pings", 50 * time.Millisecond, time.Hour},
		{"client pings", time.Hour, 50 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newTestHub(t, func(h *testHub) { h.pingEvery = tc.server })
			var m Mirror
			pingEvery := func(c *subConfig) { c.pingEvery = tc.client }
			subscribe(t, New(h.url, WithLogger(quiet)), m.Apply, fast(750*time.Millisecond), pingEvery)
			waitFor(t, "first snapshot", m.Ready)
			time.Sleep(2 * time.Second)
			if q := h.connQueries(); len(q) != 1 {
				t.Fatalf("connections %q: a quiet but pinged connection was dropped", q)
			}
			pings, pongs := h.pingPongs()
			if tc.client < time.Second && pings == 0 {
				t.Error("the client never pinged")
			}
			if tc.server < time.Second && pongs == 0 {
				t.Error("the client never answered a ping")
			}
			issue(t, h, "A", priority.None)
			sameQueue(t, h, &m, false)
		})
	}
}

func TestSubscribeUnauthorized(t *testing.T) {
	h := newTestHub(t)
	var states []Status
	err := New(h.url, WithToken("expired"), WithLogger(quiet)).Subscribe(context.Background(),
		func(Message) error { return nil }, fast(0), WithStatus(func(s Status) { states = append(states, s) }))
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 401 || ae.Code != queue.EUNAUTHORIZED || ae.Message != "Your session has ended; sign in again." {
		t.Fatalf("err = %#v", err)
	}
	if len(h.connQueries()) != 0 || len(states) != 1 || states[0].Connected || states[0].Retry != 0 {
		t.Fatalf("queries %q states %+v", h.connQueries(), states)
	}
}

func TestSubscribeHandlerError(t *testing.T) {
	h := newTestHub(t)
	boom := errors.New("printer on fire")
	err := New(h.url, WithLogger(quiet)).Subscribe(context.Background(), func(Message) error { return boom }, fast(0))
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the handler's", err)
	}
}

func TestSubscribeBackoff(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody listens: every attempt fails

	var mu sync.Mutex
	var retries []time.Duration
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := New("http://"+addr, WithLogger(quiet))
	done := make(chan error, 1)
	go func() {
		done <- c.Subscribe(ctx, func(Message) error { return nil },
			WithBackoff(4*time.Millisecond, 32*time.Millisecond),
			WithStatus(func(s Status) {
				mu.Lock()
				defer mu.Unlock()
				if s.Connected || s.Err == nil {
					t.Errorf("status %+v while nothing listens", s)
				}
				retries = append(retries, s.Retry)
				if len(retries) == 8 {
					cancel()
				}
			}))
	}()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	d := 4 * time.Millisecond
	for i, r := range retries {
		if r < d/2 || r > d {
			t.Errorf("retry %d waited %v, want %v..%v", i, r, d/2, d)
		}
		d = min(2*d, 32*time.Millisecond)
	}
}

// script is a bare websocket server for what the real one will not do on
// demand: repeat events, skip some, send garbage, fall silent. Each
// connection runs fn with its number (from 0).
type script struct {
	url     string
	mu      sync.Mutex
	queries []string
}

func newScript(t *testing.T, fn func(n int, conn *websocket.Conn)) *script {
	t.Helper()
	return newScriptAt(t, nil, fn)
}

// newScriptAt is newScript with the handshake answered with header (the
// protocol a server speaks, say), or refused by refuse when it is not nil.
func newScriptAt(t *testing.T, header http.Header, fn func(n int, conn *websocket.Conn), refuse ...http.HandlerFunc) *script {
	t.Helper()
	s := &script{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		n := len(s.queries)
		s.queries = append(s.queries, r.URL.RawQuery)
		s.mu.Unlock()
		if len(refuse) > 0 {
			refuse[0](w, r)
			return
		}
		conn, err := (&websocket.Upgrader{}).Upgrade(w, r, header)
		if err != nil {
			return
		}
		defer conn.Close()
		go func() { // read so that pings and the close are handled
			for {
				if _, _, err := conn.ReadMessage(); err != nil {
					return
				}
			}
		}()
		fn(n, conn)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	s.url = "http://" + ln.Addr().String()
	return s
}

func (s *script) conns() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries...)
}

func send(conn *websocket.Conn, raw ...string) {
	for _, r := range raw {
		conn.WriteMessage(websocket.TextMessage, []byte(r))
	}
}

func rawSnap(seq int) string {
	return fmt.Sprintf(`{"type":"snapshot","seq":%d,"snapshot":{"seq":%d,"day":"2026-03-02","tickets":[],"desks":[],"waiting":{"A":0},"calls":[]}}`, seq, seq)
}

func rawIssued(seq, serial int) string {
	return fmt.Sprintf(`{"seq":%d,"type":"ticket.issued","day":"2026-03-02","ticket":{"number":"A%03d","service":"A","status":"waiting"}}`, seq, serial)
}

// seen records what a handler got, as "snapshot@5" and "6".
type seen struct {
	mu  sync.Mutex
	got []string
	m   Mirror
}

func (s *seen) handle(msg Message) error {
	s.mu.Lock()
	if msg.Snapshot != nil {
		s.got = append(s.got, fmt.Sprintf("snapshot@%d", msg.Seq))
	} else {
		s.got = append(s.got, fmt.Sprint(msg.Seq))
	}
	s.mu.Unlock()
	return s.m.Apply(msg)
}

func (s *seen) list() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.got, " ")
}

func hold(conn *websocket.Conn) { time.Sleep(2 * time.Second) }

func TestSubscribeSkipsRepeats(t *testing.T) {
	sc := newScript(t, func(n int, conn *websocket.Conn) {
		if n == 0 {
			send(conn, rawSnap(5), rawIssued(6, 1), rawIssued(7, 2), rawIssued(6, 1), rawIssued(7, 2), rawIssued(5, 9), rawIssued(8, 3))
		}
		hold(conn)
	})
	var s seen
	subscribe(t, New(sc.url, WithLogger(quiet)), s.handle, fast(0))
	waitFor(t, "event 8", func() bool { return s.m.Seq() == 8 })
	if got := s.list(); got != "snapshot@5 6 7 8" {
		t.Errorf("handled %q", got)
	}
	if w := s.m.Waiting()["A"]; w != 3 {
		t.Errorf("waiting A = %d, want 3", w)
	}
	if q := sc.conns(); len(q) != 1 {
		t.Errorf("connections %q", q)
	}
}

func TestSubscribeGapResyncs(t *testing.T) {
	sc := newScript(t, func(n int, conn *websocket.Conn) {
		switch n {
		case 0:
			send(conn, rawSnap(5), rawIssued(6, 1), rawIssued(8, 3)) // 7 is lost
		case 1:
			send(conn, rawSnap(8), rawIssued(9, 4))
		}
		hold(conn)
	})
	var s seen
	subscribe(t, New(sc.url, WithLogger(quiet)), s.handle, fast(0))
	waitFor(t, "event 9", func() bool { return s.m.Seq() == 9 })
	if got := s.list(); got != "snapshot@5 6 snapshot@8 9" {
		t.Errorf("handled %q", got)
	}
	if q := sc.conns(); len(q) != 2 || q[1] != protoQ {
		t.Errorf("connections %q, want the second without since", q)
	}
}

func TestSubscribeGarbageResyncs(t *testing.T) {
	sc := newScript(t, func(n int, conn *websocket.Conn) {
		switch n {
		case 0:
			send(conn, rawSnap(5), `{"seq":6,"type":"ticket.issued","ticket":`)
		case 1:
			send(conn, rawSnap(6))
		}
		hold(conn)
	})
	var s seen
	subscribe(t, New(sc.url, WithLogger(quiet)), s.handle, fast(0))
	waitFor(t, "second snapshot", func() bool { return s.m.Seq() == 6 })
	if got := s.list(); got != "snapshot@5 snapshot@6" {
		t.Errorf("handled %q", got)
	}
	if q := sc.conns(); len(q) != 2 || q[1] != protoQ {
		t.Errorf("connections %q", q)
	}
}

func TestSubscribeMirrorAsksResync(t *testing.T) {
	// Started with WithSince but an empty mirror: the replayed events
	// cannot be applied, Mirror.Apply says so, and Subscribe reconnects
	// for a snapshot.
	sc := newScript(t, func(n int, conn *websocket.Conn) {
		switch n {
		case 0:
			send(conn, rawIssued(4, 1), rawIssued(5, 2))
		case 1:
			send(conn, rawSnap(5), rawIssued(6, 3))
		}
		hold(conn)
	})
	var s seen
	subscribe(t, New(sc.url, WithLogger(quiet)), s.handle, fast(0), WithSince(3))
	waitFor(t, "event 6", func() bool { return s.m.Seq() == 6 })
	if got := s.list(); got != "4 snapshot@5 6" {
		t.Errorf("handled %q", got)
	}
	if q := sc.conns(); len(q) != 2 || q[0] != protoQ+"&since=3" || q[1] != protoQ {
		t.Errorf("connections %q", q)
	}
}

func TestSubscribeDeadConnection(t *testing.T) {
	// The server falls silent without closing (a pulled cable): the read
	// deadline notices, and the client reconnects with since.
	sc := newScript(t, func(n int, conn *websocket.Conn) {
		switch n {
		case 0:
			send(conn, rawSnap(5))
		case 1:
			send(conn, rawIssued(6, 1))
		}
		hold(conn)
	})
	var s seen
	var mu sync.Mutex
	var states []Status
	noPing := func(c *subConfig) { c.pingEvery = time.Hour }
	subscribe(t, New(sc.url, WithLogger(quiet)), s.handle, fast(100*time.Millisecond), noPing,
		WithStatus(func(st Status) {
			mu.Lock()
			states = append(states, st)
			mu.Unlock()
		}))
	waitFor(t, "event 6", func() bool { return s.m.Seq() == 6 })
	if q := sc.conns(); len(q) < 2 || q[1] != protoQ+"&since=5" {
		t.Errorf("connections %q", q)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(states) < 3 || !states[0].Connected || states[1].Connected || states[1].Retry <= 0 || !states[2].Connected {
		t.Errorf("states %+v", states)
	}
	var ne net.Error
	if !errors.As(states[1].Err, &ne) || !ne.Timeout() {
		t.Errorf("the connection ended with %v, want a read timeout", states[1].Err)
	}
}

func TestSubscribeBackoffResetsWhenStable(t *testing.T) {
	// Connections that open and die at once back off; one that stayed up
	// resets the wait to the first step.
	sc := newScript(t, func(n int, conn *websocket.Conn) {
		send(conn, rawSnap(1))
		if n == 4 {
			time.Sleep(400 * time.Millisecond) // longer than stable
		}
	})
	var mu sync.Mutex
	var retries []time.Duration
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		stable := func(c *subConfig) { c.stable = 200 * time.Millisecond }
		done <- New(sc.url, WithLogger(quiet)).Subscribe(ctx, func(Message) error { return nil }, fast(0), stable,
			WithStatus(func(s Status) {
				if s.Connected {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				retries = append(retries, s.Retry)
				if len(retries) == 6 {
					cancel()
				}
			}))
	}()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if len(retries) < 6 {
		t.Fatalf("retries %v", retries)
	}
	if retries[3] < 20*time.Millisecond || retries[4] > 5*time.Millisecond {
		t.Errorf("retries %v: want growth to ≥20ms, then ≤5ms after the stable connection", retries)
	}
}
