package server

import (
	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// POST /api/v1/desks/:desk/category {"priority": "elderly", "number": "A012"}
// corrects a ticket's priority category: the desk's current client, or the
// named ticket. It joins the desk actions so that it shares their checks:
// the clerk must hold the desk.
func init() { deskActions["category"] = setCategory }

func setCategory(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
	if r.Priority == "" {
		return queue.DeskResult{}, queue.E(queue.EINVALID, "err.category.give")
	}
	cat, err := parsePriority(r.Priority)
	if err != nil {
		return queue.DeskResult{}, err
	}
	return s.engine.SetDeskCategory(c.Request().Context(), n, r.Number, cat, a)
}
