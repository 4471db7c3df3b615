package server

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// The webhooks' admin endpoints (/admin/webhooks): package webhook runs
// the hooks; package app hands them to the server.

// Webhooks is what the admin endpoints manage: package webhook's Hooks.
type Webhooks interface {
	List() []wire.Webhook
	Add(req wire.AddWebhookRequest, actor string) (wire.Webhook, string, error)
	Remove(id, actor string) error
	Test(ctx context.Context, id string) (wire.WebhookTest, error)
}

func (s *Server) webhookRoutes(adm *echo.Group) {
	adm.GET("/webhooks", s.handleWebhooks, s.adminOnly)
	adm.POST("/webhooks", s.handleAddWebhook, s.adminOnly)
	adm.DELETE("/webhooks/:id", s.handleRemoveWebhook, s.adminOnly)
	adm.POST("/webhooks/:id/test", s.handleTestWebhook, s.adminOnly)
}

func (s *Server) hooks() (Webhooks, error) {
	if s.cfg.Webhooks == nil {
		return nil, queue.E(queue.EUNAVAILABLE, "err.webhook.off")
	}
	return s.cfg.Webhooks, nil
}

// handleWebhooks serves GET /api/v1/admin/webhooks.
func (s *Server) handleWebhooks(c echo.Context) error {
	h, err := s.hooks()
	if err != nil {
		return err
	}
	// Deliveries and their retries run on real time; the page shows the
	// office clock like every admin page, so each instant is moved by how
	// long ago it was.
	list, real, office := h.List(), time.Now(), s.clock.Now()
	onOffice := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return office.Add(t.Sub(real))
	}
	for i := range list {
		list[i].LastSuccess, list[i].LastErrorAt = onOffice(list[i].LastSuccess), onOffice(list[i].LastErrorAt)
	}
	return c.JSON(http.StatusOK, list)
}

// handleAddWebhook serves POST /api/v1/admin/webhooks.
func (s *Server) handleAddWebhook(c echo.Context) error {
	h, err := s.hooks()
	if err != nil {
		return err
	}
	u, err := s.requireRole(c, queue.RoleAdmin)
	if err != nil {
		return err
	}
	var req wire.AddWebhookRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	w, secret, err := h.Add(req, u.Username)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, wire.AddWebhookAnswer{Webhook: w, Secret: secret})
}

// handleRemoveWebhook serves DELETE /api/v1/admin/webhooks/:id.
func (s *Server) handleRemoveWebhook(c echo.Context) error {
	h, err := s.hooks()
	if err != nil {
		return err
	}
	u, err := s.requireRole(c, queue.RoleAdmin)
	if err != nil {
		return err
	}
	if err := h.Remove(c.Param("id"), u.Username); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handleTestWebhook serves POST /api/v1/admin/webhooks/:id/test.
func (s *Server) handleTestWebhook(c echo.Context) error {
	h, err := s.hooks()
	if err != nil {
		return err
	}
	r, err := h.Test(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}
