package office

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"langelis/queue"
)

// bookingFields are the fields of a service's booking: (booking.go of
// package queue says what each means).
var bookingFields = []string{"shares", "days_ahead", "slot_minutes", "check_in_before_minutes", "check_in_after_minutes", "grace_minutes"}

// booking reads a service's booking settings:
//
//	booking:
//	  shares: {"09:00-12:00": 40, "13:00-16:00": 30}  # percent of the desks' time
//	  days_ahead: 30
//	  slot_minutes: 15
//	  check_in_before_minutes: 30
//	  check_in_after_minutes: 15
//	  grace_minutes: 5
func (p *parser) booking(n *yaml.Node, label string) *queue.BookingSettings {
	where := "booking of " + label
	entries, ok := p.mapping(n, where, bookingFields)
	if !ok {
		return nil
	}
	b := &queue.BookingSettings{}
	hasShares := false
	for _, e := range entries {
		what := e.key + " of " + where
		switch e.key {
		case "shares":
			hasShares = true
			b.Shares = p.shares(e.v, what)
		case "days_ahead":
			b.DaysAhead, _ = p.integer(e.v, what, 1, 366, defaultIs(queue.DefaultDaysAhead))
		case "slot_minutes":
			b.SlotMinutes, _ = p.integer(e.v, what, 5, 240, defaultIs(queue.DefaultSlotMinutes))
		case "check_in_before_minutes":
			b.CheckInBefore, _ = p.integer(e.v, what, 1, 240, defaultIs(queue.DefaultCheckInBefore))
		case "check_in_after_minutes":
			b.CheckInAfter, _ = p.integer(e.v, what, 1, 240, defaultIs(queue.DefaultCheckInAfter))
		case "grace_minutes":
			b.GraceMinutes, _ = p.integer(e.v, what, 1, 120, defaultIs(queue.DefaultGraceMinutes))
		}
	}
	if !hasShares {
		p.errorf(n, `%s has no shares (add shares: {"09:00-12:00": 40}: which share of the desks' time may be booked when)`, where)
	}
	return b
}

// shares reads {"09:00-12:00": 40, ...}: percent of the desks' time per
// stretch of the day, in the order of the day.
func (p *parser) shares(n *yaml.Node, what string) []queue.BookingShare {
	entries, ok := p.mapping(n, what, nil)
	if !ok {
		return nil
	}
	var out []queue.BookingShare
	for _, e := range entries {
		spans, err := queue.ParseSpans(e.key)
		if err != nil || len(spans) != 1 {
			p.errorf(e.k, "%s: %q is not one time range like \"09:00-12:00\"", what, e.key)
			continue
		}
		pct, ok := p.number(e.v, fmt.Sprintf("%s %s", what, e.key), 0, false, 100, " (a percentage of the desks' time)")
		if !ok {
			continue
		}
		out = append(out, queue.BookingShare{Span: spans[0], Percent: pct})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Span.Start < out[j].Span.Start })
	for i := 1; i < len(out); i++ {
		if out[i].Span.Start < out[i-1].Span.End {
			p.errorf(n, "%s: %s overlaps %s", what, out[i].Span, out[i-1].Span)
		}
	}
	if len(out) == 0 && len(entries) == 0 {
		p.errorf(n, `%s is empty (give at least one like "09:00-12:00": 40)`, what)
	}
	return out
}

// writeBooking writes a service's booking settings as booking reads them.
func writeBooking(w func(string, ...any), b *queue.BookingSettings) {
	parts := make([]string, len(b.Shares))
	for i, s := range b.Shares {
		parts[i] = fmt.Sprintf("%q: %s", s.Span.String(), num(s.Percent))
	}
	w("    booking:\n      shares: {%s}\n", strings.Join(parts, ", "))
	w("      days_ahead: %d\n      slot_minutes: %d\n", b.DaysAhead, b.SlotMinutes)
	w("      check_in_before_minutes: %d\n      check_in_after_minutes: %d\n      grace_minutes: %d\n",
		b.CheckInBefore, b.CheckInAfter, b.GraceMinutes)
}
