package app_test

import (
	"context"
	"testing"
	"time"

	"langelis/internal/e2e"
	"langelis/office"
	"langelis/queue"
	"langelis/store"
)

// The forecaster follows the running configuration: a service added while
// the hall works is forecast (its new tickets, its waiting ones), under
// its own target time, without a restart.
func TestForecastFollowsAConfigurationChange(t *testing.T) {
	o := office.Demo()
	day := e2e.OpenDay(t, o)
	r := open(t, o, day.Add(10*time.Hour))
	ctx := context.Background()
	_, err := r.Engine.Reconfigure(ctx, "ona", func(o *queue.Office) (queue.Change, error) {
		o.Services = append(o.Services, queue.Service{Letter: "Q", Names: map[string]string{"lt": "Pasai"}, TargetMinutes: 30})
		o.Desks[0].Services = append(o.Desks[0].Services, "Q")
		return queue.Change{Kind: "service.added", Subject: "service Q"}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := r.Engine.Issue(ctx, queue.IssueRequest{Service: "Q"}, queue.Actor{User: "visitor"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Forecast.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	in, err := r.Engine.ForecastInput(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fc := r.Forecast.Forecast(in, "")
	if _, ok := fc.Tickets[tk.ID]; !ok {
		t.Fatalf("the forecast has no answer for %s of the new service", tk.Number)
	}
	if _, ok := fc.New[queue.NewTicket{Service: "Q"}]; !ok {
		t.Fatal("the forecast has no answer for a new Q ticket")
	}
}

// At a restart the running configuration wins over the file; with
// ConfigWins the file does, and that is recorded.
func TestRestartRule(t *testing.T) {
	o := office.Demo()
	day := e2e.OpenDay(t, o)
	r := open(t, o, day.Add(10*time.Hour))
	path := r.Store.Path()
	if _, err := r.Engine.Reconfigure(context.Background(), "ona", func(o *queue.Office) (queue.Change, error) {
		o.Desks = append(o.Desks, queue.DeskDef{Number: 77, Services: []string{"A"}})
		return queue.Change{Kind: "desk.added", Subject: "desk 77"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	r.Close()
	reopen := func(wins bool) *running {
		t.Helper()
		r := openAt(t, office.Demo(), day.Add(11*time.Hour), path, wins)
		return r
	}
	r = reopen(false)
	if _, ok := r.Engine.Office().DeskDef(77); !ok {
		t.Fatal("the running configuration did not win at a restart")
	}
	if _, ok := r.File.DeskDef(77); ok {
		t.Fatal("the file's office has desk 77")
	}
	r.Close()
	r = reopen(true)
	if _, ok := r.Engine.Office().DeskDef(77); ok {
		t.Fatal("--config-wins did not take the file")
	}
	cs, err := r.Store.Changes(store.ChangeFilter{Kind: "config.file_wins"})
	if err != nil || len(cs) != 1 || cs[0].Actor != "system" {
		t.Fatalf("the file's win is not recorded: %+v %v", cs, err)
	}
	r.Close()
	r = reopen(false) // the file, now: the running configuration was dropped
	if _, ok := r.Engine.Office().DeskDef(77); ok {
		t.Fatal("the dropped running configuration came back")
	}
}

// A configuration change outlives the journal's purge of its day and the
// compaction after it; the audit trail keeps it too, and a restart runs it.
func TestConfigurationSurvivesThePurge(t *testing.T) {
	o := office.Demo()
	o.RetentionDays = 1
	s := e2e.Start(t, e2e.Options{Office: o})
	ctx := context.Background()
	if _, err := s.Engine.Reconfigure(ctx, "ona", func(o *queue.Office) (queue.Change, error) {
		o.Desks = append(o.Desks, queue.DeskDef{Number: 42, Services: []string{"A"}})
		return queue.Change{Kind: "desk.added", Subject: "desk 42"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, nil); code != 201 {
		t.Fatal(code)
	}
	// Three days on: the hourly purge removes the day of the change.
	s.Clock.Set(s.At("10:00").AddDate(0, 0, 3))
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, nil); code != 201 {
		t.Fatal(code)
	}
	s.Clock.Advance(2 * time.Hour)
	days, err := s.Store.Days()
	if err != nil || len(days) != 1 || days[0] == s.Day.Format(time.DateOnly) {
		t.Fatalf("the purge did not run: days %v, %v", days, err)
	}
	s.Restart()
	if _, ok := s.Engine.Office().DeskDef(42); !ok {
		t.Fatal("desk 42 is gone after the purge and a restart")
	}
	if cs, err := s.Store.Changes(store.ChangeFilter{Subject: "desk 42"}); err != nil || len(cs) != 1 {
		t.Fatalf("the audit lost the change: %v %v", cs, err)
	}
}

// A clerk's desk actions stay in the audit after the journal's purge has
// taken their day: the manager still sees who called and paused what,
// under the audit's own retention, and nothing of the visitor's.
func TestDeskActionsOutliveTheJournal(t *testing.T) {
	o := office.Demo()
	o.RetentionDays = 1
	s := e2e.Start(t, e2e.Options{Office: o})
	s.AddUser("ona", queue.RoleClerk)
	s.AddUser("boss", queue.RoleAdmin)
	clerk := s.Login("ona")
	var tk struct{ Number string }
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "priority": "pregnant"}, &tk); code != 201 {
		t.Fatal(code)
	}
	for _, action := range []string{"open", "next"} {
		if code := s.JSON("POST", "/api/v1/desks/1/"+action, clerk, map[string]any{}, nil); code != 200 {
			t.Fatalf("%s: %d", action, code)
		}
	}
	if code := s.JSON("POST", "/api/v1/desks/1/pause", clerk, map[string]string{"reason": "pietūs"}, nil); code != 200 {
		t.Fatalf("pause: %d", code)
	}
	day := s.Day.Format(time.DateOnly)
	// Three days on: the hourly purge removes the day.
	s.Clock.Set(s.At("10:00").AddDate(0, 0, 3))
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, nil); code != 201 {
		t.Fatal(code)
	}
	s.Clock.Advance(2 * time.Hour)
	if days, err := s.Store.Days(); err != nil || len(days) != 1 || days[0] == day {
		t.Fatalf("the purge did not run: days %v, %v", days, err)
	}
	var rows []struct {
		Actor, Kind, Subject, Detail string
		Desk                         int
	}
	if code := s.JSON("GET", "/api/v1/admin/audit?from="+day+"&to="+day, s.Login("boss"), nil, &rows); code != 200 {
		t.Fatalf("audit: %d", code)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if r.Actor == "ona" && r.Desk == 1 {
			seen[r.Kind+" "+r.Subject+" "+r.Detail] = true
		}
		if r.Detail == "pregnant" || r.Subject == "pregnant" {
			t.Fatalf("the audit holds a priority group: %+v", r)
		}
	}
	for _, want := range []string{"desk.opened desk 1 ", "ticket.called " + tk.Number + " ", "desk.paused desk 1 pietūs"} {
		if !seen[want] {
			t.Errorf("after the purge the audit of %s lacks %q; it has %v", day, want, seen)
		}
	}
}
