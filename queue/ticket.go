package queue

import (
	"fmt"
	"time"

	"langelis/priority"
)

// Status is where a ticket stands in its lifecycle.
type Status string

// The ticket statuses of DESIGN.md's lifecycle.
const (
	Waiting   Status = "waiting"
	Called    Status = "called"
	Serving   Status = "serving"
	Done      Status = "done"
	NoShow    Status = "no_show"
	Cancelled Status = "cancelled"
	Refused   Status = "refused"
	Closed    Status = "closed" // not served: office closed
)

// Active reports whether a ticket with this status is still in the queue.
func (s Status) Active() bool { return s == Waiting || s == Called || s == Serving }

// Category is a priority category; the empty category is "none".
type Category = priority.Category

// Channel says where a ticket was taken.
type Channel string

// The channels a ticket can come from.
const (
	ChannelKiosk Channel = "kiosk"
	ChannelPhone Channel = "phone"
	ChannelDesk  Channel = "desk"
	ChannelAPI   Channel = "api"
)

// Ticket is one visitor's place in the queue. ID is an unguessable token:
// it is the key of the status page and is never shown on the display.
type Ticket struct {
	ID         string    `json:"id"`
	Number     string    `json:"number"`
	Serial     int       `json:"serial"` // the day's counter value for its service letter
	Day        string    `json:"day"`
	Service    string    `json:"service"`
	Category   Category  `json:"priority"`
	Channel    Channel   `json:"channel"`
	Lang       string    `json:"lang"`
	Kiosk      string    `json:"kiosk,omitempty"`
	Status     Status    `json:"status"`
	Desk       int       `json:"desk,omitempty"`        // the desk holding it while called or serving, or the last desk
	TargetDesk int       `json:"target_desk,omitempty"` // transferred to this desk
	Recalls    int       `json:"recalls,omitempty"`
	Reason     string    `json:"reason,omitempty"` // why it was refused
	IssuedAt   time.Time `json:"issued_at"`
	QueuedAt   time.Time `json:"queued_at"`          // its place in line; a returned or transferred ticket keeps it
	CalledAt   time.Time `json:"called_at,omitzero"` // the call; a recall leaves it, so CalledAt-QueuedAt is the wait
	StartedAt  time.Time `json:"started_at,omitzero"`
	EndedAt    time.Time `json:"ended_at,omitzero"`
	// Rated is true once the visitor answered the question after service
	// (rating.go); the answer itself is in the ticket.rated event only.
	Rated bool `json:"rated,omitempty"`
	// RecalledAt is the last recall of the present call (zero: none); it
	// is what tells the visitor's phone to alert again.
	RecalledAt time.Time `json:"recalled_at,omitzero"`
	// SlotAt marks a ticket a booking's check-in issued: its slot's start
	// (the call order's rule 2). Staff only: Public leaves it out, like
	// the category.
	SlotAt time.Time `json:"slot_at,omitzero"`
}

// FormatNumber makes a ticket number from a letter and the day's serial.
func FormatNumber(letter string, serial int) string {
	return fmt.Sprintf("%s%03d", letter, serial)
}

// PublicTicket is what anyone in the hall may see of a ticket: no token and
// no priority category (DESIGN.md invariant 6).
type PublicTicket struct {
	Number     string    `json:"number"`
	Service    string    `json:"service"`
	Status     Status    `json:"status"`
	Desk       int       `json:"desk,omitempty"`
	Recalls    int       `json:"recalls,omitempty"`
	IssuedAt   time.Time `json:"issued_at"`
	CalledAt   time.Time `json:"called_at,omitzero"`
	RecalledAt time.Time `json:"recalled_at,omitzero"`
	Ahead      *int      `json:"ahead,omitempty"`
	EstimateAt time.Time `json:"estimated_call_at,omitzero"`
	Today      *bool     `json:"served_today,omitempty"`
}

// Public returns the public view of t.
func (t Ticket) Public() PublicTicket {
	return PublicTicket{Number: t.Number, Service: t.Service, Status: t.Status, Desk: t.Desk,
		Recalls: t.Recalls, IssuedAt: t.IssuedAt, CalledAt: t.CalledAt, RecalledAt: t.RecalledAt}
}

// DeskStatus says whether a desk is working.
type DeskStatus string

// The desk statuses.
const (
	DeskClosed DeskStatus = "closed"
	DeskOpen   DeskStatus = "open"
	DeskPaused DeskStatus = "paused"
)

// Desk is the live state of a desk.
type Desk struct {
	Number       int        `json:"number"`
	Services     []string   `json:"services"`
	Status       DeskStatus `json:"status"`
	Clerk        string     `json:"clerk,omitempty"`      // username; staff view only
	ClerkName    string     `json:"clerk_name,omitempty"` // staff view only
	Ticket       string     `json:"ticket,omitempty"`     // ID of the ticket it holds; staff view only
	TicketNumber string     `json:"ticket_number,omitempty"`
	PauseReason  string     `json:"pause_reason,omitempty"` // staff view only
	StayUntil    time.Time  `json:"stay_until,omitzero"`    // the clerk stays past closing until then
	Since        time.Time  `json:"since,omitzero"`
}

// Public returns what the hall may see of a desk.
func (d Desk) Public() Desk {
	return Desk{Number: d.Number, Services: d.Services, Status: d.Status, TicketNumber: d.TicketNumber, Since: d.Since}
}
