// Package priority decides which waiting ticket a desk calls next.
//
// Everything here is a pure function of the waiting tickets, the desk, the
// office's recent call history and the time, so the engine, the forward
// projection and the simulator all ask the same question the same way.
package priority

import (
	"fmt"
	"time"
)

// Category is a priority group from the Rokiškis standard §19.2, or None.
type Category string

// The four priority groups. None is the empty string so that a zero value
// means "no priority".
const (
	None       Category = ""
	Child      Category = "child" // with a child under 4
	Pregnant   Category = "pregnant"
	Disability Category = "disability"
	Elderly    Category = "elderly"
)

// Categories lists the four groups in the order the kiosk shows them.
var Categories = []Category{Child, Pregnant, Disability, Elderly}

// IsPriority reports whether c is one of the four groups.
func (c Category) IsPriority() bool { return c != None }

// ParseCategory accepts "", "none" or one of the four group words.
func ParseCategory(s string) (Category, error) {
	switch Category(s) {
	case "", "none":
		return None, nil
	case Child, Pregnant, Disability, Elderly:
		return Category(s), nil
	}
	return None, fmt.Errorf("priority %q is not one of none, child, pregnant, disability, elderly", s)
}

// MarshalText writes None as "none" so the wire format never has an empty word.
func (c Category) MarshalText() ([]byte, error) {
	if c == None {
		return []byte("none"), nil
	}
	return []byte(c), nil
}

// UnmarshalText accepts what ParseCategory accepts.
func (c *Category) UnmarshalText(b []byte) error {
	v, err := ParseCategory(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Candidate is a waiting ticket as the policy sees it.
type Candidate struct {
	ID         string
	Service    string
	Category   Category
	QueuedAt   time.Time // its place in line
	Order      uint64    // breaks ties between equal QueuedAt: issue order
	TargetDesk int       // transferred to this desk, or 0
	// Slot is a checked-in booked ticket's slot start (zero for a
	// walk-in): it waits in the booked line, due from Slot minus Lead
	// (see Rules).
	Slot time.Time
	// Lead is how long before its slot a booked ticket becomes due: the
	// engine sets it to the expected service time of the ticket's
	// service, so that the desk finishing last before the slot calls the
	// booked visitor (already in the hall) rather than starting a walk-in
	// whose service would overrun the slot, and the call lands around
	// the slot instead of one residual service time after it.
	Lead time.Duration
}

// Due is when a booked ticket goes ahead of the walk-ins (rule 2): its
// slot less its lead.
func (c Candidate) Due() time.Time { return c.Slot.Add(-c.Lead) }

// IsBooked reports whether c is a checked-in booked ticket waiting for
// its slot (not one sent to a desk, which waits for that desk).
func (c Candidate) IsBooked() bool { return !c.Slot.IsZero() && c.TargetDesk == 0 }

// DueBefore orders booked tickets: the earlier due time first (within a
// service, whose tickets share a lead, the earlier slot), then line order.
func (a Candidate) DueBefore(b Candidate) bool {
	if ad, bd := a.Due(), b.Due(); !ad.Equal(bd) {
		return ad.Before(bd)
	}
	return a.Before(b)
}

// Before reports whether a stands ahead of b in plain line order.
func (a Candidate) Before(b Candidate) bool {
	if !a.QueuedAt.Equal(b.QueuedAt) {
		return a.QueuedAt.Before(b.QueuedAt)
	}
	return a.Order < b.Order
}

// Desk is a desk as the policy sees it.
type Desk struct {
	Number   int
	Services []string
}

// Eligible reports whether desk d may call c: a ticket sent to a desk waits
// for that desk only; any other waits for any desk serving its service.
func Eligible(c Candidate, d Desk) bool {
	if c.TargetDesk != 0 {
		return c.TargetDesk == d.Number
	}
	for _, s := range d.Services {
		if s == c.Service {
			return true
		}
	}
	return false
}

// History is the office's recent call history, as much as the policies need.
// It is part of the durable state: it travels in call events.
type History struct {
	Streak int `json:"streak"` // consecutive priority calls made while regular tickets waited
	Count  int `json:"count"`  // calls made today
}
