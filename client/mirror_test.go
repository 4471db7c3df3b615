package client

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"langelis/priority"
	"langelis/queue"
	"langelis/wire"
)

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func ticket(id, number string, st queue.Status, desk int) *queue.Ticket {
	return &queue.Ticket{ID: id, Number: number, Service: number[:1], Status: st, Desk: desk, Day: "2026-03-02", IssuedAt: t0}
}

func snapMsg(seq uint64, tickets []queue.Ticket, desks []queue.Desk) Message {
	return Message{Seq: seq, Type: wire.KindSnapshot, Snapshot: &queue.Snapshot{
		Seq: seq, Day: "2026-03-02", Now: t0, Open: true, Tickets: tickets, Desks: desks,
		Waiting: map[string]int{"A": 0, "B": 0}, Calls: []queue.Call{},
		Cutoff: &queue.Cutoff{Count: 3, PerService: map[string]int{"A": 3}},
	}}
}

func evMsg(seq uint64, typ queue.EventType, t *queue.Ticket, d *queue.Desk) Message {
	return Message{Seq: seq, Type: string(typ), Event: &queue.Event{Seq: seq, Type: typ,
		At: t0.Add(time.Duration(seq) * time.Minute), Day: "2026-03-02", Ticket: t, Desk: d}}
}

func desk(n int, st queue.DeskStatus, held *queue.Ticket) *queue.Desk {
	d := &queue.Desk{Number: n, Services: []string{"A", "B"}, Status: st}
	if held != nil {
		d.Ticket, d.TicketNumber = held.ID, held.Number
	}
	return d
}

func mustApply(t *testing.T, m *Mirror, msgs ...Message) {
	t.Helper()
	for _, msg := range msgs {
		if err := m.Apply(msg); err != nil {
			t.Fatalf("Apply(%d %s): %v", msg.Seq, msg.Type, err)
		}
	}
}

func numbers(ts []queue.Ticket) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, fmt.Sprintf("%s:%s:%d", t.Number, t.Status, t.Desk))
	}
	return out
}

func TestMirrorLifecycle(t *testing.T) {
	var m Mirror
	if m.Ready() {
		t.Fatal("zero mirror is ready")
	}
	a1 := ticket("id1", "A001", queue.Waiting, 0)
	mustApply(t, &m, snapMsg(10, []queue.Ticket{*a1}, []queue.Desk{*desk(2, queue.DeskClosed, nil), *desk(1, queue.DeskOpen, nil)}))
	if !m.Ready() || m.Seq() != 10 {
		t.Fatalf("after snapshot: ready %v seq %d", m.Ready(), m.Seq())
	}
	if w := m.Waiting(); !reflect.DeepEqual(w, map[string]int{"A": 1, "B": 0}) {
		t.Fatalf("waiting = %v", w)
	}

	b1 := ticket("id2", "B001", queue.Waiting, 0)
	a2 := ticket("id3", "A002", queue.Waiting, 0)
	mustApply(t, &m,
		evMsg(11, queue.TicketIssued, b1, nil),
		evMsg(12, queue.TicketIssued, a2, nil),
	)
	called := ticket("id1", "A001", queue.Called, 1)
	mustApply(t, &m, evMsg(13, queue.TicketCalled, called, desk(1, queue.DeskOpen, called)))
	s := m.Snapshot()
	if got, want := numbers(s.Tickets), []string{"A001:called:1", "B001:waiting:0", "A002:waiting:0"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("tickets = %v, want %v", got, want)
	}
	if !reflect.DeepEqual(s.Waiting, map[string]int{"A": 1, "B": 1}) {
		t.Fatalf("waiting = %v", s.Waiting)
	}
	if d, _ := m.Desk(1); d.TicketNumber != "A001" || d.Ticket != "id1" {
		t.Fatalf("desk 1 = %+v", d)
	}
	if len(s.Desks) != 2 || s.Desks[0].Number != 1 || s.Desks[1].Number != 2 {
		t.Fatalf("desks not by number: %+v", s.Desks)
	}

	recalled := *called
	recalled.Recalls = 1
	mustApply(t, &m, evMsg(14, queue.TicketRecalled, &recalled, desk(1, queue.DeskOpen, &recalled)))
	calls := m.Calls(0)
	if len(calls) != 2 || calls[0].Number != "A001" || !calls[0].Recall || calls[1].Recall || calls[0].Desk != 1 ||
		!calls[0].At.Equal(t0.Add(14*time.Minute)) {
		t.Fatalf("calls = %+v", calls)
	}
	if c := m.Calls(1); len(c) != 1 || !c[0].Recall {
		t.Fatalf("Calls(1) = %+v", c)
	}

	serving := ticket("id1", "A001", queue.Serving, 1)
	done := ticket("id1", "A001", queue.Done, 1)
	mustApply(t, &m,
		evMsg(15, queue.TicketStarted, serving, desk(1, queue.DeskOpen, serving)),
		evMsg(16, queue.TicketFinished, done, desk(1, queue.DeskOpen, nil)),
	)
	if _, ok := m.Ticket("A001"); ok {
		t.Fatal("a finished ticket is still in the mirror")
	}
	if got := numbers(m.Snapshot().Tickets); !reflect.DeepEqual(got, []string{"B001:waiting:0", "A002:waiting:0"}) {
		t.Fatalf("tickets = %v", got)
	}
	if d, _ := m.Desk(1); d.TicketNumber != "" {
		t.Fatalf("desk 1 still holds %q", d.TicketNumber)
	}
	if tk, ok := m.Ticket("B001"); !ok || tk.ID != "id2" {
		t.Fatalf("Ticket(B001) = %+v, %v", tk, ok)
	}
	if s := m.Snapshot(); s.Seq != 16 || !s.Now.Equal(t0.Add(16*time.Minute)) || s.Cutoff == nil || s.Cutoff.Count != 3 {
		t.Fatalf("snapshot head: seq %d now %v cutoff %+v", s.Seq, s.Now, s.Cutoff)
	}
}

