package queue_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"langelis/queue"
)

// eodOffice has service A (10 min) and B (5 min) and the given desks, open
// by spans every day.
func eodOffice(t *testing.T, spans string, desks ...queue.DeskDef) *queue.Office {
	t.Helper()
	o := &queue.Office{Name: "EOD", TimeZone: "Europe/Vilnius",
		Services: []queue.Service{
			{Letter: "A", Names: map[string]string{"lt": "A"}, TargetMinutes: 10},
			{Letter: "B", Names: map[string]string{"lt": "B"}, TargetMinutes: 5},
		},
		Desks: desks}
	sp, err := queue.ParseSpans(spans)
	if err != nil {
		t.Fatal(err)
	}
	for d := 0; d < 7; d++ {
		o.Hours.Week[d] = sp
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return o
}

func newEnvAt(t *testing.T, o *queue.Office, at time.Time) *env {
	t.Helper()
	e := &env{t: t, path: filepath.Join(t.TempDir(), "q.db"), office: o, clock: queue.NewManualClock(at)}
	e.open()
	t.Cleanup(e.close)
	return e
}

func at(day string, hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, vilnius)
	if err != nil {
		panic(err)
	}
	return t
}

const monday = "2026-11-23"

// calls returns "NUMBER@HH:MM" for every waiting ticket in projected order,
// "NUMBER@-" for those no desk gets to today.
func (e *env) calls() []string {
	e.t.Helper()
	s := e.snapshot()
	var out []string
	for _, tk := range s.Tickets {
		if tk.Status != queue.Waiting {
			continue
		}
		est := s.Estimate[tk.ID]
		if est.CallAt.IsZero() {
			out = append(out, tk.Number+"@-")
			continue
		}
		out = append(out, tk.Number+"@"+est.CallAt.In(vilnius).Format("15:04"))
	}
	return out
}

func (e *env) issueN(service string, n int) {
	for i := 0; i < n; i++ {
		e.issue(service)
	}
}

func wantCalls(t *testing.T, got []string, want ...string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("projected calls\n got %v\nwant %v", got, want)
	}
}

func wantCutoff(t *testing.T, c *queue.Cutoff, count int, last string, per map[string]int) {
	t.Helper()
	if c == nil {
		t.Fatal("no cutoff")
	}
	if c.Count != count || c.Last != last || fmt.Sprint(c.PerService) != fmt.Sprint(per) {
		t.Fatalf("cutoff: %d up to %s per %v; want %d up to %s per %v", c.Count, c.Last, c.PerService, count, last, per)
	}
}

// One desk, ten minutes a client, half an hour before closing: three get
// called before 20:00, the other two do not.
func TestProjectionOneDesk(t *testing.T) {
	e := newEnvAt(t, eodOffice(t, "08:00-20:00", queue.DeskDef{Number: 1, Services: []string{"A"}}), at(monday, "19:30"))
	e.issueN("A", 5)
	e.openDesk(1)
	wantCalls(t, e.calls(), "A001@19:30", "A002@19:40", "A003@19:50", "A004@-", "A005@-")
	s := e.snapshot()
	wantCutoff(t, s.Cutoff, 3, "A003", map[string]int{"A": 3})
	if !s.Cutoff.Notice || s.Cutoff.Waiting != 5 || !s.Cutoff.Closing.Equal(at(monday, "20:00")) {
		t.Fatalf("cutoff head: %+v", s.Cutoff)
	}
	// The desk's current client holds it for the expected time from its start.
	e.clock.Advance(2 * time.Minute)
	e.next(1)
	if _, err := e.eng.Start(ctx, 1, clerk(1)); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, e.calls(), "A002@19:42", "A003@19:52", "A004@-", "A005@-")
}

