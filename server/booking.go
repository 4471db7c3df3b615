package server

import (
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/assets"
	"langelis/queue"
	"langelis/wire"
)

// The appointments' API (issue 17): the public booking page's days, slots
// and bookings; the kiosk's check-in; the desk's next booked visits; the
// manager's day of bookings. The rules are the engine's (queue/bookings.go);
// these handlers read requests, guard the public ones against guessing and
// floods, and write answers.

// bookingPerMinute bounds the public booking calls per address (an IPv6
// /64): booking, moving, cancelling, looking a code up, checking in. A
// person makes a handful; a guesser of codes (21^8 of them) gets nowhere.
const bookingPerMinute = 30

func (s *Server) bookingRoutes(api *echo.Group) {
	s.bookRate = newRateLimiter(bookingPerMinute)
	web, err := fs.Sub(assets.FS, "web")
	if err != nil {
		panic("server: embedded assets: " + err.Error())
	}
	api.GET("/booking/days", s.handleBookingDays)
	api.GET("/booking/slots", s.handleBookingSlots)
	api.POST("/bookings", s.handleBook)
	api.GET("/bookings/:code", s.handleGetBooking)
	api.POST("/bookings/:code/move", s.handleMoveBooking)
	api.POST("/bookings/:code/cancel", s.handleCancelBooking)
	api.GET("/bookings/:code/calendar.ics", s.handleBookingICS)
	api.GET("/bookings/:code/qr.svg", s.handleBookingQR)
	api.POST("/bookings/:code/check-in", s.handleCheckIn)
	api.GET("/desks/:desk/bookings", s.handleDeskBookings)
	api.GET("/admin/bookings", s.handleAdminBookings, s.adminOnly)
	api.POST("/admin/bookings/:code/cancel", s.handleAdminCancelBooking, s.adminOnly)
	api.POST("/admin/bookings/:code/move", s.handleAdminMoveBooking, s.adminOnly)
	api.POST("/admin/slots", s.handleCloseSlot, s.adminOnly)
	s.echo.GET("/book", s.page(web, "book.html"))
	s.echo.GET("/b/:code", s.page(web, "book.html"))
	s.echo.GET("/admin/bookings", s.adminPage(web, "admin-bookings.html"))
}

// guardBooking counts one public booking call against its address (or
// signed-in account) and refuses it past the limit.
func (s *Server) guardBooking(c echo.Context) error {
	key := "addr:" + addrKey(c.RealIP())
	if u, _ := s.userFrom(c); u != nil {
		key = "user:" + u.Username
	}
	now := s.real.Now()
	if _, wait := s.bookRate.take(now, key); wait > 0 {
		s.alarm.raise(now, "booking-rate", "server: booking calls refused: one address is making too many", "key", key)
		return queue.E(queue.ETOOMANY, "err.booking.rate", "n", int(wait.Seconds())+1)
	}
	return nil
}

// bookingView is bk as its visitor sees it.
func (s *Server) bookingView(bk queue.Booking) wire.Booking {
	o := s.engine.Office()
	svc, _ := o.Service(bk.Service)
	from, until := o.CheckInWindow(bk)
	base := "/api/v1/bookings/" + bk.Code
	return wire.Booking{Code: bk.Code, Display: queue.FormatCode(bk.Code), Service: bk.Service, ServiceName: svc.Name(bk.Lang),
		Start: bk.Slot, End: bk.End, Status: string(bk.Status), Lang: bk.Lang, CheckInFrom: from, CheckInUntil: until,
		Number: bk.Number, URL: "/b/" + bk.Code, ICSURL: base + "/calendar.ics", QRURL: base + "/qr.svg"}
}

