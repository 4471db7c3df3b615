package server

import (
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gobwas/ws"

	"langelis/queue"
	"langelis/wire"
)

// ringSize is how many recent events the hub keeps for resync by sequence;
// a client further behind gets a fresh snapshot instead.
const ringSize = 4096

// sendBuffer is how many messages may wait for a slow client before it is
// dropped (DESIGN.md invariant 5). A call sends each screen one to three
// messages, so a screen this far behind is not reading; a small buffer also
// keeps an idle connection small (a channel slot is one pointer).
const sendBuffer = 64

// keepAliveRounds spreads the keep-alives: each client belongs to one of
// this many rounds, and the hub pings one round every keep-alive interval
// divided by it, so ten thousand screens are not all pinged in the same
// millisecond as a call.
const keepAliveRounds = 16

// message is one websocket message, encoded once and framed once, and
// shared by every connection it goes to: sending it costs a connection
// part of one write and nothing else (see wsWriter). This is what gorilla's
// PreparedMessage does, with the frame's bytes at hand, so that a writer
// can send the frames waiting for it in one system call: the kernel's work
// per write, not Go's, is what a fan-out to thousands of sockets costs.
type message struct {
	seq   uint64
	frame []byte // the whole websocket frame: header and data
	data  []byte // the JSON, within frame
}

func newMessage(seq uint64, data []byte) *message {
	// A server's frames are not masked (RFC 6455 §5.1).
	frame, err := ws.CompileFrame(ws.NewTextFrame(data))
	if err != nil { // only for a frame gobwas could not size
		panic(err)
	}
	return &message{seq: seq, frame: frame, data: frame[len(frame)-len(data):]}
}

// keepAlive is the hub's signal to a writer to send the keep-alive: a ping
// frame, and from protocol 2 the ping message.
var keepAlive = &message{}

// pingMessage is the protocol-2 keep-alive, the same frame for everyone.
var pingMessage = func() *message {
	b, _ := json.Marshal(wire.Ping{Type: wire.KindPing})
	return newMessage(0, b)
}()

// pingFrame is a websocket ping control frame, which programs and browsers
// answer with a pong.
var pingFrame = ws.MustCompileFrame(ws.NewPingFrame(nil))

// encoded is one event encoded once for each audience.
type encoded struct {
	seq    uint64
	staff  *message
	public *message // a noop when the hall must not hear it
	kiosk  string   // for a ticket issued at a kiosk: that kiosk's name
	since  int      // the protocol version that brought its type (wire.Since), 0 when none knows it
	noop   *message // for the clients whose protocol does not know its type; nil when all do
	call   bool     // a call or recall: ticket streams hear it too
}

// wsClient is one websocket connection. Only the hub goroutine sends on or
// closes send (the gorilla chat example's rule).
type wsClient struct {
	send   chan *message
	staff  bool
	kiosk  string // a kiosk station's name: it hears its own kiosk's tickets in full
	proto  int    // the websocket protocol spoken to it (wire.Negotiate)
	after  uint64 // events up to this seq are already in the client's snapshot
	ticket string // on a ticket stream: the watched ticket's ID
	screen bool   // a hall screen: not signed in, from the kiosk network
	round  int    // its keep-alive round
}

type registration struct {
	c     *wsClient
	since uint64
	first []*message // sent before any replayed event (a snapshot, a ticket), may be empty
	ok    chan bool
}

// ticketUpdate is a watched ticket's new state, for its ticket streams.
type ticketUpdate struct {
	id  string
	msg *message
}

// Hub fans committed events out to the websocket clients. One goroutine owns
// the client sets, the ring of recent events and every send channel.
type Hub struct {
	log        *slog.Logger
	register   chan registration
	unregister chan *wsClient
	broadcast  chan []queue.Event
	side       chan wire.Side // side messages (cutoff, print_failed), see side.go
	tickets    chan []ticketUpdate
	count      chan chan int
	quit       chan struct{}
	done       chan struct{}
	keepAlive  time.Duration
	// ticketsDue asks the ticket watcher (watch.go) for a round: the hub
	// signals it, without waiting, after a batch of events or a cutoff.
	ticketsDue chan struct{}

	clients map[*wsClient]bool // whole-hall streams
	// watchers are the ticket streams by watched ticket ID, and last the
	// latest state sent to each, for a stream that joins after it.
	watchers map[string]map[*wsClient]bool
	last     map[string]*message
	phones   int
	ring     []encoded
	batch    []encoded // fanoutAll's buffer
	lastSeq  uint64
	joined   int // to deal keep-alive rounds

	// stations counts the connected kiosk stations by kiosk name. The hub
	// goroutine changes it as they join and leave; an issue at a kiosk
	// reads it (StationConnected) to tell the page whether the ticket will
	// be printed.
	stationsMu sync.Mutex
	stations   map[string]int
	census     census // the whole-hall streams by kind, under stationsMu

	dropped atomic.Uint64 // slow clients dropped since start (Dropped)
}

