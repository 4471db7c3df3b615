package wire

import (
	"time"

	"langelis/queue"
)

// The request and response bodies of the REST API under /api/v1. Where a
// body is a domain value as it is (GET /api/v1/queue answers a
// queue.Snapshot or queue.PublicSnapshot, a desk action a
// queue.DeskResult, GET /api/v1/desks/{n} a queue.DeskView), queue holds
// it; these are the rest.

// Health answers GET /healthz: 200 with status "ok" or "degraded", 503
// with "unavailable". A monitor reads the status code; a person reads the
// problems, and the store's figures behind them.
type Health struct {
	Status   string       `json:"status"`             // ok, degraded, unavailable
	Problems []string     `json:"problems,omitempty"` // one sentence each, in English, for the operator
	Store    *StoreHealth `json:"store,omitempty"`
}

// The health statuses.
const (
	HealthOK          = "ok"          // commits reach the disk and it has room
	HealthDegraded    = "degraded"    // it works, but a person should look soon
	HealthUnavailable = "unavailable" // commits fail, or are about to: 503
)

// StoreHealth is the store's part of GET /healthz: whether its latest
// commit reached the disk, and the room left there. It is read without
// writing, except a heartbeat write at most once a minute when the office
// committed nothing for a minute.
type StoreHealth struct {
	Schema         uint64     `json:"schema"`         // the file's schema version
	LastCommitOK   bool       `json:"last_commit_ok"` // the latest commit (a change or the heartbeat) reached the disk
	LastCommitAt   *time.Time `json:"last_commit_at"` // the latest commit that did; null when none since the start
	LastError      string     `json:"last_error,omitempty"`
	LastErrorAt    *time.Time `json:"last_error_at,omitempty"`
	FreeBytes      uint64     `json:"free_bytes"`     // free for the server on the data folder's disk
	FileBytes      int64      `json:"file_bytes"`     // the store file's size
	MinFreeBytes   uint64     `json:"min_free_bytes"` // below it: unavailable
	LowFreeBytes   uint64     `json:"low_free_bytes"` // below it: degraded
	CompactPending bool       `json:"compact_pending,omitempty"`
}

// Office answers GET /api/v1/office: the office definition and what the
// pages need to know about today.
type Office struct {
	*queue.Office
	// Now is the office clock's time of the answer: the pages say "today"
	// and "tomorrow" by the office's day, not by the visitor's device.
	Now         time.Time        `json:"now"`
	OpenNow     bool             `json:"open_now"`
	NextOpening *time.Time       `json:"next_opening,omitempty"` // nil when the office never opens again
	Today       []queue.Interval `json:"today"`                  // today's opening intervals
	Languages   []string         `json:"languages"`              // the office's languages in its order: the first is its own, the second is shown after it in the hall
}

// IssueRequest is the body of POST /api/v1/tickets. Only Service is
// required.
type IssueRequest struct {
	Service string `json:"service"` // the service letter, "A"
	// Priority is none, child, pregnant, disability or elderly; "" is none.
	// It stays text so the server can say which word it did not know.
	Priority string `json:"priority,omitempty"`
	Lang     string `json:"lang,omitempty"`    // the visitor's language
	Kiosk    string `json:"kiosk,omitempty"`   // the kiosk's name, from a kiosk
	Channel  string `json:"channel,omitempty"` // kiosk, phone or api
}

