package server

import (
	"langelis/queue"
	"langelis/wire"
)

// PublishCutoff tells the hall a changed end-of-day figure, as the side
// message wire.Cutoff (its cutoff null on a day the office does not
// close). The engine calls it from its goroutine after the events' Publish.
func (h *Hub) PublishCutoff(c *queue.Cutoff) {
	h.Side(wire.Cutoff{Cutoff: c})
}
