// Package ticketpdf renders the printed ticket: an 80 mm receipt with the
// number, the service in the visitor's language, the wait estimate and a QR
// code that opens the ticket's live status page.
//
// The font is DejaVu Sans, cut down to the five languages' scripts
// (assets/fonts) and set as two single-byte code pages prepared once per
// process (codepage.go), which brings a ticket from ~15 ms to a few.
package ticketpdf

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
	qrcode "github.com/skip2/go-qrcode"

	"langelis/assets"
	"langelis/i18n"
)

// Width is the paper width of a receipt printer's roll, in millimetres.
const Width = 80.0

// Ticket is everything the printed ticket shows. It carries no priority
// group: only whether the ticket has priority, printed as a neutral mark.
type Ticket struct {
	Office     string     // the office's name in the visitor's language
	Number     string     // e.g. A012
	Service    string     // the service's name in the visitor's language
	Lang       string     // the visitor's language
	IssuedAt   time.Time  // in the office's time zone
	Ahead      *int       // how many were ahead when it was issued; nil when unknown
	EstimateAt *time.Time // the projected call time, in the office's time zone; nil when unknown
	// NoDesk says that no desk serving the ticket is open: the ticket says
	// so instead of a time nobody would keep.
	NoDesk bool
	// NotYetOpened, with NoDesk, says why: no desk has opened yet today.
	NotYetOpened bool
	Priority     bool   // prints the neutral priority mark
	StatusURL    string // absolute URL of the status page, for the QR code
}

// Fonts are the regular and bold TrueType files of the straightforward
// way: gofpdf's UTF-8 fonts, parsed for every document.
type Fonts struct{ Regular, Bold []byte }

// SubsetFonts returns the embedded ticket fonts as TrueType files.
func SubsetFonts() (Fonts, error) {
	var f Fonts
	var err error
	if f.Regular, err = assets.Fonts.ReadFile("fonts/DejaVuSans-ticket.ttf"); err == nil {
		f.Bold, err = assets.Fonts.ReadFile("fonts/DejaVuSans-Bold-ticket.ttf")
	}
	if err != nil {
		return Fonts{}, fmt.Errorf("ticketpdf: fonts: %w", err)
	}
	return f, nil
}

// setFont selects a font for text and returns text as that font needs it.
type setFont func(style string, size float64, text string) string

// Render writes t as a PDF to w, in the code-page fonts prepared once per
// process (codepage.go).
func Render(w io.Writer, t Ticket) error {
	cps, err := codepages()
	if err != nil {
		return err
	}
	pdf := newDoc(t)
	ts := &typesetter{pdf: pdf, pages: cps, added: map[string]bool{}}
	return layout(w, pdf, t, ts.font)
}

// RenderUTF8 writes t as a PDF set in gofpdf's UTF-8 fonts: the
// straightforward way, kept for the benchmark's comparison.
func RenderUTF8(w io.Writer, t Ticket, fonts Fonts) error {
	pdf := newDoc(t)
	pdf.AddUTF8FontFromBytes("dv", "", fonts.Regular)
	pdf.AddUTF8FontFromBytes("dv", "B", fonts.Bold)
	return layout(w, pdf, t, func(style string, size float64, text string) string {
		pdf.SetFont("dv", style, size)
		return text
	})
}

const margin = 4.0

func newDoc(t Ticket) *gofpdf.Fpdf {
	pdf := gofpdf.NewCustom(&gofpdf.InitType{UnitStr: "mm", Size: gofpdf.SizeType{Wd: Width, Ht: 150}})
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle(t.Number, true)
	pdf.SetCreator("Langelis", true)
	pdf.SetCreationDate(t.IssuedAt)
	return pdf
}

// layout draws the ticket, top to bottom.
func layout(w io.Writer, pdf *gofpdf.Fpdf, t Ticket, font setFont) error {
	const inner = Width - 2*margin
	pdf.AddPage()
	lang := t.Lang
	center := func(style string, size, lineH float64, text string) {
		text = font(style, size, text)
		pdf.SetX(margin)
		pdf.MultiCell(inner, lineH, text, "", "C", false)
	}
	center("B", 9, 4, t.Office)
	pdf.Ln(2)
	center("", 12, 5.5, t.Service)
	pdf.Ln(1)
	number := font("B", 64, t.Number)
	pdf.SetX(margin)
	pdf.CellFormat(inner, 26, number, "", 1, "C", false, 0, "")
	if t.Priority {
		// A neutral mark: a filled square and the word for priority, never
		// the group (health or family data).
		label := font("B", 10, i18n.T(lang, "ticket.priority"))
		tw := pdf.GetStringWidth(label) + 6
		x, y := (Width-tw)/2, pdf.GetY()
		pdf.Rect(x, y+1, 3, 3, "F")
		pdf.SetXY(x+4.5, y)
		pdf.CellFormat(tw-4.5, 5, label, "", 1, "L", false, 0, "")
	}
	pdf.Ln(2)
	center("", 10, 5, i18n.Date(lang, t.IssuedAt)+" "+t.IssuedAt.Format("15:04"))
	switch {
	case t.Ahead == nil:
	case *t.Ahead == 0:
		center("", 11, 5.5, i18n.T(lang, "ticket.ahead.none"))
	default:
		center("", 11, 5.5, i18n.T(lang, "ticket.ahead", "n", *t.Ahead))
	}
	switch {
	case t.NoDesk && t.NotYetOpened:
		center("B", 11, 5.5, i18n.T(lang, "ticket.not_yet_opened"))
	case t.NoDesk:
		center("B", 11, 5.5, i18n.T(lang, "ticket.no_desk"))
	case t.EstimateAt != nil:
		center("B", 11, 5.5, i18n.T(lang, "ticket.estimate", "time", t.EstimateAt.Format("15:04")))
	}
	pdf.Ln(2)
	if t.StatusURL != "" {
		const side = 32.0
		if err := drawQR(pdf, t.StatusURL, (Width-side)/2, pdf.GetY(), side); err != nil {
			return err
		}
		pdf.SetY(pdf.GetY() + side + 1)
		center("", 9, 4, i18n.T(lang, "ticket.scan"))
	}
	pdf.Ln(2)
	center("", 7.5, 3.5, i18n.T(lang, "ticket.privacy"))
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("ticketpdf: %w", err)
	}
	return nil
}

// drawQR draws the QR code of text as vector squares, one rectangle per run
// of dark modules in a row, so it stays sharp at any printer resolution.
func drawQR(pdf *gofpdf.Fpdf, text string, x, y, side float64) error {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("ticketpdf: qr: %w", err)
	}
	bm := q.Bitmap() // includes the quiet zone
	m := side / float64(len(bm))
	pdf.SetFillColor(0, 0, 0)
	EachRun(bm, func(col, row, n int) {
		pdf.Rect(x+float64(col)*m, y+float64(row)*m, float64(n)*m, m, "F")
	})
	return nil
}

// EachRun calls fn for each horizontal run of dark modules in a QR bitmap:
// in row, from col, n modules long. Drawing runs rather than modules keeps
// a code small and free of hairline gaps.
func EachRun(bm [][]bool, fn func(col, row, n int)) {
	for r, line := range bm {
		for c := 0; c < len(line); {
			if !line[c] {
				c++
				continue
			}
			start := c
			for c < len(line) && line[c] {
				c++
			}
			fn(start, r, c-start)
		}
	}
}

// Filename is a name for the ticket's PDF file.
func Filename(number string) string {
	return "ticket-" + strings.ToLower(number) + ".pdf"
}