// NewHub starts a hub whose history begins after seq, pinging every
// client every keepAlive (wire.KeepAlive when zero).
func NewHub(seq uint64, log *slog.Logger, keepAlive time.Duration) *Hub {
	if keepAlive <= 0 {
		keepAlive = wire.KeepAlive
	}
	h := &Hub{log: log, register: make(chan registration), unregister: make(chan *wsClient),
		broadcast: make(chan []queue.Event, 1024), side: make(chan wire.Side, 64), tickets: make(chan []ticketUpdate, 16),
		count: make(chan chan int), quit: make(chan struct{}), done: make(chan struct{}), keepAlive: keepAlive,
		ticketsDue: make(chan struct{}, 1), clients: map[*wsClient]bool{}, watchers: map[string]map[*wsClient]bool{},
		last: map[string]*message{}, lastSeq: seq, stations: map[string]int{}}
	go h.run()
	return h
}

// Publish hands committed events to the hub; the engine calls it after each
// commit, in commit order.
func (h *Hub) Publish(events []queue.Event) {
	select {
	case h.broadcast <- events:
	case <-h.quit:
	}
}

// Close disconnects every client and stops the hub.
func (h *Hub) Close() {
	select {
	case <-h.quit:
	default:
		close(h.quit)
	}
	<-h.done
}

// Clients returns the number of connected clients, ticket streams included.
func (h *Hub) Clients() int {
	r := make(chan int)
	select {
	case h.count <- r:
		return <-r
	case <-h.done:
		return 0
	}
}

// join registers c to receive everything after since, preceded by first.
// It returns false when the hub cannot replay from since. A ticket stream
// (c.ticket set) gets first and then its ticket's changes, the calls and
// the side messages; since does not apply to it.
func (h *Hub) join(c *wsClient, since uint64, first ...*message) bool {
	r := registration{c: c, since: since, first: first, ok: make(chan bool, 1)}
	select {
	case h.register <- r:
		return <-r.ok
	case <-h.quit:
		return false
	}
}

func (h *Hub) leave(c *wsClient) {
	select {
	case h.unregister <- c:
	case <-h.done:
	}
}

// sendTickets hands the watcher's changed tickets to the hub.
func (h *Hub) sendTickets(us []ticketUpdate) {
	select {
	case h.tickets <- us:
	case <-h.quit:
	}
}

func (h *Hub) run() {
	defer close(h.done)
	ping := time.NewTicker(h.keepAlive / keepAliveRounds)
	defer ping.Stop()
	round := 0
	for {
		select {
		case <-h.quit:
			h.each(func(c *wsClient) { h.drop(c) })
			return
		case r := <-h.register:
			h.add(r)
		case c := <-h.unregister:
			if h.has(c) {
				h.drop(c)
			}
		case evs := <-h.broadcast:
			h.fanoutAll(evs)
		case m := <-h.side:
			h.sendSide(m)
		case us := <-h.tickets:
			h.sendTicketUpdates(us)
		case <-ping.C:
			round = (round + 1) % keepAliveRounds
			h.each(func(c *wsClient) {
				if c.round == round {
					h.send(c, keepAlive, h.lastSeq)
				}
			})
		case r := <-h.count:
			r <- len(h.clients) + h.phones
		}
	}
}

// station counts kiosk station c in (+1) or out (-1).
func (h *Hub) station(c *wsClient, d int) {
	h.stationsMu.Lock()
	defer h.stationsMu.Unlock()
	h.census.count(c, d) // admin_live.go
	if c.kiosk == "" {
		return
	}
	if h.stations[c.kiosk] += d; h.stations[c.kiosk] <= 0 {
		delete(h.stations, c.kiosk)
	}
}

// StationConnected reports whether a kiosk station for the named kiosk is
// connected: one that will print a ticket issued there.
func (h *Hub) StationConnected(kiosk string) bool {
	h.stationsMu.Lock()
	defer h.stationsMu.Unlock()
	return h.stations[kiosk] > 0
}

// each calls f for every client; f may drop the client.
func (h *Hub) each(f func(c *wsClient)) {
	for c := range h.clients {
		f(c)
	}
	for _, cs := range h.watchers {
		for c := range cs {
			f(c)
		}
	}
}

func (h *Hub) has(c *wsClient) bool {
	if c.ticket != "" {
		return h.watchers[c.ticket][c]
	}
	return h.clients[c]
}

// drop forgets c and closes its send channel, which ends its writer.
func (h *Hub) drop(c *wsClient) {
	if c.ticket == "" {
		delete(h.clients, c)
		h.station(c, -1)
	} else if cs := h.watchers[c.ticket]; cs[c] {
		delete(cs, c)
		h.phones--
		h.ticketStream(-1)
		if len(cs) == 0 {
			delete(h.watchers, c.ticket)
			delete(h.last, c.ticket)
		}
	}
	close(c.send)
}

