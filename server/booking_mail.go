package server

import (
	"strings"

	"github.com/labstack/echo/v4"

	"langelis/i18n"
	"langelis/mail"
	"langelis/queue"
)

// mailBooking tells a booked visitor who gave an e-mail address what
// changed (made, moved, cancelled), with the updated calendar file, when
// the office sends e-mail (Config.Mail). It never holds the answer up and
// never fails the booking: the visitor has the code, the link and the
// calendar file whatever happens to the message.
func (s *Server) mailBooking(c echo.Context, bk queue.Booking, subjectKey string) {
	if s.cfg.Mail == nil {
		return
	}
	ct, ok, err := s.store.Contact(bk.Code)
	if err != nil || !ok || !strings.Contains(ct.Value, "@") {
		return
	}
	o := s.engine.Office()
	svc, _ := o.Service(bk.Service)
	loc := o.Location()
	from, until := o.CheckInWindow(bk)
	lang, base := bk.Lang, s.publicBase(c)
	lines := []string{
		svc.Name(lang) + ": " + bk.Slot.In(loc).Format("2006-01-02 15:04"),
		i18n.T(lang, "book.code") + ": " + queue.FormatCode(bk.Code),
	}
	if bk.Status.Holds() {
		lines = append(lines, i18n.T(lang, "book.checkin_hint", "from", from.In(loc).Format("15:04"), "until", until.In(loc).Format("15:04")))
	}
	lines = append(lines, i18n.T(lang, "book.link")+" "+base+"/b/"+bk.Code)
	m := mail.Message{To: ct.Value, Subject: i18n.T(lang, subjectKey, "number", bk.Number), Text: strings.Join(lines, "\r\n") + "\r\n",
		ICS: s.bookingICS(bk, lang, base)}
	sender := s.cfg.Mail
	go func() {
		if err := sender.Send(m); err != nil {
			s.log.Warn("server: booking e-mail not sent", "err", err)
		}
	}()
}
