package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"langelis/app"
	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/reports"
)

// The Done-when test of issue 16: ten working days through the real
// engine, each closed by the app's own day-end job; the stored figures
// equal figures computed here from the events, a rebuild equals what was
// stored, the estimate error is what the kiosk was told, and all of it
// survives the purge of the journal.
func TestDailyFiguresOfTenDays(t *testing.T) {
	o := e2e.HallOffice()
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
	var days []e2e.HallDayResult
	for len(days) < 10 {
		hd := e2e.HallDay(t, a, clk, rng)
		// Stored by the day-end job, not by anything later.
		st, err := a.Store.DayStats(hd.Day, hd.Day)
		if err != nil || len(st) != 1 {
			t.Fatalf("%s: no figures stored at the day end: %v %v", hd.Day, st, err)
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
	totalRefused, totalRated := 0, 0
	for _, hd := range days {
		evs, err := a.Store.DayEvents(hd.Day)
		if err != nil || len(evs) == 0 {
			t.Fatalf("%s: journal: %v", hd.Day, err)
		}
		want := independent(o, evs, hd.Told)
		got := stored[hd.Day]
		if !got.Final {
			t.Errorf("%s: stored figures not final", hd.Day)
		}
		// The answers after service, per face, in every group of the day
		// but the hours: exactly what the rating events say.
		for key, gf := range got.Groups {
			if strings.HasPrefix(key, "hour/") {
				continue
			}
			var faces, w [queue.RatingFaces]int
			copy(faces[:], gf.Ratings)
			if want.ratings[key] != nil {
				w = *want.ratings[key]
			}
			if faces != w || (len(gf.Ratings) != 0 && len(gf.Ratings) != queue.RatingFaces) {
				t.Errorf("%s %s: answers per face %v; the events say %v", hd.Day, key, gf.Ratings, w)
			}
		}
		for key := range want.ratings {
			if got.Groups[key] == nil {
				t.Errorf("%s %s: no figures, the events have answers", hd.Day, key)
			}
		}
		for key, w := range want.groups {
			compareFigures(t, hd.Day+" "+key, got.Groups[key], w)
		}
		for user, w := range want.clerks {
			g := staff[hd.Day].Clerks[user]
			if g == nil || g.Served != w.served || g.NoShow != w.noShow || !reflect.DeepEqual(g.Service, w.service) {
				t.Errorf("%s clerk %s: stored %+v, events say served %d, no-show %d", hd.Day, user, g, w.served, w.noShow)
			}
		}
		totalRefused += got.Groups[reports.All].RefusedTotal()
		_, n, _ := got.Groups[reports.All].Satisfaction()
		totalRated += n
		// A rebuild from the journal is what the day end stored.
		rd, rs, err := a.BuildDay(hd.Day, true)
		if err != nil {
			t.Fatal(err)
		}
		if !sameJSON(rd, got) || !sameJSON(rs, staff[hd.Day]) {
			t.Errorf("%s: the rebuild differs from the stored figures", hd.Day)
		}
	}
	if totalRefused == 0 || stored[days[0].Day].Groups[reports.All].Pauses == nil || totalRated < 50 {
		t.Fatal("the days had no refusal or no pause: the test proves less than it says")
	}

	// The journal is purged (retention now 3 days); the figures stay, equal.
	o.RetentionDays = 3 // only the purge job reads it, on this goroutine
	clk.Set(clk.Now().Add(30 * 24 * time.Hour))
	if evs, _ := a.Store.DayEvents(days[0].Day); len(evs) != 0 {
		t.Fatalf("the journal of %s was not purged: %d events", days[0].Day, len(evs))
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
	if _, err := a.RebuildDay(days[0].Day); err == nil {
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
	groups  map[string]*want
	ratings map[string]*[queue.RatingFaces]int // answers per face by group
	clerks  map[string]*clerkWant
}

// independent computes the figures from the events in the plainest way:
// a map of tickets by ID with their first issue and call.
func independent(o *queue.Office, evs []queue.Event, told map[string]time.Time) wants {
	w := wants{groups: map[string]*want{}, clerks: map[string]*clerkWant{}, ratings: map[string]*[queue.RatingFaces]int{}}
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
		case queue.TicketRated:
			// Counted where the ticket was served: its service then, its desk.
			for _, k := range []string{"all", "service/" + t.Service, fmt.Sprintf("desk/%d", t.Desk)} {
				if w.ratings[k] == nil {
					w.ratings[k] = &[queue.RatingFaces]int{}
				}
				w.ratings[k][ev.Rating.Face-1]++
			}
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
