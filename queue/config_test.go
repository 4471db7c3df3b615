package queue_test

import (
	"errors"
	"slices"
	"testing"

	"langelis/queue"
	"langelis/store"
)

func addServiceD(o *queue.Office) (queue.Change, error) {
	s := queue.Service{Letter: "D", Names: map[string]string{"lt": "Pasai"}, TargetMinutes: 15}
	o.Services = append(o.Services, s)
	return queue.Change{Kind: "service.added", Subject: "service D", New: queue.ChangeJSON(s)}, nil
}

func addDesk5(o *queue.Office) (queue.Change, error) {
	d := queue.DeskDef{Number: 5, Services: []string{"D"}}
	o.Desks = append(o.Desks, d)
	return queue.Change{Kind: "desk.added", Subject: "desk 5", New: queue.ChangeJSON(d)}, nil
}

// A service and a desk added while the hall works are there at once (a
// ticket for the service, the desk opens), recorded with who and when,
// and still there after a restart from the stored running office.
func TestReconfigureAddsAtOnce(t *testing.T) {
	e := newEnv(t)
	var heard []queue.Event
	e.eng.SetPublisher(func(evs []queue.Event) { heard = append(heard, evs...) })
	ch, err := e.eng.Reconfigure(ctx, "ona", addServiceD)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Seq == 0 || ch.Actor != "ona" || ch.Effective != queue.EffectiveNow || !ch.At.Equal(e.clock.Now()) {
		t.Fatalf("change %+v", ch)
	}
	if _, err := e.eng.Reconfigure(ctx, "ona", addDesk5); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.eng.Office().Service("D"); !ok {
		t.Fatal("Office() does not have the new service")
	}
	tk := e.issue("D")
	e.openDesk(5)
	if got := e.next(5); got == nil || got.ID != tk.ID {
		t.Fatalf("desk 5 called %v, want %s", got, tk.Number)
	}
	if !slices.ContainsFunc(heard, func(ev queue.Event) bool {
		return ev.Type == queue.EventOfficeChanged && ev.Desk != nil && ev.Desk.Number == 5
	}) {
		t.Fatal("the hall did not hear of desk 5")
	}
	cs, err := e.store.Changes(store.ChangeFilter{})
	if err != nil || len(cs) != 2 || cs[0].Kind != "service.added" || cs[1].Subject != "desk 5" {
		t.Fatalf("changes %+v, %v", cs, err)
	}
	// A restart runs the stored running office.
	run, err := e.store.RunningOffice()
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Validate(); err != nil {
		t.Fatal(err)
	}
	e.office = run
	e.reopen()
	if _, ok := e.snapshotDesk(5); !ok {
		t.Fatal("desk 5 is gone after a restart")
	}
	if _, err := e.eng.Issue(ctx, queue.IssueRequest{Service: "D"}, queue.Actor{User: "visitor"}); err != nil {
		t.Fatal(err)
	}
}

func (e *env) snapshotDesk(n int) (queue.Desk, bool) {
	for _, d := range e.snapshot().Desks {
		if d.Number == n {
			return d, true
		}
	}
	return queue.Desk{}, false
}

// A change that would leave waiting tickets without a desk that serves
// them is refused and changes nothing; so are retiring an open desk and
// a value the validator refuses.
func TestReconfigureRefusals(t *testing.T) {
	e := newEnv(t)
	e.issue("C")
	noC := func(o *queue.Office) (queue.Change, error) {
		for i := range o.Desks {
			o.Desks[i].Services = slices.DeleteFunc(o.Desks[i].Services, func(s string) bool { return s == "C" })
		}
		o.Desks = slices.DeleteFunc(o.Desks, func(d queue.DeskDef) bool { return len(d.Services) == 0 })
		return queue.Change{Kind: "desk.changed"}, nil
	}
	_, err := e.eng.Reconfigure(ctx, "ona", noC)
	var qe *queue.Error
	if !errors.As(err, &qe) || qe.Key != "err.config.stranded" || qe.Code != queue.ECONFLICT {
		t.Fatalf("stranded: %v", err)
	}
	e.openDesk(2)
	_, err = e.eng.Reconfigure(ctx, "ona", func(o *queue.Office) (queue.Change, error) {
		o.Desks = slices.DeleteFunc(o.Desks, func(d queue.DeskDef) bool { return d.Number == 2 })
		return queue.Change{Kind: "desk.retired"}, nil
	})
	if !errors.As(err, &qe) || qe.Key != "err.config.desk_open" {
		t.Fatalf("retire open desk: %v", err)
	}
	_, err = e.eng.Reconfigure(ctx, "ona", func(o *queue.Office) (queue.Change, error) {
		o.Services[0].TargetMinutes = 900
		return queue.Change{Kind: "service.changed"}, nil
	})
	if queue.ErrorCode(err) != queue.EINVALID {
		t.Fatalf("target 900: %v", err)
	}
	if cs, _ := e.store.Changes(store.ChangeFilter{}); len(cs) != 0 {
		t.Fatalf("refused changes were recorded: %+v", cs)
	}
	if _, err := e.store.RunningOffice(); err != store.ErrNotFound {
		t.Fatalf("a refused change left a running office: %v", err)
	}
	if len(e.eng.Office().Desks) != 4 || e.eng.Office().Services[0].TargetMinutes != 10 {
		t.Fatal("a refused change changed the office")
	}
}

// New weekly hours take effect tomorrow: today keeps the hours it
// promised (an exception pins them), tomorrow has the new ones.
func TestReconfigureWeekFromTomorrow(t *testing.T) {
	e := newEnv(t) // Monday 23 Nov 2026, 10:00, open 08:00-20:00
	ch, err := e.eng.Reconfigure(ctx, "ona", func(o *queue.Office) (queue.Change, error) {
		for d := range o.Hours.Week {
			o.Hours.Week[d] = []queue.Span{{Start: 9 * 60, End: 12 * 60}}
		}
		return queue.Change{Kind: "hours.changed", Subject: "hours"}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Effective != "2026-11-24" {
		t.Fatalf("effective %q, want tomorrow", ch.Effective)
	}
	o := e.eng.Office()
	if c, _ := o.Closing(e.clock.Now()); c.Hour() != 20 {
		t.Fatalf("today now closes at %v", c)
	}
	if c, _ := o.Closing(e.clock.Now().AddDate(0, 0, 1)); c.Hour() != 12 {
		t.Fatalf("tomorrow closes at %v", c)
	}
}
