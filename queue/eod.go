package queue

import (
	"context"
	"reflect"
	"time"

	"langelis/priority"
)

// EBEYOND refuses a ticket that the projection says cannot be served
// today, when the office stops issuing them (beyond_cutoff: stop).
const EBEYOND = "beyond_cutoff"

// SetCutoffListener sets who hears the cutoff whenever it changes: after
// committed events and on every Tick, so a notice due at a set time is
// heard within a tick of it. It is called from the engine's goroutine after
// the events' publisher, and must not block.
func (e *Engine) SetCutoffListener(fn func(c *Cutoff)) {
	e.cutMu.Lock()
	e.onCutoff = fn
	e.cutMu.Unlock()
}

// announceEvery is how many batches in a row may pass without telling the
// cutoff while commands keep coming: the figure is worked out once the
// engine has a moment, not after every commit of a flood.
const announceEvery = 8

// announceCutoff tells the listener the cutoff, when committed changes
// (or a tick) are not yet announced and it differs from the last one told.
// busy says more commands are waiting.
func (e *Engine) announceCutoff(busy bool) {
	if !e.cutoffDue {
		return
	}
	if e.announceSkipped++; busy && e.announceSkipped < announceEvery {
		return
	}
	e.cutoffDue, e.announceSkipped = false, 0
	e.tellCutoff(e.clock.Now())
}

// tellCutoff tells the listener the cutoff at now if it differs from the
// last one told.
func (e *Engine) tellCutoff(now time.Time) {
	e.cutMu.Lock()
	fn := e.onCutoff
	e.cutMu.Unlock()
	if fn == nil || e.stale {
		return
	}
	c := e.publicCutoff(now)
	if reflect.DeepEqual(c, e.lastCutoff) {
		return
	}
	e.lastCutoff = c
	fn(c)
}

// Stay records how long the clerk at desk n stays: until that time the
// desk keeps calling, also past closing (the projection and the day end
// count on it). A time before closing says the desk stops calling early.
// The zero time takes the word back.
func (e *Engine) Stay(ctx context.Context, n int, until time.Time, a Actor) (DeskResult, error) {
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		if !until.IsZero() {
			if !until.After(tx.now) {
				return nil, E(EINVALID, "err.stay.past")
			}
			if e.office.Day(until) != e.office.Day(tx.now) {
				return nil, E(EINVALID, "err.stay.midnight")
			}
		}
		nd := *d
		nd.StayUntil = until
		tx.emit(Event{Type: EventDeskStay, Actor: a.User, Desk: &nd})
		return nil, nil
	})
}

// The probabilities of a call today that the kiosk and the pages act on
// (README "End of day"). A single projected time cannot say how sure it
// is; the forward model's probability can, so the visitor is warned when
// there is a real chance of not being served, and turned away only when
// there is almost none of being served.
const (
	// WarnBelow: the kiosk asks before it issues a ticket less likely
	// than this to be called today (one in five or more would not be).
	WarnBelow = 0.8
	// StopBelow: with beyond_cutoff: stop, once the announcements are
	// due, a ticket less likely than this to be called today is refused.
	StopBelow = 0.1
	// LikelyFrom: a status page says "likely today, at about …" from this
	// probability on, once the announcements are due.
	LikelyFrom = 0.9
	// UnlikelyBelow: below it a status page says "unlikely today" and
	// offers to give up the place, whatever the hour.
	UnlikelyBelow = 0.5
)

// Preview is what the kiosk shows before it issues: where a new ticket for
// a service would stand, and whether it would be served today.
type Preview struct {
	Service    string    `json:"service"`
	Open       bool      `json:"open"`
	Ahead      int       `json:"ahead"`
	EstimateAt time.Time `json:"estimated_call_at,omitzero"`
	Today      *bool     `json:"served_today,omitempty"` // the projection's point; nil when the office does not close today
	// Range and TodayProbability are the forward model's (absent until it
	// has run on this state); with a probability, Action follows it
	// (WarnBelow, StopBelow) rather than the point.
	Range            *CallRange `json:"estimated_call_range,omitempty"`
	TodayProbability *float64   `json:"served_today_probability,omitempty"`
	Action           string     `json:"action"` // issue, warn, stop or closed
	Cutoff           *Cutoff    `json:"cutoff,omitempty"`
	// OpenDesks is how many desks serving the service are open (or
	// paused) now; with none, EstimateAt assumes they open now.
	OpenDesks int `json:"open_desks"`
	// NotYetOpened says that no desk of the hall has opened yet today
	// (State.notYetOpened): the kiosk then issues without a warning.
	NotYetOpened bool `json:"desks_not_yet_opened,omitempty"`
}

