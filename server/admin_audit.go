package server

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/store"
)

// The audit (/admin/audit): every desk action, from the journal, and every
// configuration and account change, from the store's changes bucket, in
// one list filtered by day, actor (a clerk or admin), desk and kind, as
// JSON or CSV. It shows who did what to which ticket number or desk; never
// a visitor's personal data: no category (a priority group), no free-text
// reason given about a visitor, no token. The desk actions last as long
// as the journal keeps their day (retention_days); the changes have their
// own retention (audit_retention_days).

// AuditRow is one line of the audit.
type AuditRow struct {
	At     time.Time `json:"at"`
	Source string    `json:"source"` // "desk" (the journal) or "change" (the changes bucket)
	Actor  string    `json:"actor"`
	Kind   string    `json:"kind"` // the event type or the change's kind
	Desk   int       `json:"desk,omitempty"`
	// Subject is what it was about: a ticket number, "desk 3", "service D".
	Subject string `json:"subject"`
	// Detail is a pause's reason, a transfer's new service, or a change's
	// old and new values.
	Detail string `json:"detail,omitempty"`
}

// maxAuditDays bounds one audit request's span of days: each day's
// journal is read whole (a busy day is 100,000 events), so a month at a
// time.
const maxAuditDays = 31

// maxAuditRows bounds one answer.
const maxAuditRows = 20000

// auditFilter is the audit's query: from, to (office days), actor, desk,
// kind (a prefix).
type auditFilter struct {
	from, to, actor, kind string
	desk                  int
}

func (s *Server) auditFilter(c echo.Context) (auditFilter, error) {
	o := s.engine.Office()
	today := o.Day(s.clock.Now())
	f := auditFilter{from: c.QueryParam("from"), to: c.QueryParam("to"), actor: strings.TrimSpace(c.QueryParam("actor")),
		kind: strings.TrimSpace(c.QueryParam("kind"))}
	if f.to == "" {
		f.to = today
	}
	if f.from == "" {
		f.from = f.to
	}
	from, err1 := time.Parse(time.DateOnly, f.from)
	to, err2 := time.Parse(time.DateOnly, f.to)
	if err1 != nil || err2 != nil {
		return f, queue.E(queue.EINVALID, "err.audit.day")
	}
	if to.Before(from) || to.Sub(from) >= maxAuditDays*24*time.Hour {
		return f, queue.E(queue.EINVALID, "err.audit.span", "n", maxAuditDays)
	}
	if d := c.QueryParam("desk"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 {
			return f, queue.E(queue.EINVALID, "err.desk.unknown", "desk", queue.Clip(d))
		}
		f.desk = n
	}
	return f, nil
}

// audit gathers the rows f chooses, oldest first.
func (s *Server) audit(f auditFilter) ([]AuditRow, error) {
	o := s.engine.Office()
	var rows []AuditRow
	keep := func(r AuditRow) {
		if (f.actor == "" || r.Actor == f.actor) && (f.desk == 0 || r.Desk == f.desk) && strings.HasPrefix(r.Kind, f.kind) {
			rows = append(rows, r)
		}
	}
	days, err := s.store.Days()
	if err != nil {
		return nil, err
	}
	for _, day := range days {
		if day < f.from || day > f.to {
			continue
		}
		evs, err := s.store.DayEvents(day)
		if err != nil {
			return nil, err
		}
		for _, ev := range evs {
			if r, ok := auditDeskRow(ev); ok {
				keep(r)
			}
		}
	}
	changes, err := s.store.Changes(store.ChangeFilter{From: f.from, To: f.to, Loc: o.Location()})
	if err != nil {
		return nil, err
	}
	for _, ch := range changes {
		keep(changeRow(ch))
	}
	slices.SortStableFunc(rows, func(a, b AuditRow) int { return a.At.Compare(b.At) })
	if len(rows) > maxAuditRows {
		rows = rows[len(rows)-maxAuditRows:]
	}
	return rows, nil
}

// auditDeskRow is the audit's row of a journal event done by a person at a
// desk (or an admin); false for the visitors', kiosks' and the system's.
// The journal's purge archives the same record (queue.Event.AuditChange)
// in the changes bucket, so a purged day's rows read the same.
func auditDeskRow(ev queue.Event) (AuditRow, bool) {
	ch, ok := ev.AuditChange()
	if !ok {
		return AuditRow{}, false
	}
	return deskRow(ch), true
}

// deskRow is the audit's row of a desk action (queue.Event.AuditChange).
func deskRow(ch queue.Change) AuditRow {
	var act queue.DeskAction
	_ = json.Unmarshal(ch.New, &act)
	return AuditRow{At: ch.At, Source: "desk", Actor: ch.Actor, Kind: ch.Kind, Desk: act.Desk, Subject: ch.Subject, Detail: act.Detail}
}

// changeRow is the audit's row of a configuration or account change.
func changeRow(ch queue.Change) AuditRow {
	if ch.IsDeskAction() {
		return deskRow(ch)
	}
	r := AuditRow{At: ch.At, Source: "change", Actor: ch.Actor, Kind: ch.Kind, Subject: ch.Subject}
	if n, ok := strings.CutPrefix(ch.Subject, "desk "); ok {
		r.Desk, _ = strconv.Atoi(n)
	}
	var parts []string
	if len(ch.Old) > 0 && string(ch.Old) != "null" {
		parts = append(parts, string(ch.Old))
	}
	if len(ch.New) > 0 && string(ch.New) != "null" {
		parts = append(parts, string(ch.New))
	}
	r.Detail = strings.Join(parts, " → ")
	if ch.Effective != "" && ch.Effective != queue.EffectiveNow {
		r.Detail += " (from " + ch.Effective + ")"
	}
	return r
}

// handleAudit serves GET /api/v1/admin/audit?from=&to=&actor=&desk=&kind=
// as JSON, or with format=csv as a CSV file.
func (s *Server) handleAudit(c echo.Context) error {
	f, err := s.auditFilter(c)
	if err != nil {
		return err
	}
	rows, err := s.audit(f)
	if err != nil {
		return err
	}
	if c.QueryParam("format") != "csv" {
		if rows == nil {
			rows = []AuditRow{}
		}
		return c.JSON(http.StatusOK, rows)
	}
	loc := s.engine.Office().Location()
	h := c.Response().Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="audit-%s-%s.csv"`, f.from, f.to))
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	w.Write([]string{"time", "actor", "kind", "desk", "subject", "detail"})
	for _, r := range rows {
		desk := ""
		if r.Desk > 0 {
			desk = strconv.Itoa(r.Desk)
		}
		w.Write([]string{r.At.In(loc).Format("2006-01-02 15:04:05"), csvSafe(r.Actor), r.Kind, desk, csvSafe(r.Subject), csvSafe(r.Detail)})
	}
	w.Flush()
	return w.Error()
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet
// (CSV injection): a pause reason or a name is typed by a person.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
