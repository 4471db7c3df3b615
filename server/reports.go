package server

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"langelis/i18n"
	"langelis/queue"
	"langelis/reports"
	"langelis/wire"
)

// Figures is where the reports read the daily figures from: package app,
// which stores them at each day end and builds today's on demand.
type Figures interface {
	Figures(from, to string) ([]reports.Day, []reports.Staff, error)
	RebuildDay(day string) (reports.Day, error)
	Today() string
}

// maxReportDays bounds a custom period: a year and a day.
const maxReportDays = 367

// period is a report's days, from and to included.
type period struct {
	Kind     string `json:"period"`
	From, To string
}

// parsePeriod reads ?period=day|week|month|custom with ?date= (any day of
// it; today when absent) or ?from=&to= for custom.
func (s *Server) parsePeriod(c echo.Context, today string) (period, error) {
	kind := c.QueryParam("period")
	if kind == "" {
		kind = "month"
	}
	date := c.QueryParam("date")
	if date == "" {
		date = today
	}
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return period{}, queue.E(queue.EINVALID, "err.reports.date", "date", queue.Clip(date))
	}
	p := period{Kind: kind}
	switch kind {
	case "day":
		p.From, p.To = date, date
	case "week":
		wd := (int(d.Weekday()) + 6) % 7 // Monday 0
		mon := d.AddDate(0, 0, -wd)
		p.From, p.To = mon.Format(time.DateOnly), mon.AddDate(0, 0, 6).Format(time.DateOnly)
	case "month":
		first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		p.From, p.To = first.Format(time.DateOnly), first.AddDate(0, 1, -1).Format(time.DateOnly)
	case "custom":
		from, err1 := time.Parse(time.DateOnly, c.QueryParam("from"))
		to, err2 := time.Parse(time.DateOnly, c.QueryParam("to"))
		if err1 != nil || err2 != nil {
			return period{}, queue.E(queue.EINVALID, "err.reports.custom")
		}
		if to.Before(from) || to.Sub(from) > maxReportDays*24*time.Hour {
			return period{}, queue.E(queue.EINVALID, "err.reports.span", "n", maxReportDays)
		}
		p.From, p.To = from.Format(time.DateOnly), to.Format(time.DateOnly)
	default:
		return period{}, queue.E(queue.EINVALID, "err.reports.period", "period", queue.Clip(kind))
	}
	return p, nil
}

// report is one report as the page, the CSV and the XLSX show it.
type report struct {
	From   string            `json:"from"`
	To     string            `json:"to"`
	Period string            `json:"period"`
	By     string            `json:"by"`
	Days   int               `json:"days"` // days with figures
	Tables []reports.Table   `json:"tables"`
	Charts reports.Charts    `json:"charts"`
	Cutoff *cutoffSummary    `json:"cutoff,omitempty"`
	Labels map[string]string `json:"labels"` // group keys' names (services)
}

type cutoffSummary struct {
	Days int     `json:"days"`
	MAE  float64 `json:"mae"` // mean absolute error of the count announced
}

// buildReport reads the figures and makes the report of the request.
func (s *Server) buildReport(c echo.Context) (report, error) {
	if _, err := s.requireRole(c, queue.RoleAdmin); err != nil {
		return report{}, err
	}
	if s.cfg.Reports == nil {
		return report{}, queue.E(queue.EUNAVAILABLE, "err.reports.none")
	}
	p, err := s.parsePeriod(c, s.cfg.Reports.Today())
	if err != nil {
		return report{}, err
	}
	by := c.QueryParam("by")
	if by == "" {
		by = reports.ByService
	}
	if !slices.Contains(reports.Groupings, by) {
		return report{}, queue.E(queue.EINVALID, "err.reports.by", "by", queue.Clip(by))
	}
	days, staff, err := s.cfg.Reports.Figures(p.From, p.To)
	if err != nil {
		return report{}, err
	}
	total := reports.Total(days)[reports.All]
	if total == nil {
		total = &reports.Figures{}
	}
	r := report{From: p.From, To: p.To, Period: p.Kind, By: by, Tables: reports.Tables(reports.Group(days, staff, by), total, by),
		Charts: reports.MakeCharts(days), Labels: map[string]string{}}
	for _, d := range days {
		if d.Groups[reports.All] != nil {
			r.Days++
		}
	}
	ct, err := s.complaintsTable(p.From, p.To)
	if err != nil {
		return report{}, err
	}
	r.Tables = append(r.Tables, ct)
	if mae, n := reports.Cutoffs(days); n > 0 {
		r.Cutoff = &cutoffSummary{Days: n, MAE: float64(int(mae*10+0.5)) / 10}
	}
	lang := s.language(c)
	for _, svc := range s.engine.Office().Services {
		r.Labels[svc.Letter] = svc.Letter + " " + svc.Name(lang)
	}
	return r, nil
}