// Desks that serve different services: each service's own line runs at its
// own pace, and the cutoff says so per service.
func TestProjectionDesksServeDifferentServices(t *testing.T) {
	e := newEnvAt(t, eodOffice(t, "08:00-20:00", queue.DeskDef{Number: 1, Services: []string{"A"}},
		queue.DeskDef{Number: 2, Services: []string{"B"}}), at(monday, "19:30"))
	e.issueN("A", 4)
	e.issueN("B", 8)
	e.openDesk(1)
	e.openDesk(2)
	wantCalls(t, e.calls(), "A001@19:30", "B001@19:30", "B002@19:35", "B003@19:40", "A002@19:40", "B004@19:45",
		"B005@19:50", "A003@19:50", "B006@19:55", "A004@-", "B007@-", "B008@-")
	s := e.snapshot()
	wantCutoff(t, s.Cutoff, 9, "B006", map[string]int{"A": 3, "B": 6})
	if s.Cutoff.LastPer["A"] != "A003" || s.Cutoff.LastPer["B"] != "B006" {
		t.Fatalf("last per service: %v", s.Cutoff.LastPer)
	}
}

// A desk about to close calls no more after its clerk's time; a clerk who
// stays past closing keeps calling, and the cutoff counts on it.
func TestProjectionDeskClosingAndStaying(t *testing.T) {
	e := newEnvAt(t, eodOffice(t, "08:00-20:00", queue.DeskDef{Number: 1, Services: []string{"A"}},
		queue.DeskDef{Number: 2, Services: []string{"A"}}), at(monday, "19:30"))
	e.issueN("A", 8)
	e.openDesk(1)
	e.openDesk(2)
	if _, err := e.eng.Stay(ctx, 2, at(monday, "19:40"), clerk(2)); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, e.calls(), "A001@19:30", "A002@19:30", "A003@19:40", "A004@19:50", "A005@-", "A006@-", "A007@-", "A008@-")
	wantCutoff(t, e.snapshot().Cutoff, 4, "A004", map[string]int{"A": 4})

	if _, err := e.eng.Stay(ctx, 1, at(monday, "20:15"), clerk(1)); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, e.calls(), "A001@19:30", "A002@19:30", "A003@19:40", "A004@19:50", "A005@20:00", "A006@20:10", "A007@-", "A008@-")
	s := e.snapshot()
	wantCutoff(t, s.Cutoff, 6, "A006", map[string]int{"A": 6})
	if !s.Cutoff.Closing.Equal(at(monday, "20:00")) || !s.Cutoff.Notice {
		t.Fatalf("closing %v notice %v, want the office's 20:00 with the notice due (a clerk's stay is not the office's)", s.Cutoff.Closing, s.Cutoff.Notice)
	}
	// A restart changes nothing: the stay is an event like any other.
	e.reopen()
	wantCalls(t, e.calls(), "A001@19:30", "A002@19:30", "A003@19:40", "A004@19:50", "A005@20:00", "A006@20:10", "A007@-", "A008@-")

	// Taking the word back ends the extra calls.
	if _, err := e.eng.Stay(ctx, 1, time.Time{}, clerk(1)); err != nil {
		t.Fatal(err)
	}
	wantCutoff(t, e.snapshot().Cutoff, 4, "A004", map[string]int{"A": 4})
	// A time already past is refused and changes nothing.
	if _, err := e.eng.Stay(ctx, 1, at(monday, "19:00"), clerk(1)); queue.ErrorCode(err) != queue.EINVALID {
		t.Fatalf("stay until a past time: %v", err)
	}
}

