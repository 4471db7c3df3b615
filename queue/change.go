package queue

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Change is one configuration or account change: who, what, old, new.
// Changes are the audit trail of the manager's side (the admin pages, the
// command line): kept in the store's changes bucket with their own
// retention (Office.AuditRetentionDays), apart from the ticket journal, so
// the journal's purge never removes them; the running configuration is
// rebuilt at start from the office file plus the configuration changes.
//
// A Change never holds a visitor's personal data, nor a password or its
// hash in Old or New.
type Change struct {
	Seq   uint64    `json:"seq"`   // set by the store
	At    time.Time `json:"at"`    // office clock
	Actor string    `json:"actor"` // username, or "file" / "system"
	// Kind says what changed, as "area.what": "service.added",
	// "desk.changed", "hours.changed", "rules.changed", "user.added",
	// "user.disabled", "user.enabled", "user.password_reset",
	// "user.password_changed", "session.ended", "desk.force_closed",
	// "display.message", "service.paused", "service.resumed".
	Kind    string          `json:"kind"`
	Subject string          `json:"subject"` // what it is about: "service B", "desk 3", "user petras"
	Old     json.RawMessage `json:"old,omitempty"`
	New     json.RawMessage `json:"new,omitempty"`
	// Effective is "now", or the office day ("2026-12-01") the change
	// takes effect.
	Effective string `json:"effective,omitempty"`
}

// EffectiveNow is Change.Effective of a change that applies at once.
const EffectiveNow = "now"

// DefaultAuditRetentionDays is how long changes are kept when the office
// file does not say (audit_retention_days): one year.
const DefaultAuditRetentionDays = 365

// DefaultFeedbackRetentionDays is how long after its answer a complaint's
// or suggestion's contact and text are kept when the office file does not
// say (feedback_retention_days).
const DefaultFeedbackRetentionDays = 90

// DeskAction is what the audit keeps of an event a person did at a desk
// (or an admin did to one): the desk, and the detail a manager needs (a
// pause's reason, a transfer's destination). It is Change.New of an
// archived desk action.
type DeskAction struct {
	Desk   int    `json:"desk,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// AuditChange is the audit's record of e when a person did it at a desk
// (or an admin did it): Kind is the event type, Subject the ticket's
// number or "desk N", New a DeskAction. It is false for what visitors,
// kiosks and the system did, and for a configuration event (its own
// Change is recorded when it happens). The audit page reads desk actions
// from the journal through it, and the journal's purge moves them into
// the changes bucket with it, so they outlive the journal's retention
// under the audit's own. Never a token, a priority group or a visitor's
// reason.
func (e Event) AuditChange() (Change, bool) {
	a := e.Actor
	if a == "" || a == "visitor" || a == "system" || strings.HasPrefix(a, "kiosk:") || e.Type == EventOfficeChanged {
		return Change{}, false
	}
	var act DeskAction
	subject := ""
	if e.Desk != nil {
		act.Desk, subject = e.Desk.Number, fmt.Sprintf("desk %d", e.Desk.Number)
		if e.Type == EventDeskPaused {
			act.Detail = e.Desk.PauseReason
		}
	}
	if t := e.Ticket; t != nil {
		subject = t.Number
		if act.Desk == 0 {
			act.Desk = t.Desk
		}
		if e.Type == TicketMoved {
			act.Detail = "→ " + t.Service
			if t.Desk != 0 {
				act.Detail += fmt.Sprintf(", desk %d", t.Desk)
			}
		}
	}
	data, err := json.Marshal(act)
	if err != nil {
		return Change{}, false
	}
	return Change{At: e.At, Actor: a, Kind: string(e.Type), Subject: subject, New: data}, true
}

// IsDeskAction reports whether c is an archived desk action (AuditChange).
func (c Change) IsDeskAction() bool { return slices.Contains(EventTypes, EventType(c.Kind)) }
