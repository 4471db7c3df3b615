package server

import (
	"encoding/json"
	"testing"
	"time"

	"langelis/queue"
	"langelis/wire"
)

// A ticket's page gets a new message when the cutoff changes only where it
// shows the cutoff: a waiting ticket while the notice is due (and once
// when it ends), or one beyond the cutoff. Otherwise a cutoff that moves
// with every issue would reach every phone at every issue.
func TestTicketStateSentWhenItsPageShowsTheCutoff(t *testing.T) {
	at := time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC)
	ahead, yes, no := 3, true, false
	waiting := wire.Ticket{ID: "tok", Number: "A004", Status: queue.Waiting, Ahead: &ahead, EstimatedCallAt: &at, ServedToday: &yes}
	beyond := waiting
	beyond.ServedToday = &no
	quiet := &queue.Cutoff{Count: 4, Last: "A004", Waiting: 5}
	moved := &queue.Cutoff{Count: 4, Last: "A004", Waiting: 6} // someone took a ticket
	due := &queue.Cutoff{Count: 4, Last: "A004", Waiting: 6, Notice: true}
	due2 := &queue.Cutoff{Count: 3, Last: "A003", Waiting: 6, Notice: true}
	over := &queue.Cutoff{Count: 3, Last: "A003", Waiting: 6}
	for _, c := range []struct {
		name     string
		view     wire.Ticket
		was, now *queue.Cutoff
		want     bool
	}{
		{"same ticket, same cutoff", waiting, quiet, quiet, false},
		{"the cutoff moves before the notice", waiting, quiet, moved, false},
		{"the notice comes due", waiting, moved, due, true},
		{"the figure moves while the notice is due", waiting, due, due2, true},
		{"the notice ends", waiting, due2, over, true},
		{"beyond the cutoff, the figure moves", beyond, quiet, moved, true},
		{"the ticket was called", wire.Ticket{ID: "tok", Number: "A004", Status: queue.Called, Desk: 2}, quiet, quiet, true},
	} {
		w := &ticketWatch{ids: map[string]*watched{}}
		w.add("tok", wire.TicketState{Ticket: waiting, Cutoff: c.was})
		if c.view.Status == waiting.Status && c.view.ServedToday != waiting.ServedToday {
			w.ids["tok"].view = c.view
		}
		r := stateRound{w: w, seq: 9, cutoff: c.now}
		r.cutJSON, _ = json.Marshal(c.now)
		r.check(c.view)
		if got := len(r.updates) == 1; got != c.want {
			t.Errorf("%s: sent %v, want %v", c.name, got, c.want)
		}
	}
}
