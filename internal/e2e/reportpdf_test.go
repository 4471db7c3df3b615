package e2e_test

import (
	"bytes"
	"html"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"langelis/app"
	"langelis/i18n"
	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/reports"
)

// The monthly report of a real month (two days of the hall, services with
// long names) in every language, read back with pdftotext: no word lies
// on another (a long service name wraps instead of running into the
// figures), each table's column names stand whole on the page of the
// table's title (a page break cut the by-desk header apart, a narrow
// column cut "Aptarnavimo" in two), and numbers have the language's
// decimal sign: "9,7" in lt, ru, pl, uk and bg, "9.7" in English.
func TestReportPDFInEveryLanguage(t *testing.T) {
	e2e.NeedTools(t, "pdftotext")
	o := e2e.HallOffice()
	o.Services[0].Names = map[string]string{
		"lt": "Gyvenamosios vietos deklaravimas ir pažymos apie deklaruotą gyvenamąją vietą",
		"en": "Declaration of the place of residence and certificates of the declared residence",
		"ru": "Декларирование места жительства и справки о задекларированном месте жительства",
		"pl": "Deklarowanie miejsca zamieszkania i zaświadczenia o zadeklarowanym miejscu zamieszkania",
		"uk": "Декларування місця проживання та довідки про задеклароване місце проживання",
		"bg": "Адресна регистрация и удостоверения за постоянен и настоящ адрес на гражданите",
	}
	s := e2e.Start(t, e2e.Options{Office: o, At: "07:00", Configure: func(c *app.Config) { c.TickEvery = time.Hour }})
	rng := rand.New(rand.NewSource(7))
	day := e2e.HallDay(t, s.App, s.Clock, rng)
	s.Clock.Set(s.Clock.Now().Add(10 * time.Hour))
	e2e.HallDay(t, s.App, s.Clock, rng)
	s.Clock.Set(s.Clock.Now().Add(10 * time.Hour))
	s.AddUser("vadove", queue.RoleAdmin)
	admin := s.Login("vadove")
	month := day.Day[:7]

	for _, lang := range queue.Languages {
		pdf := monthlyPDF(t, s, admin, month, lang)
		pages := pdfWords(t, pdf)
		for p, words := range pages {
			for i, a := range words {
				for _, b := range words[i+1:] {
					if a.overlaps(b) {
						t.Errorf("%s page %d: %q lies on %q", lang, p+1, a.text, b.text)
					}
				}
			}
		}
		for _, title := range []string{"rep.pdf.by_service", "rep.pdf.by_desk"} {
			under := wordsUnder(pages, i18n.T(lang, title))
			if under == nil {
				t.Errorf("%s: no %q in the report", lang, i18n.T(lang, title))
				continue
			}
			for _, c := range []int{0, 1, 3, 8, 9, 12, 14, 15} {
				for _, w := range strings.Fields(i18n.T(lang, reports.MainColumns[c])) {
					if !under[w] {
						t.Errorf("%s: the column name word %q is not whole under %q on its page", lang, w, i18n.T(lang, title))
					}
				}
			}
		}
		text := e2e.PDFText(t, pdf)
		// A number, not a day (01.12.2026 is how ru, pl, uk and bg write one).
		point, comma := regexp.MustCompile(`(?:^|[^\d.])\d+\.\d+(?:[^\d.]|$)`), regexp.MustCompile(`\d,\d`)
		if lang == "en" {
			if !point.MatchString(text) {
				t.Errorf("en: no decimal point in %s", text)
			}
		} else if m := point.FindString(text); m != "" || !comma.MatchString(text) {
			t.Errorf("%s: a decimal point (%q) where the language writes a comma:\n%s", lang, m, text)
		}
	}
}

func monthlyPDF(t *testing.T, s *e2e.Server, token, month, lang string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/reports/monthly.pdf?month="+month, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Language", lang)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	pdf, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("%s: monthly.pdf %d %.200s", lang, resp.StatusCode, pdf)
	}
	if dir := os.Getenv("LANGELIS_SCREENSHOTS"); dir != "" { // for a person to look at
		os.WriteFile(filepath.Join(dir, "monthly-report-"+lang+".pdf"), pdf, 0o644)
	}
	return pdf
}

// pdfWord is a word pdftotext found and its box on the page, in points.
type pdfWord struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

// overlaps tells whether two words' boxes share more than a hair (the
// glyph boxes of neighbouring lines may touch).
func (a pdfWord) overlaps(b pdfWord) bool {
	w := min(a.xMax, b.xMax) - max(a.xMin, b.xMin)
	h := min(a.yMax, b.yMax) - max(a.yMin, b.yMin)
	return w > 0.5 && h > 0.5
}

var (
	bboxPage = regexp.MustCompile(`<page `)
	bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// pdfWords is every page's words with their boxes (pdftotext -bbox).
func pdfWords(t *testing.T, pdf []byte) [][]pdfWord {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v: %s", err, out)
	}
	var pages [][]pdfWord
	for _, page := range bboxPage.Split(string(out), -1)[1:] {
		var words []pdfWord
		for _, m := range bboxWord.FindAllStringSubmatch(page, -1) {
			f := func(i int) float64 { v, _ := strconv.ParseFloat(m[i], 64); return v }
			words = append(words, pdfWord{html.UnescapeString(m[5]), f(1), f(2), f(3), f(4)})
		}
		pages = append(pages, words)
	}
	return pages
}

// wordsUnder is the words below the line that holds title, on its page;
// nil when no page has it.
func wordsUnder(pages [][]pdfWord, title string) map[string]bool {
	want := strings.Fields(title)
	for _, words := range pages {
		for i := range words {
			if i+len(want) > len(words) {
				break
			}
			match := true
			for j, w := range want {
				match = match && words[i+j].text == w
			}
			if !match {
				continue
			}
			under := map[string]bool{}
			for _, w := range words {
				if w.yMin >= words[i].yMax {
					under[w.text] = true
				}
			}
			return under
		}
	}
	return nil
}
