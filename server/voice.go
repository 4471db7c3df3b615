package server

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/announce"
	"langelis/i18n"
	"langelis/queue"
	"langelis/wire"
)

// The kiosk's voice mode (docs/voice.md). The kiosk asks for a sentence by
// what it is: a key of its own translations and the values of the key's
// placeholders, each of a fixed kind (a count, a time of day, a ticket
// number, a service letter, when the office opens again, a character of a
// booking code). The server composes the words from its translation files
// and office and speaks them with the same espeak-ng and cache as the
// hall's calls. Nothing a caller sends is spoken as it was sent, so the
// route cannot be made to say an insult in the hall or to synthesize
// arbitrary text; only kiosks and admins may ask, and never on the public
// listener.

// voiceKeys are the prefixes of the keys a kiosk may have spoken: what the
// kiosk's visitor reads, and the voice mode's own words.
var voiceKeys = []string{"voice.", "kiosk.", "eod.kiosk.", "eod.banner", "ticket.ahead", "ticket.estimate",
	"ticket.no_desk", "ticket.not_yet_opened", "priority.note", "lang.name"}

// voicePeopleKeys are the prefixes of the keys whose {n} counts people
// (who is ahead, the hall's clients): Bulgarian says "двама души" but
// "два знака", so any other count (the booking code's characters) keeps
// the plain form.
var voicePeopleKeys = []string{"ticket.ahead", "eod."}

// maxVoiceKey bounds a key: the longest real one is far shorter.
const maxVoiceKey = 64

