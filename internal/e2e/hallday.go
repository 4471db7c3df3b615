package e2e

import (
	"context"
	"math/rand"
	"testing"
	"time"

	"langelis/app"
	"langelis/queue"
)

// HallOffice has two services with different target waits and three
// desks, open 8:00-16:00 on weekdays.
func HallOffice() *queue.Office {
	o := &queue.Office{Name: "Salė", TimeZone: "Europe/Vilnius", RetentionDays: 60,
		Services: []queue.Service{
			{Letter: "A", Names: map[string]string{"lt": "Deklaravimas", "en": "Declarations"}, TargetMinutes: 8, TargetWaitMinutes: 10},
			{Letter: "B", Names: map[string]string{"lt": "Statyba", "en": "Building"}, TargetMinutes: 12},
		},
		Desks: []queue.DeskDef{{Number: 1, Services: []string{"A"}}, {Number: 2, Services: []string{"A", "B"}},
			{Number: 3, Services: []string{"B"}}}}
	for d := time.Monday; d <= time.Friday; d++ {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 16 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		panic(err)
	}
	return o
}

// HallDayResult is what the test's hall did on one day, as the desks and the
// kiosk saw it: the call time each ticket was told at issue.
type HallDayResult struct {
	Day  string
	Told map[string]time.Time // by ticket ID, what IssuePlaced answered
}

// HallDay drives one day through the real engine of a: visitors arrive
// through the day, three clerks call, start and finish them; some do not
// come, some are refused (a listed reason or a clerk's own words), some
// are sent to the other service, some give up, one desk pauses for lunch;
// who still waits at the day end is closed by the engine.
func HallDay(t testing.TB, a *app.App, clk *queue.ManualClock, rng *rand.Rand) HallDayResult {
	t.Helper()
	ctx := context.Background()
	eng := a.Engine
	open, ok := a.Office.NextOpening(clk.Now())
	if !ok {
		t.Fatal("no opening")
	}
	closing, _ := a.Office.Closing(open)
	clk.Set(open)
	hd := HallDayResult{Day: a.Office.Day(open), Told: map[string]time.Time{}}
	clerks := map[int]queue.Actor{1: {User: "rasa", Name: "Rasa"}, 2: {User: "jonas", Name: "Jonas"}, 3: {User: "ona", Name: "Ona"}}
	for n := 1; n <= 3; n++ {
		if _, err := eng.OpenDesk(ctx, n, clerks[n]); err != nil {
			t.Fatal(err)
		}
	}
	// The answers after service have their own randomness, so the rest
	// of the day is what it was before they existed.
	rate := rand.New(rand.NewSource(open.Unix()))
	busyUntil := map[int]time.Time{}
	var waiting []string
	lunch := open.Add(4 * time.Hour)
	paused := false
	for now := open; now.Before(closing); now = now.Add(time.Minute) {
		clk.Set(now)
		if rng.Float64() < 0.21 { // about 12 an hour: the desks are busy, waits build up at times
			svc := []string{"A", "A", "B"}[rng.Intn(3)]
			p, err := eng.IssuePlaced(ctx, queue.IssueRequest{Service: svc, Channel: queue.ChannelKiosk}, queue.Actor{User: "kiosk:1"})
			if err != nil {
				t.Fatal(err)
			}
			if p.Place != nil && p.Place.OpenDesks > 0 {
				hd.Told[p.Ticket.ID] = p.Place.CallAt
			}
			waiting = append(waiting, p.Ticket.ID)
		}
		if len(waiting) > 3 && rng.Float64() < 0.02 { // a visitor gives up
			if _, err := eng.Cancel(ctx, waiting[len(waiting)-1], queue.Actor{User: "visitor"}); err == nil {
				waiting = waiting[:len(waiting)-1]
			}
		}
		if !paused && !now.Before(lunch) {
			if _, err := eng.Pause(ctx, 2, []string{"pietūs", ""}[rng.Intn(2)], clerks[2]); err == nil {
				paused = true
			}
		}
		if paused && !now.Before(lunch.Add(25*time.Minute)) {
			if _, err := eng.Resume(ctx, 2, clerks[2]); err == nil {
				paused = false
				lunch = closing.Add(time.Hour)
			}
		}
		for n := 1; n <= 3; n++ {
			if now.Before(busyUntil[n]) {
				continue
			}
			d := n
			// Refused when the desk serves nobody: fine.
			if f, err := eng.Finish(ctx, d, clerks[d]); err == nil && f.Ticket != nil {
				rateAfterService(t, eng, rate, d, *f.Ticket)
			}
			if now.After(closing.Add(-10 * time.Minute)) {
				continue
			}
			r, err := eng.Next(ctx, d, clerks[d])
			if err != nil || r.Ticket == nil {
				continue
			}
			clk.Set(now.Add(time.Duration(rng.Intn(50)) * time.Second))
			switch x := rng.Float64(); {
			case x < 0.06:
				if _, err := eng.NoShowTicket(ctx, d, clerks[d]); err != nil {
					t.Fatal("no-show:", err)
				}
				continue
			case x < 0.09:
				if _, err := eng.Refuse(ctx, d, []string{"Neblaivus", "Aggressive", "šaukė ant kitų"}[rng.Intn(3)], clerks[d]); err != nil {
					t.Fatal("refuse:", err)
				}
				continue
			}
			if _, err := eng.Start(ctx, d, clerks[d]); err != nil {
				t.Fatal("start:", err)
			}
			if rng.Float64() < 0.05 {
				to := map[string]string{"A": "B", "B": "A"}[r.Ticket.Service]
				if _, err := eng.Transfer(ctx, d, to, 0, clerks[d]); err != nil {
					t.Fatal("transfer:", err)
				}
				continue
			}
			busyUntil[d] = now.Add(time.Duration(3+rng.Intn(15)) * time.Minute)
			clk.Set(now)
		}
	}
	// The clerks finish who they serve; then the day end closes the rest,
	// and the tick after it stores the day's figures.
	clk.Set(closing.Add(20 * time.Minute))
	for n := 1; n <= 3; n++ {
		eng.Finish(ctx, n, clerks[n])
		if _, err := eng.CloseDesk(ctx, n, queue.CloseMode(""), clerks[n]); err != nil {
			t.Fatalf("close desk %d: %v", n, err)
		}
	}
	clk.Set(closing.Add(time.Duration(a.Office.DayEndMinutes)*time.Minute + time.Hour))
	return hd
}

// rateAfterService has a served visitor answer the question after service
// sometimes: on the phone (the ticket's token), on the desk's tablet (its
// number), or not at all; now and then a second answer, which is refused.
func rateAfterService(t testing.TB, eng *queue.Engine, rng *rand.Rand, desk int, tk queue.Ticket) {
	ctx := context.Background()
	face := 1 + rng.Intn(queue.RatingFaces)
	var err error
	switch x := rng.Float64(); {
	case x < 0.35:
		_, err = eng.Rate(ctx, tk.ID, queue.Rating{Face: face, Comment: "ačiū"}, queue.Actor{User: "visitor"})
	case x < 0.55:
		_, err = eng.RateAtDesk(ctx, desk, tk.Number, queue.Rating{Face: face}, queue.Actor{User: "kiosk:tablet"})
	default:
		return
	}
	if err != nil {
		t.Fatal("rate:", err)
	}
	if rng.Float64() < 0.1 {
		if _, err := eng.Rate(ctx, tk.ID, queue.Rating{Face: 1}, queue.Actor{User: "visitor"}); queue.ErrorCode(err) != queue.ECONFLICT {
			t.Fatal("a second answer was not refused:", err)
		}
	}
}
