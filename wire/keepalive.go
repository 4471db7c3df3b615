package wire

import "time"

// The websocket's timings. The keep-alive interval is a server setting
// (server.Config.KeepAlive, KeepAlive when zero; tests shorten it); the
// server tells each protocol-2 client its value in the hello, with the
// silence after which the client may take the connection for dead.
const (
	// KeepAlive is how often, by default, the server pings each
	// connection: a ping frame, which programs answer with a pong, and
	// from protocol 2 a ping message, which pages see.
	KeepAlive = 25 * time.Second
	// WriteWait bounds one write to a connection, on either side.
	WriteWait = 10 * time.Second
	// ReconnectMin and ReconnectMax bound the wait between connection
	// attempts: it starts at ReconnectMin, doubles after each failure (with
	// jitter) and stays at ReconnectMax, so a hall whose server restarts is
	// back within seconds and a server that is down is not hammered.
	ReconnectMin = 250 * time.Millisecond
	ReconnectMax = 5 * time.Second
	// MaxClientMessage bounds what a client may send on the websocket (it
	// has nothing to say but pongs and a closing frame).
	MaxClientMessage = 4096
	// WatchWait is how long the server waits for a ticket stream's watch
	// message before it closes the connection.
	WatchWait = 10 * time.Second
)

// OfflineAfter is how long either side may hear nothing on a connection
// kept alive every keepAlive before it takes it for dead: two missed
// keep-alives and half an interval's grace. The server reads pongs within
// it; a client reconnects after it.
func OfflineAfter(keepAlive time.Duration) time.Duration { return keepAlive*2 + keepAlive/2 }

// NewHello is the hello of a connection spoken at version v and kept alive
// every keepAlive.
func NewHello(v int, keepAlive time.Duration) Hello {
	return Hello{Type: KindHello, Protocol: v, KeepAliveMS: keepAlive.Milliseconds(),
		OfflineAfterMS: OfflineAfter(keepAlive).Milliseconds()}
}