// fanoutAll sends a commit's events: each client gets all of them in a row,
// so its writer finds them waiting together and sends them in one write
// (a call commits the finished ticket and the called one).
func (h *Hub) fanoutAll(evs []queue.Event) {
	enc := h.batch[:0]
	for _, ev := range evs {
		enc = append(enc, h.encode(ev))
	}
	h.batch = enc[:0]
	for c := range h.clients {
		for _, e := range enc {
			if e.seq > c.after && !h.send(c, e.msgFor(c), e.seq) {
				break // dropped
			}
		}
	}
	// Ticket streams hear the calls, as the hall does.
	for _, cs := range h.watchers {
		for c := range cs {
			for _, e := range enc {
				if e.call && !h.send(c, e.public, e.seq) {
					break
				}
			}
		}
	}
	h.nudgeTickets()
}

func (h *Hub) nudgeTickets() {
	select {
	case h.ticketsDue <- struct{}{}:
	default:
	}
}

func (h *Hub) add(r registration) {
	c := r.c
	var replay []encoded
	switch {
	case c.ticket != "":
	case r.since == h.lastSeq:
	case r.since > h.lastSeq && len(r.first) > 0:
		// The snapshot is newer than what the hub has fanned out yet: the
		// events in between are already in it.
		c.after = r.since
	case r.since < h.lastSeq && len(h.ring) > 0 && h.ring[0].seq <= r.since+1:
		i := int(r.since + 1 - h.ring[0].seq)
		replay = h.ring[i:]
	default:
		r.ok <- false
		return
	}
	c.send = make(chan *message, sendBuffer+len(r.first)+len(replay)+1)
	for _, m := range r.first {
		c.send <- m
	}
	for _, e := range replay {
		if m := e.msgFor(c); m != nil {
			c.send <- m
		}
	}
	h.joined++
	c.round = h.joined % keepAliveRounds
	if c.ticket == "" {
		h.clients[c] = true
		h.station(c, 1)
	} else {
		cs := h.watchers[c.ticket]
		if cs == nil {
			cs = map[*wsClient]bool{}
			h.watchers[c.ticket] = cs
		}
		cs[c] = true
		h.phones++
		h.ticketStream(1)
		// A state newer than the one the stream started from went out
		// while it connected.
		if m := h.last[c.ticket]; m != nil && len(r.first) > 0 && m.seq > r.first[0].seq {
			c.send <- m
		}
	}
	r.ok <- true
}

func (e encoded) msgFor(c *wsClient) *message {
	if e.since == 0 || e.since > c.proto {
		return e.noop
	}
	if c.staff || (c.kiosk != "" && e.kiosk == c.kiosk) {
		return e.staff
	}
	return e.public
}

func (h *Hub) encode(ev queue.Event) encoded {
	e := encoded{seq: ev.Seq, since: wire.Since(string(ev.Type))}
	if ev.Type == queue.TicketIssued && ev.Ticket != nil {
		e.kiosk = ev.Ticket.Kiosk
	}
	if ev.Rating != nil {
		// The answer after service stays in the journal: a desk's screen
		// hears that the ticket was rated, never how, nor the comment.
		ev.Rating = nil
	}
	if b, err := json.Marshal(ev); err != nil {
		h.log.Error("server: encode event", "seq", ev.Seq, "err", err)
		e.staff = newMessage(ev.Seq, nil)
	} else {
		e.staff = newMessage(ev.Seq, b)
	}
	// The sequence still advances without a gap for a client that may not
	// see the event (the hall, for a category change) or does not know its
	// type (an older protocol): it gets a noop.
	p, public := ev.Public()
	if public {
		b, _ := json.Marshal(p)
		e.public = newMessage(ev.Seq, b)
		e.call = ev.Type == queue.TicketCalled || ev.Type == queue.TicketRecalled
	}
	if !public || e.since != wire.MinVersion {
		b, _ := json.Marshal(wire.Noop{Seq: ev.Seq, Type: wire.KindNoop})
		noop := newMessage(ev.Seq, b)
		if !public {
			e.public = noop
		}
		if e.since != wire.MinVersion {
			e.noop = noop
		}
	}
	h.ring = append(h.ring, e)
	if len(h.ring) > ringSize {
		h.ring = append(h.ring[:0:0], h.ring[len(h.ring)-ringSize/2:]...)
	}
	h.lastSeq = ev.Seq
	return e
}

// sendTicketUpdates sends each changed ticket to its ticket streams.
func (h *Hub) sendTicketUpdates(us []ticketUpdate) {
	for _, u := range us {
		cs := h.watchers[u.id]
		if len(cs) == 0 {
			continue
		}
		h.last[u.id] = u.msg
		for c := range cs {
			h.send(c, u.msg, u.msg.seq)
		}
	}
}

// send queues m for c, or drops c when it is too slow to take it (it will
// reconnect and resync) and returns false. Nothing may be sent to a dropped
// client.
func (h *Hub) send(c *wsClient, m *message, seq uint64) bool {
	select {
	case c.send <- m:
		return true
	default:
		h.drop(c)
		h.dropped.Add(1)
		h.log.Info("server: dropped a slow websocket client", "seq", seq)
		return false
	}
}