var (
	hhmmRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	dayRE  = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`)
	// placeholderRE finds the placeholders a composed text still has.
	placeholderRE = regexp.MustCompile(`\{(\w+)\}`)
)

// voiceCounts, voiceTimes and voiceNumbers name the values of each kind.
var (
	voiceCounts  = []string{"n", "lo", "hi", "pct", "seconds"}
	voiceTimes   = []string{"time", "closing", "from", "to"}
	voiceNumbers = []string{"number", "last"}
	voiceWhens   = []string{"when", "next"}
	voiceOther   = []string{"key", "lang", "service", "day", "char"}
)

// handleVoice serves GET /api/v1/voice?key=…&lang=…: the sentence's words
// and, when the server can speak, the address of its audio.
func (s *Server) handleVoice(c echo.Context) error {
	lang, text, err := s.voiceSentence(c)
	if err != nil {
		return err
	}
	v := wire.VoiceSentence{Lang: lang, Text: text, Speech: speech().Available()}
	if v.Speech {
		v.Audio = "/api/v1/voice/speech.wav?" + c.QueryParams().Encode()
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, v)
}

// handleVoiceWAV serves GET /api/v1/voice/speech.wav?key=…&lang=…: the
// sentence spoken by espeak-ng, or 503 when it is not installed, upon
// which the kiosk speaks the words with the browser's voice.
func (s *Server) handleVoiceWAV(c echo.Context) error {
	lang, text, err := s.voiceSentence(c)
	if err != nil {
		return err
	}
	wav, err := speech().WAV(c.Request().Context(), lang, text)
	if errors.Is(err, announce.ErrNoSpeech) {
		return queue.E(queue.EUNAVAILABLE, "err.voice.espeak")
	}
	if err != nil {
		return err
	}
	// The same words always sound the same; the words of "3 people ahead"
	// change with the queue, and so does the address that asks for them.
	c.Response().Header().Set("Cache-Control", "private, max-age=86400")
	return c.Blob(http.StatusOK, "audio/wav", wav)
}

// voiceAllowed lets a kiosk ask: a computer on the kiosk network (the
// kiosk page, whoever is signed in there), a kiosk's account, or an admin
// trying the voice out. Anyone else is told to sign in (401) or that the
// voice is the kiosk's (403).
func (s *Server) voiceAllowed(c echo.Context) error {
	// On the kiosk network whoever is signed in: a clerk's session left in
	// the kiosk's browser must not silence the kiosk.
	if s.onKioskNet(c) {
		return nil
	}
	_, err := s.requireRole(c, queue.RoleKiosk, queue.RoleAdmin)
	return err
}

// voiceSentence checks the request and composes its sentence: the
// language and the words.
func (s *Server) voiceSentence(c echo.Context) (string, string, error) {
	if err := s.voiceAllowed(c); err != nil {
		return "", "", err
	}
	o := s.engine.Office()
	q := c.QueryParams()
	langs := o.Languages
	if len(langs) == 0 {
		langs = queue.Languages
	}
	lang := q.Get("lang")
	if !slices.Contains(langs, lang) {
		return "", "", queue.E(queue.EINVALID, "err.voice.lang", "lang", queue.Clip(lang), "langs", strings.Join(langs, ", "))
	}
	key := q.Get("key")
	if !voiceKey(key) {
		return "", "", queue.E(queue.EINVALID, "err.voice.key", "key", queue.Clip(key))
	}
	args, err := voiceArgs(q, key, lang, o)
	if err != nil {
		return "", "", err
	}
	text := i18n.T(lang, key, args...)
	if m := placeholderRE.FindStringSubmatch(text); m != nil {
		return "", "", queue.E(queue.EINVALID, "err.voice.missing", "key", key, "name", m[1])
	}
	return lang, text, nil
}

// voiceKey reports whether key names a text the kiosk may have spoken.
func voiceKey(key string) bool {
	if key == "" || len(key) > maxVoiceKey || strings.HasPrefix(key, "err.") {
		return false
	}
	ok := false
	for _, p := range voiceKeys {
		ok = ok || strings.HasPrefix(key, p)
	}
	return ok && i18n.T(i18n.Fallback, key) != key
}

// voiceArgs reads the placeholders' values, each checked by its kind and
// turned into words of lang: a count spelt as lang says it (which also
// picks the plural form), a ticket number as a call reads it, a service's
// name as the office gives it.
func voiceArgs(q url.Values, key, lang string, o *queue.Office) ([]any, error) {
	people := slices.ContainsFunc(voicePeopleKeys, func(p string) bool { return strings.HasPrefix(key, p) })
	var args []any
	for name, vs := range q {
		v := vs[0]
		bad := func() error {
			return queue.E(queue.EINVALID, "err.voice.value", "name", name, "value", queue.Clip(v))
		}
		switch {
		case slices.Contains(voiceOther, name) && name != "service" && name != "char":
			// key and lang are checked by the caller; day is read by "when"
		case slices.Contains(voiceCounts, name):
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 999999 {
				return nil, bad()
			}
			switch name {
			case "n": // the words of the count, and the plural form of its noun
				words := announce.Count(lang, n)
				if people {
					words = announce.People(lang, n)
				}
				args = append(args, "n", i18n.Spelt{N: n, Words: words})
			case "lo", "hi": // people after "from", "to" or "at most" (eod.banner.range, .upto)
				args = append(args, name, announce.PeopleFromTo(lang, n))
			default:
				args = append(args, name, announce.Count(lang, n))
			}
		case slices.Contains(voiceTimes, name):
			if !hhmmRE.MatchString(v) {
				return nil, bad()
			}
			args = append(args, name, v)
		case slices.Contains(voiceNumbers, name):
			said, err := announce.Spoken(lang, v)
			if err != nil {
				return nil, bad()
			}
			args = append(args, name, said)
		case name == "service":
			svc, ok := o.Service(v)
			if !ok {
				return nil, queue.E(queue.EINVALID, "err.voice.service", "service", queue.Clip(v))
			}
			args = append(args, name, svc.Name(lang))
		case name == "char":
			if len(v) != 1 || !strings.Contains(queue.CodeAlphabet, v) {
				return nil, bad()
			}
			args = append(args, name, announce.Character(lang, v[0]))
		case slices.Contains(voiceWhens, name):
			when, err := voiceWhen(q, lang, v)
			if err != nil {
				return nil, err
			}
			args = append(args, name, when)
		default:
			return nil, queue.E(queue.EINVALID, "err.voice.param", "name", queue.Clip(name))
		}
	}
	return args, nil
}

// voiceWhen is when the office opens again, as the kiosk's closed notice
// says it: "rytoj 08:00", "в понедельник в 08:00", "12 December 08:00".
func voiceWhen(q url.Values, lang, key string) (string, error) {
	weekday := strings.HasPrefix(key, "when.weekday.") && len(key) == len("when.weekday.0") && key[len(key)-1] >= '0' && key[len(key)-1] <= '6'
	if key != "when.today" && key != "when.tomorrow" && key != "when.date" && !weekday {
		return "", queue.E(queue.EINVALID, "err.voice.value", "name", "when", "value", queue.Clip(key))
	}
	at := q.Get("time")
	if !hhmmRE.MatchString(at) {
		return "", queue.E(queue.EINVALID, "err.voice.value", "name", "time", "value", queue.Clip(at))
	}
	args := []any{"time", at, "at", ukAt(at)}
	if key == "when.date" {
		d, err := time.Parse(time.DateOnly, q.Get("day"))
		if !dayRE.MatchString(q.Get("day")) || err != nil {
			return "", queue.E(queue.EINVALID, "err.voice.value", "name", "day", "value", queue.Clip(q.Get("day")))
		}
		args = append(args, "date", i18n.T(lang, "voice.date."+strconv.Itoa(int(d.Month())), "d", strconv.Itoa(d.Day())))
	}
	return i18n.T(lang, key, args...), nil
}

// ukAt is the Ukrainian "at" before a time: "об" before a vowel (only
// eleven, "об одинадцятій", starts with one), else "о" (takeflow.js does
// the same on the screen).
func ukAt(hhmm string) string {
	if strings.HasPrefix(hhmm, "11") {
		return "об"
	}
	return "о"
}
