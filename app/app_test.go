package app_test

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"langelis/app"
	"langelis/internal/e2e"
	"langelis/password"
	"langelis/queue"
)

// running is an app on a loopback port with both clocks in the test's hand.
type running struct {
	*app.App
	t     *testing.T
	clock *queue.ManualClock // office
	real  *queue.ManualClock
}

func open(t *testing.T, o *queue.Office, at time.Time) *running {
	t.Helper()
	return openAt(t, o, at, filepath.Join(t.TempDir(), "app.db"), false)
}

// openAt is open on the store at path, with Config.ConfigWins.
func openAt(t *testing.T, o *queue.Office, at time.Time, path string, configWins bool) *running {
	t.Helper()
	r := &running{t: t, clock: queue.NewManualClock(at), real: queue.NewManualClock(time.Now())}
	a, err := app.Open(app.Config{Office: o, Path: path, Clock: r.clock, RealClock: r.real, ConfigWins: configWins,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if err := a.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	r.App = a
	return r
}

func (r *running) do(method, path, token string, body, out any) int {
	r.t.Helper()
	return e2e.Do(r.t, r.URL(), method, path, token, body, out)
}

// clerk makes an account and signs it in over HTTP.
func (r *running) clerk(name string) string {
	r.t.Helper()
	h, err := password.Hash("pw-" + name + "-secret")
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.Store.PutUser(queue.User{Username: name, Name: name, Role: queue.RoleClerk, PasswordHash: h}); err != nil {
		r.t.Fatal(err)
	}
	var ans struct{ Token string }
	if code := r.do("POST", "/api/v1/session", "", map[string]string{"username": name, "password": "pw-" + name + "-secret"}, &ans); code != 200 {
		r.t.Fatalf("sign in %s: %d", name, code)
	}
	return ans.Token
}

type ticketAns struct {
	ID         string     `json:"id"`
	Number     string     `json:"number"`
	Status     string     `json:"status"`
	EstimateAt *time.Time `json:"estimated_call_at"`
	Error      struct{ Code, Message string }
}

type queueAns struct {
	Day     string         `json:"day"`
	Open    bool           `json:"open"`
	Waiting map[string]int `json:"waiting"`
	Cutoff  *struct {
		Count   int       `json:"count"`
		Last    string    `json:"last"`
		Closing time.Time `json:"closing"`
	} `json:"cutoff"`
}

// A daylight-saving day through the whole stack and the injected clock, in
// Europe/Vilnius, with the office open 01:00-06:00 across the change (03:00
// becomes 04:00 on the last Sunday of March; 04:00 becomes 03:00 on the
// last Sunday of October): opening and closing follow the wall clock,
// estimates follow real durations (a 30-minute service is 30 minutes
// whatever the wall clock does), the cutoff counts what fits before the
// real closing, the day end comes from the app's own timer when the clock
// passes it, and numbers start again at the next local midnight.
func TestDaylightSavingDay(t *testing.T) {
	for _, c := range []struct {
		day   string
		fits  int // waiting tickets called before 06:00: 2.5 real hours in spring, 4.5 in autumn
		hours float64
	}{
		{"2026-03-29", 4, 2.5},
		{"2026-10-25", 8, 4.5},
	} {
		t.Run(c.day, func(t *testing.T) {
			o := &queue.Office{Name: "Naktinis", TimeZone: "Europe/Vilnius",
				Services: []queue.Service{{Letter: "A", Names: map[string]string{"lt": "Deklaravimas"}, TargetMinutes: 30}},
				Desks:    []queue.DeskDef{{Number: 1, Services: []string{"A"}}}}
			for d := range o.Hours.Week {
				o.Hours.Week[d] = []queue.Span{{Start: 1 * 60, End: 6 * 60}}
			}
			o.ApplyDefaults()
			if err := o.Validate(); err != nil {
				t.Fatal(err)
			}
			loc := o.Location()
			local := func(day, hhmm string) time.Time {
				tm, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, loc)
				if err != nil {
					t.Fatal(err)
				}
				return tm
			}
			next := local(c.day, "12:00").AddDate(0, 0, 1).Format(time.DateOnly)
			r := open(t, o, local(c.day, "00:59"))
			if h := local(c.day, "06:00").Sub(local(c.day, "02:30")).Hours(); h != c.hours {
				t.Fatalf("the test's own arithmetic: %v real hours from 02:30 to 06:00, want %v", h, c.hours)
			}

			// Hours: closed at 00:59, open at 01:00 local.
			var tk ticketAns
			if code := r.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, &tk); code != 409 {
				t.Fatalf("ticket at 00:59: %d %+v, want 409 closed", code, tk)
			}
			r.clock.Set(local(c.day, "01:00"))
			if code := r.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, &tk); code != 201 || tk.Number != "A001" {
				t.Fatalf("ticket at 01:00: %d %+v", code, tk)
			}

			// 02:30: nine more; the clerk calls A001. Each waiting ticket is
			// due 30 real minutes after the one before it, up to closing.
			r.clock.Set(local(c.day, "02:30"))
			var ids []string
			for i := 0; i < 9; i++ {
				r.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, &tk)
				ids = append(ids, tk.ID)
			}
			tok := r.clerk("egle")
			if code := r.do("POST", "/api/v1/desks/1/open", tok, nil, nil); code != 200 {
				t.Fatalf("open desk: %d", code)
			}
			var called struct{ Ticket ticketAns }
			if code := r.do("POST", "/api/v1/desks/1/next", tok, nil, &called); code != 200 || called.Ticket.Number != "A001" {
				t.Fatalf("next: %d %+v", code, called)
			}
			start := r.clock.Now()
			for i, id := range ids {
				r.do("GET", "/api/v1/tickets/"+id, "", nil, &tk)
				want := start.Add(time.Duration(i+1) * 30 * time.Minute)
				switch {
				case i >= c.fits && tk.EstimateAt != nil:
					t.Fatalf("%s due at %s, after the 06:00 closing", tk.Number, tk.EstimateAt.In(loc).Format("15:04 MST"))
				case i < c.fits && (tk.EstimateAt == nil || !tk.EstimateAt.Equal(want)):
					t.Fatalf("%s due at %v, want %s local", tk.Number, tk.EstimateAt, want.In(loc).Format("15:04 MST"))
				}
			}
			var q queueAns
			r.do("GET", "/api/v1/queue", "", nil, &q)
			if q.Day != c.day || !q.Open || q.Cutoff == nil || q.Cutoff.Closing.In(loc).Format("15:04") != "06:00" {
				t.Fatalf("at 02:30: %+v cutoff %+v, want closing 06:00 local", q, q.Cutoff)
			}
			if last := ids[c.fits-1]; q.Cutoff.Count != c.fits || q.Cutoff.Last != numberOf(t, r, last) {
				t.Fatalf("cutoff %+v, want %d up to %s", q.Cutoff, c.fits, numberOf(t, r, last))
			}

			// Day end: an hour after the 06:00 closing, by the app's timer as
			// the clock passes it, not a minute before.
			r.clock.Set(local(c.day, "06:59"))
			if r.do("GET", "/api/v1/queue", "", nil, &q); q.Waiting["A"] != 9 {
				t.Fatalf("at 06:59 %d wait, want 9: the day ended early", q.Waiting["A"])
			}
			r.clock.Set(local(c.day, "07:00"))
			if r.do("GET", "/api/v1/queue", "", nil, &q); q.Waiting["A"] != 0 {
				t.Fatalf("at 07:00 %d still wait after the day end", q.Waiting["A"])
			}
			if r.do("GET", "/api/v1/tickets/"+ids[0], "", nil, &tk); tk.Status != "closed" {
				t.Fatalf("A002 after day end: %+v", tk)
			}

			// Numbering: the next day starts at the next local midnight,
			// 23 or 25 real hours after this one began.
			r.clock.Set(local(c.day, "23:59"))
			if code := r.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, &tk); code != 409 {
				t.Fatalf("ticket at 23:59: %d", code)
			}
			r.clock.Set(local(next, "01:00"))
			if code := r.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, &tk); code != 201 || tk.Number != "A001" {
				t.Fatalf("the next day's first ticket: %d %+v", code, tk)
			}
			if r.do("GET", "/api/v1/queue", "", nil, &q); q.Day != next {
				t.Fatalf("day %s, want %s", q.Day, next)
			}
			// A day of office time later the clerk is still signed in:
			// sessions run on real time, which did not move.
			if code := r.do("GET", "/api/v1/session", tok, nil, nil); code != 200 {
				t.Fatalf("session after the office clock moved a day: %d", code)
			}
		})
	}
}

func numberOf(t *testing.T, r *running, id string) string {
	t.Helper()
	var tk ticketAns
	r.do("GET", "/api/v1/tickets/"+id, "", nil, &tk)
	return tk.Number
}
