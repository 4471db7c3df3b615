package server

import (
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// stayAction serves POST /api/v1/desks/{n}/stay: {"until": "17:15"} in the
// office's time, {"minutes": 15} past today's closing, or {"until": ""}
// to take it back.
func stayAction(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
	o := s.engine.Office()
	now := s.clock.Now()
	var until time.Time
	switch {
	case r.Minutes != nil && r.Until != "":
		return queue.DeskResult{}, queue.E(queue.EINVALID, "err.stay.both")
	case r.Minutes != nil:
		closing, ok := o.Closing(now)
		if !ok {
			return queue.DeskResult{}, queue.E(queue.EINVALID, "err.stay.no_closing")
		}
		if *r.Minutes < 0 || *r.Minutes > 240 {
			return queue.DeskResult{}, queue.E(queue.EINVALID, "err.stay.minutes")
		}
		until = closing.Add(time.Duration(*r.Minutes) * time.Minute)
	case r.Until != "":
		at, err := time.Parse("15:04", strings.TrimSpace(r.Until))
		if err != nil {
			return queue.DeskResult{}, queue.E(queue.EINVALID, "err.stay.until")
		}
		lt := now.In(o.Location())
		until = time.Date(lt.Year(), lt.Month(), lt.Day(), at.Hour(), at.Minute(), 0, 0, o.Location())
		// A stay lengthens the day: a time before closing would shorten it
		// without a word (the trial's "work until 19:00" at a 20:00 office).
		if closing, ok := o.Closing(now); ok && !until.After(closing) {
			return queue.DeskResult{}, queue.E(queue.EINVALID, "err.stay.before_closing",
				"closing", closing.In(o.Location()).Format("15:04"))
		}
	}
	return s.engine.Stay(c.Request().Context(), n, until, a)
}
