package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"langelis/queue"
	"langelis/store"
)

// The retention, compaction and damage tests need weeks of journal: a real
// engine writes it, with the events it emits kept in memory for a day and
// written in one transaction at the day's end (one fsync a day instead of
// one a command), so what lands in the file is what a hall writes.

var vilnius = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Vilnius")
	if err != nil {
		panic(err)
	}
	return loc
}()

func dayOffice() *queue.Office {
	o := &queue.Office{Name: "Testas", TimeZone: "Europe/Vilnius", RetentionDays: 30,
		Services: []queue.Service{
			{Letter: "A", Names: map[string]string{"lt": "Deklaravimas"}, TargetMinutes: 10},
			{Letter: "B", Names: map[string]string{"lt": "Išmokos"}, TargetMinutes: 5},
		}}
	for n := 1; n <= 10; n++ {
		o.Desks = append(o.Desks, queue.DeskDef{Number: n, Services: []string{"A", "B"}})
	}
	for d := 0; d < 7; d++ {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 20 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		panic(err)
	}
	return o
}

// dayJournal is the store behind the generating engine.
type dayJournal struct {
	s   *store.Store
	buf []queue.Event
}

func (j *dayJournal) Append(evs []queue.Event) error { j.buf = append(j.buf, evs...); return nil }

func (j *dayJournal) Recover() ([]queue.Event, uint64, error) {
	if err := j.flush(); err != nil {
		return nil, 0, err
	}
	return j.s.Recover()
}

func (j *dayJournal) flush() error {
	err := j.s.Append(j.buf)
	j.buf = nil
	return err
}

// secrets are what a purged day must no longer show anywhere: each
// ticket's token (its status page address) and each refusal's reason,
// a text that names the visitor's situation.
type secrets struct {
	tokens  []string
	reasons []string
	events  [][]byte // every event of the day as stored
}

// writeDays runs the office for days days from first (a local date), each
// with perDay tickets over ten desks: every fourth ticket with a disability
// priority, every tenth refused with a reason. It returns each day's
// secrets by date.
func writeDays(tb testing.TB, s *store.Store, first time.Time, days, perDay int) map[string]*secrets {
	tb.Helper()
	ctx := context.Background()
	o := dayOffice()
	clock := queue.NewManualClock(time.Date(first.Year(), first.Month(), first.Day(), 8, 0, 0, 0, vilnius))
	j := &dayJournal{s: s}
	eng, err := queue.NewEngine(o, j, queue.Options{Clock: clock, CheckpointEvery: -1})
	if err != nil {
		tb.Fatal(err)
	}
	defer eng.Close()
	out := map[string]*secrets{}
	for d := 0; d < days; d++ {
		date := first.AddDate(0, 0, d)
		day := date.Format(time.DateOnly)
		clock.Set(time.Date(date.Year(), date.Month(), date.Day(), 8, 0, 0, 0, vilnius))
		sec := &secrets{}
		out[day] = sec
		for n := 1; n <= len(o.Desks); n++ {
			if _, err := eng.OpenDesk(ctx, n, clerk(n)); err != nil {
				tb.Fatal(err)
			}
		}
		for issued := 0; issued < perDay; {
			for i := 0; i < len(o.Desks) && issued < perDay; i++ {
				cat := queue.Category("")
				if issued%4 == 0 {
					cat = "disability"
				}
				tk, err := eng.Issue(ctx, queue.IssueRequest{Service: []string{"A", "B"}[issued%2], Category: cat, Lang: "lt", Channel: queue.ChannelKiosk, Kiosk: "1"}, queue.Actor{User: "kiosk:1"})
				if err != nil {
					tb.Fatalf("%s: issue: %v", day, err)
				}
				sec.tokens = append(sec.tokens, tk.ID)
				issued++
			}
			clock.Advance(2 * time.Minute)
			for n := 1; n <= len(o.Desks); n++ {
				r, err := eng.Next(ctx, n, clerk(n))
				if err != nil || r.Ticket == nil {
					continue
				}
				if _, err := eng.Start(ctx, n, clerk(n)); err != nil {
					tb.Fatal(err)
				}
				if r.Ticket.Serial%10 == 0 {
					reason := fmt.Sprintf("Neturi asmens dokumento %s", r.Ticket.ID[:12])
					if _, err := eng.Refuse(ctx, n, reason, clerk(n)); err != nil {
						tb.Fatal(err)
					}
					sec.reasons = append(sec.reasons, reason)
				} else if _, err := eng.Finish(ctx, n, clerk(n)); err != nil {
					tb.Fatal(err)
				}
			}
			clock.Advance(time.Minute)
		}
		// Let the day end close what still waits, then write the day.
		clock.Set(time.Date(date.Year(), date.Month(), date.Day(), 23, 0, 0, 0, vilnius))
		if err := eng.Tick(ctx); err != nil {
			tb.Fatal(err)
		}
		for _, ev := range j.buf {
			data, err := json.Marshal(ev)
			if err != nil {
				tb.Fatal(err)
			}
			sec.events = append(sec.events, data)
		}
		if err := j.flush(); err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

func clerk(n int) queue.Actor {
	return queue.Actor{User: fmt.Sprintf("clerk%d", n), Name: fmt.Sprintf("Clerk %d", n)}
}
