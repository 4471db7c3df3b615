package server

import (
	"context"
	"net/http"

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
	// package webhook stamps its times on the office clock it was given
	return c.JSON(http.StatusOK, h.List())
}

// handleAddWebhook serves POST /api/v1/admin/webhooks.
func (s *Server) handleAddWebhook(c echo.Context) error {
	h, err := s.hooks()
	if err != nil {
		return err
	}
	u, _ := s.userFrom(c) // the group's adminOnly let only an admin in
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
	u, _ := s.userFrom(c) // the group's adminOnly let only an admin in
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
