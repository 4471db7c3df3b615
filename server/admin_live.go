package server

import (
	"net/http"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// The manager's live view (/admin/live): the desks, lines and cutoff come
// from the staff snapshot over the websocket, like the desk page's; this
// file adds what the snapshot does not hold (the day's figures, who is
// connected) and the manager's actions on the running hall.

// census counts the hub's whole-hall streams by kind; the hub changes it
// under stationsMu as clients join and leave.
type census struct {
	staff, screens, others int
	tickets                int // ticket streams (a status page following its ticket)
}

func (c *census) count(cl *wsClient, d int) {
	switch {
	case cl.staff:
		c.staff += d
	case cl.kiosk != "":
		// counted by name in stations
	case cl.screen:
		c.screens += d
	default:
		c.others += d
	}
}

// Connections is who follows the hall live, as the manager sees it.
type Connections struct {
	Staff   int `json:"staff"`   // desk pages, desk programs and admin pages, signed in
	Screens int `json:"screens"` // displays, counter screens and kiosk pages on the kiosk network
	Others  int `json:"others"`  // whole-hall streams from elsewhere (a phone's take page)
	// Tickets are the ticket streams: status pages following one ticket.
	Tickets int `json:"tickets"`
	// Kiosks are the kiosk stations (signed-in kiosk accounts: the ones
	// that print) by name, with how many connections each.
	Kiosks []KioskConn `json:"kiosks"`
}

// KioskConn is one kiosk station's connections.
type KioskConn struct {
	Name        string `json:"name"`
	Connections int    `json:"connections"`
}

// ticketStream counts a ticket stream in (+1) or out (-1); the hub
// goroutine calls it.
func (h *Hub) ticketStream(d int) {
	h.stationsMu.Lock()
	h.census.tickets += d
	h.stationsMu.Unlock()
}

// Dropped returns how many slow clients the hub has dropped since it
// started (DESIGN.md invariant 5): each will reconnect and resync.
func (h *Hub) Dropped() uint64 { return h.dropped.Load() }

// Connections returns who follows the hall live now.
func (h *Hub) Connections() Connections {
	h.stationsMu.Lock()
	defer h.stationsMu.Unlock()
	c := Connections{Staff: h.census.staff, Screens: h.census.screens, Others: h.census.others,
		Tickets: h.census.tickets, Kiosks: []KioskConn{}}
	for name, n := range h.stations {
		c.Kiosks = append(c.Kiosks, KioskConn{Name: name, Connections: n})
	}
	sort.Slice(c.Kiosks, func(i, j int) bool { return c.Kiosks[i].Name < c.Kiosks[j].Name })
	return c
}

// LiveView answers GET /api/v1/admin/live.
type LiveView struct {
	Figures     queue.DayFigures `json:"figures"`
	Connections Connections      `json:"connections"`
}

// handleLive serves GET /api/v1/admin/live.
func (s *Server) handleLive(c echo.Context) error {
	if _, err := s.adminActor(c); err != nil {
		return err
	}
	f, err := s.engine.DayFigures(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, LiveView{Figures: f, Connections: s.hub.Connections()})
}

// record appends a change of the running hall to the change log.
func (s *Server) record(actor, kind, subject string, old, new any) error {
	return s.accounts.RecordChange(queue.Change{At: s.clock.Now(), Actor: actor, Kind: kind, Subject: subject,
		Effective: queue.EffectiveNow}, old, new)
}

// handlePauseService serves POST /api/v1/admin/services/:letter/pause:
// the desks skip the service until it is resumed or the day ends; its
// tickets keep their places.
func (s *Server) handlePauseService(c echo.Context) error {
	actor, err := s.adminActor(c)
	if err != nil {
		return err
	}
	var req wire.PauseServiceRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	p, err := s.engine.PauseService(c.Request().Context(), c.Param("letter"), req.Reason, queue.Actor{User: actor})
	if err != nil {
		return err
	}
	return s.serviceCallsChanged(c, actor, "service.paused", p)
}

// handleResumeService serves POST /api/v1/admin/services/:letter/resume.
func (s *Server) handleResumeService(c echo.Context) error {
	actor, err := s.adminActor(c)
	if err != nil {
		return err
	}
	p, err := s.engine.ResumeService(c.Request().Context(), c.Param("letter"), queue.Actor{User: actor})
	if err != nil {
		return err
	}
	return s.serviceCallsChanged(c, actor, "service.resumed", p)
}

func (s *Server) serviceCallsChanged(c echo.Context, actor, kind string, p queue.ServicePause) error {
	if err := s.record(actor, kind, "service "+p.Service, nil, map[string]string{"reason": p.Reason}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// handleDisplayMessage serves POST /api/v1/admin/display-message: a short
// message on the hall display until a time of day today (office clock).
func (s *Server) handleDisplayMessage(c echo.Context) error {
	actor, err := s.adminActor(c)
	if err != nil {
		return err
	}
	var req wire.DisplayMessageRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	now := s.clock.Now().In(s.engine.Office().Location())
	at, err := time.ParseInLocation("15:04", req.Until, now.Location())
	if err != nil {
		return queue.E(queue.EINVALID, "err.message.until")
	}
	until := time.Date(now.Year(), now.Month(), now.Day(), at.Hour(), at.Minute(), 0, 0, now.Location())
	m, err := s.engine.SetHallMessage(c.Request().Context(), queue.HallMessage{Text: req.Text, Until: until},
		queue.Actor{User: actor})
	if err != nil {
		return err
	}
	if err := s.record(actor, "display.message", "hall display", nil, m); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

// handleClearDisplayMessage serves DELETE /api/v1/admin/display-message.
func (s *Server) handleClearDisplayMessage(c echo.Context) error {
	actor, err := s.adminActor(c)
	if err != nil {
		return err
	}
	if _, err := s.engine.SetHallMessage(c.Request().Context(), queue.HallMessage{}, queue.Actor{User: actor}); err != nil {
		return err
	}
	if err := s.record(actor, "display.message", "hall display", nil, nil); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
