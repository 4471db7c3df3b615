package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// handlePrintFailed serves POST /api/v1/kiosks/:name/print-failed: the
// kiosk station could not print a ticket. The kiosk page hears it as a
// side-band "print_failed" message with the kiosk and the ticket number (no
// token: every screen hears it) and shows the ticket's QR code on screen.
func (s *Server) handlePrintFailed(c echo.Context) error {
	u, err := s.requireRole(c, queue.RoleKiosk, queue.RoleAdmin)
	if err != nil {
		return err
	}
	name := c.Param("name")
	if u.Role == queue.RoleKiosk && u.Username != name {
		return queue.E(queue.EFORBIDDEN, "err.kiosk.own_printer", "user", u.Username)
	}
	var req wire.PrintFailedRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.Ticket == "" {
		return queue.E(queue.EINVALID, "err.kiosk.say_ticket")
	}
	t, err := s.engine.Ticket(c.Request().Context(), req.Ticket)
	if err != nil {
		return err
	}
	if t.Kiosk != name {
		return queue.E(queue.ECONFLICT, "err.kiosk.not_issued", "number", t.Number, "kiosk", name)
	}
	if len(req.Reason) > 500 { // cut on a character, not inside one
		req.Reason = strings.ToValidUTF8(req.Reason[:500], "")
	}
	s.log.Warn("server: kiosk printer failed", "kiosk", name, "ticket", t.Number, "reason", req.Reason)
	s.hub.Side(wire.PrintFailed{Kiosk: name, Number: t.Number})
	return c.NoContent(http.StatusNoContent)
}
