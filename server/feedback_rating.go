package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// handleRate serves POST /api/v1/tickets/:id/rating: the answer after
// service from the ticket's status page. The token is the authority; the
// engine refuses a second answer, a ticket not served, a face off the
// scale and a comment too long, and changes nothing then.
func (s *Server) handleRate(c echo.Context) error {
	var req wire.RatingRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	t, err := s.engine.Rate(c.Request().Context(), c.Param("id"), queue.Rating{Face: req.Face, Comment: req.Comment},
		queue.Actor{User: "visitor"})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, wire.RatingResponse{Number: t.Number, Rated: t.Rated})
}

// handleDeskRate serves POST /api/v1/feedback/desk/:n/rating: the answer
// given on the tablet beside desk n, which must be signed in with a kiosk
// account (or an admin's, to try it), so a stranger cannot answer for a
// desk. Only the ticket that desk served can be rated there.
func (s *Server) handleDeskRate(c echo.Context) error {
	u, err := s.requireRole(c, queue.RoleKiosk, queue.RoleAdmin)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil {
		return queue.E(queue.ENOTFOUND, "err.desk.unknown", "desk", queue.Clip(c.Param("n")))
	}
	var req wire.DeskRatingRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	t, err := s.engine.RateAtDesk(c.Request().Context(), n, req.Number, queue.Rating{Face: req.Face, Comment: req.Comment},
		queue.Actor{User: "kiosk:" + u.Username, Name: u.Name})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, wire.RatingResponse{Number: t.Number, Rated: t.Rated})
}
