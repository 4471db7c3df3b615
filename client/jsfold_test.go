package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/internal/e2e"
	"langelis/priority"
	"langelis/queue"
	"langelis/wire"
)

// The pages fold the websocket's events in JavaScript (live.js applyEvent)
// and the Go client with the engine's own queue.State. On the public
// stream of a real server's busy day that runs into the next one, both
// must end where the server is.
func TestPagesFoldLikeTheEngine(t *testing.T) {
	s := startReal(t)
	// The clerks busyDay acts as are signed in, so the server's check for
	// desks held by nobody leaves their desks alone.
	for _, u := range []string{"anna", "jonas"} {
		s.AddUser(u, queue.RoleClerk)
		s.Login(u)
	}
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+s.Addr+"/api/v1/ws?"+wire.ProtocolParam+"=2", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var mu sync.Mutex
	var stream [][]byte
	var m Mirror
	go func() {
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				return
			}
			msg, err := wire.Decode(data)
			if err != nil {
				t.Errorf("%s: %v", data, err)
				return
			}
			mu.Lock()
			stream = append(stream, data)
			if err := m.Apply(msg); err != nil {
				t.Errorf("mirror: %v", err)
			}
			mu.Unlock()
		}
	}()
	waitFor(t, "the snapshot", m.Ready)

	busyDay(t, s)
	ctx := context.Background()
	// Desk 2 still holds its client when the day ends. The next morning
	// desk 1 opens again, calls, recalls and returns a ticket to the line;
	// desk 2 stays closed.
	if d, _ := m.Desk(2); d.TicketNumber == "" {
		t.Fatalf("desk 2 holds nothing at the day's end: %+v", d)
	}
	s.Clock.Set(s.Clock.Now().Add(24 * time.Hour))
	if err := s.Engine.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	s.Login("anna") // yesterday's session is over by the office's clock
	must[queue.DeskResult](t)(s.Engine.OpenDesk(ctx, 1, anna))
	issue(t, s, "A", priority.None)
	issue(t, s, "A", priority.Pregnant)
	must[queue.DeskResult](t)(s.Engine.Next(ctx, 1, anna))
	must[queue.DeskResult](t)(s.Engine.Recall(ctx, 1, anna))
	must[queue.DeskResult](t)(s.Engine.Return(ctx, 1, anna)) // back in line: no desk, no recalls

	want := must[queue.Snapshot](t)(s.Engine.Snapshot(ctx)).Public()
	waitFor(t, "the last event", func() bool { return m.Seq() == want.Seq })
	mu.Lock()
	in := append([]byte("["), bytes.Join(stream, []byte(","))...)
	in = append(in, ']')
	mu.Unlock()
	var js queue.PublicSnapshot
	if err := json.Unmarshal(e2e.Node(t, in, "../assets/jstest/fold.mjs"), &js); err != nil {
		t.Fatal(err)
	}
	goView := m.Snapshot().Public()
	for _, c := range []struct {
		who string
		got queue.PublicSnapshot
	}{{"live.js", js}, {"client.Mirror", goView}} {
		if g, w := foldView(c.got), foldView(want); g != w {
			t.Errorf("%s folded the day into\n%s\nthe server holds\n%s", c.who, g, w)
		}
	}
}

// foldView is what a hall screen shows of a snapshot: tickets by number,
// desks, the latest calls and the waiting counts.
func foldView(s queue.PublicSnapshot) string {
	var b strings.Builder
	fmt.Fprintf(&b, "day %s\n", s.Day)
	tickets := make([]string, 0, len(s.Tickets))
	for _, t := range s.Tickets {
		tickets = append(tickets, fmt.Sprintf("%s %s desk=%d recalls=%d", t.Number, t.Status, t.Desk, t.Recalls))
	}
	sort.Strings(tickets)
	fmt.Fprintf(&b, "tickets %q\n", tickets)
	for _, d := range s.Desks {
		fmt.Fprintf(&b, "desk %d %s %s\n", d.Number, d.Status, d.TicketNumber)
	}
	for _, c := range s.Calls {
		fmt.Fprintf(&b, "call %s→%d recall=%v %s\n", c.Number, c.Desk, c.Recall, c.At.UTC().Format(time.TimeOnly))
	}
	letters := make([]string, 0, len(s.Waiting))
	for l, n := range s.Waiting {
		letters = append(letters, fmt.Sprintf("%s=%d", l, n))
	}
	sort.Strings(letters)
	fmt.Fprintf(&b, "waiting %v", letters)
	return b.String()
}
