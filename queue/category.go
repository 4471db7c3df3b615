package queue

import (
	"context"
	"strings"
)

// SetDeskCategory corrects a ticket's priority category from a desk: the
// desk's current client when number is empty, else the active ticket with
// that number. A clerk may see that a visitor chose the wrong group, or
// none when they belong to one; the correction is recorded as an event
// (ticket.category_changed), which the hall never hears.
func (e *Engine) SetDeskCategory(ctx context.Context, n int, number string, c Category, a Actor) (DeskResult, error) {
	number = strings.ToUpper(strings.TrimSpace(number))
	return e.deskCmd(ctx, n, a, func(tx *Tx, d *Desk) (*Ticket, error) {
		t := e.held(d)
		if number != "" {
			var ok bool
			if t, ok = e.st.byNumber[number]; !ok {
				return nil, E(ENOTFOUND, "err.ticket.unknown", "number", Clip(number))
			}
		}
		if t == nil {
			return nil, E(ECONFLICT, "err.category.no_client", "desk", n)
		}
		if !t.Status.Active() {
			return nil, E(ECONFLICT, "err.ticket.ended", "number", t.Number, "status", StatusWord(t.Status))
		}
		if t.Category == c {
			return t, nil
		}
		nt := *t
		nt.Category = c
		tx.emit(Event{Type: TicketCategory, Actor: a.User, Ticket: &nt})
		return &nt, nil
	})
}
