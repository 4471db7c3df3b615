package priority

import "time"

// Lines is the waiting line as a policy reads it when looking at every
// candidate would cost too much: the forward projection asks for a call
// hundreds of times over thousands of tickets. Every rule of every policy
// here picks the oldest ticket of some kind, so the caller can keep each
// kind in line order (per service, priority apart from regular, and per
// target desk) and answer from the heads of those lines.
type Lines interface {
	// Targeted returns the oldest waiting ticket sent to desk d.
	Targeted(d Desk) (Candidate, bool)
	// Oldest returns the oldest waiting ticket of d's services that was
	// sent to no desk, among the priority tickets when prio is true and
	// among the regular ones when it is false.
	Oldest(d Desk, prio bool) (Candidate, bool)
	// RegularWaits reports whether desk d may call a regular ticket (one
	// of its services, or one sent to it).
	RegularWaits(d Desk) bool
}

// LinePolicy is a Policy that can also pick from Lines. PickLines must
// choose exactly what Pick chooses from the candidates the Lines hold
// (TestPickLinesIsPick holds every policy here to it), and RecordLines
// what Record records.
type LinePolicy interface {
	Policy
	PickLines(l Lines, d Desk, h History, now time.Time) (Candidate, bool)
	RecordLines(h History, called Candidate, l Lines, d Desk) History
}

// RecordLines counts the call and the priority streak; l is the line
// before called leaves it.
func (counting) RecordLines(h History, called Candidate, l Lines, d Desk) History {
	h.Count++
	if called.Category.IsPriority() && l.RegularWaits(d) {
		h.Streak++
	} else {
		h.Streak = 0
	}
	return h
}

// older returns the older of two optional candidates.
func older(a Candidate, aok bool, b Candidate, bok bool) (Candidate, bool) {
	if !aok {
		return b, bok
	}
	if !bok || a.Before(b) {
		return a, true
	}
	return b, true
}

func oldestAny(l Lines, d Desk) (Candidate, bool) {
	p, pok := l.Oldest(d, true)
	r, rok := l.Oldest(d, false)
	return older(p, pok, r, rok)
}

// priorityFirstLines is priorityFirst on Lines.
func priorityFirstLines(l Lines, d Desk) (Candidate, bool) {
	if c, ok := l.Oldest(d, true); ok {
		return c, true
	}
	return l.Oldest(d, false)
}

// PickLines is Pick on Lines.
func (FIFO) PickLines(l Lines, d Desk, _ History, _ time.Time) (Candidate, bool) {
	if c, ok := l.Targeted(d); ok {
		return c, true
	}
	return oldestAny(l, d)
}

// PickLines is Pick on Lines. Once the targeted tickets are out of the
// way, "the oldest regular ticket that waited past W" is the oldest
// regular ticket, if it waited past W: no younger one waited longer.
func (p Default) PickLines(l Lines, d Desk, h History, now time.Time) (Candidate, bool) {
	if c, ok := l.Targeted(d); ok {
		return c, true
	}
	if p.MaxStreak > 0 && h.Streak >= p.MaxStreak {
		if r, ok := l.Oldest(d, false); ok {
			return r, true
		}
	}
	if p.MaxWait > 0 {
		if r, ok := l.Oldest(d, false); ok && now.Sub(r.QueuedAt) > p.MaxWait {
			if q, ok := l.Oldest(d, true); ok && q.Before(r) {
				return q, true
			}
			return r, true
		}
	}
	return priorityFirstLines(l, d)
}

// PickLines is Pick on Lines.
func (Strict) PickLines(l Lines, d Desk, _ History, _ time.Time) (Candidate, bool) {
	if c, ok := l.Targeted(d); ok {
		return c, true
	}
	return priorityFirstLines(l, d)
}

// PickLines is Pick on Lines.
func (p Ratio) PickLines(l Lines, d Desk, h History, now time.Time) (Candidate, bool) {
	if c, ok := l.Targeted(d); ok {
		return c, true
	}
	if h.Streak >= p.N {
		if r, ok := l.Oldest(d, false); ok {
			return r, true
		}
	}
	return priorityFirstLines(l, d)
}

// PickLines is Pick on Lines: inside each group the oldest ticket is the
// most urgent, so the heads of the two groups decide.
func (p Aging) PickLines(l Lines, d Desk, _ History, now time.Time) (Candidate, bool) {
	if c, ok := l.Targeted(d); ok {
		return c, true
	}
	q, qok := l.Oldest(d, true)
	r, rok := l.Oldest(d, false)
	if !qok || !rok {
		return older(q, qok, r, rok)
	}
	uq := float64(now.Sub(q.QueuedAt)) * p.Factor
	ur := float64(now.Sub(r.QueuedAt))
	if uq > ur || (uq == ur && q.Before(r)) {
		return q, true
	}
	return r, true
}
