package server

import (
	"errors"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"langelis/feedback"
	"langelis/queue"
	"langelis/reports"
	"langelis/store"
	"langelis/wire"
)

// The public form's limit, per address (an IPv6 /64, as the phones'): a
// few at once, then one every feedbackEvery. A person writes a complaint
// in minutes; a script would fill the staff's list in seconds.
const (
	feedbackBurst = 5
	feedbackEvery = 2 * time.Minute
)

// newFeedbackLimiter is the public form's limiter (the issue guard's token
// buckets, on the real clock as every rate-limit window).
func newFeedbackLimiter() *rateLimiter {
	return &rateLimiter{every: rate.Every(feedbackEvery), burst: feedbackBurst, buckets: map[string]*rate.Limiter{}}
}

// handleFeedback serves POST /api/v1/feedback: the public form registers a
// complaint, a suggestion or thanks and answers its registration number.
// A bad form is refused in the visitor's language before it counts against
// the limit, and stores nothing.
func (s *Server) handleFeedback(c echo.Context) error {
	var req wire.FeedbackRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	r := feedback.Request{Kind: feedback.Kind(req.Kind), Text: req.Text, Ticket: req.Ticket, Contact: req.Contact, Lang: req.Lang}
	if err := r.Check(); err != nil {
		return err
	}
	if r.Lang == "" { // none or unknown: the person's, else the office's first
		r.Lang = s.language(c)
	}
	now := s.clock.Now() // the office's: its calendar counts the working days
	e := feedback.Entry{Kind: r.Kind, Text: r.Text, Lang: r.Lang, Status: feedback.Registered, Registered: now}
	if r.Ticket != "" {
		t, err := s.engine.TicketByNumber(c.Request().Context(), r.Ticket)
		if err != nil {
			return queue.E(queue.EINVALID, "err.feedback.ticket_unknown", "number", queue.Clip(r.Ticket))
		}
		e.Ticket, e.TicketDay = t.Number, t.Day
	}
	at, key := s.real.Now(), addrKey(c.RealIP())
	res, wait := s.fbRate.take(at, key)
	if wait > 0 {
		s.alarm.raise(at, "feedback-rate", "server: complaints refused: one address is sending too many", "addr", key)
		return queue.E(queue.ETOOMANY, "err.feedback.rate", "n", int(math.Ceil(wait.Seconds())))
	}
	e, err := s.store.AddFeedback(e, r.Contact, s.engine.Office().Location())
	if err != nil {
		res.CancelAt(at)
		return err
	}
	return c.JSON(http.StatusCreated, wire.FeedbackReceipt{ID: e.ID, Kind: string(e.Kind), AnswerWithin: feedback.AnswerTarget})
}

// feedbackView is a registration as the admin's page and exports show it:
// with its contact, its age in working days against the target, and its
// due day.
type feedbackView struct {
	feedback.Entry
	Contact string `json:"contact,omitempty"`
	Age     int    `json:"age_working_days"`
	Due     string `json:"due"` // the last day an answer is on time, YYYY-MM-DD
	Overdue bool   `json:"overdue,omitempty"`
	OnTime  bool   `json:"on_time,omitempty"`
}

// feedbackViews reads every registration, newest first.
func (s *Server) feedbackViews() ([]feedbackView, error) {
	es, cs, err := s.store.Feedback()
	if err != nil {
		return nil, err
	}
	o, now := s.engine.Office(), s.clock.Now()
	out := make([]feedbackView, 0, len(es))
	for _, e := range es {
		out = append(out, feedbackView{Entry: e, Contact: cs[e.ID], Age: e.Age(o, now),
			Due: feedback.Due(o, e.Registered).Format(time.DateOnly), Overdue: e.Overdue(o, now), OnTime: e.OnTime(o)})
	}
	slices.SortFunc(out, func(a, b feedbackView) int { return b.Registered.Compare(a.Registered) })
	return out, nil
}

// handleFeedbackList serves GET /api/v1/admin/feedback (admin).
func (s *Server) handleFeedbackList(c echo.Context) error {
	vs, err := s.feedbackViews()
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, map[string]any{"target_working_days": feedback.AnswerTarget,
		"retention_days": s.engine.Office().FeedbackRetentionDays, "entries": vs})
}

// handleFeedbackStatus serves POST /api/v1/admin/feedback/:id/status
// (admin): a move to registered, handling or answered, with a note.
func (s *Server) handleFeedbackStatus(c echo.Context) error {
	u, err := s.requireRole(c, queue.RoleAdmin)
	if err != nil {
		return err
	}
	var req wire.FeedbackStatusRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	to, err := feedback.ParseStatus(strings.TrimSpace(req.Status))
	if err != nil {
		return err
	}
	id := c.Param("id")
	e, err := s.store.UpdateFeedback(id, func(e *feedback.Entry) error { return e.Move(to, req.Note, u.Username, s.clock.Now()) })
	if errors.Is(err, store.ErrNoFeedback) {
		return queue.E(queue.ENOTFOUND, "err.feedback.unknown", "id", queue.Clip(id))
	}
	if err != nil {
		return err
	}
	o := s.engine.Office()
	return c.JSON(http.StatusOK, feedbackView{Entry: e, Age: e.Age(o, s.clock.Now()),
		Due: feedback.Due(o, e.Registered).Format(time.DateOnly), Overdue: e.Overdue(o, s.clock.Now()), OnTime: e.OnTime(o)})
}

// feedbackTally counts the registrations of the office days from..to by
// kind, for the reports and /results.
func (s *Server) feedbackTally(from, to string) (map[feedback.Kind]*feedback.Count, error) {
	es, _, err := s.store.Feedback()
	if err != nil {
		return nil, err
	}
	return feedback.Tally(s.engine.Office(), es, from, to, s.clock.Now()), nil
}

// complaintsTable is the report's table of registrations by kind in the
// period (feedback.Tally): they are not in the journal, so they are read
// from their own store, never from the daily figures. No columns (the page
// leaves it out) when the period has none.
func (s *Server) complaintsTable(from, to string) (reports.Table, error) {
	t := reports.Table{Name: "complaints", Columns: []string{}}
	counts, err := s.feedbackTally(from, to)
	if err != nil {
		return t, err
	}
	var total feedback.Count
	row := func(key string, c feedback.Count) reports.TRow {
		r := reports.TRow{Key: key}
		for _, v := range []int{c.Registered, c.Handling, c.Answered, c.OnTime, c.Late, c.Overdue} {
			f := float64(v)
			r.Values = append(r.Values, &f)
		}
		return r
	}
	for _, k := range feedback.Kinds {
		c := *counts[k]
		t.Rows = append(t.Rows, row(string(k), c))
		total.Registered += c.Registered
		total.Handling += c.Handling
		total.Answered += c.Answered
		total.OnTime += c.OnTime
		total.Late += c.Late
		total.Overdue += c.Overdue
	}
	if total.Registered == 0 {
		return reports.Table{Name: "complaints", Columns: []string{}}, nil
	}
	t.Columns = complaintColumns
	tr := row(reports.All, total)
	t.Total = &tr
	return t, nil
}

// complaintColumns are the complaints table's columns (feedback.Count).
var complaintColumns = []string{"rep.col.registered", "rep.col.handling", "rep.col.answered", "rep.col.on_time",
	"rep.col.late", "rep.col.overdue"}
