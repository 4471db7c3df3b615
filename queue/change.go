package queue

import (
	"encoding/json"
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
