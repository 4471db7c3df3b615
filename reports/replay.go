package reports

import (
	"context"
	"io"
	"log/slog"
	"time"

	"langelis/queue"
)

// The journal does not carry the call time a visitor was told at issue,
// nor the cutoff the hall heard: the engine computes both from its state
// when something reads them, and writing them into every ticket.issued
// event would put a projection per ticket into the commit path (the issue
// budget, DESIGN.md "Budgets"). Both are a pure function of the journal up
// to that moment and the recent days' service times the engine started
// with, so they are recomputed here by replaying the day, up to each
// issue, through the real engine (queue.NewEngine on an in-memory journal)
// and asking it what it tells: TicketPlaced for a ticket, Snapshot's
// cutoff for the hall. The forward model's ranges are not replayed: the
// error is the projection's point estimate, the figure on the ticket.

// EstWithin is the estimate-accuracy bound the reports and /results use:
// a visitor called within this of the time told was told right.
const EstWithin = 10 * time.Minute

type memJournal struct{ events []queue.Event }

func (j *memJournal) Append(evs []queue.Event) error {
	j.events = append(j.events, evs...)
	return nil
}

func (j *memJournal) Recover() ([]queue.Event, uint64, error) {
	var last uint64
	if n := len(j.events); n > 0 {
		last = j.events[n-1].Seq
	}
	return j.events, last, nil
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// replayAt starts an engine on events as of at and runs fn on it.
func replayAt(o *queue.Office, events []queue.Event, at time.Time, recent map[string][]time.Duration, fn func(*queue.Engine)) {
	j := &memJournal{events: events[:len(events):len(events)]}
	eng, err := queue.NewEngine(o, j, queue.Options{Clock: queue.NewManualClock(at), Logger: quiet, Recent: recent,
		CheckpointEvery: -1})
	if err != nil {
		return
	}
	defer eng.Close()
	fn(eng)
}

// toldAtIssue returns, by ticket ID, the call time the engine told each
// ticket right after its issue; a ticket for which no desk was open (the
// pages then say so instead of a time) is left out. Of a day with more
// than limit tickets, every k-th is replayed, so the cost stays bounded
// and the same events give the same sample.
func toldAtIssue(o *queue.Office, events []queue.Event, recent map[string][]time.Duration, limit int) map[string]time.Time {
	out := map[string]time.Time{}
	ctx := context.Background()
	issued := 0
	for _, ev := range events {
		if ev.Type == queue.TicketIssued {
			issued++
		}
	}
	stride := (issued + limit - 1) / max(limit, 1)
	k := -1
	for i, ev := range events {
		if ev.Type != queue.TicketIssued || ev.Ticket == nil {
			continue
		}
		if k++; k%max(stride, 1) != 0 {
			continue
		}
		// Commands committed in the same batch share its time: the answer
		// was read after all of them.
		end := i + 1
		for end < len(events) && events[end].At.Equal(ev.At) && events[end].Type == queue.TicketIssued {
			end++
		}
		id := ev.Ticket.ID
		replayAt(o, events[:end], ev.At, recent, func(eng *queue.Engine) {
			p, err := eng.TicketPlaced(ctx, id)
			if err == nil && p.Place != nil && p.Place.OpenDesks > 0 {
				out[id] = p.Place.CallAt
			}
		})
	}
	return out
}

// cutoffCheck replays the day to the first end-of-day announcement
// (notice_minutes before closing) and compares the count the hall heard
// with how many of the tickets then waiting were called that day.
func cutoffCheck(o *queue.Office, events []queue.Event, recent map[string][]time.Duration) *CutoffCheck {
	if len(events) == 0 {
		return nil
	}
	closing, ok := o.Closing(events[0].At)
	if !ok {
		return nil
	}
	notice := closing.Add(-time.Duration(o.NoticeMinutes) * time.Minute)
	n := 0
	for n < len(events) && !events[n].At.After(notice) {
		n++
	}
	if n == 0 || n == len(events) {
		return nil // the day began after the notice, or ended before it
	}
	var c *CutoffCheck
	waiting := map[string]bool{}
	replayAt(o, events[:n], notice, recent, func(eng *queue.Engine) {
		snap, err := eng.Snapshot(context.Background())
		if err != nil || snap.Cutoff == nil {
			return
		}
		for _, t := range snap.Tickets {
			if t.Status == queue.Waiting {
				waiting[t.ID] = true
			}
		}
		c = &CutoffCheck{Announced: snap.Cutoff.Count}
	})
	if c == nil || len(waiting) == 0 {
		return nil
	}
	called := map[string]bool{}
	for _, ev := range events[n:] {
		if ev.Type == queue.TicketCalled && ev.Ticket != nil && waiting[ev.Ticket.ID] && !called[ev.Ticket.ID] {
			called[ev.Ticket.ID] = true
			c.Served++
		}
	}
	return c
}
