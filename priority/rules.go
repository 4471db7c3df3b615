package priority

import (
	"fmt"
	"time"
)

// Settings are the office's policy settings.
type Settings struct {
	Policy      string
	MaxStreak   int           // K
	MaxWait     time.Duration // W
	HeadStart   time.Duration // the default policy's head start; 0 means DefaultHeadStart
	Ratio       int
	AgingFactor float64
}

// DefaultHeadStart is the default policy's head start when the office file
// sets none: a priority visitor goes ahead of everyone who came up to this
// long before them. See Rules.HeadStart and the README's "Priority" for
// why this value.
const DefaultHeadStart = 30 * time.Minute

// Policy chooses the next ticket. Pick gets only the candidates eligible for
// the desk and returns the index of the one to call, or -1 when none.
type Policy interface {
	Name() string
	Pick(cands []Candidate, d Desk, h History, now time.Time) int
	// Record returns the history after called was picked from cands.
	Record(h History, called Candidate, cands []Candidate) History
}

// New returns the policy the settings name. Every policy is a Rules: the
// names only choose which rules apply.
func New(s Settings) (LinePolicy, error) {
	switch s.Policy {
	case "fifo":
		return Rules{Label: "fifo"}, nil
	case "", "default":
		hs := s.HeadStart
		if hs == 0 {
			hs = DefaultHeadStart
		}
		if hs < 0 {
			return nil, fmt.Errorf("priority: the head start cannot be negative, not %v", hs)
		}
		return Rules{Label: "default", MaxStreak: s.MaxStreak, MaxWait: s.MaxWait, HeadStart: hs}, nil
	case "strict":
		return Rules{Label: "strict", PriorityFirst: true}, nil
	case "ratio":
		if s.Ratio < 1 {
			return nil, fmt.Errorf("priority: ratio must be at least 1, not %d", s.Ratio)
		}
		return Rules{Label: "ratio", MaxStreak: s.Ratio, PriorityFirst: true}, nil
	case "aging":
		if s.AgingFactor < 1 {
			return nil, fmt.Errorf("priority: aging factor must be at least 1, not %g", s.AgingFactor)
		}
		return Rules{Label: "aging", Factor: s.AgingFactor}, nil
	}
	return nil, fmt.Errorf("priority: unknown policy %q", s.Policy)
}

// Rules is a call-order policy: which of the ordering rules apply, with
// their limits. The precedence among the rules is decided in one place,
// PickLines, for every policy:
//
//  1. A ticket a clerk transferred to this desk by name: the oldest such
//     ticket, whatever else waits. The clerk who sent the visitor to a
//     colleague expects the colleague to take them next.
//  2. A checked-in booked ticket that is due (Candidate.Due, its slot
//     less its lead, at or before now): the one due first. It goes ahead
//     of the limits below and of every walk-in, so that a booked visitor
//     is called at the first call of a desk serving their service after
//     their due time. The lead (one expected service time, set by the
//     engine) makes that call land around the slot: without it, at the
//     slot every desk is often busy and the visitor waits a residual
//     service time. The bound a booked ticket gets (called within one
//     service time past its slot, whatever the lead up to one service
//     time; the office's grace time is the target) is held by the
//     property tests. It cannot starve the walk-ins without end: the
//     bookable share of each hour is the manager's, and at most 100 %.
//  3. The streak limit K (MaxStreak): after K priority calls in a row
//     while regular tickets waited, the oldest regular ticket.
//  4. The wait limit W (MaxWait): a regular ticket that has waited longer
//     than W goes before every ticket issued after it (the older priority
//     tickets still go first).
//  5. Otherwise the oldest priority ticket and the oldest regular ticket
//     compare: by the priority rule of the policy (PriorityFirst, or the
//     urgencies with HeadStart and Factor), the earlier going first on a tie.
//  6. With no walk-in left for the desk, a booked visitor who checked in
//     early is called before they are due rather than leave the desk idle.
//
// Inside each group (priority, regular) the earlier ticket always goes
// first: every rule picks the oldest ticket of some line. The streak limit
// comes before the wait limit so that an overdue regular ticket cannot
// become a way for older priority tickets to stretch the streak past K.
//
// What the precedence leaves as bounds, and the property tests hold: no
// more than K priority calls in a row while a regular ticket waits; and a
// regular ticket is called at most W plus one service time after the
// later of its issue and the call of the last ticket ahead of it in line.
type Rules struct {
	Label     string
	MaxStreak int           // K; 0: no streak limit
	MaxWait   time.Duration // W; 0: no wait limit
	// PriorityFirst puts the oldest priority ticket before the oldest
	// regular one, always (strict, ratio).
	PriorityFirst bool
	// HeadStart and Factor make the urgencies the two oldest tickets
	// compare by, when PriorityFirst is false: a regular ticket's urgency
	// is how long it has waited; a priority ticket's is Factor (at least
	// 1) times that, plus HeadStart. With HeadStart Δ and Factor 1 a
	// priority visitor goes ahead of those who came less than Δ before
	// them and of nobody who came earlier (default); with Factor f alone
	// their waiting counts f times (aging); with neither, line order (fifo).
	HeadStart time.Duration
	Factor    float64
}

// Name returns the policy's name.
func (p Rules) Name() string {
	if p.Label == "" {
		return "rules"
	}
	return p.Label
}

// PickLines chooses desk d's next ticket from the lines: the one place
// where the rules' precedence is decided (see Rules).
func (p Rules) PickLines(l Lines, d Desk, h History, now time.Time) (Candidate, bool) {
	if c, ok := l.Targeted(d); ok {
		return c, true
	}
	b, bok := l.Booked(d)
	if bok && !b.Due().After(now) {
		return b, true
	}
	r, rok := l.Oldest(d, false)
	if rok && p.MaxStreak > 0 && h.Streak >= p.MaxStreak {
		return r, true
	}
	q, qok := l.Oldest(d, true)
	if rok && p.MaxWait > 0 && now.Sub(r.QueuedAt) > p.MaxWait {
		if qok && q.Before(r) {
			return q, true
		}
		return r, true
	}
	switch {
	case !qok && !rok:
		return b, bok
	case !qok:
		return r, rok
	case !rok || p.priorityAhead(q, r, now):
		return q, true
	}
	return r, true
}

// priorityAhead reports whether the oldest priority ticket q goes before
// the oldest regular ticket r at now (rule 5).
func (p Rules) priorityAhead(q, r Candidate, now time.Time) bool {
	if p.PriorityFirst {
		return true
	}
	f := max(p.Factor, 1)
	// Durations of a day in nanoseconds are exact in a float64.
	uq := f*float64(now.Sub(q.QueuedAt)) + float64(p.HeadStart)
	ur := float64(now.Sub(r.QueuedAt))
	return uq > ur || uq == ur && q.Before(r)
}

// Pick chooses from eligible candidates by the same precedence.
func (p Rules) Pick(cands []Candidate, d Desk, h History, now time.Time) int {
	c, ok := p.PickLines(SliceLines(cands), d, h, now)
	if !ok {
		return -1
	}
	for i := range cands {
		if cands[i].ID == c.ID {
			return i
		}
	}
	return -1
}

// Record counts the call and the priority streak.
func (Rules) Record(h History, called Candidate, cands []Candidate) History {
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

// RecordLines counts the call and the priority streak; l is the line
// before called leaves it.
func (Rules) RecordLines(h History, called Candidate, l Lines, d Desk) History {
	h.Count++
	if called.Category.IsPriority() && l.RegularWaits(d) {
		h.Streak++
	} else {
		h.Streak = 0
	}
	return h
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
