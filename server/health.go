package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/store"
	"langelis/wire"
)

// handleHealth serves GET /healthz: whether the office's latest commit
// reached the disk and whether the disk has room for the next ones, so a
// monitor hears of a full disk before a visitor is refused a ticket. It
// writes nothing, unless the store went a minute without a commit (see
// store.Health), so a flood of probes costs the hall nothing.
func (s *Server) handleHealth(c echo.Context) error {
	h := s.store.Health(s.real.Now())
	body := wire.Health{Status: healthStatus[h.Status], Problems: h.Problems, Store: &wire.StoreHealth{
		Schema: h.Schema, LastCommitOK: h.LastCommitOK, LastCommitAt: timeOrNil(h.LastCommitAt),
		LastError: h.LastError, LastErrorAt: timeOrNil(h.LastErrorAt),
		FreeBytes: h.FreeBytes, FileBytes: h.FileBytes, MinFreeBytes: h.MinFree, LowFreeBytes: h.LowFree,
		CompactPending: h.CompactPending,
	}}
	code := http.StatusOK
	if body.Status == wire.HealthUnavailable {
		code = http.StatusServiceUnavailable
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(code, body)
}

// healthStatus says the store's statuses in the contract's words.
var healthStatus = map[string]string{
	store.StatusOK:          wire.HealthOK,
	store.StatusDegraded:    wire.HealthDegraded,
	store.StatusUnavailable: wire.HealthUnavailable,
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