// A paused desk is expected back (queue.PauseReturn after its pause
// began), not gone for the day: a ticket only it serves gets a later
// estimate and counts in the cutoff; a pause longer than expected moves
// the return on, never to "not today".
func TestProjectionPausedDeskComesBack(t *testing.T) {
	e := newEnvAt(t, eodOffice(t, "08:00-17:00", queue.DeskDef{Number: 1, Services: []string{"A", "B"}},
		queue.DeskDef{Number: 2, Services: []string{"A"}}), at(monday, "12:00"))
	e.openDesk(1)
	e.openDesk(2)
	e.issueN("A", 2)
	e.issueN("B", 1)
	e.next(1) // desk 1 holds A001 over its pause
	if _, err := e.eng.Pause(ctx, 1, "pietūs", clerk(1)); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, e.calls(), "A002@12:00", "B001@12:30")
	wantCutoff(t, e.snapshot().Cutoff, 2, "B001", map[string]int{"A": 1, "B": 1})
	// Forty minutes on and still away: expected back a while from now.
	e.clock.Set(at(monday, "12:40"))
	if got := e.calls(); len(got) != 2 || got[1] == "B001@-" || got[1] <= "B001@12:40" {
		t.Fatalf("the pause runs long: %v, want B001 a while after 12:40", got)
	}
	if _, err := e.eng.Resume(ctx, 1, clerk(1)); err != nil {
		t.Fatal(err)
	}
	wantCutoff(t, e.snapshot().Cutoff, 2, "B001", map[string]int{"A": 1, "B": 1})
}

// No desk calls during a break: the call that would fall into it waits for
// the afternoon opening.
func TestProjectionBreak(t *testing.T) {
	e := newEnvAt(t, eodOffice(t, "08:00-12:00, 12:45-17:00", queue.DeskDef{Number: 1, Services: []string{"A"}}), at(monday, "11:35"))
	e.issueN("A", 5)
	e.openDesk(1)
	wantCalls(t, e.calls(), "A001@11:35", "A002@11:45", "A003@11:55", "A004@12:45", "A005@12:55")
	wantCutoff(t, e.snapshot().Cutoff, 5, "A005", map[string]int{"A": 5})
}

// With no desk open yet before opening, everyone is projected from the
// opening time on every configured desk.
func TestProjectionBeforeOpening(t *testing.T) {
	e := newEnvAt(t, eodOffice(t, "08:00-20:00", queue.DeskDef{Number: 1, Services: []string{"A"}}), at(monday, "08:00"))
	e.issueN("A", 2)
	e.clock.Set(at(monday, "07:30")) // as if looked at before opening
	wantCalls(t, e.calls(), "A001@08:00", "A002@08:10")
}

// The projection on a daylight-saving day runs on the wall clock: the
// spring day is 23 hours long, yet the office still closes at 20:00 local.
func TestProjectionDaylightSaving(t *testing.T) {
	for _, day := range []string{"2026-03-29", "2026-10-25"} {
		t.Run(day, func(t *testing.T) {
			o := eodOffice(t, "08:00-20:00", queue.DeskDef{Number: 1, Services: []string{"A"}})
			e := newEnvAt(t, o, at(day, "07:59"))
			if o.IsOpen(at(day, "07:59")) || !o.IsOpen(at(day, "08:00")) {
				t.Fatal("opening is not at 08:00 local")
			}
			if _, err := e.eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{User: "visitor"}); queue.ErrorCode(err) != queue.ECLOSED {
				t.Fatalf("issue before opening: %v", err)
			}
			e.clock.Set(at(day, "19:30"))
			e.issueN("A", 5)
			e.openDesk(1)
			wantCalls(t, e.calls(), "A001@19:30", "A002@19:40", "A003@19:50", "A004@-", "A005@-")
			c := e.snapshot().Cutoff
			wantCutoff(t, c, 3, "A003", map[string]int{"A": 3})
			if got := c.Closing.In(vilnius).Format("15:04"); got != "20:00" {
				t.Fatalf("closing %s local, want 20:00", got)
			}
			// Day end an hour after closing, then fresh numbers after midnight.
			e.clock.Set(at(day, "21:00"))
			if err := e.eng.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			if w := e.snapshot().Waiting["A"]; w != 0 {
				t.Fatalf("%d still waiting after day end", w)
			}
			e.clock.Set(at(day, "23:59").Add(2 * time.Minute).Add(8 * time.Hour))
			if tk := e.issue("A"); tk.Number != "A001" {
				t.Fatalf("next day's first ticket is %s", tk.Number)
			}
		})
	}
}

