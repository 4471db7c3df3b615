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
	// Booked returns the checked-in booked ticket of d's services due
	// first (Candidate.IsBooked, Candidate.DueBefore), due or not; booked tickets
	// are in no other line but Targeted's.
	Booked(d Desk) (Candidate, bool)
}

// LinePolicy is a Policy that can also pick from Lines. Rules is the one
// implementation: Pick is PickLines over SliceLines.
type LinePolicy interface {
	Policy
	PickLines(l Lines, d Desk, h History, now time.Time) (Candidate, bool)
	RecordLines(h History, called Candidate, l Lines, d Desk) History
}

// SliceLines is Lines read off a plain slice of candidates, looking at
// every one: what Pick uses, and the simplest thing that can be right for
// the indexed lines of the projection to be held to.
type SliceLines []Candidate

// Targeted implements Lines.
func (s SliceLines) Targeted(d Desk) (Candidate, bool) {
	if d.Number == 0 {
		return Candidate{}, false
	}
	return s.oldest(func(c Candidate) bool { return c.TargetDesk == d.Number })
}

// Oldest implements Lines.
func (s SliceLines) Oldest(d Desk, prio bool) (Candidate, bool) {
	return s.oldest(func(c Candidate) bool {
		return c.TargetDesk == 0 && !c.IsBooked() && c.Category.IsPriority() == prio && Eligible(c, d)
	})
}

// RegularWaits implements Lines.
func (s SliceLines) RegularWaits(d Desk) bool {
	_, ok := s.oldest(func(c Candidate) bool { return !c.Category.IsPriority() && !c.IsBooked() && Eligible(c, d) })
	return ok
}

// Booked implements Lines.
func (s SliceLines) Booked(d Desk) (Candidate, bool) {
	best := -1
	for i, c := range s {
		if c.IsBooked() && Eligible(c, d) && (best < 0 || c.DueBefore(s[best])) {
			best = i
		}
	}
	if best < 0 {
		return Candidate{}, false
	}
	return s[best], true
}

func (s SliceLines) oldest(keep func(Candidate) bool) (Candidate, bool) {
	best := -1
	for i, c := range s {
		if keep(c) && (best < 0 || c.Before(s[best])) {
			best = i
		}
	}
	if best < 0 {
		return Candidate{}, false
	}
	return s[best], true
}
