package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"langelis/app"
	"langelis/queue"
	"langelis/reports"
)

// statsOffice has two services with different target waits and three
// desks, open 8:00-16:00 on weekdays.
func statsOffice() *queue.Office {
	o := &queue.Office{Name: "Salė", TimeZone: "Europe/Vilnius", RetentionDays: 60,
		Services: []queue.Service{
			{Letter: "A", Names: map[string]string{"lt": "Deklaravimas"}, TargetMinutes: 8, TargetWaitMinutes: 10},
			{Letter: "B", Names: map[string]string{"lt": "Statyba"}, TargetMinutes: 12},
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

// hallDay is what the test's hall did on one day, as the desks and the
// kiosk saw it: the call time each ticket was told at issue.
type hallDay struct {
	day  string
	told map[string]time.Time
}

// runHallDay drives one day through the real engine of a: visitors arrive
// through the day, three clerks call, start and finish them; some do not
// come, some are refused (a listed reason or a clerk's own words), some
// are sent to the other service, some give up, one desk pauses for lunch;
// who still waits at the day end is closed by the engine.
func runHallDay(t *testing.T, a *app.App, clk *queue.ManualClock, rng *rand.Rand) hallDay {
	t.Helper()
	ctx := context.Background()
	eng := a.Engine
	open, ok := a.Office.NextOpening(clk.Now())
	if !ok {
		t.Fatal("no opening")
	}
	closing, _ := a.Office.Closing(open)
	clk.Set(open)
	hd := hallDay{day: a.Office.Day(open), told: map[string]time.Time{}}
	clerks := map[int]queue.Actor{1: {User: "rasa", Name: "Rasa"}, 2: {User: "jonas", Name: "Jonas"}, 3: {User: "ona", Name: "Ona"}}
	for n := 1; n <= 3; n++ {
		if _, err := eng.OpenDesk(ctx, n, clerks[n]); err != nil {
			t.Fatal(err)
		}
	}
	busyUntil := map[int]time.Time{}
	var waiting []string
	lunch := open.Add(4 * time.Hour)
	paused := false
	for now := open; now.Before(closing); now = now.Add(time.Minute) {
		clk.Set(now)
		if rng.Float64() < 0.12 {
			svc := []string{"A", "A", "B"}[rng.Intn(3)]
			p, err := eng.IssuePlaced(ctx, queue.IssueRequest{Service: svc, Channel: queue.ChannelKiosk}, queue.Actor{User: "kiosk:1"})
			if err != nil {
				t.Fatal(err)
			}
			if p.Place != nil && p.Place.OpenDesks > 0 {
				hd.told[p.Ticket.ID] = p.Place.CallAt
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
			if r, _ := eng.Finish(ctx, d, clerks[d]); r.Ticket == nil {
				// nothing served: the desk may hold a called ticket or nothing
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

// The Done-when test of issue 16: ten working days through the real
// engine, each closed by the app's own day-end job; the stored figures
// equal figures computed here from the events, a rebuild equals what was
// stored, the estimate error is what the kiosk was told, and all of it
// survives the purge of the journal.
func TestDailyFiguresOfTenDays(t *testing.T) {
	o := statsOffice()
	start := time.Date(2026, 11, 2, 7, 0, 0, 0, o.Location()) // a Monday
	clk := queue.NewManualClock(start)
	path := filepath.Join(t.TempDir(), "langelis.db")
	a, err := app.Open(app.Config{Office: o, Path: path, Clock: clk, TickEvery: time.Hour,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	rng := rand.New(rand.NewSource(16))
	var days []hallDay
	for len(days) < 10 {
		hd := runHallDay(t, a, clk, rng)
		// Stored by the day-end job, not by anything later.
		st, err := a.Store.DayStats(hd.day, hd.day)
		if err != nil || len(st) != 1 {
			t.Fatalf("%s: no figures stored at the day end: %v %v", hd.day, st, err)
		}
		days = append(days, hd)
		clk.Set(clk.Now().Add(10 * time.Hour))
	}

	stored := map[string]reports.Day{}
	staff := map[string]reports.Staff{}
	ds, _ := a.Store.DayStats("2026-01-01", "2026-12-31")
	ss, _ := a.Store.StaffStats("2026-01-01", "2026-12-31")
	for _, d := range ds {
		if d.Groups[reports.All] != nil { // a closed day the engine rolled over to has none
			stored[d.Day] = d
		}
	}
	for _, s := range ss {
		staff[s.Day] = s
	}
	if len(stored) != 10 {
		t.Fatalf("%d days stored, want 10", len(stored))
	}
	totalRefused := 0
	for _, hd := range days {
		evs, err := a.Store.DayEvents(hd.day)
		if err != nil || len(evs) == 0 {
			t.Fatalf("%s: journal: %v", hd.day, err)
		}
		want := independent(o, evs, hd.told)
		got := stored[hd.day]
		if !got.Final {
			t.Errorf("%s: stored figures not final", hd.day)
		}
		for key, w := range want.groups {
			compareFigures(t, hd.day+" "+key, got.Groups[key], w)
		}
		for user, w := range want.clerks {
			g := staff[hd.day].Clerks[user]
			if g == nil || g.Served != w.served || g.NoShow != w.noShow || !reflect.DeepEqual(g.Service, w.service) {
				t.Errorf("%s clerk %s: stored %+v, events say served %d, no-show %d", hd.day, user, g, w.served, w.noShow)
			}
		}
		totalRefused += got.Groups[reports.All].RefusedTotal()
		// A rebuild from the journal is what the day end stored.
		rd, rs, err := a.BuildDay(hd.day, true)
		if err != nil {
			t.Fatal(err)
		}
		if !sameJSON(rd, got) || !sameJSON(rs, staff[hd.day]) {
			t.Errorf("%s: the rebuild differs from the stored figures", hd.day)
		}
	}
	if totalRefused == 0 || stored[days[0].day].Groups[reports.All].Pauses == nil {
		t.Fatal("the days had no refusal or no pause: the test proves less than it says")
	}

	// The journal is purged (retention now 3 days); the figures stay, equal.
	o.RetentionDays = 3 // only the purge job reads it, on this goroutine
	clk.Set(clk.Now().Add(30 * 24 * time.Hour))
	if evs, _ := a.Store.DayEvents(days[0].day); len(evs) != 0 {
		t.Fatalf("the journal of %s was not purged: %d events", days[0].day, len(evs))
	}
	after, err := a.Store.DayStats("2026-01-01", "2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for _, d := range after {
		if s, ok := stored[d.Day]; ok {
			kept++
			if !sameJSON(d, s) {
				t.Errorf("%s: the figures changed with the purge", d.Day)
			}
		}
	}
	if kept != 10 {
		t.Fatalf("after the purge %d of the 10 days have figures", kept)
	}
	if _, err := a.RebuildDay(days[0].day); err == nil {
		t.Error("a purged day was rebuilt from nothing")
	}
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// want is one group's figures as this test reads them off the events.
type want struct {
	issued, served, noShow, cancelled, closed, transferred, refused int
	refusedBy                                                       map[string]int
	waits, service, estErr                                          []int32
	inTarget, slBase                                                int
}

type clerkWant struct {
	served, noShow int
	service        []int32
}

type wants struct {
	groups map[string]*want
	clerks map[string]*clerkWant
}

// independent computes the figures from the events in the plainest way:
// a map of tickets by ID with their first issue and call.
func independent(o *queue.Office, evs []queue.Event, told map[string]time.Time) wants {
	w := wants{groups: map[string]*want{}, clerks: map[string]*clerkWant{}}
	g := func(k string) *want {
		if w.groups[k] == nil {
			w.groups[k] = &want{refusedBy: map[string]int{}}
		}
		return w.groups[k]
	}
	type tk struct {
		service string
		issued  time.Time
		called  bool
	}
	seen := map[string]*tk{}
	for _, ev := range evs {
		t := ev.Ticket
		if t == nil {
			continue
		}
		switch ev.Type {
		case queue.TicketIssued:
			seen[t.ID] = &tk{service: t.Service, issued: t.IssuedAt}
			g("all").issued++
			g("service/"+t.Service).issued++
		case queue.TicketCalled:
			s := seen[t.ID]
			if s.called {
				continue
			}
			s.called = true
			svc, _ := o.Service(s.service)
			wait := int32(ev.At.Sub(s.issued) / time.Second)
			for _, x := range []*want{g("all"), g("service/" + s.service)} {
				x.waits = append(x.waits, wait)
				x.slBase++
				if time.Duration(wait)*time.Second <= svc.TargetWait() {
					x.inTarget++
				}
				if at, ok := told[t.ID]; ok {
					x.estErr = append(x.estErr, int32(ev.At.Sub(at)/time.Second))
				}
			}
		case queue.TicketFinished:
			d := int32(t.EndedAt.Sub(t.StartedAt) / time.Second)
			g("all").served++
			g("all").service = append(g("all").service, d)
			c := w.clerks[ev.Actor]
			if c == nil {
				c = &clerkWant{}
				w.clerks[ev.Actor] = c
			}
			c.served++
			c.service = append(c.service, d)
		case queue.TicketNoShow:
			g("all").noShow++
			if w.clerks[ev.Actor] == nil {
				w.clerks[ev.Actor] = &clerkWant{}
			}
			w.clerks[ev.Actor].noShow++
		case queue.TicketRefused:
			code := map[string]string{"Neblaivus": "intoxicated", "Aggressive": "aggressive"}[t.Reason]
			if code == "" {
				code = "other"
			}
			g("all").refused++
			g("all").refusedBy[code]++
		case queue.TicketMoved:
			g("all").transferred++
		case queue.TicketCancelled, queue.TicketClosed:
			if ev.Type == queue.TicketCancelled {
				g("all").cancelled++
			} else {
				g("all").closed++
			}
			s := seen[t.ID]
			svc, _ := o.Service(s.service)
			if !s.called && ev.At.Sub(s.issued) > svc.TargetWait() {
				g("all").slBase++
				g("service/"+s.service).slBase++
			}
		}
	}
	for _, x := range w.groups {
		slices.Sort(x.waits)
		slices.Sort(x.service)
		slices.Sort(x.estErr)
	}
	for _, c := range w.clerks {
		slices.Sort(c.service)
	}
	return w
}

func compareFigures(t *testing.T, what string, got *reports.Figures, w *want) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: no figures stored", what)
		return
	}
	if got.Issued != w.issued || len(got.Wait) != len(w.waits) || got.InTarget != w.inTarget || got.SLBase != w.slBase {
		t.Errorf("%s: issued %d, waits %d, in target %d of %d; the events say %d, %d, %d of %d", what,
			got.Issued, len(got.Wait), got.InTarget, got.SLBase, w.issued, len(w.waits), w.inTarget, w.slBase)
	}
	if what[len(what)-3:] == "all" {
		if got.Served != w.served || got.NoShow != w.noShow || got.Cancelled != w.cancelled || got.Closed != w.closed ||
			got.Transferred != w.transferred || got.RefusedTotal() != w.refused {
			t.Errorf("%s: served %d, no-show %d, cancelled %d, closed %d, transferred %d, refused %d; the events say %d, %d, %d, %d, %d, %d",
				what, got.Served, got.NoShow, got.Cancelled, got.Closed, got.Transferred, got.RefusedTotal(),
				w.served, w.noShow, w.cancelled, w.closed, w.transferred, w.refused)
		}
		for code, n := range w.refusedBy {
			if got.Refused[code] != n {
				t.Errorf("%s: refused %q %d, the events say %d", what, code, got.Refused[code], n)
			}
		}
		if !reflect.DeepEqual(got.Service, w.service) {
			t.Errorf("%s: service times differ", what)
		}
	}
	// Mean, median, p90 and max of the wait, computed here by hand.
	if n := len(w.waits); n > 0 {
		sum := 0.0
		for _, v := range w.waits {
			sum += float64(v)
		}
		d := reports.Summarise(got.Wait)
		med := float64(w.waits[(n+1)/2-1]) / 60
		p90 := float64(w.waits[int(math.Ceil(0.9*float64(n)))-1]) / 60
		if math.Abs(d.Mean-sum/float64(n)/60) > 1e-9 || d.Median != med || d.P90 != p90 || d.Max != float64(w.waits[n-1])/60 {
			t.Errorf("%s: wait %+v; by hand mean %.3f median %.3f p90 %.3f", what, d, sum/float64(n)/60, med, p90)
		}
	}
	if !reflect.DeepEqual(got.EstErr, w.estErr) {
		t.Errorf("%s: estimate errors %s; the kiosk's answers say %s", what, short(got.EstErr), short(w.estErr))
	}
}

func short(xs []int32) string {
	if len(xs) > 8 {
		return fmt.Sprint(len(xs), " values ", xs[:8], "…")
	}
	return fmt.Sprint(xs)
}
