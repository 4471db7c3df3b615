package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// handlePreview serves GET /api/v1/tickets/preview?service=A&priority=none:
// where a new ticket would stand and whether it would be served today, so
// the kiosk can warn (or say it stopped issuing) before it issues.
func (s *Server) handlePreview(c echo.Context) error {
	svc := strings.ToUpper(strings.TrimSpace(c.QueryParam("service")))
	if svc == "" {
		return queue.Errorf(queue.EINVALID, "Choose a service (query parameter \"service\", e.g. \"A\").")
	}
	cat, err := parsePriority(c.QueryParam("priority"))
	if err != nil {
		return err
	}
	p, err := s.engine.Preview(c.Request().Context(), svc, cat)
	if err != nil {
		return err
	}
	body := wire.Preview{Preview: p}
	if !p.Open {
		if next, ok := s.engine.Office().NextOpening(s.clock.Now()); ok {
			body.NextOpening = &next
		}
	}
	return c.JSON(http.StatusOK, body)
}
