package announce

// Announcement is what the hall hears for one call, as GET /api/v1/announce
// answers: a sentence per spoken language, Lithuanian first, then the
// office's second language.
type Announcement struct {
	Number string `json:"number"`
	Desk   int    `json:"desk"`
	Speech bool   `json:"speech"` // the server can speak (espeak-ng is installed)
	Items  []Item `json:"items"`
}

// Item is one language's sentence and, when the server can speak, the
// address of its WAV audio.
type Item struct {
	Lang  string `json:"lang"`
	Text  string `json:"text"`
	Audio string `json:"audio,omitempty"`
}
