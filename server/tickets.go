package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"langelis/priority"
	"langelis/queue"
	"langelis/wire"
)

// ticketResponse is t as its holder sees it, with its place under the
// office's policy when it waits (pl may be nil).
func (s *Server) ticketResponse(t queue.Ticket, pl *queue.Place) wire.Ticket {
	svc, _ := s.engine.Office().Service(t.Service)
	r := wire.Ticket{ID: t.ID, Number: t.Number, Service: t.Service, ServiceName: svc.Name(t.Lang),
		Status: t.Status, Priority: t.Category, Lang: t.Lang, Desk: t.Desk, IssuedAt: t.IssuedAt, CalledAt: t.CalledAt,
		Rated: t.Rated, RecalledAt: t.RecalledAt, StatusURL: "/t/" + t.ID, PDFURL: "/api/v1/tickets/" + t.ID + "/pdf"}
	if pl != nil && t.Status == queue.Waiting {
		ahead := pl.Ahead
		r.Ahead = &ahead
		if !pl.CallAt.IsZero() {
			at := pl.CallAt
			r.EstimatedCallAt = &at
		}
		r.ServedToday = pl.Today
		r.BeyondCutoff = pl.Today != nil && !*pl.Today
		r.EstimatedCallRange, r.ServedTodayProbability = pl.Range, pl.PToday
		open := pl.OpenDesks
		r.OpenDesks = &open
		r.DesksNotYetOpened = pl.NotYetOpened
	}
	return r
}

func (s *Server) handleIssue(c echo.Context) error {
	var req wire.IssueRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	req.Service = strings.ToUpper(strings.TrimSpace(req.Service))
	if req.Service == "" {
		return queue.E(queue.EINVALID, "err.ticket.choose_service")
	}
	cat, err := parsePriority(req.Priority)
	if err != nil {
		return err
	}
	ch := queue.Channel(req.Channel)
	switch ch {
	case "", queue.ChannelKiosk, queue.ChannelPhone, queue.ChannelAPI:
	default:
		return queue.E(queue.EINVALID, "err.ticket.channel")
	}
	if len(req.Kiosk) > 64 {
		return queue.E(queue.EINVALID, "err.kiosk.name_long")
	}
	allowance, err := s.guardIssue(c, &req, &ch)
	if err != nil {
		return err
	}
	p, err := s.engine.IssuePlaced(c.Request().Context(), queue.IssueRequest{Service: req.Service, Category: cat,
		Channel: ch, Lang: req.Lang, Kiosk: req.Kiosk}, queue.Actor{User: actorForIssue(ch, req.Kiosk)})
	allowance.done(p.Ticket.ID, err)
	if err != nil {
		return err
	}
	r := s.ticketResponse(p.Ticket, p.Place)
	if ch == queue.ChannelKiosk {
		printing := req.Kiosk != "" && s.hub.StationConnected(req.Kiosk)
		r.Printing = &printing
	}
	return c.JSON(http.StatusCreated, r)
}

func actorForIssue(ch queue.Channel, kiosk string) string {
	if kiosk != "" {
		return "kiosk:" + kiosk
	}
	return "visitor"
}

// handleTicket serves GET /api/v1/tickets/:id, the status page's source.
// The id is the ticket's unguessable token.
func (s *Server) handleTicket(c echo.Context) error {
	p, err := s.engine.TicketPlaced(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.ticketResponse(p.Ticket, p.Place))
}

// handleCancel serves POST /api/v1/tickets/:id/cancel: the visitor gives
// up their place.
func (s *Server) handleCancel(c echo.Context) error {
	t, err := s.engine.Cancel(c.Request().Context(), c.Param("id"), queue.Actor{User: "visitor"})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.ticketResponse(t, nil))
}

// parsePriority reads a priority group from a request, with the one message
// every endpoint gives for a word it does not know.
func parsePriority(s string) (priority.Category, error) {
	c, err := priority.ParseCategory(s)
	if err != nil {
		return priority.None, queue.E(queue.EINVALID, "err.priority.unknown", "priority", queue.Clip(s))
	}
	return c, nil
}
