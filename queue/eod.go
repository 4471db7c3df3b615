package queue

import (
	"context"
	"reflect"
	"time"
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
	e.cutMu.Lock()
	fn := e.onCutoff
	e.cutMu.Unlock()
	if fn == nil || e.stale {
		return
	}
	c := e.publicCutoff(e.clock.Now())
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

// Preview is what the kiosk shows before it issues: where a new ticket for
// a service would stand, and whether it would be served today.
type Preview struct {
	Service    string    `json:"service"`
	Open       bool      `json:"open"`
	Ahead      int       `json:"ahead"`
	EstimateAt time.Time `json:"estimated_call_at,omitzero"`
	Today      *bool     `json:"served_today,omitempty"` // nil when the office does not close today
	Action     string    `json:"action"`                 // issue, warn, stop or closed
	Cutoff     *Cutoff   `json:"cutoff,omitempty"`
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
		if v.previewSeq != e.st.seq || !reusable(v.previewAt, tx.now) {
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
		Cutoff: cut, Action: "issue"}
	if cut != nil {
		today := est.Today
		pv.Today = &today
		if !today {
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
	// ticket that will be called today is issued.
	p := e.project(tx.now, t, false)
	if !e.stops(p.Cutoff) || p.Estimates[t.ID].Today {
		return nil
	}
	return E(EBEYOND, "err.beyond", "service", t.Service, "time", p.Cutoff.Closing.In(e.office.Location()).Format("15:04"))
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
