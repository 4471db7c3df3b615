package feedback_test

import (
	"strings"
	"testing"
	"time"

	"langelis/feedback"
	"langelis/queue"
)

// weekdays is open 8-17 Monday to Friday, closed on 2026-12-24 and 25.
func weekdays(t *testing.T) *queue.Office {
	t.Helper()
	o := &queue.Office{Name: "T", TimeZone: "Europe/Vilnius",
		Services: []queue.Service{{Letter: "A", Names: map[string]string{"lt": "A"}, TargetMinutes: 10}},
		Desks:    []queue.DeskDef{{Number: 1, Services: []string{"A"}}}}
	for d := time.Monday; d <= time.Friday; d++ {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 17 * 60}}
	}
	o.Hours.Holidays = map[string]bool{"2026-12-24": true, "2026-12-25": true}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return o
}

func at(o *queue.Office, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, o.Location())
	if err != nil {
		panic(err)
	}
	return t
}

// Working days follow the office's week and holidays, in its time zone.
func TestWorkingDaysAndDue(t *testing.T) {
	o := weekdays(t)
	fri := at(o, "2026-12-18 19:30") // a Friday evening
	for _, c := range []struct {
		to   string
		want int
	}{
		{"2026-12-18 23:59", 0}, {"2026-12-20 10:00", 0}, {"2026-12-21 08:00", 1},
		{"2026-12-23 12:00", 3}, {"2026-12-28 09:00", 4}, // 24th and 25th are holidays, 26-27 a weekend
		{"2026-12-29 09:00", 5}, {"2026-12-30 09:00", 6},
	} {
		if got := feedback.WorkingDays(o, fri, at(o, c.to)); got != c.want {
			t.Errorf("%s: %d working days, want %d", c.to, got, c.want)
		}
	}
	if due := feedback.Due(o, fri); !due.Equal(at(o, "2026-12-29 00:00")) {
		t.Errorf("due %v, want the 29th", due)
	}
}

// Statuses move with a note; an answer needs one; on time and overdue are
// counted by kind; the contact expires the retention after the answer.
func TestMoveTallyAndExpiry(t *testing.T) {
	o := weekdays(t)
	reg := at(o, "2026-12-01 10:00") // a Tuesday
	e := feedback.Entry{ID: "2026-0001", Kind: feedback.Complaint, Status: feedback.Registered, Registered: reg}
	if err := e.Move(feedback.Answered, "  ", "vadove", at(o, "2026-12-02 10:00")); queue.ErrorCode(err) != queue.EINVALID {
		t.Fatalf("answered without a note: %v", err)
	}
	if err := e.Move(feedback.Handling, "", "vadove", at(o, "2026-12-02 10:00")); err != nil {
		t.Fatal(err)
	}
	if err := e.Move(feedback.Answered, strings.Repeat("x", feedback.MaxNote+1), "vadove", at(o, "2026-12-08 10:00")); err == nil {
		t.Fatal("a note too long was taken")
	}
	if e.Status != feedback.Handling || len(e.History) != 1 {
		t.Fatalf("a refused move changed the entry: %+v", e)
	}
	if err := e.Move(feedback.Answered, "Atsakyta raštu", "vadove", at(o, "2026-12-08 10:00")); err != nil {
		t.Fatal(err)
	}
	if !e.OnTime(o) || e.Age(o, at(o, "2027-01-10 10:00")) != 5 {
		t.Fatalf("answered on the 5th working day: on time %v, age %d", e.OnTime(o), e.Age(o, at(o, "2027-01-10 10:00")))
	}
	late := feedback.Entry{Kind: feedback.Complaint, Status: feedback.Answered, Registered: reg, Answered: at(o, "2026-12-09 10:00")}
	open := feedback.Entry{Kind: feedback.Suggestion, Status: feedback.Registered, Registered: reg}
	outside := feedback.Entry{Kind: feedback.Thanks, Status: feedback.Registered, Registered: at(o, "2026-11-30 10:00")}
	now := at(o, "2026-12-09 12:00")
	c := feedback.Tally(o, []feedback.Entry{e, late, open, outside}, "2026-12-01", "2026-12-31", now)
	if got := *c[feedback.Complaint]; got != (feedback.Count{Registered: 2, Answered: 2, OnTime: 1, Late: 1}) {
		t.Errorf("complaints %+v", got)
	}
	if got := *c[feedback.Suggestion]; got != (feedback.Count{Registered: 1, Overdue: 1}) {
		t.Errorf("suggestions %+v", got)
	}
	if got := *c[feedback.Thanks]; got != (feedback.Count{}) {
		t.Errorf("thanks of November counted in December: %+v", got)
	}
	if e.ContactExpired(30, at(o, "2027-01-06 10:00")) || !e.ContactExpired(30, at(o, "2027-01-07 10:00")) || open.ContactExpired(0, now) {
		t.Error("contact expiry")
	}
}

// Bad requests are refused with keyed messages; good ones tidied.
func TestRequestCheck(t *testing.T) {
	for _, c := range []struct {
		r   feedback.Request
		key string
	}{
		{feedback.Request{Kind: "rant", Text: "x"}, "err.feedback.kind"},
		{feedback.Request{Kind: feedback.Complaint, Text: "  \n"}, "err.feedback.text_empty"},
		{feedback.Request{Kind: feedback.Complaint, Text: strings.Repeat("ž", feedback.MaxText+1)}, "err.feedback.text_long"},
		{feedback.Request{Kind: feedback.Thanks, Text: "ačiū", Contact: strings.Repeat("@", feedback.MaxContact+1)}, "err.feedback.contact_long"},
	} {
		err := c.r.Check()
		var qe *queue.Error
		if err == nil || !asErr(err, &qe) || qe.Key != c.key {
			t.Errorf("%+v: %v, want %s", c.r, err, c.key)
		}
	}
	r := feedback.Request{Kind: feedback.Suggestion, Text: " daugiau kėdžių ", Ticket: " a012 ", Lang: "xx"}
	if err := r.Check(); err != nil || r.Text != "daugiau kėdžių" || r.Ticket != "A012" || r.Lang != "" {
		t.Fatalf("tidied %+v %v", r, err)
	}
}

func asErr(err error, qe **queue.Error) bool {
	e, ok := err.(*queue.Error)
	*qe = e
	return ok
}
