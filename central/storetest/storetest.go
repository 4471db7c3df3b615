// Package storetest holds the tests every store of the city's centre
// passes (central.Bolt, postgres.Store): the same verdicts, drops,
// purges, accounts and sign-ins, whatever keeps them.
package storetest

import (
	"fmt"
	"testing"
	"time"

	"langelis/central"
	"langelis/city"
	"langelis/queue"
)

// Run runs the tests on stores open makes, one fresh store each.
func Run(t *testing.T, open func(t *testing.T) central.Store) {
	t.Run("IngestAndPurge", func(t *testing.T) { ingestAndPurge(t, open(t)) })
	t.Run("AccountsAndSessions", func(t *testing.T) { accounts(t, open(t)) })
}

// BenchIngest measures s alone: events a second it takes in batches of
// 512 (one transaction each), from three halls. Each store's benchmark
// calls it, so their figures compare.
func BenchIngest(b *testing.B, s central.Store) {
	e1 := []city.Epoch{{ID: "e1", Base: 1}}
	var seq uint64
	b.ResetTimer()
	for done := 0; done < b.N; {
		n := min(512, b.N-done)
		batch := make([]city.Message, 0, n)
		for i := 0; i < n; i++ {
			if i%3 == 0 {
				seq++
			}
			batch = append(batch, Msg(b, []string{"a", "b", "c"}[i%3], e1, seq, "2026-11-23"))
		}
		if _, _, err := s.Ingest(batch); err != nil {
			b.Fatal(err)
		}
		done += n
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// Msg is one ticket.issued message of hall at seq.
func Msg(t testing.TB, hall string, epochs []city.Epoch, seq uint64, day string) city.Message {
	t.Helper()
	ev := queue.Event{Seq: seq, Type: queue.TicketIssued, Day: day, At: time.Date(2026, 11, 23, 10, 0, int(seq%60), 0, time.UTC),
		Ticket: &queue.Ticket{ID: "token", Number: fmt.Sprintf("A%03d", seq), Service: "A", Status: queue.Waiting}}
	m, err := city.NewMessage(hall, epochs, seq-1, ev)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// ingestAndPurge: the store takes a hall's events in order, says what it did with each,
// drops what a restored journal's new epoch replaces, and purges days
// with the hall's retention while keeping its place.
func ingestAndPurge(t *testing.T, s central.Store) {
	e1 := []city.Epoch{{ID: "e1", Base: 1}}
	batch := []city.Message{Msg(t, "a", e1, 1, "2026-11-22"), Msg(t, "a", e1, 2, "2026-11-22"), Msg(t, "a", e1, 2, "2026-11-22"),
		Msg(t, "a", e1, 4, "2026-11-23"), Msg(t, "a", e1, 3, "2026-11-23")}
	ps, vs, err := s.Ingest(batch)
	if err != nil {
		t.Fatal(err)
	}
	want := []city.Verdict{city.Take, city.Take, city.Have, city.Early, city.Take}
	for i := range want {
		if vs[i] != want[i] {
			t.Fatalf("verdicts %v, want %v", vs, want)
		}
	}
	if len(ps) != 1 || ps[0].Seq != 3 || ps[0].Epoch != "e1" || !ps[0].Gap || ps[0].Digest != city.Digest(batch[4].Event) {
		t.Fatalf("position %+v", ps)
	}
	// The journal was restored from a copy ending at 2: a new epoch at 3.
	e2 := []city.Epoch{{ID: "e1", Base: 1}, {ID: "e2", Base: 3}}
	if _, vs, err = s.Ingest([]city.Message{Msg(t, "a", e2, 3, "2026-11-23")}); err != nil || vs[0] != city.Take {
		t.Fatalf("the new epoch's 3: %v %v", vs, err)
	}
	if st := s.Stats(); st.Dropped != 1 || st.Taken != 4 {
		t.Fatalf("stats %+v", st)
	}
	if evs, _ := s.DayEvents("a", "2026-11-23"); len(evs) != 1 || evs[0].Seq != 3 {
		t.Fatalf("the day after the new epoch: %+v", evs)
	}
	if n, err := s.Purge("a", "2026-11-23"); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if evs, _ := s.Events("a", 0, 10); len(evs) != 1 || evs[0].Seq != 3 {
		t.Fatalf("after the purge: %+v", evs)
	}
	halls, _ := s.Halls()
	if len(halls) != 1 || halls[0].Ledger.Last != 3 || len(halls[0].Days) != 1 {
		t.Fatalf("halls after the purge: %+v", halls)
	}
	if _, vs, _ := s.Ingest([]city.Message{Msg(t, "a", e2, 2, "2026-11-22")}); vs[0] != city.Have {
		t.Fatalf("a resend of a purged event: %v", vs)
	}
}

// accounts: staff accounts and sign-ins, by the hash of their token,
// until they expire.
func accounts(t *testing.T, s central.Store) {
	if _, err := s.User("rasa"); err != central.ErrNotFound {
		t.Fatalf("a missing user: %v", err)
	}
	if err := s.PutUser(queue.User{Username: "rasa", Name: "Rasa", Role: queue.RoleAdmin, PasswordHash: []byte("h")}); err != nil {
		t.Fatal(err)
	}
	if u, err := s.User("rasa"); err != nil || u.Name != "Rasa" || string(u.PasswordHash) != "h" {
		t.Fatalf("user: %+v %v", u, err)
	}
	if us, err := s.Users(); err != nil || len(us) != 1 {
		t.Fatalf("users: %+v %v", us, err)
	}
	now := time.Now()
	if err := s.PutSession("tok", queue.Session{Username: "rasa", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if ss, err := s.Session("tok", now); err != nil || ss.Username != "rasa" {
		t.Fatalf("session: %+v %v", ss, err)
	}
	if _, err := s.Session("tok", now.Add(2*time.Hour)); err != central.ErrNotFound {
		t.Fatalf("an expired session: %v", err)
	}
	if err := s.ExpireSessions(now.Add(2 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session("tok", now); err != central.ErrNotFound {
		t.Fatalf("a session after expiry: %v", err)
	}
}
