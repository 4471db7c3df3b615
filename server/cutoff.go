package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/priority"
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

// handlePreview serves GET /api/v1/tickets/preview?service=A&priority=none:
// where a new ticket would stand and whether it would be served today, so
// the kiosk can warn (or say it stopped issuing) before it issues.
func (s *Server) handlePreview(c echo.Context) error {
	svc := strings.ToUpper(strings.TrimSpace(c.QueryParam("service")))
	if svc == "" {
		return queue.Errorf(queue.EINVALID, "Choose a service (query parameter \"service\", e.g. \"A\").")
	}
	cat, err := priority.ParseCategory(c.QueryParam("priority"))
	if err != nil {
		return queue.Errorf(queue.EINVALID, "Priority must be one of none, child, pregnant, disability, elderly.")
	}
	p, err := s.engine.Preview(c.Request().Context(), svc, cat)
	if err != nil {
		return err
	}
	body := struct {
		queue.Preview
		NextOpening *time.Time `json:"next_opening,omitempty"`
	}{Preview: p}
	if !p.Open {
		if next, ok := s.engine.Office().NextOpening(s.clock.Now()); ok {
			body.NextOpening = &next
		}
	}
	return c.JSON(http.StatusOK, body)
}

// stayAction serves POST /api/v1/desks/{n}/stay: {"until": "17:15"} in the
// office's time, {"minutes": 15} past today's closing, or {"until": ""}
// to take it back.
func stayAction(s *Server, c echo.Context, n int, r deskRequest, a queue.Actor) (queue.DeskResult, error) {
	o := s.engine.Office()
	now := s.clock.Now()
	var until time.Time
	switch {
	case r.Minutes != nil && r.Until != "":
		return queue.DeskResult{}, queue.Errorf(queue.EINVALID, "Give either until (e.g. \"17:15\") or minutes past closing, not both.")
	case r.Minutes != nil:
		closing, ok := o.Closing(now)
		if !ok {
			return queue.DeskResult{}, queue.Errorf(queue.EINVALID, "The office does not close today by its hours; give until as a time instead.")
		}
		if *r.Minutes < 0 || *r.Minutes > 240 {
			return queue.DeskResult{}, queue.Errorf(queue.EINVALID, "Minutes past closing must be 0-240.")
		}
		until = closing.Add(time.Duration(*r.Minutes) * time.Minute)
	case r.Until != "":
		at, err := time.Parse("15:04", strings.TrimSpace(r.Until))
		if err != nil {
			return queue.DeskResult{}, queue.Errorf(queue.EINVALID, "Until must be a time like 17:15.")
		}
		lt := now.In(o.Location())
		until = time.Date(lt.Year(), lt.Month(), lt.Day(), at.Hour(), at.Minute(), 0, 0, o.Location())
	}
	return s.engine.Stay(c.Request().Context(), n, until, a)
}
