package store_test

import (
	"bytes"
	"os"
	"testing"

	"langelis/queue"
	"langelis/reports"
	"langelis/store"
)

// Migration 4→5 adds the buckets of the daily figures to a file version 4
// wrote; its journal is untouched and figures can be stored at once.
func TestMigrationToV5(t *testing.T) {
	s := openTestStore(t)
	path := s.Path()
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	downgrade(t, path, 4, "stats", "stats_staff")
	s = open(t, path)
	defer s.Close()
	if v, _ := s.Version(); v != store.SchemaVersion {
		t.Fatalf("version %d after migration", v)
	}
	if err := s.PutDayStats(reports.Day{Day: "2026-11-23"}, reports.Staff{Day: "2026-11-23"}); err != nil {
		t.Fatal("figures after migration:", err)
	}
	if evs, last, err := s.Recover(); err != nil || len(evs) != 1 || last != 1 {
		t.Fatalf("journal after migration: %d events, last %d, %v", len(evs), last, err)
	}
}

// The figures outlive the journal's purge; the per-clerk figures go after
// their own retention, and their bytes leave the file with the next
// compaction.
func TestStatsOutliveThePurge(t *testing.T) {
	s := openTestStore(t)
	path := s.Path()
	defer s.Close()
	days := []string{"2026-11-23", "2026-11-24", "2026-11-25"}
	var evs []queue.Event
	for i, d := range days {
		evs = append(evs, ev(uint64(i+1), queue.DayStarted, d, nil))
		f := &reports.Figures{Issued: 10 + i, Wait: []int32{60, 120}}
		err := s.PutDayStats(reports.Day{Version: reports.Version, Day: d, Final: true, Groups: map[string]*reports.Figures{reports.All: f}},
			reports.Staff{Day: d, Clerks: map[string]*reports.Figures{"clerk-of-" + d: f}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Append(evs); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PurgeStaffStats("2026-11-25"); err != nil || n != 2 {
		t.Fatalf("staff purge: %d, %v", n, err)
	}
	if n, err := s.Purge("2026-11-26"); err != nil || n != 2 {
		t.Fatalf("journal purge: %d, %v", n, err)
	}
	got, err := s.DayStats("2026-11-01", "2026-11-30")
	if err != nil || len(got) != 3 || got[0].Groups[reports.All].Issued != 10 || got[2].Groups[reports.All].Issued != 12 {
		t.Fatalf("figures after the purge: %+v, %v", got, err)
	}
	st, err := s.StaffStats("2026-11-01", "2026-11-30")
	if err != nil || len(st) != 1 || st[0].Day != "2026-11-25" {
		t.Fatalf("staff figures after their purge: %+v, %v", st, err)
	}
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte("clerk-of-2026-11-23")) {
		t.Fatal("a purged clerk's name is still in the file's bytes")
	}
	if !bytes.Contains(raw, []byte("clerk-of-2026-11-25")) {
		t.Fatal("the kept clerk's figures are not in the file: the test proves nothing")
	}
}
