package city

import (
	"time"

	"langelis/queue"
)

// Status is a hall's live state as the city sees it, sent every few
// seconds and on change on plain NATS (a lost one is replaced by the
// next). Everything in it is what the hall's own public screens show,
// plus the link's backlog: no ticket, no priority group.
type Status struct {
	Hall    string            `json:"hall"`
	Name    string            `json:"name"`
	Names   map[string]string `json:"names,omitempty"`
	URL     string            `json:"url,omitempty"` // the hall's public address; its /take is there
	At      time.Time         `json:"at"`            // the hall's office clock
	Day     string            `json:"day"`
	Open    bool              `json:"open"` // within opening hours now
	Hours   string            `json:"hours,omitempty"`
	Seq     uint64            `json:"seq"` // the last committed event
	Epoch   string            `json:"epoch"`
	Started time.Time         `json:"started"` // when the hall's process started, real time

	Services  []ServiceStatus `json:"services"`
	DesksOpen int             `json:"desks_open"`
	Desks     int             `json:"desks"`
	Cutoff    *queue.Cutoff   `json:"cutoff,omitempty"` // computed as if no ticket had priority

	Backlog       Backlog `json:"backlog"`
	RetentionDays int     `json:"retention_days"`
}

// ServiceStatus is one service of a hall now.
type ServiceStatus struct {
	Letter  string            `json:"letter"`
	Names   map[string]string `json:"names"`
	Waiting int               `json:"waiting"`
	// LongestWait is how long the longest-waiting ticket has waited, in
	// seconds of office time.
	LongestWait int64 `json:"longest_wait_s"`
	// EstimatedWait is how long a ticket taken now would wait, in
	// seconds; -1 when the projection has no estimate (no desk open).
	EstimatedWait int64 `json:"estimated_wait_s"`
	// Action is what the hall's kiosk does for a ticket now: issue,
	// warn (past the cutoff: may not be served today), stop, or closed.
	Action string `json:"action"`
	// Issuing says a ticket taken now would still be served today.
	Issuing bool `json:"issuing"`
}

// Backlog is the hall's events not yet acknowledged by the centre.
type Backlog struct {
	Count  uint64    `json:"count"`
	Oldest time.Time `json:"oldest,omitzero"` // office time of the oldest one
	Acked  uint64    `json:"acked"`           // the seq the centre acknowledged
	// Connected says the hall's NATS connection is up now.
	Connected bool `json:"connected"`
}
