package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gorilla/websocket"

	"langelis/queue"
	"langelis/wire"
)

// Message is one websocket message, decoded by package wire: a snapshot,
// an event (or a noop, an event with nothing in it), or a side message
// (cutoff, print_failed). Staff subscriptions get full events; the others
// get the public view decoded into the same types, so tickets carry no ID
// and no category.
type Message = wire.Message

// ErrResync asks Subscribe to drop the connection and start again from a
// fresh snapshot. A handler returns it (or an error wrapping it) when it
// cannot apply a message, as Mirror.Apply does on a gap in the sequence.
var ErrResync = errors.New("client: resync needed")

// Status is a change of a subscription's connection, for a program that
// shows "reconnecting".
type Status struct {
	Connected bool
	Err       error         // why the connection ended or could not be made; nil on connect
	Retry     time.Duration // when not connected: the wait before the next attempt (0 when giving up)
}

// SubOption configures Subscribe.
type SubOption func(*subConfig)

type subConfig struct {
	since      uint64
	hasSince   bool
	onStatus   func(Status)
	minBackoff time.Duration
	maxBackoff time.Duration
	stable     time.Duration // a connection up this long resets the backoff
	readWait   time.Duration // the connection is dead after this long without a frame
	pingEvery  time.Duration
}

// WithSince starts the subscription after the given sequence number, for a
// caller that already holds the state up to it (a Mirror's Seq, say): the
// server replays what came after, or sends a snapshot.
func WithSince(seq uint64) SubOption {
	return func(c *subConfig) { c.since, c.hasSince = seq, true }
}

// WithStatus has fn called, from Subscribe's goroutine, when a connection
// opens, and each time one ends or an attempt fails.
func WithStatus(fn func(Status)) SubOption {
	return func(c *subConfig) { c.onStatus = fn }
}

// WithBackoff sets the first and the longest wait between connection
// attempts (default wire.ReconnectMin and wire.ReconnectMax). The wait doubles after each failure,
// with jitter.
func WithBackoff(first, longest time.Duration) SubOption {
	return func(c *subConfig) {
		if first > 0 {
			c.minBackoff = first
		}
		if longest >= c.minBackoff {
			c.maxBackoff = longest
		}
	}
}

// Subscribe connects to the server's websocket, speaking wire.Version of
// its protocol, and calls handle for each message, in sequence order, from
// one goroutine, until ctx ends or handle fails. Side messages (cutoff,
// print_failed) reach handle once it holds a state; the hello and the
// keep-alive pings do not. It keeps the last sequence number seen: events
// at or below it (repeats after a reconnect) are skipped, and a reconnect
// asks for what came after it. A gap in the sequence, a message it cannot
// read, or handle returning ErrResync makes it reconnect for a fresh
// snapshot. Lost connections are retried with capped exponential backoff
// and jitter; the server's pings are answered, and a connection silent for
// wire.OfflineAfter(wire.KeepAlive) is dropped as dead.
//
// Subscribe returns ctx.Err() when ctx ends, handle's error when handle
// fails with anything but ErrResync, an *APIError when the server refuses
// the token (401 or 403; sign in again and resubscribe) or the protocol
// (wire.CodeProtocol: the program needs an update), and an error wrapping
// wire.ErrUnknownKind when the server sends a message this program does not
// know, rather than guess at it.
func (c *Client) Subscribe(ctx context.Context, handle func(Message) error, opts ...SubOption) error {
	cfg := subConfig{
		minBackoff: wire.ReconnectMin,
		maxBackoff: wire.ReconnectMax,
		readWait:   wire.OfflineAfter(wire.KeepAlive),
		pingEvery:  wire.KeepAlive,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.stable == 0 {
		cfg.stable = cfg.maxBackoff
	}
	s := &subscription{c: c, cfg: cfg, handle: handle, last: cfg.since, based: cfg.hasSince, dialer: c.dialer()}
	return s.run(ctx)
}

type subscription struct {
	c      *Client
	cfg    subConfig
	handle func(Message) error
	dialer *websocket.Dialer

	last  uint64 // the last sequence number handled
	based bool   // last stands for a state the handler holds: reconnect with since
}

// fatalError ends Subscribe instead of reconnecting.
type fatalError struct{ err error }

func (e fatalError) Error() string { return e.err.Error() }
func (e fatalError) Unwrap() error { return e.err }

func (s *subscription) status(st Status) {
	if s.cfg.onStatus != nil {
		s.cfg.onStatus(st)
	}
}

func (s *subscription) run(ctx context.Context) error {
	delay := s.cfg.minBackoff
	for {
		up, err := s.connect(ctx)
		if ctx.Err() != nil {
			if !up.IsZero() {
				s.status(Status{Err: ctx.Err()})
			}
			return ctx.Err()
		}
		var fe fatalError
		if errors.As(err, &fe) {
			s.status(Status{Err: fe.err})
			return fe.err
		}
		if !up.IsZero() && time.Since(up) >= s.cfg.stable {
			delay = s.cfg.minBackoff
		}
		wait := delay/2 + rand.N(delay/2+1)
		delay = min(2*delay, s.cfg.maxBackoff)
		if errors.Is(err, ErrResync) {
			s.c.log.Info("client: websocket resync", "reason", err, "in", wait.Round(time.Millisecond))
		} else {
			s.c.log.Warn("client: websocket lost; reconnecting", "err", err, "in", wait.Round(time.Millisecond))
		}
		s.status(Status{Err: err, Retry: wait})
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// connect runs one connection until it ends. up is when it opened (zero
// when it never did); err says why it ended.
func (s *subscription) connect(ctx context.Context) (up time.Time, err error) {
	u, err := s.url()
	if err != nil {
		return time.Time{}, fatalError{err}
	}
	hdr := http.Header{}
	if tok := s.c.Token(); tok != "" {
		hdr.Set("Authorization", "Bearer "+tok)
	}
	conn, resp, err := s.dialer.DialContext(ctx, u, hdr)
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
			ae := parseAPIError(resp.StatusCode, b)
			switch ae.Code {
			case queue.EUNAUTHORIZED, queue.EFORBIDDEN, wire.CodeProtocol:
				return time.Time{}, fatalError{ae}
			}
			return time.Time{}, fmt.Errorf("client: websocket: %w", ae)
		}
		return time.Time{}, fmt.Errorf("client: websocket: %w", err)
	}
	proto, err := wire.CheckServer(resp.Header.Get(wire.ProtocolHeader), wire.MinVersion)
	if err != nil {
		conn.Close()
		return time.Time{}, fatalError{fmt.Errorf("client: websocket: %w", err)}
	}
	up = time.Now()
	s.c.log.Info("client: websocket connected", "url", u, "protocol", proto)
	s.status(Status{Connected: true})

	// One writer: pings and the closing frame. The ping handler below
	// answers the server's pings with WriteControl, which gorilla allows
	// next to another writer.
	stop := make(chan struct{})
	wrote := make(chan struct{})
	go s.writer(ctx, conn, stop, wrote)
	defer func() {
		close(stop)
		<-wrote
		conn.Close()
	}()
	return up, s.read(ctx, conn)
}

func (s *subscription) writer(ctx context.Context, conn *websocket.Conn, stop <-chan struct{}, wrote chan<- struct{}) {
	defer close(wrote)
	tick := time.NewTicker(s.cfg.pingEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			_ = conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(wire.WriteWait))
			conn.Close() // unblocks the reader
			return
		case <-stop:
			_ = conn.WriteControl(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(wire.WriteWait))
			return
		case <-tick.C:
			if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(wire.WriteWait)); err != nil {
				s.c.log.Debug("client: websocket ping failed", "err", err)
				conn.Close()
				return
			}
		}
	}
}