// The day end closes the desks left open or paused, with the tickets they
// hold, so the display calls nobody overnight; a desk opened after the
// day end is someone's late work and stays open.
func TestDayEndClosesTheDesks(t *testing.T) {
	o := eodOffice(t, "08:00-17:00", queue.DeskDef{Number: 1, Services: []string{"A"}},
		queue.DeskDef{Number: 2, Services: []string{"A"}}, queue.DeskDef{Number: 3, Services: []string{"A"}})
	e := newEnvAt(t, o, at(monday, "16:50"))
	e.issueN("A", 3)
	e.openDesk(1)
	e.openDesk(2)
	called := e.next(1)
	serving := e.next(2)
	if _, err := e.eng.Start(ctx, 2, clerk(2)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Pause(ctx, 2, "", clerk(2)); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at(monday, "17:59"))
	if err := e.eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if s := e.snapshot(); len(s.Calls) != 2 || s.Desks[0].Status != queue.DeskOpen {
		t.Fatalf("before the day end: calls %v desks %+v", s.Calls, s.Desks)
	}
	e.clock.Set(at(monday, "18:00"))
	if err := e.eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	s := e.snapshot()
	for _, d := range s.Desks {
		if d.Status != queue.DeskClosed || d.Ticket != "" || d.Clerk != "" {
			t.Errorf("after the day end desk %d: %+v", d.Number, d)
		}
	}
	if len(s.Calls) != 0 || len(s.Tickets) != 0 {
		t.Fatalf("after the day end: calls %v, tickets %v", s.Calls, s.Tickets)
	}
	for _, tk := range []*queue.Ticket{called, serving} {
		if got, err := e.eng.Ticket(ctx, tk.ID); err != nil || got.Status != queue.Closed {
			t.Errorf("%s after the day end: %+v %v", tk.Number, got, err)
		}
	}
	e.clock.Set(at(monday, "18:10"))
	e.openDesk(3)
	if err := e.eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if s := e.snapshot(); s.Desks[2].Status != queue.DeskOpen {
		t.Fatalf("desk 3, opened after the day end, is %s", s.Desks[2].Status)
	}
}

// On a holiday nothing is issued, the visitor is told the next opening,
// and there is no cutoff to announce.
func TestHoliday(t *testing.T) {
	o := eodOffice(t, "08:00-17:00", queue.DeskDef{Number: 1, Services: []string{"A"}})
	o.Hours.Holidays = map[string]bool{"2026-12-24": true}
	e := newEnvAt(t, o, at("2026-12-24", "10:00"))
	_, err := e.eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{User: "visitor"})
	if queue.ErrorCode(err) != queue.ECLOSED || english(err) != "The office is closed. It opens tomorrow at 08:00." {
		t.Fatalf("issue on a holiday: %v", err)
	}
	p, err := e.eng.Preview(ctx, "A", "")
	if err != nil || p.Action != "closed" || p.Cutoff != nil {
		t.Fatalf("preview on a holiday: %+v %v", p, err)
	}
	if s := e.snapshot(); s.Open || s.Cutoff != nil {
		t.Fatalf("snapshot on a holiday: open %v cutoff %+v", s.Open, s.Cutoff)
	}
}

// beyond_cutoff: stop refuses the ticket no desk will get to today once
// the announcements are due, and warn issues it with served_today false;
// the preview says which before. Before the notice time both only warn.
func TestIssueBeyondCutoff(t *testing.T) {
	for _, mode := range []string{"warn", "stop"} {
		t.Run(mode, func(t *testing.T) {
			o := eodOffice(t, "08:00-20:00", queue.DeskDef{Number: 1, Services: []string{"A"}}, queue.DeskDef{Number: 2, Services: []string{"B"}})
			o.BeyondCutoff = mode
			e := newEnvAt(t, o, at(monday, "18:00"))
			e.openDesk(1)
			e.openDesk(2)
			e.issueN("A", 12) // 18:00, 18:10 ... 19:50
			p, err := e.eng.Preview(ctx, "A", "")
			if err != nil || p.Action != "warn" || p.Today == nil || *p.Today || p.Ahead != 12 {
				t.Fatalf("preview of the 13th at 18:00: %+v %v", p, err)
			}
			e.issue("A") // before the notice time even stop only warns
			e.clock.Set(at(monday, "19:30"))
			if p, _ = e.eng.Preview(ctx, "A", ""); p.Action != mode {
				t.Fatalf("preview at 19:30: %+v", p)
			}
			_, err = e.eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{User: "visitor"})
			if mode == "stop" && queue.ErrorCode(err) != queue.EBEYOND {
				t.Fatalf("stop: issue beyond the cutoff: %v", err)
			}
			if mode == "warn" && err != nil {
				t.Fatalf("warn: %v", err)
			}
			// The B line is short: a B ticket is still fine.
			if p, _ := e.eng.Preview(ctx, "B", ""); p.Action != "issue" {
				t.Fatalf("preview of B: %+v", p)
			}
		})
	}
}

