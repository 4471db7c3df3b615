package server

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// Rating comments live in the journal only (queue/rating.go): the manager
// reads them here, on /admin/feedback, until the journal's purge.

// maxCommentDays bounds how far back GET /api/v1/admin/ratings reads: each
// day is a read of that day's whole journal.
const maxCommentDays = 62

// handleRatingComments serves GET /api/v1/admin/ratings?days=14 (admin).
func (s *Server) handleRatingComments(c echo.Context) error {
	days := 14
	if v := c.QueryParam("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxCommentDays {
			return queue.E(queue.EINVALID, "err.ratings.days", "max", maxCommentDays)
		}
		days = n
	}
	o := s.engine.Office()
	now := s.clock.Now().In(o.Location())
	since := o.Day(time.Date(now.Year(), now.Month(), now.Day()-(days-1), 12, 0, 0, 0, o.Location()))
	all, err := s.store.Days()
	if err != nil {
		return err
	}
	out := wire.RatingComments{Since: since, Comments: []wire.RatingComment{}}
	for _, day := range all {
		if day < since {
			continue
		}
		evs, err := s.store.DayEvents(day)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if ev.Type != queue.TicketRated || ev.Rating == nil || ev.Rating.Comment == "" || ev.Ticket == nil {
				continue
			}
			out.Comments = append(out.Comments, wire.RatingComment{At: ev.At, Number: ev.Ticket.Number, Service: ev.Ticket.Service,
				Desk: ev.Ticket.Desk, Face: ev.Rating.Face, Via: ev.Rating.Via, Comment: ev.Rating.Comment})
		}
	}
	slices.Reverse(out.Comments) // the journal is in order: newest first
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}
