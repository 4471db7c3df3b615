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
)

const (
	writeWait  = 10 * time.Second
	pongWait   = 60 * time.Second
	pingPeriod = 25 * time.Second
	maxMessage = 4096
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

// snapshotMessage is the first message a client gets when it cannot be
// replayed from its last sequence number.
type snapshotMessage struct {
	Seq      uint64 `json:"seq"`
	Type     string `json:"type"`
	Snapshot any    `json:"snapshot"`
}

// handleWS serves GET /api/v1/ws: a snapshot (or the missed events when
// ?since=N can be replayed), then every committed event in order.
func (s *Server) handleWS(c echo.Context) error {
	var since uint64
	hasSince := false
	if v := c.QueryParam("since"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return queue.Errorf(queue.EINVALID, "since must be a sequence number.")
		}
		since, hasSince = n, true
	}
	u, _ := s.userFrom(c)
	// A kiosk station hears the public stream plus, in full, the tickets
	// issued at its own kiosk (it needs their tokens to fetch the PDFs); its
	// password sits on a machine in the hall, so it gets nothing more.
	staff := u != nil && (u.Role == queue.RoleClerk || u.Role == queue.RoleAdmin)
	conn, err := upgrader.Upgrade(c.Response(), c.Request(), nil)
	if err != nil {
		return nil // the upgrader has answered
	}
	// A small kernel send buffer makes a stalled client show up as a full
	// send channel within a few hundred events, instead of after megabytes
	// piled up in the kernel on its behalf.
	if tc, ok := conn.NetConn().(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(64 << 10)
	}
	cl := &wsClient{staff: staff}
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
		first, _ := json.Marshal(snapshotMessage{Seq: snap.Seq, Type: "snapshot", Snapshot: body})
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
// server needs.
func (s *Server) wsReader(conn *websocket.Conn, cl *wsClient) {
	defer func() {
		s.hub.leave(cl)
		conn.Close()
	}()
	conn.SetReadLimit(maxMessage)
	_ = conn.SetReadDeadline(time.Now().Add(pongWait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			return
		}
		_ = conn.SetReadDeadline(time.Now().Add(pongWait))
	}
}

// wsWriter is the connection's only writer.
func (s *Server) wsWriter(conn *websocket.Conn, cl *wsClient) {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		conn.Close()
	}()
	for {
		select {
		case m, ok := <-cl.send:
			_ = conn.SetWriteDeadline(time.Now().Add(writeWait))
			if !ok {
				_ = conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseTryAgainLater, "resync"))
				return
			}
			if err := conn.WriteMessage(websocket.TextMessage, m); err != nil {
				return
			}
		case <-ticker.C:
			_ = conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}
