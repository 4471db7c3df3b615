package server

import (
	"github.com/labstack/echo/v4"

	"langelis/queue"
)

// handleMetrics serves GET /metrics to admins: the Prometheus metrics of
// package metrics. A Prometheus server scrapes them better on the internal
// listener (langelis serve --metrics-addr), which asks for no sign-in.
func (s *Server) handleMetrics(c echo.Context) error {
	if s.cfg.Metrics == nil {
		return queue.E(queue.ENOTFOUND, "err.http.404")
	}
	if _, err := s.requireRole(c, queue.RoleAdmin); err != nil {
		return err
	}
	s.cfg.Metrics.ServeHTTP(c.Response(), c.Request())
	return nil
}
