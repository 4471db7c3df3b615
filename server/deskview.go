package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"langelis/queue"
)

// upcomingShown is how many of the desk's next numbers its clerk sees.
const upcomingShown = 5

func deskParam(c echo.Context) (int, error) {
	n, err := strconv.Atoi(c.Param("desk"))
	if err != nil || n <= 0 {
		return 0, queue.E(queue.EINVALID, "err.desk.number")
	}
	return n, nil
}

// handleDeskView serves GET /api/v1/desks/:desk: the desk as its clerk's
// screen shows it (held ticket and its wait, the line for its services, the
// numbers it would call next, served count and mean service time today).
func (s *Server) handleDeskView(c echo.Context) error {
	n, err := deskParam(c)
	if err != nil {
		return err
	}
	if _, err := s.requireRole(c, queue.RoleClerk, queue.RoleAdmin); err != nil {
		return err
	}
	v, err := s.engine.DeskView(c.Request().Context(), n, upcomingShown)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// handleForceClose serves POST /api/v1/admin/desks/:desk/close: an admin
// closes a desk whoever holds it (a clerk who left without closing). Its
// called ticket and any ticket in service go back to the queue.
func (s *Server) handleForceClose(c echo.Context) error {
	n, err := deskParam(c)
	if err != nil {
		return err
	}
	u, err := s.requireRole(c, queue.RoleAdmin)
	if err != nil {
		return err
	}
	before := ""
	if desks, err := s.engine.Desks(c.Request().Context()); err == nil {
		for _, d := range desks {
			if d.Number == n {
				before = d.Clerk
			}
		}
	}
	res, err := s.engine.ForceClose(c.Request().Context(), n, queue.Actor{User: u.Username, Name: u.Name})
	if err != nil {
		return err
	}
	if err := s.record(u.Username, "desk.force_closed", "desk "+strconv.Itoa(n), map[string]string{"clerk": before}, nil); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
