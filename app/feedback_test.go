package app_test

import (
	"strings"
	"testing"
	"time"

	"langelis/internal/e2e"
	"langelis/queue"
)

// A complaint's contact and text are deleted by the hourly job once its
// answer is feedback_retention_days old on the office clock, and not an
// hour before; an unanswered one keeps them; the anonymous record stays.
func TestFeedbackContactDeletedAfterRetention(t *testing.T) {
	o := hallOffice()
	o.FeedbackRetentionDays = 10
	s := e2e.Start(t, e2e.Options{Office: o})
	s.AddUser("vadove", queue.RoleAdmin)
	admin := s.Login("vadove")
	send := func(kind, text, contact string) string {
		t.Helper()
		var r struct{ ID string }
		if code := s.JSON("POST", "/api/v1/feedback", "", map[string]string{"kind": kind, "text": text, "contact": contact}, &r); code != 201 {
			t.Fatalf("register: %d", code)
		}
		return r.ID
	}
	answered := send("complaint", "Ilgai laukiau prie 3 langelio", "rasa@example.lt")
	open := send("suggestion", "Daugiau kėdžių", "+37060000001")
	if code := s.JSON("POST", "/api/v1/admin/feedback/"+answered+"/status", admin,
		map[string]string{"status": "answered", "note": "Atsiprašėme el. laišku"}, nil); code != 200 {
		t.Fatalf("answer: %d", code)
	}
	list := func() string {
		t.Helper()
		var l struct {
			Entries []struct {
				ID, Text, Contact string
				Purged            bool
				Status            string
			}
		}
		if code := s.JSON("GET", "/api/v1/admin/feedback", admin, nil, &l); code != 200 || len(l.Entries) != 2 {
			t.Fatalf("list: %d %+v", code, l)
		}
		var b strings.Builder
		for _, e := range l.Entries {
			b.WriteString(e.ID + "|" + e.Status + "|" + e.Text + "|" + e.Contact + "|" + map[bool]string{true: "purged"}[e.Purged] + "\n")
		}
		return b.String()
	}
	start := s.Clock.Now()
	s.Clock.Set(start.AddDate(0, 0, 10).Add(-2 * time.Hour))
	if l := list(); !strings.Contains(l, "rasa@example.lt") || !strings.Contains(l, "Ilgai laukiau") {
		t.Fatalf("deleted before the retention ended:\n%s", l)
	}
	s.Clock.Set(start.AddDate(0, 0, 10).Add(time.Hour))
	l := list()
	if strings.Contains(l, "rasa@example.lt") || strings.Contains(l, "Ilgai laukiau") ||
		!strings.Contains(l, answered+"|answered|||purged") {
		t.Fatalf("after the retention the answered complaint's contact or text remain:\n%s", l)
	}
	if !strings.Contains(l, open+"|registered|Daugiau kėdžių|+37060000001|") {
		t.Fatalf("the unanswered suggestion lost its contact:\n%s", l)
	}
	if found := foundIn(t, s.Path, []string{"rasa@example.lt", "Ilgai laukiau"}); len(found) > 0 {
		t.Fatalf("the deleted contact is still in the file's bytes: %v", found)
	}
}
