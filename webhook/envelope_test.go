package webhook_test

import (
	"encoding/json"
	"strings"
	"testing"

	"langelis/queue"
	"langelis/webhook"
)

// An answer after service goes to hooks that chose "feedback", with its
// face and where it was given, and never the visitor's comment, the
// ticket's token or its priority group.
func TestFeedbackEnvelope(t *testing.T) {
	if k := webhook.KindOf(queue.TicketRated); k != "feedback" {
		t.Fatalf("ticket.rated is kind %q", k)
	}
	ev := queue.Event{Seq: 9, Type: queue.TicketRated, Day: "2026-11-23",
		Ticket: &queue.Ticket{ID: "secret-token", Number: "A004", Service: "A", Status: queue.Done, Category: "elderly"},
		Rating: &queue.Rating{Face: 2, Comment: "the clerk Jonas was rude", Via: queue.RatedOnPhone}}
	body, err := json.Marshal(webhook.NewEnvelope("hall", "e1", ev))
	if err != nil {
		t.Fatal(err)
	}
	var got webhook.Envelope
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Kind != "feedback" || got.Rating == nil || got.Rating.Face != 2 || got.Rating.Via != "phone" || got.Ticket.Number != "A004" {
		t.Fatalf("envelope %s", body)
	}
	for _, never := range []string{"Jonas", "secret-token", "elderly"} {
		if strings.Contains(string(body), never) {
			t.Errorf("the envelope carries %q: %s", never, body)
		}
	}
}
