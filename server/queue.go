package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// handleOffice serves GET /api/v1/office: the definition the pages build
// their buttons from.
func (s *Server) handleOffice(c echo.Context) error {
	o := s.engine.Office()
	h := hoursAt(o, s.clock.Now())
	body := wire.Office{Office: o, Now: h.Now, OpenNow: h.OpenNow, NextOpening: h.NextOpening, Today: h.Today, Languages: o.Languages}
	return c.JSON(http.StatusOK, body)
}

// handleQueue serves GET /api/v1/queue: the public snapshot, or the full
// one for signed-in staff.
func (s *Server) handleQueue(c echo.Context) error {
	snap, err := s.engine.Snapshot(c.Request().Context())
	if err != nil {
		return err
	}
	if u, _ := s.userFrom(c); u != nil && (u.Role == queue.RoleClerk || u.Role == queue.RoleAdmin) {
		return c.JSON(http.StatusOK, snap)
	}
	return c.JSON(http.StatusOK, snap.Public())
}