func TestMirrorRepeatsAndGaps(t *testing.T) {
	var m Mirror
	a1 := ticket("id1", "A001", queue.Waiting, 0)
	if err := m.Apply(evMsg(3, queue.TicketIssued, a1, nil)); !errors.Is(err, ErrResync) {
		t.Fatalf("event before snapshot: err = %v, want ErrResync", err)
	}
	mustApply(t, &m, snapMsg(5, nil, nil), evMsg(6, queue.TicketIssued, a1, nil))

	// A repeat after a reconnect changes nothing, even if it differs.
	stale := ticket("id1", "A001", queue.Called, 2)
	mustApply(t, &m, evMsg(6, queue.TicketCalled, stale, nil), evMsg(4, queue.TicketCalled, stale, nil))
	if tk, _ := m.Ticket("A001"); tk.Status != queue.Waiting || len(m.Calls(0)) != 0 || m.Seq() != 6 {
		t.Fatalf("a repeat was applied: %+v, calls %v, seq %d", tk, m.Calls(0), m.Seq())
	}

	// A gap changes nothing and asks for a resync.
	before := m.Snapshot()
	err := m.Apply(evMsg(8, queue.TicketCalled, stale, nil))
	if !errors.Is(err, ErrResync) {
		t.Fatalf("gap: err = %v, want ErrResync", err)
	}
	if after := m.Snapshot(); !reflect.DeepEqual(before, after) {
		t.Fatalf("a gap changed the mirror:\n%+v\n%+v", before, after)
	}

	// A fresh snapshot is taken whatever its seq (a restored server may be behind).
	mustApply(t, &m, snapMsg(2, nil, nil))
	if m.Seq() != 2 || len(m.Snapshot().Tickets) != 0 {
		t.Fatalf("snapshot not taken: seq %d", m.Seq())
	}
	mustApply(t, &m, evMsg(3, queue.TicketIssued, a1, nil))
}

func TestMirrorPublicView(t *testing.T) {
	// Public tickets have no ID: the mirror keys them by number.
	pub := func(number string, st queue.Status, d int) *queue.Ticket {
		tk := ticket("", number, st, d)
		return tk
	}
	var m Mirror
	mustApply(t, &m, snapMsg(1, []queue.Ticket{*pub("A001", queue.Waiting, 0), *pub("A002", queue.Waiting, 0)}, nil))
	mustApply(t, &m,
		evMsg(2, queue.TicketCalled, pub("A001", queue.Called, 2), &queue.Desk{Number: 2, Status: queue.DeskOpen, TicketNumber: "A001"}),
		evMsg(3, queue.TicketMoved, pub("A001", queue.Waiting, 0), &queue.Desk{Number: 2, Status: queue.DeskOpen}),
		// A hidden event reaches the hall bare: it only moves the sequence on.
		Message{Seq: 4, Type: string(queue.TicketCategory), Event: &queue.Event{Seq: 4, Type: queue.TicketCategory}},
		evMsg(5, queue.TicketCancelled, pub("A002", queue.Cancelled, 0), nil),
	)
	s := m.Snapshot()
	if got := numbers(s.Tickets); !reflect.DeepEqual(got, []string{"A001:waiting:0"}) {
		t.Fatalf("tickets = %v", got)
	}
	if s.Seq != 5 || s.Waiting["A"] != 1 {
		t.Fatalf("seq %d waiting %v", s.Seq, s.Waiting)
	}
	// A001 was sent away from desk 2: its call no longer holds, so the
	// hall is no longer told to go there.
	if c := m.Calls(0); len(c) != 0 {
		t.Fatalf("calls = %+v; the transferred A001's call must leave", c)
	}
}

