// Package reportpdf renders the printable monthly report: the office's
// figures for one month, the ones the service standards name (waiting and
// service times, the service level against the target wait, the estimates'
// accuracy, visitors not served and why; satisfaction and complaints once
// they are measured), by service and by desk. It is set in the ticket's
// DejaVu Sans (assets/fonts) through gofpdf's UTF-8 fonts: a monthly
// report is rare, so the ticket's code-page speed-up is not needed.
package reportpdf

import (
	"fmt"
	"github.com/jung-kurt/gofpdf"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
	"io"

	"langelis/i18n"
	"langelis/reports"
	"langelis/ticketpdf"
)

// Month is what the report shows.
type Month struct {
	Office   string
	Month    string // YYYY-MM
	Lang     string
	Made     string // the date it was made, as the reader writes it
	Total    reports.TRow
	Services []reports.TRow // keys are the services' labels
	Desks    []reports.TRow
	Days     int
	Cutoff   *float64 // mean absolute cutoff error, tickets
	CutoffN  int
	Charts   reports.Charts
	// Satisfaction is the month's answers after service (the satisfaction
	// table's total: reports.SatisfactionColumns); nil without any.
	Satisfaction *reports.TRow
	// Complaints is the month's complaints table (by kind); no columns
	// when nothing was registered.
	Complaints reports.Table
}

// Render writes the month's report as a PDF to w.
func Render(w io.Writer, m Month) error {
	fonts, err := ticketpdf.SubsetFonts()
	if err != nil {
		return err
	}
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("dv", "", fonts.Regular)
	pdf.AddUTF8FontFromBytes("dv", "B", fonts.Bold)
	pdf.SetTitle(i18n.T(m.Lang, "rep.pdf.title")+" "+m.Month, true)
	pdf.SetMargins(15, 15, 15)
	pdf.AddPage()
	d := &doc{pdf: pdf, lang: m.Lang, num: numbers(m.Lang)}
	T, value := d.T, d.value

	pdf.SetFont("dv", "B", 18)
	pdf.CellFormat(0, 9, T("rep.pdf.title")+" · "+m.Month, "", 1, "L", false, 0, "")
	pdf.SetFont("dv", "", 12)
	pdf.CellFormat(0, 7, m.Office, "", 1, "L", false, 0, "")
	pdf.CellFormat(0, 6, T("rep.days", "n", m.Days), "", 1, "L", false, 0, "")
	pdf.Ln(4)

	pdf.SetFont("dv", "B", 13)
	pdf.CellFormat(0, 8, T("rep.pdf.standards"), "", 1, "L", false, 0, "")
	pdf.SetFont("dv", "", 10.5)
	for i, key := range reports.MainColumns {
		pdf.CellFormat(110, 5.6, T(key), "B", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5.6, value(m.Total.Values[i]), "B", 1, "R", false, 0, "")
	}
	if m.Cutoff != nil {
		pdf.Ln(2)
		pdf.MultiCell(0, 5.5, T("rep.cutoff", "mae", d.num.Sprint(number.Decimal(*m.Cutoff, number.MinFractionDigits(1), number.MaxFractionDigits(1))), "n", m.CutoffN), "", "L", false)
	}
	pdf.Ln(3)
	line := func(label, v string) {
		pdf.CellFormat(110, 5.6, label, "B", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5.6, v, "B", 1, "R", false, 0, "")
	}
	pdf.SetFont("dv", "B", 12)
	pdf.CellFormat(0, 7, T("rep.table.satisfaction"), "", 1, "L", false, 0, "")
	pdf.SetFont("dv", "", 10.5)
	if m.Satisfaction == nil {
		pdf.MultiCell(0, 5.5, T("rep.pdf.no_answers"), "", "L", false)
	} else {
		for i, key := range reports.SatisfactionColumns {
			line(T(key), value(m.Satisfaction.Values[i]))
		}
	}
	pdf.Ln(3)
	pdf.SetFont("dv", "B", 12)
	pdf.CellFormat(0, 7, T("rep.table.complaints"), "", 1, "L", false, 0, "")
	pdf.SetFont("dv", "", 10.5)
	if len(m.Complaints.Columns) == 0 {
		pdf.MultiCell(0, 5.5, T("rep.pdf.no_complaints"), "", "L", false)
	} else {
		for _, r := range m.Complaints.Rows {
			// Registered, and answered within the target, per kind.
			line(T("rep.kind."+r.Key)+": "+T(m.Complaints.Columns[0]), value(r.Values[0]))
			line(T("rep.kind."+r.Key)+": "+T(m.Complaints.Columns[3]), value(r.Values[3]))
		}
	}

	d.table(T("rep.pdf.by_service"), m.Services)
	d.table(T("rep.pdf.by_desk"), m.Desks)

	if len(m.Charts.Trend) > 0 {
		pdf.Ln(4)
		pdf.SetFont("dv", "B", 13)
		pdf.CellFormat(0, 8, T("rep.chart.trend"), "", 1, "L", false, 0, "")
		pdf.SetFont("dv", "", 9)
		for _, t := range m.Charts.Trend {
			pdf.CellFormat(30, 5.5, t.Day, "", 0, "L", false, 0, "")
			if t.SL != nil {
				pdf.SetFillColor(31, 111, 235)
				pdf.Rect(pdf.GetX(), pdf.GetY()+1, *t.SL*1.2, 3.5, "F")
				pdf.CellFormat(130, 5.5, "", "", 0, "L", false, 0, "")
			} else {
				pdf.CellFormat(130, 5.5, "", "", 0, "L", false, 0, "")
			}
			pdf.CellFormat(0, 5.5, value(t.SL), "", 1, "R", false, 0, "")
		}
	}
	pdf.Ln(4)
	pdf.SetFont("dv", "", 8)
	pdf.MultiCell(0, 4.5, T("rep.pdf.generated", "date", m.Made), "", "L", false)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("reportpdf: %w", err)
	}
	return pdf.Output(w)
}

// doc is a report being set: its PDF and the reader's language.
type doc struct {
	pdf  *gofpdf.Fpdf
	lang string
	num  *message.Printer
}

// T is the text of key in the report's language.
func (d *doc) T(key string, args ...any) string { return i18n.T(d.lang, key, args...) }

// value writes a figure as the reader's language does: "13,6" where its
// decimal sign is a comma (lt, ru, pl, uk, bg), "13.6" in English. The
// figures come rounded to one decimal (reports.round1). The CSV and XLSX
// exports keep the decimal point: programs read them.
func (d *doc) value(v *float64) string {
	if v == nil {
		return "–"
	}
	return d.num.Sprint(number.Decimal(*v, number.MaxFractionDigits(1)))
}

// numbers is the number printer of lang: its decimal sign and its
// grouping of thousands ("12 345,6" in Lithuanian), as the pages' figures.
func numbers(lang string) *message.Printer {
	return message.NewPrinter(language.Make(lang))
}

// fits tells whether h mm more fit on the page above its bottom margin.
func (d *doc) fits(h float64) bool {
	_, ph := d.pdf.GetPageSize()
	_, bottom := d.pdf.GetAutoPageBreak()
	return d.pdf.GetY()+h <= ph-bottom
}
