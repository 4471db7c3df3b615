package server

import (
	"encoding/json"

	"langelis/wire"
)

// Side sends a side message to every websocket client whose protocol knows
// its kind: something about the hall that is not a change of the queue
// (the end-of-day cutoff moving with the clock, a kiosk's printer failing).
// It carries the current seq without advancing it, is not kept for replay,
// and a client that misses it loses nothing durable. m must hold only what
// the whole hall may see.
func (h *Hub) Side(m wire.Side) {
	select {
	case h.side <- m:
	case <-h.quit:
	}
}

// sendSide runs on the hub goroutine, which owns lastSeq and the send
// channels. Events published before the message are sent first, so a client
// never hears a cutoff computed from events it has not seen yet.
func (h *Hub) sendSide(m wire.Side) {
	for drained := false; !drained; {
		select {
		case evs := <-h.broadcast:
			h.fanoutAll(evs)
		default:
			drained = true
		}
	}
	data, err := json.Marshal(m.Stamp(h.lastSeq))
	if err != nil {
		h.log.Error("server: encode side message", "type", m.Kind(), "err", err)
		return
	}
	msg := newMessage(h.lastSeq, data)
	for c := range h.clients {
		if wire.Knows(c.proto, m.Kind()) {
			h.send(c, msg, h.lastSeq)
		}
	}
	// Ticket streams get the cutoff inside their ticket's message, and
	// only where their page shows it (watch.go): the watcher looks.
	if m.Kind() == wire.KindCutoff {
		h.nudgeTickets()
	}
}