// A clerk's stay serves past closing but never moves the office's closing:
// a "stop" office keeps refusing beyond the cutoff from the notice time
// before the office's closing, and issues nothing after it; the waiting
// tickets are closed only after the clerk who stays has gone.
func TestStayDoesNotMoveTheOfficesClosing(t *testing.T) {
	o := eodOffice(t, "08:00-17:00", queue.DeskDef{Number: 1, Services: []string{"A"}})
	o.BeyondCutoff = "stop"
	e := newEnvAt(t, o, at(monday, "16:00"))
	e.openDesk(1)
	if _, err := e.eng.Stay(ctx, 1, at(monday, "17:30"), clerk(1)); err != nil {
		t.Fatal(err)
	}
	e.issueN("A", 8) // 16:00 ... 17:10 with the stay
	e.clock.Set(at(monday, "16:05"))
	s := e.snapshot()
	if s.Cutoff == nil || !s.Cutoff.Closing.Equal(at(monday, "17:00")) || !s.Cutoff.Notice || s.Cutoff.Count != 8 {
		t.Fatalf("cutoff at 16:05 with desk 1 staying to 17:30: %+v", s.Cutoff)
	}
	e.issueN("A", 1) // the ninth: called 17:20, while the clerk stays
	if _, err := e.eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{User: "visitor"}); queue.ErrorCode(err) != queue.EBEYOND {
		t.Fatalf("the tenth (17:30, after the stay) at 16:05: %v, want %s", err, queue.EBEYOND)
	}
	e.clock.Set(at(monday, "17:00"))
	if _, err := e.eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{User: "visitor"}); queue.ErrorCode(err) != queue.ECLOSED {
		t.Fatalf("issue at 17:00 while a clerk stays: %v, want %s", err, queue.ECLOSED)
	}
	if s := e.snapshot(); !s.Cutoff.Closing.Equal(at(monday, "17:00")) || !s.Cutoff.Notice {
		t.Fatalf("cutoff at 17:00: %+v", s.Cutoff)
	}
}

// A forecast that arrives between two previews of the same state (the
// same second, no event between) must not break the second: the city
// test's kiosks asked exactly then and the engine panicked.
func TestPreviewAfterAForecastInTheSameSecond(t *testing.T) {
	o := eodOffice(t, "08:00-20:00", queue.DeskDef{Number: 1, Services: []string{"A"}})
	e := newEnvAt(t, o, at(monday, "18:00"))
	e.openDesk(1)
	e.issueN("A", 3)
	if _, err := e.eng.Preview(ctx, "A", ""); err != nil {
		t.Fatal(err)
	}
	if err := e.eng.SetForecast(ctx, &queue.Forecast{Day: monday}); err != nil {
		t.Fatal(err)
	}
	if p, err := e.eng.Preview(ctx, "A", ""); err != nil || p.Ahead != 3 {
		t.Fatalf("preview after a forecast: %+v %v", p, err)
	}
}