func (s *Server) handleBookingDays(c echo.Context) error {
	letter := strings.ToUpper(strings.TrimSpace(c.QueryParam("service")))
	svc, ok := s.engine.Office().Service(letter)
	if !ok {
		return queue.E(queue.EINVALID, "err.service.unknown", "service", queue.Clip(letter))
	}
	if svc.Booking == nil {
		return queue.E(queue.EINVALID, "err.booking.not_bookable", "service", svc.Letter)
	}
	o := s.engine.Office()
	lt := s.clock.Now().In(o.Location())
	out := []wire.BookingDay{}
	for i := 0; i <= svc.Booking.DaysAhead; i++ {
		day := time.Date(lt.Year(), lt.Month(), lt.Day()+i, 12, 0, 0, 0, lt.Location())
		slots, err := s.engine.Slots(c.Request().Context(), letter, day, false)
		if err != nil {
			return err
		}
		if len(o.OpenIntervals(day)) == 0 {
			continue // a day the office is closed is not offered at all
		}
		open := false
		for _, sl := range slots {
			open = open || sl.Free() > 0
		}
		out = append(out, wire.BookingDay{Day: day.Format(time.DateOnly), Open: open})
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) handleBookingSlots(c echo.Context) error {
	letter := strings.ToUpper(strings.TrimSpace(c.QueryParam("service")))
	day, err := s.officeDay(c.QueryParam("day"))
	if err != nil {
		return err
	}
	slots, err := s.engine.Slots(c.Request().Context(), letter, day, false)
	if err != nil {
		return err
	}
	out := []wire.BookingSlot{}
	for _, sl := range slots {
		if sl.Free() > 0 {
			out = append(out, wire.BookingSlot{Start: sl.Start, End: sl.End})
		}
	}
	return c.JSON(http.StatusOK, out)
}

// officeDay reads a YYYY-MM-DD as noon of that day in the office's zone.
func (s *Server) officeDay(v string) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v), s.engine.Office().Location())
	if err != nil {
		return time.Time{}, queue.E(queue.EINVALID, "err.booking.day", "day", queue.Clip(v))
	}
	return d.Add(12 * time.Hour), nil
}

func (s *Server) handleBook(c echo.Context) error {
	var req wire.BookRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	contact, err := checkContact(req.Contact)
	if err != nil {
		return err
	}
	if err := s.guardBooking(c); err != nil {
		return err
	}
	bk, err := s.engine.Book(c.Request().Context(), queue.BookRequest{Service: strings.ToUpper(strings.TrimSpace(req.Service)),
		Slot: req.Start, Lang: req.Lang}, queue.Actor{User: "visitor"})
	if err != nil {
		return err
	}
	if contact != "" {
		if err := s.store.PutContact(bk.Code, contact, bk.Day(s.engine.Office())); err != nil {
			// The booking stands; only the contact is lost, and the visitor
			// still has the code, the link and the calendar file.
			s.log.Error("server: booking contact not kept", "err", err)
		}
	}
	s.mailBooking(c, bk, "book.done_title")
	return c.JSON(http.StatusCreated, s.bookingView(bk))
}

// checkContact reads an optional contact: an e-mail address or a phone
// number, nothing else, so that no free text reaches the store.
func checkContact(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	bad := queue.E(queue.EINVALID, "err.booking.contact")
	if len(v) > 254 {
		return "", bad
	}
	if at := strings.IndexByte(v, '@'); at > 0 {
		if strings.ContainsAny(v, " <>,;\"") || !strings.Contains(v[at:], ".") || strings.Count(v, "@") != 1 {
			return "", bad
		}
		return v, nil
	}
	digits := 0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return "", bad
		}
	}
	if digits < 7 || digits > 15 {
		return "", bad
	}
	return v, nil
}

// bookingCode reads the :code of a public call, after the rate limit.
func (s *Server) bookingCode(c echo.Context) (string, error) {
	if err := s.guardBooking(c); err != nil {
		return "", err
	}
	code := queue.NormalizeCode(c.Param("code"))
	if code == "" {
		return "", queue.E(queue.ENOTFOUND, "err.booking.unknown")
	}
	return code, nil
}

