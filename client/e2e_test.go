package client_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"langelis/client"
	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/wire"
)

// The client against the real server: a staff mirror follows the queue,
// and catches up after the server restarts, without anyone touching it.
func TestClientFollowsRealServerAcrossRestart(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	s.AddUser("clerk1", queue.RoleClerk)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	c := client.New(s.URL)
	if _, err := c.Login(ctx, "clerk1", "pw-clerk1-secret"); err != nil {
		t.Fatal(err)
	}
	var m client.Mirror
	var mu sync.Mutex
	var states []bool
	done := make(chan error, 1)
	go func() {
		done <- c.Subscribe(ctx, m.Apply, client.WithBackoff(50*time.Millisecond, 300*time.Millisecond),
			client.WithStatus(func(st client.Status) { mu.Lock(); states = append(states, st.Connected); mu.Unlock() }))
	}()
	waitFor(t, "the first snapshot", func() bool { return m.Ready() })

	a, err := c.Issue(ctx, wire.IssueRequest{Service: "A", Priority: "elderly"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Desk(ctx, 1, "open", nil); err != nil {
		t.Fatal(err)
	}
	if r, err := c.Desk(ctx, 1, "next", nil); err != nil || r.Ticket.Number != a.Number {
		t.Fatalf("next: %+v %v", r, err)
	}
	waitFor(t, "the call in the mirror", func() bool {
		tk, ok := m.Ticket(a.Number)
		return ok && tk.Status == queue.Called && tk.Desk == 1
	})
	if tk, _ := m.Ticket(a.Number); tk.Category != "elderly" {
		t.Fatalf("a staff mirror should know the category, got %q", tk.Category)
	}

	// The server restarts; meanwhile nothing. After it, a new ticket.
	s.Restart()
	b, err := c.Issue(ctx, wire.IssueRequest{Service: "B"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the ticket issued after the restart", func() bool { _, ok := m.Ticket(b.Number); return ok })
	snap, err := c.Queue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Seq(); got != snap.Seq {
		t.Fatalf("mirror at seq %d, server at %d", got, snap.Seq)
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	// An attempt that fails while the server is still starting reports
	// "disconnected" again; what a person watching sees is the changes.
	changes := slices.Compact(slices.Clone(states))
	if len(changes) < 3 || changes[0] != true || changes[1] != false || changes[2] != true {
		t.Fatalf("status changes %v: want connected, disconnected, connected", states)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
