package server

import (
	"sync"
	"time"

	"langelis/queue"
	"langelis/wire"
)

// hoursWatch remembers whether the office was open at the last look, so
// that WatchHours tells the hall only of a change.
type hoursWatch struct {
	mu    sync.Mutex
	known bool
	open  bool
}

// WatchHours tells the hall, by the side message wire.Hours, that the
// office has opened or closed by its clock since the last look: no event
// marks that moment, and a kiosk must stop issuing at closing, not at its
// next look at the hours. The app calls it with the engine's tick on the
// office clock; the first look only takes note.
func (s *Server) WatchHours() {
	now := s.clock.Now()
	h := hoursAt(s.engine.Office(), now)
	s.hours.mu.Lock()
	changed := s.hours.known && s.hours.open != h.OpenNow
	s.hours.known, s.hours.open = true, h.OpenNow
	s.hours.mu.Unlock()
	if changed {
		s.hub.Side(h)
	}
}

// hoursAt is what the office's hours say about today at now: the hours
// message, and the part of GET /api/v1/office that changes with the clock.
func hoursAt(o *queue.Office, now time.Time) wire.Hours {
	h := wire.Hours{Now: now, OpenNow: o.IsOpen(now), Today: o.OpenIntervals(now)}
	if next, ok := o.NextOpening(now); ok {
		h.NextOpening = &next
	}
	if h.Today == nil {
		h.Today = []queue.Interval{}
	}
	return h
}
