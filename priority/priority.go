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

// Settings are the office's policy settings.
type Settings struct {
	Policy      string
	MaxStreak   int           // K
	MaxWait     time.Duration // W
	Ratio       int
	AgingFactor float64
}

// Policy chooses the next ticket. Pick gets only the candidates eligible for
// the desk and returns the index of the one to call, or -1 when none.
type Policy interface {
	Name() string
	Pick(cands []Candidate, d Desk, h History, now time.Time) int
	// Record returns the history after called was picked from cands.
	Record(h History, called Candidate, cands []Candidate) History
}

// New returns the policy the settings name.
func New(s Settings) (LinePolicy, error) {
	switch s.Policy {
	case "fifo":
		return FIFO{}, nil
	case "", "default":
		return Default{MaxStreak: s.MaxStreak, MaxWait: s.MaxWait}, nil
	case "strict":
		return Strict{}, nil
	case "ratio":
		if s.Ratio < 1 {
			return nil, fmt.Errorf("priority: ratio must be at least 1, not %d", s.Ratio)
		}
		return Ratio{N: s.Ratio}, nil
	case "aging":
		if s.AgingFactor < 1 {
			return nil, fmt.Errorf("priority: aging factor must be at least 1, not %g", s.AgingFactor)
		}
		return Aging{Factor: s.AgingFactor}, nil
	}
	return nil, fmt.Errorf("priority: unknown policy %q", s.Policy)
}

// Order returns cands in the order desk d would call them if nothing else
// happened, all at time now: the first max of them, or all when max <= 0.
func Order(p Policy, cands []Candidate, d Desk, h History, now time.Time, max int) []Candidate {
	if max <= 0 || max > len(cands) {
		max = len(cands)
	}
	rest := append([]Candidate(nil), cands...)
	out := make([]Candidate, 0, max)
	for len(rest) > 0 && len(out) < max {
		i := p.Pick(rest, d, h, now)
		if i < 0 {
			break
		}
		h = p.Record(h, rest[i], rest)
		out = append(out, rest[i])
		rest = append(rest[:i], rest[i+1:]...)
	}
	return out
}

// oldest returns the index of the earliest candidate for which keep is true.
func oldest(cands []Candidate, keep func(Candidate) bool) int {
	best := -1
	for i, c := range cands {
		if keep(c) && (best < 0 || c.Before(cands[best])) {
			best = i
		}
	}
	return best
}

func anyTicket(Candidate) bool { return true }

// FIFO calls in plain line order, ignoring categories (targeted tickets first).
type FIFO struct{ counting }

// Name returns "fifo".
func (FIFO) Name() string { return "fifo" }

// Pick returns the oldest targeted ticket, else the oldest ticket.
func (FIFO) Pick(cands []Candidate, d Desk, _ History, _ time.Time) int {
	if i := targeted(cands, d); i >= 0 {
		return i
	}
	return oldest(cands, anyTicket)
}

// targeted returns the oldest ticket transferred to desk d, or -1: a clerk
// who sent a visitor to a named colleague expects that colleague to take
// them next, whatever the policy.
func targeted(cands []Candidate, d Desk) int {
	return oldest(cands, func(c Candidate) bool { return c.TargetDesk == d.Number && d.Number != 0 })
}

func regular(c Candidate) bool { return !c.Category.IsPriority() }

func prio(c Candidate) bool { return c.Category.IsPriority() }

// counting gives every policy the same Record: the call count and the
// streak of priority calls made while regular tickets waited.
type counting struct{}

// Record counts the call and the priority streak.
func (counting) Record(h History, called Candidate, cands []Candidate) History {
	h.Count++
	if !called.Category.IsPriority() {
		h.Streak = 0
		return h
	}
	for _, c := range cands {
		if !c.Category.IsPriority() && c.ID != called.ID {
			h.Streak++
			return h
		}
	}
	h.Streak = 0
	return h
}

// Default is the office default: priority first, with two limits that
// protect regular visitors (see DESIGN.md "Priority").
type Default struct {
	counting
	MaxStreak int           // K: after K priority calls in a row while regulars wait, a regular goes
	MaxWait   time.Duration // W: a regular ticket waiting longer goes before anything issued after it
}

// Name returns "default".
func (Default) Name() string { return "default" }

// Pick applies the default policy.
func (p Default) Pick(cands []Candidate, d Desk, h History, now time.Time) int {
	if i := targeted(cands, d); i >= 0 {
		return i
	}
	// The streak limit comes first: an overdue regular ticket must not
	// become a way for older priority tickets to extend the streak past K.
	if p.MaxStreak > 0 && h.Streak >= p.MaxStreak {
		if r := oldest(cands, regular); r >= 0 {
			return r
		}
	}
	if p.MaxWait > 0 {
		if r := oldest(cands, func(c Candidate) bool { return regular(c) && now.Sub(c.QueuedAt) > p.MaxWait }); r >= 0 {
			if q := oldest(cands, func(c Candidate) bool { return prio(c) && c.Before(cands[r]) }); q >= 0 {
				return q
			}
			return r
		}
	}
	return priorityFirst(cands)
}

// priorityFirst returns the oldest priority ticket, else the oldest ticket.
func priorityFirst(cands []Candidate) int {
	if q := oldest(cands, prio); q >= 0 {
		return q
	}
	return oldest(cands, anyTicket)
}

// Strict always calls priority tickets first. It is the rule read literally,
// and the one that lets regular visitors be overtaken without end; offices
// choose it knowingly.
type Strict struct{ counting }

// Name returns "strict".
func (Strict) Name() string { return "strict" }

// Pick returns the oldest targeted ticket, else the oldest priority ticket,
// else the oldest ticket.
func (Strict) Pick(cands []Candidate, d Desk, _ History, _ time.Time) int {
	if i := targeted(cands, d); i >= 0 {
		return i
	}
	return priorityFirst(cands)
}

// Ratio calls N priority tickets, then one regular ticket, while both wait:
// a fixed share that is easy to explain at the door.
type Ratio struct {
	counting
	N int
}

// Name returns "ratio".
func (Ratio) Name() string { return "ratio" }

// Pick returns the oldest targeted ticket; else the oldest regular ticket
// after N priority calls in a row while regular tickets waited; else the
// oldest priority ticket; else the oldest ticket.
func (p Ratio) Pick(cands []Candidate, d Desk, h History, now time.Time) int {
	if h.Streak >= p.N && targeted(cands, d) < 0 {
		if r := oldest(cands, regular); r >= 0 {
			return r
		}
	}
	return Strict{}.Pick(cands, d, h, now)
}

// Aging calls the most urgent ticket, where urgency is the time waited,
// multiplied by Factor for priority tickets: a priority visitor counts as
// having waited Factor times as long. Nobody waits forever, because a
// regular ticket's urgency keeps growing too.
type Aging struct {
	counting
	Factor float64
}

// Name returns "aging".
func (Aging) Name() string { return "aging" }

// Pick returns the oldest targeted ticket, else the most urgent one; equal
// urgency goes by line order.
func (p Aging) Pick(cands []Candidate, d Desk, _ History, now time.Time) int {
	if i := targeted(cands, d); i >= 0 {
		return i
	}
	best, bestU := -1, 0.0
	for i, c := range cands {
		u := float64(now.Sub(c.QueuedAt))
		if c.Category.IsPriority() {
			u *= p.Factor
		}
		if best < 0 || u > bestU || (u == bestU && c.Before(cands[best])) {
			best, bestU = i, u
		}
	}
	return best
}
