package server

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"langelis/ticketpdf"
)

// handleTicketPDF serves GET /api/v1/tickets/:id/pdf, the printable 80 mm
// ticket. The id is the ticket's token, so only its holder (or the kiosk
// that issued it) can fetch it.
func (s *Server) handleTicketPDF(c echo.Context) error {
	ctx := c.Request().Context()
	p, err := s.engine.TicketPlaced(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	t := p.Ticket
	o := s.engine.Office()
	loc := o.Location()
	svc, _ := o.Service(t.Service)
	name := o.Name
	if n := o.Names[t.Lang]; n != "" {
		name = n
	}
	tk := ticketpdf.Ticket{Office: name, Number: t.Number, Service: svc.Name(t.Lang), Lang: t.Lang,
		IssuedAt: t.IssuedAt.In(loc), Priority: t.Category.IsPriority(), StatusURL: s.publicBase(c) + "/t/" + t.ID}
	if pl := p.Place; pl != nil {
		ahead := pl.Ahead
		tk.Ahead = &ahead
		tk.NoDesk = pl.OpenDesks == 0
		tk.NotYetOpened = pl.NotYetOpened
		if !pl.CallAt.IsZero() && !tk.NoDesk {
			at := pl.CallAt.In(loc)
			tk.EstimateAt = &at
		}
	}
	var buf bytes.Buffer
	if err := ticketpdf.Render(&buf, tk); err != nil {
		return fmt.Errorf("server: ticket pdf: %w", err)
	}
	c.Response().Header().Set("Content-Disposition", `inline; filename="`+ticketpdf.Filename(t.Number)+`"`)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "application/pdf", buf.Bytes())
}