// The expected times learn from recent days until today has its own, and
// an outlier does not move them.
func TestExpectedLearnsRobustly(t *testing.T) {
	m := time.Minute
	// The hour counts as three times the median (15 min): the plain mean
	// would be 16 minutes, the median 5.
	if got := queue.RobustMean([]time.Duration{4 * m, 5 * m, 6 * m, 5 * m, 60 * m}); got != 7*m {
		t.Fatalf("robust mean with an hour-long outlier: %v, want 7m", got)
	}
	o := eodOffice(t, "08:00-20:00", queue.DeskDef{Number: 1, Services: []string{"A"}})
	e := &env{t: t, path: filepath.Join(t.TempDir(), "q.db"), office: o, clock: queue.NewManualClock(at(monday, "10:00"))}
	e.open()
	e.eng.Close()
	var err error
	e.eng, err = queue.NewEngine(o, e.store, queue.Options{Clock: e.clock,
		Recent: map[string][]time.Duration{"A": {4 * m, 4 * m, 4 * m, 4 * m, 4 * m, 90 * m}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.close)
	e.issueN("A", 3)
	e.openDesk(1)
	// The newest five of recent days: 4, 4, 4, 4 and 90 minutes, the 90
	// held to 12: 5.6 minutes, not the target's 10 nor the mean's 21.
	wantCalls(t, e.calls(), "A001@10:00", "A002@10:05", "A003@10:11")
	// Today's services (2 minutes each) take over as they come.
	for i := 0; i < 5; i++ {
		e.issue("A")
	}
	for i := 0; i < 5; i++ {
		e.next(1)
		if _, err := e.eng.Start(ctx, 1, clerk(1)); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(2 * m)
		if _, err := e.eng.Finish(ctx, 1, clerk(1)); err != nil {
			t.Fatal(err)
		}
	}
	wantCalls(t, e.calls(), "A006@10:10", "A007@10:12", "A008@10:14")
}

// The projection is recomputed on every change and every tick: it has to be
// cheap with hundreds waiting, and grow no faster than the queue. Each
// operation is a fresh staff snapshot: the projection under the policy,
// the one without priority for the cutoff, and the ticket list. The
// 50-waiting case is there for the ratio: on a shared machine the ratio
// means more than either figure.
func BenchmarkProjection(b *testing.B) {
	for _, desks := range []int{8, 20} {
		for _, waiting := range []int{50, 500, 5000} {
			b.Run(fmt.Sprintf("waiting=%d/desks=%d", waiting, desks), func(b *testing.B) { benchProjection(b, waiting, desks) })
		}
	}
}

func benchProjection(b *testing.B, waiting, desks int) {
	o := &queue.Office{Name: "Bench", TimeZone: "Europe/Vilnius",
		Services: []queue.Service{{Letter: "A", Names: map[string]string{"lt": "A"}, TargetMinutes: 1},
			{Letter: "B", Names: map[string]string{"lt": "B"}, TargetMinutes: 2},
			{Letter: "C", Names: map[string]string{"lt": "C"}, TargetMinutes: 3}}}
	for n := 1; n <= desks; n++ {
		o.Desks = append(o.Desks, queue.DeskDef{Number: n, Services: [][]string{{"A", "B"}, {"B", "C"}, {"A", "C"}, {"A", "B", "C"}}[n%4]})
	}
	for d := 0; d < 7; d++ {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 20 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		b.Fatal(err)
	}
	s, err := storeOpen(filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	clock := queue.NewManualClock(at(monday, "10:00"))
	eng, err := queue.NewEngine(o, s, queue.Options{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	defer eng.Close()
	cats := []queue.Category{"", "", "", "elderly", "", "child"}
	// Many callers, so that group commit makes a long line quick to build.
	parallel(b, 64, waiting, func(_, i int) {
		if _, err := eng.Issue(ctx, queue.IssueRequest{Service: string(rune('A' + i%3)), Category: cats[i%len(cats)]}, queue.Actor{User: "v"}); err != nil {
			b.Error(err)
		}
	})
	for n := 1; n <= desks; n++ {
		if _, err := eng.OpenDesk(ctx, n, queue.Actor{User: fmt.Sprint("clerk", n)}); err != nil {
			b.Fatal(err)
		}
	}
	start := clock.Now()
	cpu := processCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A snapshot serves reads of the same state for a second; move the
		// clock back and forth so that every iteration projects the same
		// queue afresh.
		clock.Set(start.Add(time.Duration(1+i%2) * 2 * time.Second))
		if _, err := eng.Snapshot(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((processCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
}

// A one-off early close moves the cutoff and the notice with it.
func TestEarlyClose(t *testing.T) {
	o := eodOffice(t, "08:00-17:00", queue.DeskDef{Number: 1, Services: []string{"A"}})
	o.Hours.Exceptions = map[string][]queue.Span{monday: {{Start: 8 * 60, End: 13 * 60}}}
	e := newEnvAt(t, o, at(monday, "11:30"))
	e.issueN("A", 5)
	e.openDesk(1)
	if c := e.snapshot().Cutoff; c.Notice || !c.Closing.Equal(at(monday, "13:00")) {
		t.Fatalf("at 11:30: %+v, want no notice yet, closing 13:00", c)
	}
	e.clock.Set(at(monday, "12:30"))
	wantCalls(t, e.calls(), "A001@12:30", "A002@12:40", "A003@12:50", "A004@-", "A005@-")
	if c := e.snapshot().Cutoff; !c.Notice || c.Count != 3 {
		t.Fatalf("at 12:30: %+v", c)
	}
	e.clock.Set(at(monday, "13:00"))
	if _, err := e.eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{User: "visitor"}); queue.ErrorCode(err) != queue.ECLOSED ||
		english(err) != "The office is closed. It opens tomorrow at 08:00." {
		t.Fatalf("issue after the early close: %v", err)
	}
}

// Before any desk has opened on the office's day, the visitor's place
// says so (NotYetOpened); a desk that opened today, even if it has closed
// again, ends that, and so does an office that is closed (before opening
// the kiosk says when it opens instead).
func TestDesksNotYetOpened(t *testing.T) {
	o := testOffice()
	at := func(hm string, day int) time.Time {
		d, _ := time.ParseInLocation("15:04", hm, vilnius)
		return time.Date(2026, 11, 23+day, d.Hour(), d.Minute(), 0, 0, vilnius)
	}
	closedYesterday := queue.Desk{Number: 1, Status: queue.DeskClosed, Since: at("19:55", -1)}
	never := queue.Desk{Number: 2, Status: queue.DeskClosed}
	for _, c := range []struct {
		name  string
		desks []queue.Desk
		now   time.Time
		want  bool
	}{
		{"opening, desks closed since yesterday", []queue.Desk{closedYesterday, never}, at("08:03", 0), true},
		{"before opening", []queue.Desk{closedYesterday, never}, at("07:50", 0), false},
		{"a desk open", []queue.Desk{closedYesterday, {Number: 2, Status: queue.DeskOpen, Since: at("08:01", 0)}}, at("08:03", 0), false},
		{"a desk paused", []queue.Desk{closedYesterday, {Number: 2, Status: queue.DeskPaused, Since: at("07:58", 0)}}, at("08:03", 0), false},
		{"a desk opened and closed today", []queue.Desk{closedYesterday, {Number: 2, Status: queue.DeskClosed, Since: at("08:02", 0)}}, at("08:03", 0), false},
		{"after closing", []queue.Desk{closedYesterday, never}, at("20:10", 0), false},
	} {
		if got := queue.DesksNotYetOpened(c.desks, o, c.now); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	// Through the engine: the morning's ticket, then a desk opens.
	e := newEnv(t)
	e.clock.Set(at("08:01", 0))
	tk := e.issue("A")
	placed := func() *queue.Place {
		p, err := e.eng.TicketPlaced(context.Background(), tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p.Place
	}
	if p := placed(); p == nil || !p.NotYetOpened || p.OpenDesks != 0 {
		t.Fatalf("the morning's first ticket: %+v", p)
	}
	e.openDesk(2)
	if p := placed(); p == nil || p.NotYetOpened {
		t.Fatalf("after desk 2 opened: %+v", p)
	}
}
