package server

import (
	"github.com/labstack/echo/v4"

	"langelis/queue"
)

// handleTicketPDF serves GET /api/v1/tickets/:id/pdf.
func (s *Server) handleTicketPDF(c echo.Context) error {
	if _, err := s.engine.Ticket(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return queue.Errorf(queue.EUNAVAILABLE, "Printable tickets are not available yet.")
}
