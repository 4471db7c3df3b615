package forecast_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"langelis/forecast"
	"langelis/priority"
	"langelis/queue"
)

var (
	ctx        = context.Background()
	vilnius, _ = time.LoadLocation("Europe/Vilnius")
	monday     = time.Date(2026, 11, 23, 0, 0, 0, 0, vilnius)
)

func at(hhmm string) time.Time {
	var h, m int
	fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	return monday.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// office is open 08:00-17:00 with a lunch break, three services, four desks.
func office(t testing.TB, policy string) *queue.Office {
	o := &queue.Office{Name: "Test", TimeZone: "Europe/Vilnius",
		Services: []queue.Service{
			{Letter: "A", Names: map[string]string{"lt": "A"}, TargetMinutes: 10},
			{Letter: "B", Names: map[string]string{"lt": "B"}, TargetMinutes: 5},
			{Letter: "C", Names: map[string]string{"lt": "C"}, TargetMinutes: 20},
		},
		Desks: []queue.DeskDef{{Number: 1, Services: []string{"A", "B"}}, {Number: 2, Services: []string{"A"}},
			{Number: 3, Services: []string{"B", "C"}}, {Number: 4, Services: []string{"A", "B", "C"}}},
		Priority: queue.PrioritySettings{Policy: policy, MaxStreak: 2, MaxWaitMinutes: 30, HeadStartMinutes: 10},
	}
	for d := range 7 {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 12 * 60}, {Start: 12*60 + 45, End: 17 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return o
}

type memJournal struct{}

func (memJournal) Append([]queue.Event) error              { return nil }
func (memJournal) Recover() ([]queue.Event, uint64, error) { return nil, 0, nil }

type hall struct {
	t     testing.TB
	o     *queue.Office
	clock *queue.ManualClock // the office clock
	real  *queue.ManualClock // real time: the forecaster's cadence
	eng   *queue.Engine
	fc    *forecast.Forecaster
}

func newHall(t testing.TB, o *queue.Office, now time.Time, cfg forecast.Config) *hall {
	h := &hall{t: t, o: o, clock: queue.NewManualClock(now), real: queue.NewManualClock(time.Unix(1e9, 0))}
	if cfg.Clock == nil {
		cfg.Clock = h.real
	}
	h.fc = forecast.New(o, cfg)
	eng, err := queue.NewEngine(o, memJournal{}, queue.Options{Clock: h.clock, Observe: h.fc.Observe,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	h.eng = eng
	h.fc.Attach(eng)
	t.Cleanup(func() { eng.Close() })
	return h
}

func (h *hall) issue(svc string, c priority.Category) queue.Ticket {
	h.t.Helper()
	tk, err := h.eng.Issue(ctx, queue.IssueRequest{Service: svc, Category: c}, queue.Actor{User: "visitor"})
	if err != nil {
		h.t.Fatal(err)
	}
	return tk
}

func (h *hall) open(n int) {
	h.t.Helper()
	if _, err := h.eng.OpenDesk(ctx, n, queue.Actor{User: fmt.Sprint("clerk", n)}); err != nil {
		h.t.Fatal(err)
	}
}

func (h *hall) input() queue.ForecastInput {
	h.t.Helper()
	in, err := h.eng.ForecastInput(ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	return in
}

// certain is a model in which every service takes exactly its target and
// nobody else comes: the projection's own assumptions.
func certain(o *queue.Office) *forecast.Model {
	m := &forecast.Model{Services: map[string]forecast.LogNormal{}}
	for _, s := range o.Services {
		m.Services[s.Letter] = forecast.FromMeanCV(s.Target(), 0)
	}
	return m
}

// A line with every kind of ticket: both groups, three services.
func fillLine(h *hall) []queue.Ticket {
	cats := []priority.Category{"", "elderly", "", "", "child", "", "disability", "", "", "pregnant", "", ""}
	var out []queue.Ticket
	for i := range 30 {
		out = append(out, h.issue([]string{"A", "B", "C", "A", "B"}[i%5], cats[i%len(cats)]))
		h.clock.Advance(40 * time.Second)
	}
	return out
}

// With service times exactly as expected and nobody else coming, the
// runs all are the projection: every median is the projected call time,
// the range has no width, and the cutoff count is the projection's. A
// paused desk (holding a client over its pause, as a clerk may) is back
// when the projection expects it in both.
func TestCertainTimesAreTheProjection(t *testing.T) {
	for _, policy := range []string{"default", "fifo", "strict", "aging", "default/paused", "fifo/paused"} {
		t.Run(policy, func(t *testing.T) {
			policy, paused := strings.CutSuffix(policy, "/paused")
			h := newHall(t, office(t, policy), at("15:00"), forecast.Config{})
			tickets := fillLine(h)
			h.open(1)
			h.open(2)
			h.open(4)
			if _, err := h.eng.Next(ctx, 4, queue.Actor{User: "clerk4"}); err != nil {
				t.Fatal(err)
			}
			if paused {
				if _, err := h.eng.Next(ctx, 1, queue.Actor{User: "clerk1"}); err != nil {
					t.Fatal(err)
				}
				if _, err := h.eng.Pause(ctx, 1, "", queue.Actor{User: "clerk1"}); err != nil {
					t.Fatal(err)
				}
			}
			h.clock.Advance(3 * time.Minute)
			in := h.input()
			res := forecast.Run(in, certain(h.o), forecast.Options{MaxSims: 5, Services: []string{"A", "B", "C"}})
			snap, err := h.eng.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			today := 0
			for _, tk := range tickets {
				est, ok := snap.Estimate[tk.ID]
				if !ok {
					continue // the ones desks 4 and 1 called
				}
				f := res.Tickets[tk.ID]
				if est.Today {
					today++
				}
				if (f.PToday == 1) != est.Today {
					t.Errorf("%s: P(today) %.2f, projection today %v", tk.Number, f.PToday, est.Today)
				}
				if !est.Today {
					continue
				}
				if d := f.Range.Median.Sub(est.CallAt); d < -time.Second || d > time.Second {
					t.Errorf("%s: median %s, projection %s", tk.Number, f.Range.Median.Format("15:04:05"), est.CallAt.Format("15:04:05"))
				}
				if !f.Range.From.Equal(f.Range.Median) || !f.Range.To.Equal(f.Range.Median) {
					t.Errorf("%s: a range %v-%v with certain times", tk.Number, f.Range.From, f.Range.To)
				}
			}
			if res.Count == nil || res.Count.Lo != today || res.Count.Hi != today {
				t.Errorf("count range %+v, the projection calls %d today", res.Count, today)
			}
			if today == 0 || today == len(snap.Estimate) {
				t.Fatalf("%d of %d called today: the test needs some of both", today, len(snap.Estimate))
			}
		})
	}
}

// A ticket about to be issued is followed in the runs without taking a
// place, so what New says is what that ticket, once issued, is told.
func TestNewTicketIsWhereTheIssuedOneStands(t *testing.T) {
	for _, c := range []priority.Category{"", "elderly"} {
		h := newHall(t, office(t, "default"), at("15:00"), forecast.Config{})
		fillLine(h)
		h.open(1)
		h.open(3)
		m := certain(h.o)
		opt := forecast.Options{MaxSims: 3, Services: []string{"A", "B", "C"}}
		before := forecast.Run(h.input(), m, opt).New[queue.NewTicket{Service: "B", Priority: c.IsPriority()}]
		tk := h.issue("B", c)
		after := forecast.Run(h.input(), m, opt).Tickets[tk.ID]
		if before != after {
			t.Errorf("%q: new ticket told %+v, issued it is %+v", c, before, after)
		}
	}
}

// What the hall hears is worked out without priority: the same line with
// other tickets in the priority groups gives the same public answer.
func TestPublicRunKnowsNoPriority(t *testing.T) {
	run := func(cats []priority.Category) forecast.Result {
		h := newHall(t, office(t, "default"), at("15:00"), forecast.Config{})
		for i, c := range cats {
			h.issue([]string{"A", "B"}[i%2], c)
			h.clock.Advance(time.Minute)
		}
		h.open(1)
		h.open(2)
		m := certain(h.o)
		m.Services["A"] = forecast.FromMeanCV(10*time.Minute, 0.8)
		m.Arrivals = map[string]forecast.Rate{"A": {From: at("15:00"), Step: time.Hour, PerMinute: []float64{0.1, 0.1}}}
		return forecast.Run(h.input(), m, forecast.Options{Public: true, Seed: 7, Services: []string{"A", "B"}})
	}
	a := run([]priority.Category{"", "elderly", "", "", "child", "", "", ""})
	b := run([]priority.Category{"child", "", "", "elderly", "", "", "", "disability"})
	if fmt.Sprint(a.Count, a.Counts, a.New) != fmt.Sprint(b.Count, b.Counts, b.New) {
		t.Fatalf("the public answer depends on who has priority:\n%v %v\n%v %v", a.Count, a.New, b.Count, b.New)
	}
}

// A forecast's answer reaches the views: the ticket's own range and
// probability, and the hall's count range.
func TestForecasterAnswersTheEngine(t *testing.T) {
	h := newHall(t, office(t, "default"), at("15:00"), forecast.Config{})
	tickets := fillLine(h)
	h.open(1)
	h.open(2)
	if ran, err := h.fc.Refresh(ctx); err != nil || !ran {
		t.Fatalf("refresh: %v %v", ran, err)
	}
	p, err := h.eng.TicketPlaced(ctx, tickets[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Place == nil || p.Place.Range == nil || p.Place.PToday == nil {
		t.Fatalf("no forecast in the ticket's place: %+v", p.Place)
	}
	r := p.Place.Range
	if r.Median.IsZero() || r.From.After(r.Median) || (!r.To.IsZero() && r.To.Before(r.Median)) {
		t.Errorf("range %+v", r)
	}
	snap, _ := h.eng.Snapshot(ctx)
	if snap.Cutoff == nil || snap.Cutoff.CountRange == nil || snap.Cutoff.CountRange[0] > snap.Cutoff.CountRange[1] {
		t.Fatalf("cutoff %+v", snap.Cutoff)
	}
	// Nothing changed: a second refresh within Refresh does not run.
	h.clock.Advance(6 * time.Second)
	h.real.Advance(6 * time.Second)
	if ran, _ := h.fc.Refresh(ctx); ran {
		t.Error("refreshed an unchanged state after 6 s")
	}
	h.issue("A", "")
	if ran, _ := h.fc.Refresh(ctx); !ran {
		t.Error("did not refresh a changed state")
	}
	// Its cadence is real time: a changed state within Every of real
	// time waits, however far the office clock went.
	h.issue("A", "")
	h.clock.Advance(time.Hour)
	if ran, _ := h.fc.Refresh(ctx); ran {
		t.Error("refreshed again within Every of real time because the office clock moved an hour")
	}
	h.real.Advance(6 * time.Second)
	if ran, _ := h.fc.Refresh(ctx); !ran {
		t.Error("did not refresh a changed state after Every of real time")
	}
	// An old forecast is not shown: after a minute without one, the
	// ticket has only the projection's point.
	h.clock.Advance(2 * time.Minute)
	p, _ = h.eng.TicketPlaced(ctx, tickets[3].ID)
	if p.Place.Range != nil {
		t.Errorf("a forecast two minutes old is still shown")
	}
}

// The learner fits the service times it sees: a day of 12-minute
// services moves the model from the 10-minute target towards 12.
func TestLearnerLearnsServiceTimes(t *testing.T) {
	o := office(t, "fifo")
	l := forecast.NewLearner(o)
	var evs []queue.Event
	start := at("09:00")
	for i := range 60 {
		s := start.Add(time.Duration(i) * 15 * time.Minute / 2)
		d := time.Duration(float64(12*time.Minute) * math.Exp(0.3*math.Sin(float64(i))))
		evs = append(evs, queue.Event{Seq: uint64(i + 1), Type: queue.TicketFinished, Day: "2026-11-23",
			Ticket: &queue.Ticket{ID: fmt.Sprint(i), Service: "A", Status: queue.Done, Desk: 1 + i%2,
				CalledAt: s, StartedAt: s, EndedAt: s.Add(d)}})
	}
	l.Observe(evs)
	m := l.Model(at("16:00"))
	mean := m.Services["A"].Mean().Minutes()
	if mean < 11 || mean > 13.5 {
		t.Errorf("learned mean %.1f min from 12-minute services", mean)
	}
	if b := m.Services["B"].Mean().Minutes(); math.Abs(b-5) > 0.01 {
		t.Errorf("B without samples: %.2f min, want its target 5", b)
	}
}

// benchHall is a hall of 20 desks over four services with n tickets
// waiting, one in ten with priority, every desk holding a client.
func benchHall(b *testing.B, n int) (*hall, queue.ForecastInput) {
	o := &queue.Office{Name: "Bench", TimeZone: "Europe/Vilnius"}
	for i, l := range []string{"A", "B", "C", "D"} {
		o.Services = append(o.Services, queue.Service{Letter: l, Names: map[string]string{"lt": l}, TargetMinutes: float64(6 + 3*i)})
	}
	for d := 1; d <= 20; d++ {
		o.Desks = append(o.Desks, queue.DeskDef{Number: d, Services: []string{"A", "B", "C", "D"}[:1+d%4]})
	}
	for d := range 7 {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 20 * 60}}
	}
	o.ApplyDefaults()
	h := newHall(b, o, at("08:00"), forecast.Config{})
	for i := range n {
		c := priority.None
		if i%10 == 3 {
			c = priority.Elderly
		}
		h.issue([]string{"A", "B", "C", "D"}[i%4], c)
		h.clock.Advance(time.Second)
	}
	for d := 1; d <= 20; d++ {
		h.open(d)
		if _, err := h.eng.Next(ctx, d, queue.Actor{User: fmt.Sprint("clerk", d)}); err != nil {
			b.Fatal(err)
		}
	}
	h.clock.Set(at("10:00"))
	return h, h.input()
}

// BenchmarkForecast is one whole forecast as the Forecaster makes it
// every few seconds of a busy hall: the run under the policy and the one
// without priority, with the default bounds, on a model learned from the
// morning (the targets, CV 0.8, priority visitors still to come). It
// reports the CPU time per forecast, the simulated days, and the CPU a
// second of office time that the Forecaster's pace (Config.Pace) allows.
func BenchmarkForecast(b *testing.B) {
	for _, n := range []int{50, 500, 5000} {
		b.Run(fmt.Sprint(n, "waiting"), func(b *testing.B) {
			h, in := benchHall(b, n)
			fc := h.fc.Forecast(in, "") // warm the learner
			b.ResetTimer()
			cpu := processCPU()
			for range b.N {
				h.fc.Forecast(in, "")
			}
			per := (processCPU() - cpu) / time.Duration(b.N)
			b.ReportMetric(float64(per.Microseconds())/1000, "cpu-ms/op")
			b.ReportMetric(float64(fc.Sims), "sims")
			gap := forecast.Gap(forecast.Config{}, fc.Sims, len(in.Line))
			b.ReportMetric(float64(per.Microseconds())/1000/gap.Seconds(), "cpu-ms/s")
		})
	}
}

// A learner that starts on a new store (the engine has no day yet) and
// then hears the day's tickets knows the same arrivals as one restarted
// later, which learns them from the tickets: the empty start is not a
// recent day on which nobody came (TestEndOfDay's restart compares the
// hall's whole figure before and after).
func TestLearnerStartedOnANewStoreKnowsTodaysArrivals(t *testing.T) {
	o := office(t, "fifo")
	fresh, restarted := forecast.NewLearner(o), forecast.NewLearner(o)
	fresh.LearnTickets("", nil, 0)
	var evs []queue.Event
	var ts []queue.Ticket
	for i := range 12 {
		tk := queue.Ticket{ID: fmt.Sprint(i), Number: fmt.Sprintf("A%03d", i+1), Service: "A", Status: queue.Waiting,
			IssuedAt: at("09:00").Add(time.Duration(i) * 10 * time.Minute)}
		ts = append(ts, tk)
		evs = append(evs, queue.Event{Seq: uint64(i + 1), Type: queue.TicketIssued, Day: "2026-11-23", Ticket: &tk})
	}
	fresh.Observe(evs)
	restarted.LearnTickets("2026-11-23", ts, uint64(len(ts)))
	a, b := fresh.Model(at("11:30")), restarted.Model(at("11:30"))
	if len(b.Arrivals) == 0 {
		t.Fatal("the restarted learner learned no arrivals from 12 tickets")
	}
	if !reflect.DeepEqual(a.Arrivals, b.Arrivals) {
		t.Errorf("arrivals of a learner started on a new store %v, of a restarted one %v", a.Arrivals, b.Arrivals)
	}
}
