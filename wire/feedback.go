package wire

import "time"

// RatingRequest is the body of POST /api/v1/tickets/{id}/rating: the
// visitor's answer to the one question after service, a face from 1 (very
// unhappy) to 5 (very happy) and an optional comment. The ticket's token
// in the path is its only authority: no sign-in, no personal data.
type RatingRequest struct {
	Face    int    `json:"face"`
	Comment string `json:"comment,omitempty"`
	Lang    string `json:"lang,omitempty"` // the language of an error
}

// DeskRatingRequest is the body of POST /api/v1/feedback/desk/{n}/rating:
// the same answer given on the tablet beside desk n (signed in with a
// kiosk account) for the ticket that desk has just finished.
type DeskRatingRequest struct {
	Number  string `json:"number"`
	Face    int    `json:"face"`
	Comment string `json:"comment,omitempty"`
	Lang    string `json:"lang,omitempty"`
}

// RatingResponse answers a rating: the ticket number it was recorded for.
type RatingResponse struct {
	Number string `json:"number"`
	Rated  bool   `json:"rated"`
}

// FeedbackRequest is the body of POST /api/v1/feedback: a complaint, a
// suggestion or thanks from the public form. Ticket (a number of today)
// and Contact (whatever the visitor chooses to give for an answer) are
// optional.
type FeedbackRequest struct {
	Kind    string `json:"kind"` // complaint, suggestion, thanks
	Text    string `json:"text"`
	Ticket  string `json:"ticket,omitempty"`
	Contact string `json:"contact,omitempty"`
	Lang    string `json:"lang,omitempty"`
}

// FeedbackReceipt answers a registration: the number the visitor keeps.
type FeedbackReceipt struct {
	ID           string `json:"id"`
	Kind         string `json:"kind"`
	AnswerWithin int    `json:"answer_within_working_days"`
}

// FeedbackStatusRequest is the body of POST
// /api/v1/admin/feedback/{id}/status: the staff move a registration to
// registered, handling or answered, with a note.
type FeedbackStatusRequest struct {
	Status string `json:"status"`
	Note   string `json:"note,omitempty"`
}

// RatingComments answers GET /api/v1/admin/ratings: the comments visitors
// wrote with their answer after service, from the journal (where alone
// they are kept, until its purge), newest first.
type RatingComments struct {
	Since    string          `json:"since"` // the first office day read, YYYY-MM-DD
	Comments []RatingComment `json:"comments"`
}

// RatingComment is one comment with what the manager needs to act on it:
// when, the service and desk, and the face. Never the clerk: the daily
// figures count by desk, never per person.
type RatingComment struct {
	At      time.Time `json:"at"`
	Number  string    `json:"number"`
	Service string    `json:"service"`
	Desk    int       `json:"desk"`
	Face    int       `json:"face"`
	Via     string    `json:"via"` // phone or desk (the tablet beside it)
	Comment string    `json:"comment"`
}
