package store_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"langelis/feedback"
	"langelis/store"
)

// Migration 6→7 adds the feedback buckets to a file version 6 wrote; a
// registration can be stored at once and gets the year's first number.
func TestMigrationToV7(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v6.db")
	s := open(t, path)
	s.Close()
	downgrade(t, path, 6, "feedback")
	s = open(t, path)
	defer s.Close()
	if v, _ := s.Version(); v != store.SchemaVersion {
		t.Fatalf("version %d after migration", v)
	}
	e, err := s.AddFeedback(feedback.Entry{Kind: feedback.Thanks, Text: "ačiū", Status: feedback.Registered,
		Registered: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)}, "", time.UTC)
	if err != nil || e.ID != "2026-0001" {
		t.Fatalf("first registration after migration: %+v %v", e, err)
	}
}

// Numbers run per year; a contact lives apart and is deleted, with the
// text and the notes, the retention after the answer, and from the file's
// bytes by the compaction that follows; the anonymous record stays.
func TestFeedbackNumbersAndPurge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fb.db")
	s := open(t, path)
	defer s.Close()
	loc, _ := time.LoadLocation("Europe/Vilnius")
	reg := time.Date(2026, 12, 31, 23, 30, 0, 0, loc) // late on New Year's Eve, local
	a, _ := s.AddFeedback(feedback.Entry{Kind: feedback.Complaint, Text: "ilgai laukiau", Status: feedback.Registered, Registered: reg}, "rasa@example.lt", loc)
	b, _ := s.AddFeedback(feedback.Entry{Kind: feedback.Suggestion, Text: "kėdės", Status: feedback.Registered, Registered: reg.Add(time.Hour)}, "", loc)
	c, _ := s.AddFeedback(feedback.Entry{Kind: feedback.Complaint, Text: "vėl", Status: feedback.Registered, Registered: reg.Add(2 * time.Hour)}, "+37060000000", loc)
	if a.ID != "2026-0001" || b.ID != "2027-0001" || c.ID != "2027-0002" || !a.HasContact || b.HasContact {
		t.Fatalf("numbers %s %s %s", a.ID, b.ID, c.ID)
	}
	answered := reg.Add(48 * time.Hour)
	if _, err := s.UpdateFeedback(a.ID, func(e *feedback.Entry) error {
		return e.Move(feedback.Answered, "Atsakėme el. paštu", "vadove", answered)
	}); err != nil {
		t.Fatal(err)
	}
	// A refused move changes nothing.
	if _, err := s.UpdateFeedback(c.ID, func(e *feedback.Entry) error {
		return e.Move(feedback.Answered, "", "vadove", answered)
	}); err == nil {
		t.Fatal("answered without a note")
	}
	if _, err := s.UpdateFeedback("2030-0001", func(*feedback.Entry) error { return nil }); err != store.ErrNoFeedback {
		t.Fatalf("unknown registration: %v", err)
	}
	if n, err := s.PurgeFeedback(30, answered.AddDate(0, 0, 30).Add(-time.Minute)); err != nil || n != 0 {
		t.Fatalf("purged before the retention ended: %d %v", n, err)
	}
	if n, err := s.PurgeFeedback(30, answered.AddDate(0, 0, 30)); err != nil || n != 1 {
		t.Fatalf("purge at the end of the retention: %d %v", n, err)
	}
	es, cs, err := s.Feedback()
	if err != nil || len(es) != 3 {
		t.Fatal(es, err)
	}
	if es[0].ID != a.ID || es[0].Text != "" || !es[0].Purged || es[0].HasContact || es[0].History[0].Note != "" ||
		es[0].Status != feedback.Answered || es[0].Kind != feedback.Complaint {
		t.Fatalf("purged entry %+v", es[0])
	}
	if _, ok := cs[a.ID]; ok || cs[c.ID] != "+37060000000" || es[2].Text != "vėl" || es[2].Status != feedback.Registered {
		t.Fatalf("contacts %v, unanswered entry %+v", cs, es[2])
	}
	// The next journal purge compacts: the contact is not in the file.
	if _, err := s.Purge("2000-01-01"); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte("rasa@example.lt")) || bytes.Contains(raw, []byte("ilgai laukiau")) {
		t.Fatal("the purged contact or text is still in the file's bytes")
	}
	if !bytes.Contains(raw, []byte("+37060000000")) {
		t.Fatal("the test reads the file wrongly: a kept contact is not found either")
	}
}
