package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"langelis/wire"
)

// A visitor who comes on the wrong day is told the booking's day as their
// language writes dates (i18n.Date): "02.12.2026" in Russian, "2 December
// 2026" in English, ISO in Lithuanian; never the one ISO form for all.
func TestRefusalWritesTheDayInTheVisitorsLanguage(t *testing.T) {
	s := newBookingTS(t)
	s.Clock.Set(s.At("10:00"))
	var bk wire.Booking
	if st := s.JSON("POST", "/api/v1/bookings", "", wire.BookRequest{Service: "A", Start: s.At("10:15").AddDate(0, 0, 1)}, &bk); st != http.StatusCreated {
		t.Fatalf("book: %d", st)
	}
	d := s.Day.AddDate(0, 0, 1)
	for lang, want := range map[string]string{
		"ru": d.Format("02.01.2006"), "bg": d.Format("02.01.2006"), "pl": d.Format("02.01.2006"), "uk": d.Format("02.01.2006"),
		"en": fmt.Sprintf("%d %s %d", d.Day(), d.Month(), d.Year()), "lt": d.Format("2006-01-02"),
	} {
		var e wire.ErrorBody
		st := s.JSON("POST", "/api/v1/bookings/"+bk.Code+"/check-in", "", wire.CheckInRequest{Lang: lang}, &e)
		if st != http.StatusConflict || !strings.Contains(e.Error.Message, want) {
			t.Errorf("%s: %d %q, want the day %q", lang, st, e.Error.Message, want)
		}
	}
}
