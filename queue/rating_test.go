package queue_test

import (
	"strings"
	"testing"

	"langelis/queue"
)

// A served ticket is rated once, from its phone or at its desk; anything
// else is refused with a clear message and leaves the journal as it was.
func TestRatingOncePerServedTicket(t *testing.T) {
	e := newEnv(t)
	visitor := queue.Actor{User: "visitor"}
	a, b := e.issue("A"), e.issue("A")
	e.openDesk(1)
	e.next(1)
	// Called, not served yet: nothing to rate.
	if _, err := e.eng.Rate(ctx, a.ID, queue.Rating{Face: 5}, visitor); queue.ErrorCode(err) != queue.ECONFLICT ||
		!strings.Contains(english(err), "once its service is finished") {
		t.Fatalf("rating a called ticket: %v", err)
	}
	if _, err := e.eng.Start(ctx, 1, clerk(1)); err != nil {
		t.Fatal(err)
	}
	e.next(1) // finishes a, calls b
	seq := e.snapshot().Seq
	bad := []struct {
		name string
		id   string
		r    queue.Rating
		code string
		text string
	}{
		{"no face", a.ID, queue.Rating{}, queue.EINVALID, "Choose one of the 5 faces"},
		{"face 6", a.ID, queue.Rating{Face: 6}, queue.EINVALID, "Choose one of the 5 faces"},
		{"long comment", a.ID, queue.Rating{Face: 4, Comment: strings.Repeat("ą", queue.MaxRatingComment+1)}, queue.EINVALID, "501 characters, at most 500"},
		{"unknown ticket", "nope", queue.Rating{Face: 4}, queue.ENOTFOUND, "not in today's queue"},
	}
	for _, c := range bad {
		if _, err := e.eng.Rate(ctx, c.id, c.r, visitor); queue.ErrorCode(err) != c.code || !strings.Contains(english(err), c.text) {
			t.Errorf("%s: %v (%s)", c.name, err, english(err))
		}
	}
	if s := e.snapshot().Seq; s != seq {
		t.Fatalf("refused ratings wrote events: seq %d → %d", seq, s)
	}
	got, err := e.eng.Rate(ctx, a.ID, queue.Rating{Face: 4, Comment: "  quick  "}, visitor)
	if err != nil || !got.Rated {
		t.Fatalf("rating: %+v %v", got, err)
	}
	// A second answer, from the phone or the desk, is refused.
	if _, err := e.eng.Rate(ctx, a.ID, queue.Rating{Face: 1}, visitor); queue.ErrorCode(err) != queue.ECONFLICT ||
		!strings.Contains(english(err), "already been rated") {
		t.Fatalf("second rating: %v", err)
	}
	kiosk := queue.Actor{User: "kiosk:tablet1"}
	if _, err := e.eng.RateAtDesk(ctx, 1, a.Number, queue.Rating{Face: 1}, kiosk); queue.ErrorCode(err) != queue.ECONFLICT {
		t.Fatalf("second rating at the desk: %v", err)
	}
	// The desk's tablet rates only what that desk served.
	if _, err := e.eng.RateAtDesk(ctx, 2, a.Number, queue.Rating{Face: 3}, kiosk); queue.ErrorCode(err) != queue.ENOTFOUND {
		t.Fatalf("rating at another desk: %v", err)
	}
	if _, err := e.eng.Start(ctx, 1, clerk(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Finish(ctx, 1, clerk(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.RateAtDesk(ctx, 1, strings.ToLower(b.Number), queue.Rating{Face: 2}, kiosk); err != nil {
		t.Fatal(err)
	}
	// Both answers are in the journal, in order, and survive a restart.
	e.reopen()
	if !e.ticket(a.ID).Rated || !e.ticket(b.ID).Rated {
		t.Fatal("rated tickets forgot it after a restart")
	}
	evs, err := e.store.DayEvents("2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	var rated []queue.Rating
	for _, ev := range evs {
		if ev.Type == queue.TicketRated {
			rated = append(rated, *ev.Rating)
		}
	}
	want := []queue.Rating{{Face: 4, Comment: "quick", Via: queue.RatedOnPhone}, {Face: 2, Via: queue.RatedAtDesk}}
	if len(rated) != 2 || rated[0] != want[0] || rated[1] != want[1] {
		t.Fatalf("journal ratings %+v, want %+v", rated, want)
	}
	// The hall never hears the event.
	if _, public := evs[len(evs)-1].Public(); public {
		t.Fatal("ticket.rated is public")
	}
}
