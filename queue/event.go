package queue

import (
	"time"

	"langelis/priority"
)

// EventType names a change. The names are part of the public websocket
// contract.
type EventType string

// The event types.
const (
	DayStarted       EventType = "day.started"
	TicketIssued     EventType = "ticket.issued"
	TicketCalled     EventType = "ticket.called"
	TicketRecalled   EventType = "ticket.recalled"
	TicketStarted    EventType = "ticket.started"
	TicketFinished   EventType = "ticket.finished"
	TicketNoShow     EventType = "ticket.no_show"
	TicketReturned   EventType = "ticket.returned"
	TicketMoved      EventType = "ticket.transferred"
	TicketRefused    EventType = "ticket.refused"
	TicketCancelled  EventType = "ticket.cancelled"
	TicketClosed     EventType = "ticket.closed"
	TicketCategory   EventType = "ticket.category_changed"
	EventDeskOpened  EventType = "desk.opened"
	EventDeskClosed  EventType = "desk.closed"
	EventDeskPaused  EventType = "desk.paused"
	EventDeskResumed EventType = "desk.resumed"
	EventDeskStay    EventType = "desk.stay"
)

// EventTypes lists every event type. Package wire says which websocket
// protocol version brought each, and a test there checks it knows them all.
var EventTypes = []EventType{DayStarted, TicketIssued, TicketCalled, TicketRecalled, TicketStarted,
	TicketFinished, TicketNoShow, TicketReturned, TicketMoved, TicketRefused, TicketCancelled, TicketClosed,
	TicketCategory, EventDeskOpened, EventDeskClosed, EventDeskPaused, EventDeskResumed, EventDeskStay,
	EventOfficeChanged, ServicePaused, ServiceResumed, DisplayMessage, TicketRated,
	BookingMade, BookingMoved, BookingCancelled, BookingCheckedIn, BookingMissed, SlotClosed, SlotOpened}

// Event is one durable change. It carries the full state after the change
// of what it touched, so that replaying the journal is a plain upsert and a
// client can apply it without knowing the rules.
type Event struct {
	Seq     uint64            `json:"seq"`
	Type    EventType         `json:"type"`
	At      time.Time         `json:"at"`
	Day     string            `json:"day"`
	Actor   string            `json:"actor,omitempty"` // who did it: a username, or "kiosk:NAME", "visitor", "system"
	Reason  string            `json:"reason,omitempty"`
	Ticket  *Ticket           `json:"ticket,omitempty"`
	Desk    *Desk             `json:"desk,omitempty"`
	History *priority.History `json:"history,omitempty"` // after a call
	Pause   *ServicePause     `json:"pause,omitempty"`   // service.paused, service.resumed (staff only)
	Message *HallMessage      `json:"message,omitempty"` // display.message; none: taken down
	Rating  *Rating           `json:"rating,omitempty"`  // ticket.rated (journal only: see rating.go)
	// Booking is a booking.* event's booking after the change, and
	// SlotClosure a slot.* event's slot (staff only; bookings.go).
	Booking     *Booking     `json:"booking,omitempty"`
	SlotClosure *SlotClosure `json:"slot_closure,omitempty"`
}

// PublicEvent is the event as the hall sees it.
type PublicEvent struct {
	Seq    uint64        `json:"seq"`
	Type   EventType     `json:"type"`
	At     time.Time     `json:"at"`
	Day    string        `json:"day"`
	Ticket *PublicTicket `json:"ticket,omitempty"`
	Desk   *Desk         `json:"desk,omitempty"`
	// Message is a display.message event's message (none: taken down).
	Message *HallMessage `json:"message,omitempty"`
}

// Public strips the event to what the hall may see. Category changes are
// not the hall's business: ok is false for them.
func (e Event) Public() (PublicEvent, bool) {
	if e.Type == TicketCategory || e.Type == ServicePaused || e.Type == ServiceResumed || e.Type == TicketRated ||
		e.Booking != nil || e.SlotClosure != nil {
		return PublicEvent{}, false
	}
	p := PublicEvent{Seq: e.Seq, Type: e.Type, At: e.At, Day: e.Day, Message: e.Message}
	if e.Ticket != nil {
		t := e.Ticket.Public()
		p.Ticket = &t
	}
	if e.Desk != nil {
		d := e.Desk.Public()
		p.Desk = &d
	}
	return p, true
}
