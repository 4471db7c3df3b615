package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"langelis/announce"
	"langelis/queue"
)

// speech is the espeak-ng synthesizer, found on first use. It is shared by
// every Server in the process because its cache holds sentences, not state.
var speech = sync.OnceValue(announce.NewEspeak)

// handleAnnounce serves GET /api/v1/announce?number=A012&desk=3: the
// sentences for a call, so that the display page and the terminal board
// read a number the same way and the page can fall back to the browser's
// speech with the very same words.
func (s *Server) handleAnnounce(c echo.Context) error {
	number, desk, err := callParams(c)
	if err != nil {
		return err
	}
	a := announce.Announcement{Number: number, Desk: desk, Speech: speech().Available(), Items: []announce.Item{}}
	for _, lang := range s.spokenLanguages() {
		text, _ := announce.Text(lang, number, desk) // callParams checked what Text checks
		it := announce.Item{Lang: lang, Text: text}
		if a.Speech {
			q := url.Values{"number": {number}, "desk": {strconv.Itoa(desk)}, "lang": {lang}}
			it.Audio = "/api/v1/announce/speech.wav?" + q.Encode()
		}
		a.Items = append(a.Items, it)
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, a)
}

// handleSpeech serves GET /api/v1/announce/speech.wav?number=A012&desk=3&lang=lt:
// the sentence spoken by espeak-ng, or 503 when it is not installed, upon
// which the page falls back to the browser's speech.
func (s *Server) handleSpeech(c echo.Context) error {
	number, desk, err := callParams(c)
	if err != nil {
		return err
	}
	lang := c.QueryParam("lang")
	if lang == "" {
		lang = s.engine.Office().FirstLanguage()
	}
	spoken := false
	for _, l := range s.spokenLanguages() {
		spoken = spoken || l == lang
	}
	if !spoken {
		return queue.E(queue.EINVALID, "err.announce.lang", "langs", strings.Join(s.spokenLanguages(), ", "), "lang", queue.Clip(lang))
	}
	text, _ := announce.Text(lang, number, desk)
	wav, err := speech().WAV(c.Request().Context(), lang, text)
	if errors.Is(err, announce.ErrNoSpeech) {
		return queue.E(queue.EUNAVAILABLE, "err.announce.espeak")
	}
	if err != nil {
		return err
	}
	// The same call always sounds the same: let the browser keep it.
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, "audio/wav", wav)
}

// spokenLanguages are the office's first and second languages.
func (s *Server) spokenLanguages() []string {
	o := s.engine.Office()
	langs := []string{o.FirstLanguage()}
	if l := o.Second(); l != "" {
		langs = append(langs, l)
	}
	return langs
}

// callParams reads and checks ?number=A012&desk=3.
func callParams(c echo.Context) (string, int, error) {
	number := c.QueryParam("number")
	desk, err := strconv.Atoi(c.QueryParam("desk"))
	if err != nil || desk < 1 || desk > announce.MaxDesk {
		return "", 0, queue.E(queue.EINVALID, "err.announce.desk", "max", announce.MaxDesk)
	}
	if err := announce.Check(number, desk); err != nil {
		return "", 0, queue.E(queue.EINVALID, "err.announce.number", "number", queue.Clip(number))
	}
	return number, desk, nil
}