// read is the one reader: it hands messages to the handler in order and
// returns why the connection ended.
func (s *subscription) read(ctx context.Context, conn *websocket.Conn) error {
	conn.SetReadLimit(maxBody)
	alive := func() { _ = conn.SetReadDeadline(time.Now().Add(s.cfg.readWait)) }
	alive()
	conn.SetPongHandler(func(string) error { alive(); return nil })
	conn.SetPingHandler(func(data string) error {
		alive()
		err := conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(wire.WriteWait))
		var ne net.Error
		if err == nil || errors.Is(err, websocket.ErrCloseSent) || (errors.As(err, &ne) && ne.Timeout()) {
			return nil
		}
		return err
	})
	for {
		_, data, err := conn.ReadMessage()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("client: websocket: %w", err)
		}
		alive()
		m, err := wire.Decode(data)
		if errors.Is(err, wire.ErrUnknownKind) {
			return fatalError{fmt.Errorf("client: websocket: %w", err)}
		}
		if err != nil {
			s.based = false
			return fmt.Errorf("client: websocket: %w: %w", err, ErrResync)
		}
		if m.Side() {
			if m.Type == wire.KindHello || m.Type == wire.KindPing || !s.based {
				continue
			}
			if err := s.handle(m); err != nil {
				return fatalError{err}
			}
			continue
		}
		if m.Event != nil {
			switch {
			case !s.based:
				return fmt.Errorf("client: websocket: event %d came before any snapshot: %w", m.Seq, ErrResync)
			case m.Seq <= s.last:
				s.c.log.Debug("client: websocket: repeated event skipped", "seq", m.Seq, "last", s.last)
				continue
			case m.Seq > s.last+1:
				s.based = false
				return fmt.Errorf("client: websocket: event %d after %d, %d missing: %w", m.Seq, s.last, m.Seq-s.last-1, ErrResync)
			}
		}
		if err := s.handle(m); err != nil {
			if errors.Is(err, ErrResync) {
				s.based = false
				return err
			}
			return fatalError{err}
		}
		s.last, s.based = m.Seq, true
	}
}

// url is the websocket address, with ?since= when the handler holds a state.
func (s *subscription) url() (string, error) {
	u, err := url.Parse(s.c.base + "/api/v1/ws")
	if err != nil {
		return "", fmt.Errorf("client: server address: %w", err)
	}
	switch u.Scheme {
	case "http", "ws":
		u.Scheme = "ws"
	case "https", "wss":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("client: server address %q: want http:// or https://", s.c.base)
	}
	q := url.Values{wire.ProtocolParam: {strconv.Itoa(wire.Version)}}
	if s.based {
		q.Set("since", strconv.FormatUint(s.last, 10))
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// dialer borrows TLS and proxy settings from the REST transport.
func (c *Client) dialer() *websocket.Dialer {
	d := &websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: 10 * time.Second}
	if tr, ok := c.hc.Transport.(*http.Transport); ok {
		d.Proxy = tr.Proxy
		if tr.TLSClientConfig != nil {
			d.TLSClientConfig = tr.TLSClientConfig.Clone()
		}
	}
	return d
}
