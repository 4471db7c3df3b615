package reportpdf

import (
	"strings"

	"github.com/jung-kurt/gofpdf"

	"langelis/reports"
)

// tableCols are the columns of MainColumns the by-service and by-desk
// tables show: issued, served, refused, median, p90, service p90, service
// level, estimate.
var tableCols = []int{0, 1, 3, 8, 9, 12, 14, 15}

const (
	pageWidth  = 180.0 // A4 less the margins, mm
	labelMin   = 45.0  // the row labels' column at least, mm
	columnMin  = 15.0  // a figure's column at least, mm
	rowLine    = 4.2   // a row label's line at 9 pt, mm
	headerSize = 7.0   // the column names' largest size, pt
)

// table draws rows under a header naming the columns. Each column is as
// wide as the longest word of its name, so that no word is cut in two
// (the names are long in Lithuanian and Bulgarian); the header stays on
// the page of the rows under it and is drawn again on a page the rows go
// on to; a long row label wraps in its column instead of running into
// the figures.
func (d *doc) table(title string, rows []reports.TRow) {
	if len(rows) == 0 {
		return
	}
	pdf := d.pdf
	names := make([]string, len(tableCols))
	for i, c := range tableCols {
		names[i] = d.T(reports.MainColumns[c])
	}
	size, widths := fitColumns(pdf, names)
	first := pageWidth
	for _, w := range widths {
		first -= w
	}
	lh := size * 0.42
	heads := make([][]string, len(names))
	headLines := 1
	for i, n := range names {
		heads[i] = pdf.SplitText(n, widths[i])
		headLines = max(headLines, len(heads[i]))
	}
	headH := float64(headLines)*lh + 1
	label := func(r reports.TRow) []string {
		pdf.SetFont("dv", "", 9)
		return pdf.SplitText(strings.TrimSpace(r.Key), first)
	}
	rowH := func(lines []string) float64 { return max(6, float64(len(lines))*rowLine+1.8) }
	header := func() {
		pdf.SetFont("dv", "B", size)
		x, y := pdf.GetX(), pdf.GetY()
		cx := x + first
		for i, lines := range heads {
			top := y + float64(headLines-len(lines))*lh // the names stand on the rule
			for j, l := range lines {
				pdf.SetXY(cx, top+float64(j)*lh)
				pdf.CellFormat(widths[i], lh, l, "", 0, "R", false, 0, "")
			}
			cx += widths[i]
		}
		pdf.SetXY(x, y+headH)
	}

	pdf.Ln(4)
	// The title, the header and the first row on one page.
	if !d.fits(8 + headH + rowH(label(rows[0]))) {
		pdf.AddPage()
	}
	pdf.SetFont("dv", "B", 13)
	pdf.CellFormat(0, 8, title, "", 1, "L", false, 0, "")
	header()
	for _, r := range rows {
		lines := label(r)
		h := rowH(lines)
		if !d.fits(h) {
			pdf.AddPage()
			header()
		}
		pdf.SetFont("dv", "", 9)
		x, y := pdf.GetX(), pdf.GetY()
		pdf.CellFormat(first, h, "", "B", 0, "L", false, 0, "")
		for j, l := range lines {
			pdf.SetXY(x, y+0.9+float64(j)*rowLine)
			pdf.CellFormat(first, rowLine, l, "", 0, "L", false, 0, "")
		}
		pdf.SetXY(x+first, y)
		for i, c := range tableCols {
			pdf.CellFormat(widths[i], h, d.value(r.Values[c]), "B", 0, "R", false, 0, "")
		}
		pdf.SetXY(x, y+h)
	}
}

// fitColumns picks the header's font size and the figures' column widths:
// every word of a name fits its column on one line, at the largest size
// that leaves the row labels labelMin.
func fitColumns(pdf *gofpdf.Fpdf, names []string) (float64, []float64) {
	margin := pdf.GetCellMargin()
	for size := headerSize; ; size -= 0.5 {
		pdf.SetFont("dv", "B", size)
		widths := make([]float64, len(names))
		total := 0.0
		for i, n := range names {
			widths[i] = columnMin
			for _, w := range strings.Fields(n) {
				widths[i] = max(widths[i], pdf.GetStringWidth(w)+2*margin+0.5)
			}
			total += widths[i]
		}
		if pageWidth-total >= labelMin || size <= 5 {
			return size, widths
		}
	}
}
