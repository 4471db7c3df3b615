package server

import "encoding/json"

// Side sends a side-band message to every websocket client: something about
// the hall that is not a change of the queue (the end-of-day cutoff moving
// with the clock, a kiosk's printer failing). It carries the current seq
// without advancing it, is not kept for replay, and a client that misses it
// loses nothing durable. fields must hold only what the whole hall may see.
func (h *Hub) Side(typ string, fields map[string]any) {
	m := make(map[string]any, len(fields)+2)
	for k, v := range fields {
		m[k] = v
	}
	m["type"] = typ
	select {
	case h.side <- m:
	case <-h.quit:
	}
}

// sendSide runs on the hub goroutine, which owns lastSeq and the send
// channels. Events published before the message are sent first, so a client
// never hears a cutoff computed from events it has not seen yet.
func (h *Hub) sendSide(m map[string]any) {
	for drained := false; !drained; {
		select {
		case evs := <-h.broadcast:
			for _, ev := range evs {
				h.fanout(h.encode(ev))
			}
		default:
			drained = true
		}
	}
	m["seq"] = h.lastSeq
	data, err := json.Marshal(m)
	if err != nil {
		h.log.Error("server: encode side message", "type", m["type"], "err", err)
		return
	}
	for c := range h.clients {
		h.send(c, data, h.lastSeq)
	}
}
