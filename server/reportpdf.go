package server

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/reportpdf"
	"langelis/reports"
)

// handleMonthlyPDF serves GET /api/v1/reports/monthly.pdf?month=YYYY-MM:
// the printable monthly report, in the asker's language; admins only.
func (s *Server) handleMonthlyPDF(c echo.Context) error {
	if _, err := s.requireRole(c, queue.RoleAdmin); err != nil {
		return err
	}
	if s.cfg.Reports == nil {
		return queue.E(queue.EUNAVAILABLE, "err.reports.none")
	}
	month := c.QueryParam("month")
	if month == "" {
		month = s.cfg.Reports.Today()[:7]
	}
	first, err := time.Parse("2006-01", month)
	if err != nil {
		return queue.E(queue.EINVALID, "err.reports.month", "month", queue.Clip(month))
	}
	from, to := first.Format(time.DateOnly), first.AddDate(0, 1, -1).Format(time.DateOnly)
	days, _, err := s.cfg.Reports.Figures(from, to)
	if err != nil {
		return err
	}
	lang := s.language(c)
	o := s.engine.Office()
	total := reports.Total(days)[reports.All]
	if total == nil {
		total = &reports.Figures{}
	}
	m := reportpdf.Month{Office: officeName(o, lang), Month: month, Lang: lang, Made: dayText(lang, s.cfg.Reports.Today()),
		Total: reports.MainRow(reports.All, total), Charts: reports.MakeCharts(days)}
	for _, r := range reports.Group(days, nil, reports.ByService) {
		label := r.Key
		if svc, ok := o.Service(r.Key); ok {
			label = r.Key + " " + svc.Name(lang)
		}
		m.Services = append(m.Services, reports.MainRow(label, r.F))
	}
	for _, r := range reports.Group(days, nil, reports.ByDesk) {
		m.Desks = append(m.Desks, reports.MainRow(r.Key, r.F))
	}
	for _, d := range days {
		if d.Groups[reports.All] != nil {
			m.Days++
		}
	}
	if mae, n := reports.Cutoffs(days); n > 0 {
		v := float64(int(mae*10+0.5)) / 10
		m.Cutoff, m.CutoffN = &v, n
	}
	for _, tb := range reports.Tables(nil, total, reports.ByService) {
		if tb.Name == "satisfaction" && tb.Total != nil {
			m.Satisfaction = tb.Total
		}
	}
	if m.Complaints, err = s.complaintsTable(from, to); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := reportpdf.Render(&buf, m); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="langelis-report-%s.pdf"`, month))
	return c.Blob(http.StatusOK, "application/pdf", buf.Bytes())
}

// officeName is the office's name in lang, when the file gives one.
func officeName(o *queue.Office, lang string) string {
	if n := o.Names[lang]; n != "" {
		return n
	}
	return o.Name
}
