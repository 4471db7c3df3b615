package server

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	qrcode "github.com/skip2/go-qrcode"

	"langelis/i18n"
	"langelis/queue"
	"langelis/wire"
)

// handleBookingQR serves the QR code of the booking's code, for the kiosk's
// camera (when it has one) and for the visitor's own records.
func (s *Server) handleBookingQR(c echo.Context) error {
	code, err := s.bookingCode(c)
	if err != nil {
		return err
	}
	bk, err := s.engine.FindBooking(c.Request().Context(), code)
	if err != nil {
		return err
	}
	q, err := qrcode.New(bk.Code, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("server: qr: %w", err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "image/svg+xml", qrSVG(q.Bitmap()))
}

// handleBookingICS serves the booking as an iCalendar file. Moving or
// cancelling the booking gives a new file with the same UID and a higher
// SEQUENCE, so a calendar that imports it again updates the event.
func (s *Server) handleBookingICS(c echo.Context) error {
	code, err := s.bookingCode(c)
	if err != nil {
		return err
	}
	bk, err := s.engine.FindBooking(c.Request().Context(), code)
	if err != nil {
		return err
	}
	lang := c.QueryParam("lang")
	if !queue.ValidLanguage(lang) {
		lang = bk.Lang
	}
	ics := s.bookingICS(bk, lang, s.publicBase(c))
	c.Response().Header().Set("Content-Disposition", `attachment; filename="langelis-`+bk.Code+`.ics"`)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", ics)
}

// bookingICS is bk as an iCalendar file in lang; base is the server's
// public address, for the booking's link.
func (s *Server) bookingICS(bk queue.Booking, lang, base string) []byte {
	o := s.engine.Office()
	svc, _ := o.Service(bk.Service)
	from, until := o.CheckInWindow(bk)
	loc := o.Location()
	name := o.Name
	if n := o.Names[lang]; n != "" {
		name = n
	}
	status := "CONFIRMED"
	if !bk.Status.Holds() {
		status = "CANCELLED"
	}
	now := s.real.Now().UTC()
	desc := i18n.T(lang, "book.ics.description", "code", queue.FormatCode(bk.Code),
		"from", from.In(loc).Format("15:04"), "until", until.In(loc).Format("15:04"))
	lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Langelis//Booking//EN", "METHOD:PUBLISH", "BEGIN:VEVENT",
		"UID:" + bk.Code + "@langelis",
		"DTSTAMP:" + icsTime(now),
		// SEQUENCE only has to grow from one version to the next: the
		// minutes since 2020 at download do, whatever changed.
		fmt.Sprintf("SEQUENCE:%d", int(now.Sub(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)).Minutes())),
		"DTSTART:" + icsTime(bk.Slot), "DTEND:" + icsTime(bk.End),
		"SUMMARY:" + icsText(svc.Name(lang)+" — "+name),
		"DESCRIPTION:" + icsText(desc),
		"URL:" + base + "/b/" + bk.Code,
		"STATUS:" + status, "END:VEVENT", "END:VCALENDAR"}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(icsFold(l))
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icsText escapes a TEXT value (RFC 5545 3.3.11).
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// icsFold folds a content line at 75 octets without splitting a UTF-8
// character (RFC 5545 3.1).
func icsFold(l string) string {
	var b strings.Builder
	n := 0
	for _, r := range l {
		w := len(string(r))
		if n+w > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += w
	}
	return b.String()
}

// staffBooking is bk as staff see it.
func (s *Server) staffBooking(bk queue.Booking) wire.StaffBooking {
	_, has, _ := s.store.Contact(bk.Code)
	return wire.StaffBooking{Code: bk.Code, Service: bk.Service, Start: bk.Slot, End: bk.End, Status: string(bk.Status),
		Number: bk.Number, Contact: has}
}

// handleDeskBookings serves GET /api/v1/desks/{desk}/bookings: the next
// booked visits today for the services the desk serves: those still to
// check in, and those checked in whose ticket still waits. A booking whose
// ticket was called or ended is no longer the desk's to expect.
func (s *Server) handleDeskBookings(c echo.Context) error {
	n, err := deskParam(c)
	if err != nil {
		return err
	}
	if _, err := s.requireRole(c, queue.RoleClerk, queue.RoleAdmin); err != nil {
		return err
	}
	o := s.engine.Office()
	def, ok := o.DeskDef(n)
	if !ok {
		return queue.E(queue.ENOTFOUND, "err.desk.unknown", "desk", n)
	}
	list, err := s.engine.Expected(c.Request().Context(), def.Services, 12)
	if err != nil {
		return err
	}
	out := []wire.StaffBooking{}
	for _, bk := range list {
		out = append(out, s.staffBooking(bk))
	}
	return c.JSON(http.StatusOK, out)
}

// handleAdminBookings serves GET /api/v1/admin/bookings?day=: the day's
// slots and bookings of every bookable service, and every booking still
// ahead whose slot is no longer offered.
func (s *Server) handleAdminBookings(c echo.Context) error {
	o := s.engine.Office()
	dayText := c.QueryParam("day")
	if dayText == "" {
		dayText = o.Day(s.clock.Now())
	}
	day, err := s.officeDay(dayText)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	out := wire.BookingsDay{Day: dayText, Slots: []wire.StaffSlot{}, Bookings: []wire.StaffBooking{}, Stranded: []wire.StaffBooking{}}
	for _, svc := range o.Services {
		if svc.Booking == nil {
			continue
		}
		slots, err := s.engine.Slots(ctx, svc.Letter, day, true)
		if err != nil {
			return err
		}
		for _, sl := range slots {
			out.Slots = append(out.Slots, wire.StaffSlot{Service: sl.Service, Start: sl.Start, End: sl.End, Places: sl.Places,
				Taken: sl.Taken, Closed: sl.Closed})
		}
	}
	list, err := s.engine.BookingsOn(ctx, dayText)
	if err != nil {
		return err
	}
	for _, bk := range list {
		out.Bookings = append(out.Bookings, s.staffBooking(bk))
	}
	stranded, err := s.engine.Stranded(ctx)
	if err != nil {
		return err
	}
	for _, bk := range stranded {
		out.Stranded = append(out.Stranded, s.staffBooking(bk))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) handleAdminCancelBooking(c echo.Context) error {
	var req wire.CancelBookingRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	u, _ := s.userFrom(c)
	bk, err := s.cancelBooking(c, c.Param("code"), req.Reason, queue.Actor{User: u.Username})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.staffBooking(bk))
}

func (s *Server) handleAdminMoveBooking(c echo.Context) error {
	var req wire.MoveBookingRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	u, _ := s.userFrom(c)
	bk, err := s.moveBooking(c, queue.NormalizeCode(c.Param("code")), req.Start, queue.Actor{User: u.Username})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.staffBooking(bk))
}

func (s *Server) handleCloseSlot(c echo.Context) error {
	var req wire.SlotCloseRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	u, _ := s.userFrom(c)
	sl, err := s.engine.SetSlotClosed(c.Request().Context(), strings.ToUpper(strings.TrimSpace(req.Service)), req.Start, req.Closed,
		queue.Actor{User: u.Username})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, wire.StaffSlot{Service: sl.Service, Start: sl.Start, End: sl.End, Places: sl.Places,
		Taken: sl.Taken, Closed: sl.Closed})
}
