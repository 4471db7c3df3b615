package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"langelis/queue"
	"langelis/store"
)

func change(at time.Time, actor, kind, subject string) queue.Change {
	return queue.Change{At: at, Actor: actor, Kind: kind, Subject: subject, New: json.RawMessage(`{"x":1}`), Effective: queue.EffectiveNow}
}

// Changes are numbered by the store, survive a reopen, and are chosen by
// day (in the office's zone), actor, kind prefix and subject.
func TestChangesAppendAndFilter(t *testing.T) {
	s := openTestStore(t)
	path := s.Path()
	vilnius, _ := time.LoadLocation("Europe/Vilnius")
	d1 := time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC) // 24 Nov in Vilnius
	d2 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for _, c := range []queue.Change{
		change(d1, "ona", "service.added", "service D"),
		change(d1.Add(time.Minute), "ona", "desk.added", "desk 7"),
		change(d2, "petras", "user.added", "user jonas"),
	} {
		got, err := s.AppendChange(c)
		if err != nil {
			t.Fatal(err)
		}
		if got.Seq == 0 {
			t.Fatal("no seq")
		}
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	cases := []struct {
		f    store.ChangeFilter
		want []uint64
	}{
		{store.ChangeFilter{}, []uint64{1, 2, 3}},
		{store.ChangeFilter{From: "2026-11-24", To: "2026-11-24", Loc: vilnius}, []uint64{1, 2}},
		{store.ChangeFilter{From: "2026-11-24", To: "2026-11-24"}, nil}, // in UTC it was the 23rd
		{store.ChangeFilter{Actor: "petras"}, []uint64{3}},
		{store.ChangeFilter{Kind: "service."}, []uint64{1}},
		{store.ChangeFilter{Subject: "desk 7"}, []uint64{2}},
		{store.ChangeFilter{Limit: 2}, []uint64{2, 3}},
	}
	for _, c := range cases {
		got, err := s.Changes(c.f)
		if err != nil {
			t.Fatal(err)
		}
		var seqs []uint64
		for _, g := range got {
			seqs = append(seqs, g.Seq)
		}
		if len(seqs) != len(c.want) {
			t.Fatalf("%+v: got %v, want %v", c.f, seqs, c.want)
		}
		for i := range seqs {
			if seqs[i] != c.want[i] {
				t.Fatalf("%+v: got %v, want %v", c.f, seqs, c.want)
			}
		}
	}
}

// The journal's purge leaves the changes alone; PurgeChanges removes only
// those past their own retention.
func TestChangesOwnRetention(t *testing.T) {
	s := openTestStore(t)
	old := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	recent := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2025-01-10", nil), ev(2, queue.DayStarted, "2026-11-23", nil)}); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{old, recent} {
		if _, err := s.AppendChange(change(at, "ona", "hours.changed", "hours")); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.Purge("2026-11-01"); err != nil || n != 1 {
		t.Fatalf("journal purge: %d days, %v", n, err)
	}
	if got, _ := s.Changes(store.ChangeFilter{}); len(got) != 2 {
		t.Fatalf("the journal's purge removed changes: %d left", len(got))
	}
	n, err := s.PurgeChanges(recent.AddDate(0, 0, -365))
	if err != nil || n != 1 {
		t.Fatalf("purge changes: %d, %v", n, err)
	}
	got, _ := s.Changes(store.ChangeFilter{})
	if len(got) != 1 || !got[0].At.Equal(recent) {
		t.Fatalf("left %+v", got)
	}
	// Numbering goes on after a purge: a seq is never reused.
	c, _ := s.AppendChange(change(recent, "ona", "hours.changed", "hours"))
	if c.Seq != 3 {
		t.Fatalf("seq %d after purge", c.Seq)
	}
}

// A configuration change and the running office it leaves are written
// together; ForgetRunningOffice goes back to the file but keeps the trail.
func TestRunningOffice(t *testing.T) {
	s := openTestStore(t)
	path := s.Path()
	if _, err := s.RunningOffice(); err != store.ErrNotFound {
		t.Fatalf("fresh store: %v", err)
	}
	o := &queue.Office{Name: "Test", TimeZone: "UTC", Services: []queue.Service{{Letter: "A", Names: map[string]string{"lt": "A"}}}}
	if err := s.AppendConfig(nil, o, []queue.Change{change(time.Unix(100, 0), "ona", "service.added", "service A")}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	got, err := s.RunningOffice()
	if err != nil || got.Name != "Test" || len(got.Services) != 1 {
		t.Fatalf("running office %+v, %v", got, err)
	}
	if err := s.ForgetRunningOffice(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RunningOffice(); err != store.ErrNotFound {
		t.Fatalf("after forget: %v", err)
	}
	if cs, _ := s.Changes(store.ChangeFilter{}); len(cs) != 1 {
		t.Fatalf("forget removed the trail: %d", len(cs))
	}
}

// Migration 3→4 adds the changes bucket to a file version 3 wrote.
func TestMigrationToV4(t *testing.T) {
	s := openTestStore(t)
	path := s.Path()
	if err := s.PutUser(queue.User{Username: "jonas"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	downgrade(t, path, 3, "changes")
	s = open(t, path)
	defer s.Close()
	if v, _ := s.Version(); v != store.SchemaVersion {
		t.Fatalf("version %d", v)
	}
	if _, err := s.User("jonas"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AppendChange(change(time.Unix(1, 0), "ona", "user.added", "user jonas")); err != nil {
		t.Fatal(err)
	}
}
