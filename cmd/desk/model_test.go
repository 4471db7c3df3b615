package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"langelis/client"
	"langelis/internal/e2e"
	"langelis/queue"
)

func startDesk(t *testing.T, s *e2e.Server, user string, desk int) *Model {
	t.Helper()
	pw := s.AddUser(user, queue.RoleClerk)
	m, err := NewModel(t.Context(), client.New(s.URL), user, pw, desk)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func issue(t *testing.T, s *e2e.Server, service string) string {
	t.Helper()
	var r struct{ ID, Number string }
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": service}, &r); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	return r.ID
}

func status(t *testing.T, s *e2e.Server, id string) queue.Ticket {
	t.Helper()
	tk, err := s.Engine.Ticket(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func keys(m *Model, ctx context.Context, s string) {
	for _, k := range s {
		m.Key(ctx, k)
	}
}

// Each key does what the page's button does, against a real server.
func TestKeysServeAClient(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := t.Context()
	m := startDesk(t, s, "jonas", 1)
	if !strings.Contains(m.View(), "No client at the desk.") {
		t.Fatalf("fresh desk shows:\n%s", m.View())
	}
	a := issue(t, s, "A")
	m.Refresh(ctx)
	keys(m, ctx, "n")
	if tk := status(t, s, a); tk.Status != queue.Called || tk.Desk != 1 {
		t.Fatalf("after n: %+v", tk)
	}
	if v := m.View(); !strings.Contains(v, "A001  called") {
		t.Fatalf("after n the screen shows:\n%s", v)
	}
	keys(m, ctx, "3") // keypad 3 = start
	keys(m, ctx, "F")
	if tk := status(t, s, a); tk.Status != queue.Done {
		t.Fatalf("after 3 and F: %s", tk.Status)
	}
	if v := m.View(); !strings.Contains(v, "1 served") {
		t.Fatalf("after finishing the screen shows:\n%s", v)
	}
	// Enter (the keypad's) calls the next; with nobody waiting it says so.
	m.Key(ctx, keyEnter)
	if v := m.View(); !strings.Contains(v, "Nobody is waiting.") {
		t.Fatalf("next with nobody waiting shows:\n%s", v)
	}
	// An action that does not fit is explained, not ignored.
	keys(m, ctx, "s")
	if v := m.View(); !strings.Contains(v, "Desk 1 has no current client.") {
		t.Fatalf("start with nobody shows:\n%s", v)
	}
}

// Prompts: call a number, transfer to a service, refuse with a reason,
// pause and resume, close with a ticket in service.
func TestKeyPrompts(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := t.Context()
	m := startDesk(t, s, "egle", 1)
	issue(t, s, "A")
	a2 := issue(t, s, "A")
	keys(m, ctx, "c")
	if !strings.Contains(m.View(), "Call number: _") {
		t.Fatalf("c shows:\n%s", m.View())
	}
	keys(m, ctx, "a002\r")
	if tk := status(t, s, a2); tk.Status != queue.Called {
		t.Fatalf("call A002: %s", tk.Status)
	}
	keys(m, ctx, "tB\r") // transfer to service B
	if tk := status(t, s, a2); tk.Status != queue.Waiting || tk.Service != "B" {
		t.Fatalf("transfer to B: %+v", tk)
	}
	keys(m, ctx, "n")
	keys(m, ctx, "dAggressive\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7fIntoxicated\r")
	evs, _ := s.Store.DayEvents(status(t, s, a2).Day)
	last := evs[len(evs)-1]
	if last.Type != queue.TicketRefused || last.Reason != "Intoxicated" || last.Actor != "egle" {
		t.Fatalf("refusal recorded as %s %q by %q", last.Type, last.Reason, last.Actor)
	}
	keys(m, ctx, "pLunch\r")
	if !strings.Contains(m.View(), "paused: Lunch") {
		t.Fatalf("after pause:\n%s", m.View())
	}
	keys(m, ctx, "0") // keypad 0 resumes
	if !strings.Contains(m.View(), "desk 1 · open") {
		t.Fatalf("after resume:\n%s", m.View())
	}
	// Esc leaves a prompt without doing anything.
	keys(m, ctx, "c\x1b")
	if strings.Contains(m.View(), "Call number") {
		t.Fatal("Esc did not cancel the prompt")
	}
	a3 := issue(t, s, "A")
	keys(m, ctx, "ns")
	keys(m, ctx, "q")
	if !strings.Contains(m.View(), "A003 is still being served") || m.Done() {
		t.Fatalf("q with a ticket in service:\n%s", m.View())
	}
	keys(m, ctx, "b")
	if tk := status(t, s, a3); tk.Status != queue.Waiting || !m.Done() {
		t.Fatalf("close and hand back: %s, done %v", tk.Status, m.Done())
	}
}

// syncBuffer is the program's screen, read while the loop writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// last returns the last full screen drawn.
func (b *syncBuffer) last() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.b.String()
	if i := strings.LastIndex(s, "\x1b[2J"); i >= 0 {
		s = s[i:]
	}
	return strings.ReplaceAll(s, "\r\n", "\n")
}

func waitScreen(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.last(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("screen never showed %q; it shows:\n%s", want, out.last())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The program's loop: the line updates live as tickets are taken, and a
// key press calls the next ticket.
func TestLoopLiveAndKeys(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	m := startDesk(t, s, "tomas", 1)
	in, keyboard := io.Pipe()
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- loop(t.Context(), m, in, out) }()
	waitScreen(t, out, "Waiting:  A 0  D 0")
	a := issue(t, s, "A")
	waitScreen(t, out, "Waiting:  A 1  D 0")
	waitScreen(t, out, "Next:    A001")
	keyboard.Write([]byte("n"))
	waitScreen(t, out, "A001  called")
	if tk := status(t, s, a); tk.Status != queue.Called {
		t.Fatalf("after n: %s", tk.Status)
	}
	keyboard.Write([]byte{keyCtrlC})
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Ctrl-C did not end the program")
	}
	if tk := status(t, s, a); tk.Status != queue.Called {
		t.Fatalf("quitting changed A001 to %s; the desk stays open", tk.Status)
	}
}
