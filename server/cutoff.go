package server

import "langelis/queue"

// PublishCutoff tells the hall a changed end-of-day figure, as a side-band
// message {"type":"cutoff","seq":S,"cutoff":{...}} (null on a day the office
// does not close). The engine calls it from its goroutine after the events'
// Publish.
func (h *Hub) PublishCutoff(c *queue.Cutoff) {
	h.Side("cutoff", map[string]any{"cutoff": c})
}