func (s *Server) handleGetBooking(c echo.Context) error {
	code, err := s.bookingCode(c)
	if err != nil {
		return err
	}
	bk, err := s.engine.FindBooking(c.Request().Context(), code)
	if queue.ErrorCode(err) == queue.ENOTFOUND {
		// The engine forgets a settled booking the day after its visit;
		// its visitor's link still says how it ended (until the bucket's
		// retention), rather than "unknown".
		if old, ok, serr := s.store.Booking(code); serr == nil && ok && old.Status != queue.Booked {
			bk, err = old, nil
		}
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.bookingView(bk))
}

func (s *Server) handleMoveBooking(c echo.Context) error {
	var req wire.MoveBookingRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	code, err := s.bookingCode(c)
	if err != nil {
		return err
	}
	bk, err := s.moveBooking(c, code, req.Start, queue.Actor{User: "visitor"})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.bookingView(bk))
}

// moveBooking moves the booking for the visitor (their link) or the
// office (/admin/bookings): its contact follows it to the new day, and
// the visitor is told when they left an address.
func (s *Server) moveBooking(c echo.Context, code string, start time.Time, a queue.Actor) (queue.Booking, error) {
	bk, err := s.engine.MoveBooking(c.Request().Context(), code, start, a)
	if err != nil {
		return queue.Booking{}, err
	}
	if ct, ok, _ := s.store.Contact(bk.Code); ok {
		if err := s.store.PutContact(bk.Code, ct.Value, bk.Day(s.engine.Office())); err != nil {
			s.log.Error("server: booking contact not moved", "err", err)
		}
	}
	s.mailBooking(c, bk, "book.moved")
	return bk, nil
}

func (s *Server) handleCancelBooking(c echo.Context) error {
	code, err := s.bookingCode(c)
	if err != nil {
		return err
	}
	bk, err := s.cancelBooking(c, code, "", queue.Actor{User: "visitor"})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.bookingView(bk))
}

// cancelBooking cancels the booking for the visitor or the office; the
// visitor is told when they left an address.
func (s *Server) cancelBooking(c echo.Context, code, reason string, a queue.Actor) (queue.Booking, error) {
	bk, err := s.engine.CancelBooking(c.Request().Context(), code, reason, a)
	if err != nil {
		return queue.Booking{}, err
	}
	s.mailBooking(c, bk, "book.status.cancelled")
	return bk, nil
}

// handleCheckIn serves POST /api/v1/bookings/{code}/check-in: the kiosk's
// "I have a booking", or a clerk for a visitor at the desk. A phone cannot
// check in from home: the visitor must be in the hall.
func (s *Server) handleCheckIn(c echo.Context) error {
	var req wire.CheckInRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	u, _ := s.userFrom(c)
	ch := queue.ChannelKiosk
	switch {
	case u != nil && (u.Role == queue.RoleClerk || u.Role == queue.RoleAdmin):
		ch, req.Kiosk = queue.ChannelDesk, ""
	case u != nil && u.Role == queue.RoleKiosk:
		req.Kiosk = u.Username
	case s.onKioskNet(c):
	default:
		return queue.E(queue.EFORBIDDEN, "err.booking.checkin_here")
	}
	if len(req.Kiosk) > 64 {
		return queue.E(queue.EINVALID, "err.kiosk.name_long")
	}
	code, err := s.bookingCode(c)
	if err != nil {
		return err
	}
	actor := actorForIssue(ch, req.Kiosk)
	if ch == queue.ChannelDesk {
		actor = u.Username
	}
	res, err := s.engine.CheckIn(c.Request().Context(), queue.CheckInRequest{Code: code, Lang: req.Lang, Channel: ch,
		Kiosk: req.Kiosk}, queue.Actor{User: actor})
	if err != nil {
		return err
	}
	p, err := s.engine.TicketPlaced(c.Request().Context(), res.Ticket.ID)
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
