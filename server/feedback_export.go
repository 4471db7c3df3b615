package server

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"langelis/i18n"
)

// The exports of the registrations for the municipality's document system
// (Langelis is the intake, not the register of record): one line each,
// the same columns in the CSV and the XLSX, the age a number.
var feedbackColumns = []string{"admin.fb.col.id", "admin.fb.col.registered", "admin.fb.col.kind", "admin.fb.col.status",
	"admin.fb.col.ticket", "admin.fb.col.text", "admin.fb.col.contact", "admin.fb.col.age", "admin.fb.col.due",
	"admin.fb.col.answered", "admin.fb.col.on_time", "admin.fb.col.notes"}

// feedbackGrid is the header and the rows of the export in lang.
func (s *Server) feedbackGrid(lang string) ([]string, [][]any, error) {
	vs, err := s.feedbackViews()
	if err != nil {
		return nil, nil, err
	}
	loc := s.engine.Office().Location()
	head := make([]string, len(feedbackColumns))
	for i, k := range feedbackColumns {
		head[i] = i18n.T(lang, k)
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	var rows [][]any
	for _, v := range vs {
		onTime := ""
		if !v.Answered.IsZero() {
			onTime = i18n.T(lang, map[bool]string{true: "admin.fb.yes", false: "admin.fb.no"}[v.OnTime])
		}
		var notes []string
		for _, h := range v.History {
			line := stamp(h.At) + " " + i18n.T(lang, "admin.fb.status."+string(h.Status)) + " (" + h.By + ")"
			if h.Note != "" {
				line += ": " + h.Note
			}
			notes = append(notes, line)
		}
		rows = append(rows, []any{v.ID, stamp(v.Registered), i18n.T(lang, "admin.fb.kind."+string(v.Kind)),
			i18n.T(lang, "admin.fb.status."+string(v.Status)), v.Ticket, v.Text, v.Contact, v.Age, v.Due,
			stamp(v.Answered), onTime, strings.Join(notes, "\n")})
	}
	return head, rows, nil
}

// handleFeedbackCSV serves GET /api/v1/admin/feedback.csv (admin).
func (s *Server) handleFeedbackCSV(c echo.Context) error {
	head, rows, err := s.feedbackGrid(s.language(c))
	if err != nil {
		return err
	}
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
	day := s.engine.Office().Day(s.clock.Now())
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="langelis-feedback-%s.csv"`, day))
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// handleFeedbackXLSX serves GET /api/v1/admin/feedback.xlsx (admin): the
// same lines as the CSV in one sheet.
func (s *Server) handleFeedbackXLSX(c echo.Context) error {
	lang := s.language(c)
	head, rows, err := s.feedbackGrid(lang)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := i18n.T(lang, "admin.fb.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := f.SetSheetRow(sheet, "A1", &head); err != nil {
		return err
	}
	for j, row := range rows {
		addr, _ := excelize.CoordinatesToCellName(1, j+2)
		if err := f.SetSheetRow(sheet, addr, &row); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	day := s.engine.Office().Day(s.clock.Now())
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="langelis-feedback-%s.xlsx"`, day))
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}