// Ticket is a ticket as its holder sees it: everything the ticket and the
// status page show, and the links to them. POST /api/v1/tickets answers it
// (201), and so do GET /api/v1/tickets/{id} and its cancel.
type Ticket struct {
	ID          string         `json:"id"` // the unguessable token of its status page
	Number      string         `json:"number"`
	Service     string         `json:"service"`
	ServiceName string         `json:"service_name"` // in the ticket's language
	Status      queue.Status   `json:"status"`
	Priority    queue.Category `json:"priority"`
	Lang        string         `json:"lang"`
	Desk        int            `json:"desk,omitempty"`
	IssuedAt    time.Time      `json:"issued_at"`
	CalledAt    time.Time      `json:"called_at,omitzero"`
	// Rated is true once the visitor answered the question after service
	// (POST /api/v1/tickets/{id}/rating): the status page asks only once.
	Rated      bool      `json:"rated,omitempty"`
	RecalledAt time.Time `json:"recalled_at,omitzero"` // the last recall of the call, if any
	// Ahead, EstimatedCallAt and ServedToday describe a waiting ticket's
	// place; they are null for any other, and EstimatedCallAt also when no
	// open desk serves it today.
	Ahead           *int       `json:"ahead"`
	EstimatedCallAt *time.Time `json:"estimated_call_at"`
	ServedToday     *bool      `json:"served_today,omitempty"`
	// EstimatedCallRange and ServedTodayProbability are the forward
	// model's forecast for a waiting ticket (DESIGN.md "Predictions"):
	// the median call time, the range it falls in with 80 % probability
	// (its "to" absent when the ticket may well not be called today), and
	// the probability of a call today. Absent until the model has the
	// ticket, seconds after a change; the probability also on a day the
	// office does not close. EstimatedCallAt and ServedToday remain the
	// projection's point.
	EstimatedCallRange     *queue.CallRange `json:"estimated_call_range,omitempty"`
	ServedTodayProbability *float64         `json:"served_today_probability,omitempty"`
	// OpenDesks is how many desks able to serve a waiting ticket are open
	// or paused now. With none, no time is promised: the estimate assumes
	// desks that are not open, and the pages and the printed ticket say
	// that no desk serves it now instead. Null for any other ticket.
	OpenDesks *int `json:"open_desks,omitempty"`
	// DesksNotYetOpened says, with OpenDesks 0, that no desk of the hall
	// has opened yet today: the office has just opened and the clerks are
	// arriving, so the pages say that rather than "no desk serves it".
	DesksNotYetOpened bool `json:"desks_not_yet_opened,omitempty"`
	// Printing answers an issue at a kiosk (channel kiosk): whether a
	// kiosk station for that kiosk is connected and will print the
	// ticket. When false the kiosk shows the number and the QR code on
	// screen and says the printer is unavailable. Absent elsewhere.
	Printing *bool `json:"printing,omitempty"`
	// BeyondCutoff warns that the ticket was issued although it is not
	// expected to be served today (the office's beyond_cutoff: warn).
	BeyondCutoff bool   `json:"beyond_cutoff,omitempty"`
	StatusURL    string `json:"status_url"` // /t/{id}
	PDFURL       string `json:"pdf_url"`    // /api/v1/tickets/{id}/pdf
}

// Preview answers GET /api/v1/tickets/preview: where a new ticket would
// stand, so the kiosk can warn before it issues.
type Preview struct {
	queue.Preview
	NextOpening *time.Time `json:"next_opening,omitempty"` // when closed: the next opening
}

// PrintFailedRequest is the body of POST /api/v1/kiosks/{name}/print-failed.
type PrintFailedRequest struct {
	Ticket string `json:"ticket"`           // the ticket's ID
	Reason string `json:"reason,omitempty"` // the printer's complaint, for the server's log
}

// DeskRequest is the body of POST /api/v1/desks/{n}/{action}: the union of
// what the actions take. Each action reads only its own fields; an empty
// body is an empty request.
type DeskRequest struct {
	Service string `json:"service,omitempty"` // transfer: to this service
	Desk    int    `json:"desk,omitempty"`    // transfer: to this desk
	Reason  string `json:"reason,omitempty"`  // refuse, pause
	Ticket  string `json:"ticket,omitempty"`  // close: "finish" or "return" the ticket in service
	Number  string `json:"number,omitempty"`  // call, category: the ticket number, "A012"
	// Until is stay's local time, "17:15", or "" with Minutes, or "" alone
	// to take the stay back.
	Until   string `json:"until,omitempty"`
	Minutes *int   `json:"minutes,omitempty"` // stay: minutes past today's closing
	// Priority is category's corrected group: none, child, pregnant,
	// disability or elderly.
	Priority string `json:"priority,omitempty"`
}

// LoginRequest is the body of POST /api/v1/session.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// Session answers a sign-in (POST /api/v1/session, with the token) and
// GET /api/v1/session (without it).
type Session struct {
	Token     string    `json:"token,omitempty"`
	User      User      `json:"user"`
	ExpiresAt time.Time `json:"expires_at"`
	// MustChangePassword: the account signed in with a one-time password
	// and may do nothing but POST /api/v1/session/password.
	MustChangePassword bool `json:"must_change_password,omitempty"`
}

// User is an account as the API shows it: no password hash.
type User struct {
	Username string     `json:"username"`
	Name     string     `json:"name"`
	Role     queue.Role `json:"role"` // clerk, admin or kiosk
}