// handleReport serves GET /api/v1/reports: the admin's report as JSON.
func (s *Server) handleReport(c echo.Context) error {
	r, err := s.buildReport(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, r)
}

// grid is a table as the exports write it: a header line of translated
// column names, then the rows and the total.
func grid(t reports.Table, lang string, by string, labels map[string]string) (head []string, rows [][]any) {
	if t.Name == "complaints" {
		// Not by the report's grouping: by kind (feedback.Kinds).
		by, labels = "kind", map[string]string{}
		for _, r := range t.Rows {
			labels[r.Key] = i18n.T(lang, "rep.kind."+r.Key)
		}
	}
	head = append(head, i18n.T(lang, "rep.by."+by))
	for _, k := range t.Columns {
		head = append(head, i18n.T(lang, k))
	}
	line := func(r reports.TRow) []any {
		name := r.Key
		if l, ok := labels[r.Key]; ok && (by == reports.ByService || by == "kind") {
			name = l
		}
		if by == reports.ByWeekday {
			name = i18n.T(lang, "rep.weekday."+r.Key)
		}
		if r.Key == reports.All {
			name = i18n.T(lang, "rep.total")
		}
		out := []any{name}
		for _, v := range r.Values {
			if v == nil {
				out = append(out, nil)
			} else {
				out = append(out, *v)
			}
		}
		return out
	}
	for _, r := range t.Rows {
		rows = append(rows, line(r))
	}
	if t.Total != nil {
		rows = append(rows, line(*t.Total))
	}
	return head, rows
}

func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

// handleReportCSV serves GET /api/v1/reports.csv?table=main|refusals|pauses.
func (s *Server) handleReportCSV(c echo.Context) error {
	r, err := s.buildReport(c)
	if err != nil {
		return err
	}
	name := c.QueryParam("table")
	if name == "" {
		name = "main"
	}
	i := slices.IndexFunc(r.Tables, func(t reports.Table) bool { return t.Name == name })
	if i < 0 {
		return queue.E(queue.EINVALID, "err.reports.table", "table", queue.Clip(name))
	}
	head, rows := grid(r.Tables[i], s.language(c), r.By, r.Labels)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(head)
	for _, row := range rows {
		line := make([]string, len(row))
		for j, v := range row {
			line[j] = cell(v)
		}
		w.Write(line)
	}
	w.Flush()
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="langelis-%s-%s-%s-%s.csv"`, name, r.By, r.From, r.To))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// handleReportXLSX serves GET /api/v1/reports.xlsx: every table of the
// report, one sheet each, numbers as numbers.
func (s *Server) handleReportXLSX(c echo.Context) error {
	r, err := s.buildReport(c)
	if err != nil {
		return err
	}
	lang := s.language(c)
	f := excelize.NewFile()
	defer f.Close()
	i := 0
	for _, t := range r.Tables {
		if len(t.Columns) == 0 {
			continue // nothing measured (no refusal, no answer): no sheet, as the page shows no table
		}
		sheet := i18n.T(lang, "rep.table."+t.Name)
		i++
		if i == 1 {
			f.SetSheetName("Sheet1", sheet)
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		head, rows := grid(t, lang, r.By, r.Labels)
		if err := f.SetSheetRow(sheet, "A1", &head); err != nil {
			return err
		}
		for j, row := range rows {
			addr, _ := excelize.CoordinatesToCellName(1, j+2)
			if err := f.SetSheetRow(sheet, addr, &row); err != nil {
				return err
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="langelis-%s-%s-%s.xlsx"`, r.By, r.From, r.To))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// handleRebuild serves POST /api/v1/reports/rebuild {"day": "YYYY-MM-DD"}:
// the day's figures built again from its journal.
func (s *Server) handleRebuild(c echo.Context) error {
	if _, err := s.requireRole(c, queue.RoleAdmin); err != nil {
		return err
	}
	var body wire.RebuildRequest
	if err := decode(c, &body); err != nil {
		return err
	}
	if _, err := time.Parse(time.DateOnly, body.Day); err != nil {
		return queue.E(queue.EINVALID, "err.reports.date", "date", queue.Clip(body.Day))
	}
	if s.cfg.Reports == nil {
		return queue.E(queue.EUNAVAILABLE, "err.reports.none")
	}
	d, err := s.cfg.Reports.RebuildDay(body.Day)
	if err != nil {
		return queue.E(queue.ENOTFOUND, "err.reports.purged", "date", body.Day)
	}
	return c.JSON(http.StatusOK, wire.Rebuilt{Day: d.Day, Seq: d.Seq})
}
