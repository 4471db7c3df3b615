package server

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// upgrader keeps an idle connection small: clients say next to nothing
// (pongs, a ticket stream's one watch message), so the read buffer is
// small; everything the hub sends is a prepared message, written straight
// from its shared frame, and the few messages written otherwise (the
// hello, a closing frame) borrow a buffer from the pool instead of keeping
// one per connection.
var upgrader = websocket.Upgrader{
	ReadBufferSize:  256,
	WriteBufferSize: 1024,
	WriteBufferPool: &sync.Pool{},
	// Pages come from this server; station programs send no Origin.
	CheckOrigin: func(r *http.Request) bool {
		o := r.Header.Get("Origin")
		return o == "" || o == "http://"+r.Host || o == "https://"+r.Host
	},
}

// handleWS serves GET /api/v1/ws: at protocol 2 a hello, then a snapshot
// (or the missed events when ?since=N can be replayed), then every
// committed event in order. The client states its protocol in
// ?protocol=N (wire.Negotiate); it hears nothing its version does not know.
// With ?stream=ticket (protocol 3) it is a phone's ticket stream instead
// (watch.go).
//
// The handler returns as soon as the connection is set up, leaving one
// reading and one writing goroutine, both fresh: the request's goroutine,
// whose stack grew through the middleware, does not stay behind for the
// connection's lifetime.
func (s *Server) handleWS(c echo.Context) error {
	proto, err := wire.Negotiate(c.QueryParam(wire.ProtocolParam))
	if err != nil {
		return err
	}
	stream := c.QueryParam(wire.StreamParam)
	switch {
	case stream == "":
	case stream != wire.StreamTicket:
		return queue.E(queue.EINVALID, "err.ws.stream", "stream", queue.Clip(stream), "param", wire.StreamParam, "value", wire.StreamTicket)
	case !wire.Knows(proto, wire.KindWatch):
		return queue.E(queue.EINVALID, "err.ws.stream_protocol", "version", wire.Since(wire.KindWatch))
	}
	var since uint64
	hasSince := false
	if v := c.QueryParam("since"); v != "" && stream == "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return queue.E(queue.EINVALID, "err.ws.since")
		}
		since, hasSince = n, true
	}
	u, _ := s.userFrom(c)
	release, err := s.conns.acquire(s.connClass(c, u), addrKey(c.RealIP()))
	if err != nil {
		// Answered here rather than by the error handler, which logs each
		// 5xx: in a flood that is a line per refusal; acquire logs them
		// in summary.
		c.Response().Header().Set("Retry-After", "10")
		s.counts.refuse(queue.ErrorCode(err))
		return c.JSON(wire.Status(queue.ErrorCode(err)), wire.ErrorBody{Error: s.errorDetail(c, err)})
	}
	conn, err := upgrader.Upgrade(c.Response(), c.Request(), http.Header{wire.ProtocolHeader: {strconv.Itoa(proto)}})
	if err != nil {
		release()
		return nil // the upgrader has answered
	}
	// A small kernel send buffer makes a stalled client show up as a full
	// send channel within a few hundred events, instead of after megabytes
	// piled up in the kernel on its behalf.
	if tc := tcpConn(conn.NetConn()); tc != nil {
		_ = tc.SetWriteBuffer(64 << 10)
	}
	if wire.Knows(proto, wire.KindHello) {
		// Written before the writer starts, so it is the first message.
		_ = conn.SetWriteDeadline(time.Now().Add(wire.WriteWait))
		if err := conn.WriteJSON(wire.NewHello(proto, s.cfg.KeepAlive)); err != nil {
			conn.Close()
			release()
			return nil
		}
	}
	// A kiosk station hears the public stream plus, in full, the tickets
	// issued at its own kiosk (it needs their tokens to fetch the PDFs); its
	// password sits on a machine in the hall, so it gets nothing more.
	staff := u != nil && (u.Role == queue.RoleClerk || u.Role == queue.RoleAdmin)
	cl := &wsClient{staff: staff, proto: proto, screen: u == nil && s.onKioskNet(c)}
	if u != nil && u.Role == queue.RoleKiosk {
		cl.kiosk = u.Username
	}
	var joined bool
	if stream == wire.StreamTicket {
		joined = s.joinTicket(c, conn, cl)
	} else {
		joined = s.joinHall(c, cl, since, hasSince)
	}
	if !joined {
		conn.Close()
		release()
		return nil
	}
	go s.wsWriter(conn, cl)
	go s.wsReader(conn, cl, release)
	return nil
}

