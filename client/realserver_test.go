package client

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"langelis/internal/e2e"
	"langelis/priority"
	"langelis/queue"
	"langelis/wire"
)

// realServer is the real Langelis server (bbolt file, engine, echo, hub) on
// a loopback port, as the station programs meet it.
type realServer struct{ *e2e.Server }

func (s realServer) engine() *queue.Engine   { return s.Engine }
func (s realServer) clk() *queue.ManualClock { return s.Clock }

// startReal starts the real server with anna and jonas signed in, as the
// clerks busyDay acts for: the server closes a desk whose clerk holds no
// session (when real time moves), so acting for a clerk who never signed
// in would test a hall that cannot exist.
func startReal(t *testing.T) realServer {
	t.Helper()
	s := e2e.Start(t, e2e.Options{Office: testOffice(t)})
	for _, clerk := range []string{anna.User, "jonas"} {
		s.AddUser(clerk, queue.RoleClerk)
		s.Login(clerk)
	}
	return realServer{s}
}

// statusLog records the connection states Subscribe reports.
type statusLog struct {
	mu     sync.Mutex
	states []Status
}

func (l *statusLog) note(s Status) { l.mu.Lock(); l.states = append(l.states, s); l.mu.Unlock() }

func (l *statusLog) connects() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.states {
		if s.Connected {
			n++
		}
	}
	return n
}

// A staff client's mirror follows a busy stretch of the day on the real
// server exactly, categories and tokens included, on one connection.
func TestSubscribeStaff(t *testing.T) {
	s := startReal(t)
	s.AddUser("staff", queue.RoleClerk)
	issue(t, s, "A", priority.Child) // before the client connects: in its first snapshot
	var m Mirror
	var mu sync.Mutex
	var types []string
	var log statusLog
	c := New(s.URL, WithToken(s.Login("staff")), WithLogger(quiet))
	r := subscribe(t, c, func(msg Message) error {
		mu.Lock()
		types = append(types, msg.Type)
		mu.Unlock()
		return m.Apply(msg)
	}, fast(0), WithStatus(log.note))
	waitFor(t, "first snapshot", m.Ready)
	busyDay(t, s)
	s.Real.Advance(time.Minute) // the session check runs, and leaves the signed-in clerks' desks open
	sameQueue(t, s, &m, true)
	if tk, ok := m.Ticket("A004"); !ok || tk.Category != priority.Elderly || tk.ID == "" || tk.Service != "B" {
		t.Errorf("staff mirror lacks the category or ID: %+v", tk)
	}
	if d, _ := m.Desk(1); d.Clerk != "anna" || d.Status != queue.DeskPaused || d.PauseReason != "break" {
		t.Errorf("desk 1 = %+v", d)
	}
	if err := r.stop(t); !errors.Is(err, context.Canceled) {
		t.Errorf("Subscribe returned %v, want context.Canceled", err)
	}
	mu.Lock()
	defer mu.Unlock()
	var events []string // side-band cutoff messages aside
	for _, typ := range types {
		if typ != "cutoff" {
			events = append(events, typ)
		}
	}
	if events[0] != wire.KindSnapshot || events[1] != string(queue.EventDeskOpened) {
		t.Errorf("first messages %v", events[:2])
	}
	if n := log.connects(); n != 1 {
		t.Errorf("%d connections, want one: the stream never needed a resync", n)
	}
}

// A public client's mirror follows the same stretch without ever holding a
// token or a category; the hidden category change arrives as a noop and
// leaves no gap, so it never resyncs.
func TestSubscribePublic(t *testing.T) {
	s := startReal(t)
	issue(t, s, "B", priority.Pregnant)
	var m Mirror
	var log statusLog
	subscribe(t, New(s.URL, WithLogger(quiet)), m.Apply, fast(0), WithStatus(log.note))
	waitFor(t, "first snapshot", m.Ready)
	busyDay(t, s)
	sameQueue(t, s, &m, false)
	if n := log.connects(); n != 1 {
		t.Errorf("%d connections, want one", n)
	}
}