func TestMirrorDayStarted(t *testing.T) {
	var m Mirror
	held := ticket("id1", "A001", queue.Serving, 1)
	d1 := desk(1, queue.DeskOpen, held)
	d1.Clerk = "anna"
	mustApply(t, &m,
		snapMsg(7, []queue.Ticket{*held, *ticket("id2", "A002", queue.Waiting, 0)}, []queue.Desk{*d1}),
		evMsg(8, queue.TicketCalled, ticket("id2", "A002", queue.Called, 2), nil),
		Message{Seq: 9, Type: string(queue.DayStarted), Event: &queue.Event{Seq: 9, Type: queue.DayStarted, Day: "2026-03-03"}},
	)
	s := m.Snapshot()
	if s.Day != "2026-03-03" || len(s.Tickets) != 0 || len(s.Calls) != 0 || s.Cutoff != nil {
		t.Fatalf("new day kept the old one: %+v", s)
	}
	if d, ok := m.Desk(1); !ok || d.Status != queue.DeskClosed || d.Clerk != "" || d.Ticket != "" || len(d.Services) != 2 {
		t.Fatalf("desk 1 after day start = %+v", d)
	}
	if w := m.Waiting(); !reflect.DeepEqual(w, map[string]int{"A": 0, "B": 0}) {
		t.Fatalf("waiting = %v", w)
	}
}

func TestMirrorCallsCapped(t *testing.T) {
	var m Mirror
	mustApply(t, &m, snapMsg(0, nil, nil))
	for i := 1; i <= 30; i++ {
		n := queue.FormatNumber("A", i)
		mustApply(t, &m, evMsg(uint64(i), queue.TicketCalled, ticket(n, n, queue.Called, 1), nil))
	}
	c := m.Calls(0)
	if len(c) != 20 || c[0].Number != "A030" || c[19].Number != "A011" {
		t.Fatalf("calls = %d, first %s, last %s", len(c), c[0].Number, c[len(c)-1].Number)
	}
}

func TestMirrorCopies(t *testing.T) {
	var m Mirror
	d := desk(1, queue.DeskOpen, nil)
	msg := snapMsg(1, []queue.Ticket{*ticket("id1", "A001", queue.Waiting, 0)}, []queue.Desk{*d})
	mustApply(t, &m, msg)
	// Changing what was applied, or what was handed out, leaves the mirror alone.
	msg.Snapshot.Desks[0].Services[0] = "X"
	msg.Snapshot.Cutoff.PerService["A"] = 99
	s := m.Snapshot()
	s.Desks[0].Services[0] = "Y"
	s.Tickets[0].Status = queue.Done
	s.Cutoff.PerService["A"] = 98
	s.Waiting["A"] = 42
	again := m.Snapshot()
	if again.Desks[0].Services[0] != "A" || again.Tickets[0].Status != queue.Waiting ||
		again.Cutoff.PerService["A"] != 3 || again.Waiting["A"] != 1 {
		t.Fatalf("mirror shares memory with its callers: %+v", again)
	}
}

func TestMirrorConcurrent(t *testing.T) {
	var m Mirror
	mustApply(t, &m, snapMsg(0, nil, nil))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; i <= 200; i++ {
			n := queue.FormatNumber("A", i)
			tk := ticket(n, n, queue.Waiting, 0)
			tk.Category = priority.Elderly
			if err := m.Apply(evMsg(uint64(i), queue.TicketIssued, tk, nil)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; i < 200; i++ {
		_ = m.Snapshot()
		_ = m.Waiting()
		_, _ = m.Ticket("A001")
	}
	wg.Wait()
	if w := m.Waiting()["A"]; w != 200 {
		t.Fatalf("waiting A = %d", w)
	}
}
