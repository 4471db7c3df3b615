package server

import (
	"encoding/json"

	"langelis/queue"
)

// cutoffMessage is the side-band websocket message that carries the
// end-of-day figure whenever it changes. It has the seq of the last event
// the hub sent, but is not an event: it does not advance the sequence.
type cutoffMessage struct {
	Seq    uint64          `json:"seq"`
	Type   string          `json:"type"`
	Cutoff json.RawMessage `json:"cutoff"` // a queue.Cutoff, or null on a day the office does not close
}

// PublishCutoff hands the hub a changed cutoff; the engine calls it from
// its goroutine after the events' Publish, so it must not block for long.
func (h *Hub) PublishCutoff(c *queue.Cutoff) {
	m, err := json.Marshal(c)
	if err != nil {
		h.log.Error("server: encode cutoff", "err", err)
		return
	}
	select {
	case h.side <- m:
	case <-h.quit:
	}
}

// sendSide sends a cutoff to every client. The events published before it
// go out first, so a client never hears a figure ahead of its cause.
func (h *Hub) sendSide(cutoff []byte) {
	for {
		select {
		case evs := <-h.broadcast:
			for _, ev := range evs {
				h.fanout(h.encode(ev))
			}
			continue
		default:
		}
		break
	}
	m, _ := json.Marshal(cutoffMessage{Seq: h.lastSeq, Type: "cutoff", Cutoff: cutoff})
	for c := range h.clients {
		h.send(c, m, h.lastSeq)
	}
}
