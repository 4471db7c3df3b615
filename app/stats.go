package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"langelis/i18n"
	"langelis/queue"
	"langelis/reports"
)

// The daily figures (package reports) are aggregated from the journal by
// the engine's tick job: a day before today whose figures are missing (or
// not final, or of an older layout) is built from its events and stored;
// today's are built and stored once its day end has passed, and again
// whenever an event is added after. The hourly purge aggregates first, so
// no day's journal is purged before its figures are kept.

// aggregate stores the figures that are due. Days known to be stored
// final are remembered, so the tick costs one listing of the journal's
// days otherwise.
//
// The purge calls it with before set to the first day it keeps, so that no
// day is deleted before its figures are stored; the tick job with "", for
// every day. Open does not wait for it: a long journal is aggregated by
// the first ticks, not before the hall can serve.
func (a *App) aggregate(ctx context.Context, before string) {
	now := a.cfg.Clock.Now()
	today := a.Engine.Office().Day(now)
	days, err := a.Store.Days()
	if err != nil {
		a.log.Warn("app: daily figures: journal days", "err", err)
		return
	}
	if a.statsDone == nil {
		a.statsDone = map[string]bool{}
	}
	for _, d := range days {
		if ctx.Err() != nil || d > today || a.statsDone[d] || (before != "" && d >= before) ||
			(d == today && !a.pastDayEnd(now)) {
			continue // nothing due: no read at all
		}
		stored, err := a.Store.DayStats(d, d)
		if err != nil {
			a.log.Warn("app: daily figures: stored day", "day", d, "err", err)
			continue
		}
		var s reports.Day
		ok := len(stored) == 1
		if ok {
			s = stored[0]
		}
		if d < today && ok && s.Final && s.Version == reports.Version {
			a.statsDone[d] = true
			continue
		}
		if d == today {
			if !a.pastDayEnd(now) {
				continue
			}
			snap, err := a.Engine.Snapshot(ctx)
			if err != nil || snap.Day != today || (ok && s.Seq >= snap.Seq) {
				continue
			}
		}
		if _, err := a.RebuildDay(d); err != nil {
			a.log.Warn("app: daily figures", "day", d, "err", err)
		}
	}
}

// pastDayEnd reports whether today's day end (day_end_minutes after
// closing) has passed at now.
func (a *App) pastDayEnd(now time.Time) bool {
	closing, ok := a.Engine.Office().Closing(now)
	return ok && !now.Before(closing.Add(time.Duration(a.Engine.Office().DayEndMinutes)*time.Minute))
}

// RebuildDay builds a day's figures again from its journal and stores
// them in place of what was stored. A day whose journal has been purged
// cannot be rebuilt: its stored figures are all there is.
func (a *App) RebuildDay(day string) (reports.Day, error) {
	d, st, err := a.BuildDay(day, true)
	if err != nil {
		return reports.Day{}, err
	}
	if err := a.Store.PutDayStats(d, st); err != nil {
		return reports.Day{}, err
	}
	return d, nil
}

// BuildDay builds a day's figures from its journal without storing them;
// estimates replays the day to learn what was told at issue (costly: it
// is done at the day end, not for today's figures on demand).
func (a *App) BuildDay(day string, estimates bool) (reports.Day, reports.Staff, error) {
	evs, err := a.Store.DayEvents(day)
	if err != nil {
		return reports.Day{}, reports.Staff{}, err
	}
	if len(evs) == 0 {
		return reports.Day{}, reports.Staff{}, fmt.Errorf("app: the journal holds no events of %s (purged after retention, or a day without work)", day)
	}
	opt := reports.Options{ReasonCode: reasonCode, Estimates: estimates}
	if estimates {
		if opt.Recent, err = a.Store.RecentServiceTimes(day, queue.RecentDays); err != nil {
			return reports.Day{}, reports.Staff{}, err
		}
	}
	d, st := reports.Build(a.Engine.Office(), evs, opt)
	d.Seq = evs[len(evs)-1].Seq
	d.Final = day < a.Engine.Office().Day(a.cfg.Clock.Now())
	return d, st, nil
}

// Figures returns the figures of the days from..to: the stored ones, and
// today's built on demand from the journal (without the estimate error,
// which is worked out at the day end) when today is in the range and its
// day end has not stored them yet.
func (a *App) Figures(from, to string) ([]reports.Day, []reports.Staff, error) {
	days, err := a.Store.DayStats(from, to)
	if err != nil {
		return nil, nil, err
	}
	staff, err := a.Store.StaffStats(from, to)
	if err != nil {
		return nil, nil, err
	}
	today := a.Engine.Office().Day(a.cfg.Clock.Now())
	if today < from || today > to || slices.ContainsFunc(days, func(d reports.Day) bool { return d.Day == today }) {
		return days, staff, nil
	}
	d, st, err := a.BuildDay(today, false)
	if err != nil {
		return days, staff, nil // nothing happened today yet
	}
	return append(days, d), append(staff, st), nil
}

// Today is the office's business day now.
func (a *App) Today() string { return a.Engine.Office().Day(a.cfg.Clock.Now()) }

// reasonCode turns a refusal's or pause's text into a code: the desk page
// offers its reasons as the texts reason.CODE in the clerk's language, so
// a text equal to one of them, in any language, is that code.
func reasonCode(text string) string {
	t := strings.ToLower(strings.TrimSpace(text))
	for _, code := range reports.KnownReasons {
		for _, lang := range queue.Languages {
			if t == strings.ToLower(i18n.T(lang, "reason."+code)) {
				return code
			}
		}
	}
	return reports.DefaultReasonCode(text)
}

// purgeStaffFigures deletes the per-clerk figures past the office's
// audit_retention_days (the next journal purge compacts the file).
func (a *App) purgeStaffFigures() {
	keep := a.Engine.Office().AuditRetentionDays
	if keep <= 0 {
		keep = queue.DefaultAuditRetentionDays
	}
	keepFrom := a.Engine.Office().Day(a.cfg.Clock.Now().AddDate(0, 0, -keep))
	if n, err := a.Store.PurgeStaffStats(keepFrom); err != nil {
		a.log.Warn("app: purge per-clerk figures", "err", err)
	} else if n > 0 {
		a.log.Info("app: purged per-clerk figures past audit retention", "days", n)
	}
}
