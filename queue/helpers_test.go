package queue_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"langelis/i18n"
	"langelis/queue"
	"langelis/store"
)

var vilnius, _ = time.LoadLocation("Europe/Vilnius")

// testOffice is open 08:00-20:00 every day with three services and four desks.
func testOffice() *queue.Office {
	o := &queue.Office{Name: "Test", TimeZone: "Europe/Vilnius",
		Services: []queue.Service{
			{Letter: "A", Names: map[string]string{"lt": "Deklaravimas"}, TargetMinutes: 10},
			{Letter: "B", Names: map[string]string{"lt": "Išmokos"}, TargetMinutes: 5},
			{Letter: "C", Names: map[string]string{"lt": "Statyba"}, TargetMinutes: 20},
		},
		Desks: []queue.DeskDef{{Number: 1, Services: []string{"A", "B"}}, {Number: 2, Services: []string{"A"}},
			{Number: 3, Services: []string{"B", "C"}}, {Number: 4, Services: []string{"A", "B", "C"}}},
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

type env struct {
	t      *testing.T
	path   string
	office *queue.Office
	clock  *queue.ManualClock
	store  *store.Store
	eng    *queue.Engine
}

// newEnv opens a real bbolt file in a temp dir and an engine on it, at
// 10:00 on a Monday in Vilnius.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, path: filepath.Join(t.TempDir(), "q.db"), office: testOffice(),
		clock: queue.NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, vilnius))}
	e.open()
	t.Cleanup(e.close)
	return e
}

func (e *env) open() {
	e.t.Helper()
	s, err := store.Open(e.path)
	if err != nil {
		e.t.Fatal(err)
	}
	eng, err := queue.NewEngine(e.office, s, queue.Options{Clock: e.clock})
	if err != nil {
		e.t.Fatal(err)
	}
	e.store, e.eng = s, eng
}

func (e *env) close() {
	if e.eng != nil {
		e.eng.Close()
		e.store.Close()
		e.eng, e.store = nil, nil
	}
}

func (e *env) reopen() {
	e.close()
	e.open()
}

var ctx = context.Background()

func clerk(n int) queue.Actor {
	return queue.Actor{User: "clerk" + string(rune('0'+n)), Name: "Clerk"}
}

func (e *env) issue(service string) queue.Ticket {
	e.t.Helper()
	t, err := e.eng.Issue(ctx, queue.IssueRequest{Service: service}, queue.Actor{User: "visitor"})
	if err != nil {
		e.t.Fatalf("issue %s: %v", service, err)
	}
	return t
}

func (e *env) openDesk(n int) {
	e.t.Helper()
	if _, err := e.eng.OpenDesk(ctx, n, clerk(n)); err != nil {
		e.t.Fatalf("open desk %d: %v", n, err)
	}
}

func (e *env) next(n int) *queue.Ticket {
	e.t.Helper()
	r, err := e.eng.Next(ctx, n, clerk(n))
	if err != nil {
		e.t.Fatalf("next at desk %d: %v", n, err)
	}
	return r.Ticket
}

func (e *env) snapshot() queue.Snapshot {
	e.t.Helper()
	s, err := e.eng.Snapshot(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (e *env) ticket(id string) queue.Ticket {
	e.t.Helper()
	t, err := e.eng.Ticket(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return t
}

func storeOpen(path string) (*store.Store, error) { return store.Open(path) }

// english is err's message as the server would write it in English.
func english(err error) string {
	var qe *queue.Error
	if !errors.As(err, &qe) {
		return ""
	}
	return i18n.T("en", qe.Key, qe.Args...)
}
