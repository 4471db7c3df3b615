package city_test

import (
	"encoding/json"
	"strings"
	"testing"

	"langelis/city"
	"langelis/queue"
)

// A visitor's answer after service never leaves the hall: not the face,
// not the comment, not even which ticket answered.
func TestRatingsStayInTheHall(t *testing.T) {
	ev := queue.Event{Seq: 9, Type: queue.TicketRated, Day: "2026-11-30", Actor: "visitor",
		Ticket: &queue.Ticket{ID: "tok", Number: "A012", Status: queue.Done, Rated: true},
		Rating: &queue.Rating{Face: 1, Comment: "the clerk was rude", Via: queue.RatedOnPhone}}
	out := city.FromQueue(ev)
	data, _ := json.Marshal(out)
	if out.Type != city.Noop || out.Ticket != nil || strings.Contains(string(data), "rude") {
		t.Fatalf("a rating left the hall as %s", data)
	}
}
