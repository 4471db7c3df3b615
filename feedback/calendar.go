package feedback

import (
	"time"

	"langelis/queue"
)

// WorkingDays counts the office's working days after the day of from up to
// and including the day of to, in the office's calendar (its week, its
// holidays and exceptions: a day on which it opens at all). A registration
// made on a Friday evening and looked at on Monday is one working day old.
func WorkingDays(o *queue.Office, from, to time.Time) int {
	loc := o.Location()
	f, t := from.In(loc), to.In(loc)
	day := time.Date(f.Year(), f.Month(), f.Day(), 12, 0, 0, 0, loc)
	end := time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, loc)
	n := 0
	for d := day.AddDate(0, 0, 1); !d.After(end); d = d.AddDate(0, 0, 1) {
		if len(o.OpenIntervals(d)) > 0 {
			n++
		}
		if n > 3660 { // ten years of working days: a clock gone astray
			break
		}
	}
	return n
}

// Due is the last day (local midnight of it) on which an answer is on
// time: the AnswerTarget-th working day after the registration.
func Due(o *queue.Office, registered time.Time) time.Time {
	loc := o.Location()
	r := registered.In(loc)
	d := time.Date(r.Year(), r.Month(), r.Day(), 12, 0, 0, 0, loc)
	for n, i := 0, 0; n < AnswerTarget && i < 3660; i++ {
		d = d.AddDate(0, 0, 1)
		if len(o.OpenIntervals(d)) > 0 {
			n++
		}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

// Age is e's age in working days at now: to its answer once answered.
func (e Entry) Age(o *queue.Office, now time.Time) int {
	if e.Status == Answered && !e.Answered.IsZero() {
		return WorkingDays(o, e.Registered, e.Answered)
	}
	return WorkingDays(o, e.Registered, now)
}

// OnTime reports whether e was answered within the target; Overdue whether
// it is still unanswered past it at now.
func (e Entry) OnTime(o *queue.Office) bool {
	return e.Status == Answered && WorkingDays(o, e.Registered, e.Answered) <= AnswerTarget
}

// Overdue reports whether e is unanswered past the target at now.
func (e Entry) Overdue(o *queue.Office, now time.Time) bool {
	return e.Status != Answered && WorkingDays(o, e.Registered, now) > AnswerTarget
}

// Count is a kind's registrations of a period, as the reports show them.
type Count struct {
	Registered int `json:"registered"` // all registered in the period
	Handling   int `json:"handling"`   // of those, being handled now
	Answered   int `json:"answered"`   // of those, answered
	OnTime     int `json:"on_time"`    // answered within the target
	Late       int `json:"late"`       // answered past it
	Overdue    int `json:"overdue"`    // unanswered past it now
}

// Tally counts the registrations made on the office days from..to
// (YYYY-MM-DD, both included) by kind, at now.
func Tally(o *queue.Office, entries []Entry, from, to string, now time.Time) map[Kind]*Count {
	out := map[Kind]*Count{}
	for _, k := range Kinds {
		out[k] = &Count{}
	}
	for _, e := range entries {
		d := o.Day(e.Registered)
		c := out[e.Kind]
		if d < from || d > to || c == nil {
			continue
		}
		c.Registered++
		switch {
		case e.Status == Handling:
			c.Handling++
		case e.Status == Answered:
			c.Answered++
			if e.OnTime(o) {
				c.OnTime++
			} else {
				c.Late++
			}
		}
		if e.Overdue(o, now) {
			c.Overdue++
		}
	}
	return out
}

// ContactExpired reports whether e's contact, text and notes are past the
// retention at now: answered more than days ago.
func (e Entry) ContactExpired(days int, now time.Time) bool {
	return e.Status == Answered && !e.Answered.IsZero() && !now.Before(e.Answered.AddDate(0, 0, days))
}
