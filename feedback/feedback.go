// Package feedback is the domain of complaints, suggestions and thanks
// (issue 16 item 4): what a visitor registers on the public form
// (/feedback), the registration number they keep, the statuses the staff
// move it through, and the office's answer target counted in working days
// of the office's own calendar.
//
// Langelis is the intake, not the register of record: the registrations
// are exported for the municipality's document system. What a visitor
// writes is free text and the contact is personal data, so both are kept
// only until FeedbackRetentionDays after the answer (Purge); the anonymous
// record (kind, dates, status) stays for the reports.
//
// The package is domain: it imports queue (errors, the office calendar)
// and the standard library only; package store keeps the entries.
package feedback

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"langelis/queue"
)

// Kind is what a visitor sends.
type Kind string

// The kinds of the form.
const (
	Complaint  Kind = "complaint"
	Suggestion Kind = "suggestion"
	Thanks     Kind = "thanks"
)

// Kinds lists the kinds in the form's order.
var Kinds = []Kind{Complaint, Suggestion, Thanks}

// Status is where a registration stands.
type Status string

// The statuses the staff move a registration through.
const (
	Registered Status = "registered"
	Handling   Status = "handling"
	Answered   Status = "answered"
)

// Statuses lists the statuses in order.
var Statuses = []Status{Registered, Handling, Answered}

// The bounds of the form and of a note.
const (
	MaxText    = 2000 // characters
	MaxContact = 200
	MaxNote    = 1000
	// AnswerTarget is the answer target in working days (the office's
	// calendar): a registration answered within it is answered on time.
	AnswerTarget = 5
)

// Entry is one registration. Contact is personal data and lives apart
// (the store keeps it in its own bucket); Text and the notes are free
// text. All three are emptied by Purge once the answer is older than the
// retention; Purged says so.
type Entry struct {
	ID         string    `json:"id"` // the registration number the visitor keeps: YYYY-NNNN
	Kind       Kind      `json:"kind"`
	Text       string    `json:"text,omitempty"`
	Ticket     string    `json:"ticket,omitempty"`     // a ticket number of that day, when the visitor named one
	TicketDay  string    `json:"ticket_day,omitempty"` // its day
	Lang       string    `json:"lang"`
	Status     Status    `json:"status"`
	Registered time.Time `json:"registered"`
	Answered   time.Time `json:"answered,omitzero"`
	History    []Step    `json:"history,omitempty"`
	HasContact bool      `json:"has_contact,omitempty"` // a contact was given (and not yet deleted)
	Purged     bool      `json:"purged,omitempty"`      // contact, text and notes deleted after retention
}

// Step is one move of a registration's status, with the staff's note.
type Step struct {
	At     time.Time `json:"at"`
	Status Status    `json:"status"`
	Note   string    `json:"note,omitempty"`
	By     string    `json:"by"` // the admin's username
}

// Request is what the public form sends.
type Request struct {
	Kind    Kind
	Text    string
	Ticket  string
	Contact string
	Lang    string
}

// Check validates a request and tidies it (trimmed text, upper-case
// ticket number); the errors are keyed for the visitor's language.
func (r *Request) Check() error {
	if !validKind(r.Kind) {
		return queue.E(queue.EINVALID, "err.feedback.kind")
	}
	r.Text = strings.TrimSpace(r.Text)
	if r.Text == "" {
		return queue.E(queue.EINVALID, "err.feedback.text_empty")
	}
	if n := utf8.RuneCountInString(r.Text); n > MaxText {
		return queue.E(queue.EINVALID, "err.feedback.text_long", "max", MaxText, "n", n)
	}
	r.Contact = strings.TrimSpace(r.Contact)
	if utf8.RuneCountInString(r.Contact) > MaxContact {
		return queue.E(queue.EINVALID, "err.feedback.contact_long", "max", MaxContact)
	}
	r.Ticket = strings.ToUpper(strings.TrimSpace(r.Ticket))
	if !queue.ValidLanguage(r.Lang) {
		// This package knows no office: the caller fills in its first
		// language (or the person's, from the request).
		r.Lang = ""
	}
	return nil
}

func validKind(k Kind) bool {
	for _, x := range Kinds {
		if k == x {
			return true
		}
	}
	return false
}

// ParseStatus reads a status a staff member chose.
func ParseStatus(s string) (Status, error) {
	for _, x := range Statuses {
		if Status(s) == x {
			return x, nil
		}
	}
	return "", queue.E(queue.EINVALID, "err.feedback.status")
}

// Move changes e's status with a note by an admin at now. Answering needs
// a note (what was answered); a note alone, without a change of status,
// is recorded too. The answer time is the first move to Answered, and
// moving back (reopened) clears it.
func (e *Entry) Move(to Status, note, by string, now time.Time) error {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNote {
		return queue.E(queue.EINVALID, "err.feedback.note_long", "max", MaxNote)
	}
	if to == Answered && note == "" {
		return queue.E(queue.EINVALID, "err.feedback.note_needed")
	}
	if to == Answered && e.Status != Answered {
		e.Answered = now
	}
	if to != Answered {
		e.Answered = time.Time{}
	}
	e.Status = to
	e.History = append(e.History, Step{At: now, Status: to, Note: note, By: by})
	return nil
}

// FormatID is the registration number of the n-th registration of a year.
func FormatID(year, n int) string { return fmt.Sprintf("%d-%04d", year, n) }
