package server

import (
	"encoding/json"
	"log/slog"

	"langelis/queue"
	"langelis/wire"
)

// ringSize is how many recent events the hub keeps for resync by sequence;
// a client further behind gets a fresh snapshot instead.
const ringSize = 4096

// sendBuffer is how many messages may wait for a slow client before it is
// dropped (DESIGN.md invariant 5).
const sendBuffer = 256

// encoded is one event encoded once for each audience.
type encoded struct {
	seq    uint64
	staff  []byte
	public []byte // a noop when the hall must not hear it
	kiosk  string // for a ticket issued at a kiosk: that kiosk's name
	since  int    // the protocol version that brought its type (wire.Since), 0 when none knows it
	noop   []byte // for the clients whose protocol does not know its type; nil when all do
}

// wsClient is one websocket connection. Only the hub goroutine sends on or
// closes send (the gorilla chat example's rule).
type wsClient struct {
	send  chan []byte
	staff bool
	kiosk string // a kiosk station's name: it hears its own kiosk's tickets in full
	proto int    // the websocket protocol spoken to it (wire.Negotiate)
	after uint64 // events up to this seq are already in the client's snapshot
}

type registration struct {
	c     *wsClient
	since uint64
	first []byte // sent before any replayed event (a snapshot), may be nil
	ok    chan bool
}

// Hub fans committed events out to the websocket clients. One goroutine owns
// the client set, the ring of recent events and every send channel.
type Hub struct {
	log        *slog.Logger
	register   chan registration
	unregister chan *wsClient
	broadcast  chan []queue.Event
	side       chan wire.Side // side messages (cutoff, print_failed), see side.go
	count      chan chan int
	quit       chan struct{}
	done       chan struct{}

	clients map[*wsClient]bool
	ring    []encoded
	lastSeq uint64
}

// NewHub starts a hub whose history begins after seq.
func NewHub(seq uint64, log *slog.Logger) *Hub {
	h := &Hub{log: log, register: make(chan registration), unregister: make(chan *wsClient),
		broadcast: make(chan []queue.Event, 1024), side: make(chan wire.Side, 64), count: make(chan chan int),
		quit: make(chan struct{}), done: make(chan struct{}), clients: map[*wsClient]bool{}, lastSeq: seq}
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

// Clients returns the number of connected clients.
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
// It returns false when the hub cannot replay from since.
func (h *Hub) join(c *wsClient, since uint64, first []byte) bool {
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

func (h *Hub) run() {
	defer close(h.done)
	for {
		select {
		case <-h.quit:
			for c := range h.clients {
				close(c.send)
				delete(h.clients, c)
			}
			return
		case r := <-h.register:
			h.add(r)
		case c := <-h.unregister:
			if h.clients[c] {
				delete(h.clients, c)
				close(c.send)
			}
		case evs := <-h.broadcast:
			for _, ev := range evs {
				h.fanout(h.encode(ev))
			}
		case m := <-h.side:
			h.sendSide(m)
		case r := <-h.count:
			r <- len(h.clients)
		}
	}
}

func (h *Hub) add(r registration) {
	var replay []encoded
	switch {
	case r.since == h.lastSeq:
	case r.since > h.lastSeq && r.first != nil:
		// The snapshot is newer than what the hub has fanned out yet: the
		// events in between are already in it.
		r.c.after = r.since
	case r.since < h.lastSeq && len(h.ring) > 0 && h.ring[0].seq <= r.since+1:
		i := int(r.since + 1 - h.ring[0].seq)
		replay = h.ring[i:]
	default:
		r.ok <- false
		return
	}
	c := r.c
	c.send = make(chan []byte, sendBuffer+len(replay)+1)
	if r.first != nil {
		c.send <- r.first
	}
	for _, e := range replay {
		if m := e.msgFor(c); m != nil {
			c.send <- m
		}
	}
	h.clients[c] = true
	r.ok <- true
}

func (e encoded) msgFor(c *wsClient) []byte {
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
	var err error
	if e.staff, err = json.Marshal(ev); err != nil {
		h.log.Error("server: encode event", "seq", ev.Seq, "err", err)
	}
	// The sequence still advances without a gap for a client that may not
	// see the event (the hall, for a category change) or does not know its
	// type (an older protocol): it gets a noop.
	p, public := ev.Public()
	if public {
		e.public, _ = json.Marshal(p)
	}
	if !public || e.since != wire.MinVersion {
		noop, _ := json.Marshal(wire.Noop{Seq: ev.Seq, Type: wire.KindNoop})
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

func (h *Hub) fanout(e encoded) {
	for c := range h.clients {
		if e.seq <= c.after {
			continue
		}
		h.send(c, e.msgFor(c), e.seq)
	}
}

// send queues m for c, or drops c when it is too slow to take it; it will
// reconnect and resync.
func (h *Hub) send(c *wsClient, m []byte, seq uint64) {
	select {
	case c.send <- m:
	default:
		delete(h.clients, c)
		close(c.send)
		h.log.Info("server: dropped a slow websocket client", "seq", seq)
	}
}
