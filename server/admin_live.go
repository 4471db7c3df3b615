package server

import (
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"langelis/queue"
)

// The manager's live view (/admin/live): the desks, lines and cutoff come
// from the staff snapshot over the websocket, like the desk page's; this
// file adds what the snapshot does not hold (the day's figures, who is
// connected) and the manager's actions on the running hall.

// census counts the hub's whole-hall streams by kind; the hub changes it
// under stationsMu as clients join and leave.
type census struct {
	staff, screens, others int
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
	// Kiosks are the kiosk stations (signed-in kiosk accounts: the ones
	// that print) by name, with how many connections each.
	Kiosks []KioskConn `json:"kiosks"`
}

// KioskConn is one kiosk station's connections.
type KioskConn struct {
	Name        string `json:"name"`
	Connections int    `json:"connections"`
}

// Connections returns who follows the hall live now.
func (h *Hub) Connections() Connections {
	h.stationsMu.Lock()
	defer h.stationsMu.Unlock()
	c := Connections{Staff: h.census.staff, Screens: h.census.screens, Others: h.census.others, Kiosks: []KioskConn{}}
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