// Preview projects a ticket for service and category as if it were issued
// now, without issuing it. Anyone may ask, so it is worked out without
// the waiting tickets' priority (project's public): a priority visitor
// learns where a priority ticket would stand among regular ones, and
// nobody learns how many priority tickets wait. The answer for the same
// state is reused for a second, so asking again and again costs the
// engine nothing more.
func (e *Engine) Preview(ctx context.Context, service string, c Category) (Preview, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		if _, ok := e.office.Service(service); !ok {
			return nil, E(EINVALID, "err.service.unknown", "service", Clip(service))
		}
		v := &e.views
		// A new forecast drops the answers (SetForecast) without a new event.
		if v.preview == nil || v.previewSeq != e.st.seq || !reusable(v.previewAt, tx.now) {
			v.preview, v.previewSeq, v.previewAt = map[previewKey]Preview{}, e.st.seq, tx.now
		}
		key := previewKey{service: service, prio: c.IsPriority()}
		pv, ok := v.preview[key]
		if !ok {
			pv = e.preview(tx.now, service, c)
			v.preview[key] = pv
		}
		return pv, nil
	})
	if err != nil {
		return Preview{}, err
	}
	return res.(Preview), nil
}

func (e *Engine) preview(now time.Time, service string, c Category) Preview {
	t := &Ticket{ID: "preview", Service: service, Category: c, Status: Waiting, QueuedAt: now, IssuedAt: now}
	r := e.runForward(now, t, true)
	var est Estimate
	for _, pt := range r.order {
		if pt.t == t {
			est = pt.est
		}
	}
	cut := e.cutoff(now, r.order, t)
	pv := Preview{Service: service, Open: e.office.IsOpen(now), Ahead: est.Ahead, EstimateAt: est.CallAt,
		Cutoff: cut, Action: "issue", OpenDesks: e.st.openDesksFor(priority.Candidate{Service: service})}
	pv.NotYetOpened = pv.OpenDesks == 0 && e.st.notYetOpened(e.office, now)
	if cf, ok := e.previewForecast(service, c.IsPriority(), now); ok {
		r := cf.Range
		pv.Range = &r
		if cut != nil {
			p := cf.PToday
			pv.TodayProbability = &p
		}
	}
	if cut != nil {
		today := est.Today
		pv.Today = &today
		switch p := pv.TodayProbability; {
		case p != nil && *p < StopBelow && e.stops(cut):
			pv.Action = "stop"
		case p != nil && *p < WarnBelow:
			pv.Action = "warn"
		case p == nil && !today:
			pv.Action = "warn"
			if e.stops(cut) {
				pv.Action = "stop"
			}
		}
	}
	if !pv.Open {
		pv.Action = "closed"
	}
	return pv
}

// stops reports whether a ticket beyond cutoff c is refused rather than
// issued with a warning: with beyond_cutoff: stop, once the announcements
// are due. Earlier in the day the projection knows only the desks open so
// far (a desk for a service may simply not be open yet), which is enough to
// warn a visitor but not to turn them away.
func (e *Engine) stops(c *Cutoff) bool {
	return e.office.BeyondCutoff == "stop" && c != nil && c.Notice
}

// beyondCutoff refuses t when the office stops issuing tickets that cannot
// be served today and the projection says t is one.
func (e *Engine) beyondCutoff(tx *Tx, t *Ticket) error {
	if e.office.BeyondCutoff != "stop" || !e.noticeDue(tx.now) {
		return nil
	}
	// The visitor's own answer: under the office's policy, so a priority
	// ticket that will be called today is issued. The forward model's
	// probability decides when there is one (the same the kiosk's preview
	// went by); the projection's point otherwise.
	p := e.project(tx.now, t, false)
	if !e.stops(p.Cutoff) {
		return nil
	}
	if f := e.currentForecast(tx.now); f != nil && e.st.seq-f.Seq < newTicketLag {
		if cf, ok := f.New[NewTicket{Service: t.Service, Priority: t.Category.IsPriority()}]; ok {
			if cf.PToday >= StopBelow {
				return nil
			}
			return e.refuseBeyond(t, p.Cutoff)
		}
	}
	if p.Estimates[t.ID].Today {
		return nil
	}
	return e.refuseBeyond(t, p.Cutoff)
}

// refuseBeyond is the refusal of a ticket beyond the cutoff.
func (e *Engine) refuseBeyond(t *Ticket, cut *Cutoff) error {
	return E(EBEYOND, "err.beyond", "service", t.Service, "time", cut.Closing.In(e.office.Location()).Format("15:04"))
}

// noticeDue reports whether the end-of-day announcements are due at now
// (Cutoff.Notice) without projecting anything.
func (e *Engine) noticeDue(now time.Time) bool {
	closing, ok := e.closingFor(now)
	if !ok {
		return false
	}
	end, _ := e.dayEndAt(now)
	return !now.Before(closing.Add(-time.Duration(e.office.NoticeMinutes)*time.Minute)) && now.Before(end)
}
