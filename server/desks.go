package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// handleDeskAction serves POST /api/v1/desks/:desk/:action. The signed-in
// clerk must hold the desk (open takes it).
func (s *Server) handleDeskAction(c echo.Context) error {
	n, err := deskParam(c)
	if err != nil {
		return err
	}
	action := c.Param("action")
	if _, ok := deskActions[action]; !ok {
		return queue.E(queue.ENOTFOUND, "err.desk.action", "action", queue.Clip(action))
	}
	u, err := s.requireRole(c, queue.RoleClerk, queue.RoleAdmin)
	if err != nil {
		return err
	}
	var req wire.DeskRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	a := queue.Actor{User: u.Username, Name: u.Name}
	res, err := deskActions[action](s, c, n, req, a)
	if err != nil {
		return err
	}
	if action == "next" && res.Ticket == nil {
		return c.NoContent(http.StatusNoContent)
	}
	return c.JSON(http.StatusOK, res)
}

type deskAction func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error)

var deskActions = map[string]deskAction{
	"next": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		return s.engine.Next(c.Request().Context(), n, a)
	},
	"call": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		if r.Number == "" {
			return queue.DeskResult{}, queue.E(queue.EINVALID, "err.desk.call_number")
		}
		return s.engine.CallNumber(c.Request().Context(), n, r.Number, a)
	},
	"recall": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		return s.engine.Recall(c.Request().Context(), n, a)
	},
	"start": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		return s.engine.Start(c.Request().Context(), n, a)
	},
	"finish": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		return s.engine.Finish(c.Request().Context(), n, a)
	},
	"no-show": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		return s.engine.NoShowTicket(c.Request().Context(), n, a)
	},
	"return": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		return s.engine.Return(c.Request().Context(), n, a)
	},
	"transfer": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		return s.engine.Transfer(c.Request().Context(), n, r.Service, r.Desk, a)
	},
	"refuse": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		return s.engine.Refuse(c.Request().Context(), n, r.Reason, a)
	},
	"pause": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		return s.engine.Pause(c.Request().Context(), n, r.Reason, a)
	},
	"resume": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		return s.engine.Resume(c.Request().Context(), n, a)
	},
	"open": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		return s.engine.OpenDesk(c.Request().Context(), n, a)
	},
	"stay": stayAction,
	"close": func(s *Server, c echo.Context, n int, r wire.DeskRequest, a queue.Actor) (queue.DeskResult, error) {
		return s.engine.CloseDesk(c.Request().Context(), n, queue.CloseMode(r.Ticket), a)
	},
}
