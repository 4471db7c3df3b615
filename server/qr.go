package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	qrcode "github.com/skip2/go-qrcode"

	"langelis/ticketpdf"
)

// handleTicketQR serves GET /api/v1/tickets/:id/qr.svg: the QR code of the
// ticket's status page as an SVG, for a screen to show when the paper
// ticket could not be printed, and for the phone page.
func (s *Server) handleTicketQR(c echo.Context) error {
	t, err := s.engine.Ticket(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	q, err := qrcode.New(s.publicBase(c)+"/t/"+t.ID, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("server: qr: %w", err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "image/svg+xml", qrSVG(q.Bitmap()))
}

// qrSVG draws a QR bitmap (quiet zone included) as one SVG path, one
// rectangle per run of dark modules.
func qrSVG(bm [][]bool) []byte {
	var b strings.Builder
	n := len(bm)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	ticketpdf.EachRun(bm, func(x, y, w int) { fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, w, w) })
	b.WriteString(`"/></svg>`)
	return []byte(b.String())
}
