package server

import "encoding/json"

// Side sends a side-band message to every websocket client: something about
// the hall that is not a change of the queue (a kiosk's printer failed), so
// it carries the current seq without advancing it, is not kept for replay,
// and a client that misses it loses nothing durable. fields must hold only
// what the whole hall may see.
func (h *Hub) Side(typ string, fields map[string]any) {
	m := map[string]any{}
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
// channels.
func (h *Hub) sendSide(m map[string]any) {
	m["seq"] = h.lastSeq
	data, err := json.Marshal(m)
	if err != nil {
		h.log.Error("server: encode side message", "err", err)
		return
	}
	for c := range h.clients {
		select {
		case c.send <- data:
		default:
			delete(h.clients, c)
			close(c.send)
		}
	}
}