// joinHall registers a whole-hall stream with the hub: from since when the
// hub can replay it, else from a fresh snapshot.
func (s *Server) joinHall(c echo.Context, cl *wsClient, since uint64, hasSince bool) bool {
	if hasSince && s.hub.join(cl, since) {
		return true
	}
	for {
		first, seq, err := s.snapshotMessage(c, cl.staff)
		if err != nil {
			return false
		}
		if s.hub.join(cl, seq, first) {
			return true
		}
		select {
		case <-s.hub.quit:
			return false
		default:
		}
	}
}

// snapshotMessage returns the snapshot message for a staff or a public
// stream. The encoded message is kept for the same state, so the screens of
// a hall that reconnect together after a restart share one encoding.
func (s *Server) snapshotMessage(c echo.Context, staff bool) (*message, uint64, error) {
	snap, err := s.engine.Snapshot(c.Request().Context())
	if err != nil {
		return nil, 0, err
	}
	sc := &s.snaps
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.seq != snap.Seq || !sc.now.Equal(snap.Now) {
		sc.seq, sc.now, sc.msg = snap.Seq, snap.Now, [2]*message{}
	}
	i := 0
	if staff {
		i = 1
	}
	if sc.msg[i] == nil {
		var body any = snap.Public()
		if staff {
			body = snap
		}
		b, err := json.Marshal(wire.Snapshot{Seq: snap.Seq, Type: wire.KindSnapshot, Snapshot: body})
		if err != nil {
			return nil, 0, err
		}
		sc.msg[i] = newMessage(snap.Seq, b)
	}
	return sc.msg[i], snap.Seq, nil
}

// snapshotCache holds the snapshot messages of one state (seq and the
// engine's time of it): public and staff.
type snapshotCache struct {
	mu  sync.Mutex
	seq uint64
	now time.Time
	msg [2]*message
}

// wsReader only watches for the connection's end; clients say nothing the
// server needs after their first message. The pongs to the keep-alive
// pings keep it open. When it ends, the connection's slot is given back.
func (s *Server) wsReader(conn *websocket.Conn, cl *wsClient, release func()) {
	defer func() {
		s.hub.leave(cl)
		if cl.ticket != "" {
			s.watch.remove(cl.ticket)
		}
		conn.Close()
		release()
	}()
	wait := wire.OfflineAfter(s.cfg.KeepAlive)
	conn.SetReadLimit(wire.MaxClientMessage)
	_ = conn.SetReadDeadline(time.Now().Add(wait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(wait)) })
	for {
		if _, _, err := conn.NextReader(); err != nil {
			return
		}
		_ = conn.SetReadDeadline(time.Now().Add(wait))
	}
}

// maxBatch bounds the frames a writer sends in one system call.
const maxBatch = 8

// wsWriter is the connection's only writer of messages (after the hello
// and, on a ticket stream, the reading of the watch). It takes what the
// hub queued and sends every frame already waiting in one write (writev),
// which is what a fan-out to thousands of sockets costs: the kernel's work
// per system call. The keep-alive is a ping frame, which programs and
// browsers answer, and from protocol 2 a ping message, which page
// JavaScript sees. The hub closing the queue means the client was too slow
// or the server stops: it is told to come back and resync.
func (s *Server) wsWriter(conn *websocket.Conn, cl *wsClient) {
	defer conn.Close()
	var w io.Writer = conn.NetConn()
	if tc := tcpConn(conn.NetConn()); tc != nil {
		w = tc // net.Buffers writes a *net.TCPConn's frames with one writev
	}
	raw := conn.NetConn()
	pings := wire.Knows(cl.proto, wire.KindPing)
	var frames [maxBatch + 2][]byte
	for m := range cl.send {
		batch := append(frames[:0], m.frame)
		ping := m == keepAlive
	more:
		for !ping && len(batch) < maxBatch {
			select {
			case m, ok := <-cl.send:
				if !ok {
					break more
				}
				if ping = m == keepAlive; !ping {
					batch = append(batch, m.frame)
				}
			default:
				break more
			}
		}
		if ping { // the frame in the same write, and the message a page sees
			if m == keepAlive {
				batch = batch[:0]
			}
			batch = append(batch, pingFrame)
			if pings {
				batch = append(batch, pingMessage.frame)
			}
		}
		deadline := time.Now().Add(wire.WriteWait)
		_ = raw.SetWriteDeadline(deadline)
		bufs := net.Buffers(batch)
		if _, err := bufs.WriteTo(w); err != nil {
			return
		}
	}
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "resync"),
		time.Now().Add(wire.WriteWait))
}
