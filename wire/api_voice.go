package wire

import "net/http"

// The kiosk's voice mode (docs/voice.md): the kiosk asks for a sentence by
// what it is, never by its words, and the server composes it from its own
// translation files and office, so no caller can make the hall's speaker
// (or the server's CPU) say anything else.

// VoiceSentence is one sentence the kiosk speaks in voice mode: its words
// (shown in the kiosk's spoken-words log and given to the browser's voice
// when the server cannot speak) and, when espeak-ng is installed, the
// address of its audio.
type VoiceSentence struct {
	Lang   string `json:"lang"`
	Text   string `json:"text"`
	Speech bool   `json:"speech"`          // the server can speak (espeak-ng is installed)
	Audio  string `json:"audio,omitempty"` // GET this for the WAV
}

// voiceParams are what a sentence is made of: the key of a kiosk text and
// the values its placeholders take, each of a fixed kind.
var voiceParams = []Param{
	QueryParam("key", "kiosk.choose_service", "the text: a key of the kiosk's translations (kiosk.*, voice.*, eod.kiosk.*, eod.banner*, ticket.ahead*, ticket.estimate, ticket.no_desk, ticket.not_yet_opened, priority.note, lang.name)"),
	QueryParam("lang", "lt", "the language to speak, one of the office's"),
	QueryParam("n", "", "a count (also lo, hi, pct, seconds): 0 to 999999, spoken as a number in lang"),
	QueryParam("number", "", "a ticket number such as A012 (also last), spoken as people say it"),
	QueryParam("service", "", "a service's letter: its name as the office names it"),
	QueryParam("time", "", "a time of day HH:MM (also closing, from, to)"),
	QueryParam("when", "", "when the office opens again: when.today, when.tomorrow, when.weekday.0-6 or when.date (with time and day); also next"),
	QueryParam("day", "", "a date YYYY-MM-DD, for when.date"),
	QueryParam("char", "", "one character of a booking code"),
}

var _ = describe(
	Operation{Method: "GET", Path: "/api/v1/voice", Tag: "kiosk", Auth: "kiosk (a kiosk account, an admin, or a computer on --kiosk-net)",
		Summary: "A sentence of the kiosk's voice mode, composed by the server", Params: voiceParams, Response: VoiceSentence{},
		Errors: []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden}},
	Operation{Method: "GET", Path: "/api/v1/voice/speech.wav", Tag: "kiosk", Auth: "kiosk (a kiosk account, an admin, or a computer on --kiosk-net)",
		Summary: "The sentence spoken by espeak-ng (503 without it: the kiosk uses the browser's voice)", Params: voiceParams,
		Response: Content{Type: "audio/wav", Description: "the sentence"},
		Errors:   []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusServiceUnavailable}},
)
