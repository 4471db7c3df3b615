package server

import (
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

var upgrader = websocket.Upgrader{
	ReadBufferSize:  1024,
	WriteBufferSize: 4096,
	// Pages come from this server; station programs send no Origin.
	CheckOrigin: func(r *http.Request) bool {
		o := r.Header.Get("Origin")
		return o == "" || o == "http://"+r.Host || o == "https://"+r.Host
	},
}

// pingMessage is the protocol-2 keep-alive, the same bytes for everyone.
var pingMessage, _ = json.Marshal(wire.Ping{Type: wire.KindPing})

// handleWS serves GET /api/v1/ws: at protocol 2 a hello, then a snapshot
// (or the missed events when ?since=N can be replayed), then every
// committed event in order. The client states its protocol in
// ?protocol=N (wire.Negotiate); it hears nothing its version does not know.
func (s *Server) handleWS(c echo.Context) error {
	proto, err := wire.Negotiate(c.QueryParam(wire.ProtocolParam))
	if err != nil {
		return err
	}
	var since uint64
	hasSince := false
	if v := c.QueryParam("since"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return queue.E(queue.EINVALID, "err.ws.since")
		}
		since, hasSince = n, true
	}
	u, _ := s.userFrom(c)
	// A kiosk station hears the public stream plus, in full, the tickets
	// issued at its own kiosk (it needs their tokens to fetch the PDFs); its
	// password sits on a machine in the hall, so it gets nothing more.
	staff := u != nil && (u.Role == queue.RoleClerk || u.Role == queue.RoleAdmin)
	conn, err := upgrader.Upgrade(c.Response(), c.Request(), http.Header{wire.ProtocolHeader: {strconv.Itoa(proto)}})
	if err != nil {
		return nil // the upgrader has answered
	}
	// A small kernel send buffer makes a stalled client show up as a full
	// send channel within a few hundred events, instead of after megabytes
	// piled up in the kernel on its behalf.
	if tc, ok := conn.NetConn().(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(64 << 10)
	}
	if wire.Knows(proto, wire.KindHello) {
		// Written before the writer starts, so it is the first message.
		_ = conn.SetWriteDeadline(time.Now().Add(wire.WriteWait))
		if err := conn.WriteJSON(wire.NewHello(proto, s.cfg.KeepAlive)); err != nil {
			conn.Close()
			return nil
		}
	}
	cl := &wsClient{staff: staff, proto: proto}
	if u != nil && u.Role == queue.RoleKiosk {
		cl.kiosk = u.Username
	}
	joined := hasSince && s.hub.join(cl, since, nil)
	for !joined {
		snap, err := s.engine.Snapshot(c.Request().Context())
		if err != nil {
			conn.Close()
			return nil
		}
		var body any = snap.Public()
		if staff {
			body = snap
		}
		first, _ := json.Marshal(wire.Snapshot{Seq: snap.Seq, Type: wire.KindSnapshot, Snapshot: body})
		joined = s.hub.join(cl, snap.Seq, first)
		if !joined {
			select {
			case <-s.hub.quit:
				conn.Close()
				return nil
			default:
			}
		}
	}
	go s.wsWriter(conn, cl)
	s.wsReader(conn, cl)
	return nil
}

// wsReader only watches for the connection's end; clients say nothing the
// server needs. The pongs to the writer's pings keep it open.
func (s *Server) wsReader(conn *websocket.Conn, cl *wsClient) {
	defer func() {
		s.hub.leave(cl)
		conn.Close()
	}()
	wait := wire.OfflineAfter(s.cfg.KeepAlive)
	conn.SetReadLimit(wire.MaxClientMessage)
	_ = conn.SetReadDeadline(time.Now().Add(wait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(wait)) })
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			return
		}
		_ = conn.SetReadDeadline(time.Now().Add(wait))
	}
}

// wsWriter is the connection's only writer (after the hello). Every
// keep-alive interval it sends a ping frame, which programs and browsers
// answer, and from protocol 2 a ping message, which page JavaScript sees.
func (s *Server) wsWriter(conn *websocket.Conn, cl *wsClient) {
	ticker := time.NewTicker(s.cfg.KeepAlive)
	pings := wire.Knows(cl.proto, wire.KindPing)
	defer func() {
		ticker.Stop()
		conn.Close()
	}()
	for {
		select {
		case m, ok := <-cl.send:
			_ = conn.SetWriteDeadline(time.Now().Add(wire.WriteWait))
			if !ok {
				_ = conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "resync"))
				return
			}
			if err := conn.WriteMessage(websocket.TextMessage, m); err != nil {
				return
			}
		case <-ticker.C:
			_ = conn.SetWriteDeadline(time.Now().Add(wire.WriteWait))
			if err := conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
			if pings {
				if err := conn.WriteMessage(websocket.TextMessage, pingMessage); err != nil {
					return
				}
			}
		}
	}
}
