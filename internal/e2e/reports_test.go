package e2e_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"langelis/app"
	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/reports"
)

// reportsHall runs the hall for n working days through the real engine,
// each closed by the app's day-end job, and signs an admin in.
func reportsHall(t *testing.T, n int) (*e2e.Server, string, []e2e.HallDayResult) {
	t.Helper()
	s := e2e.Start(t, e2e.Options{Office: e2e.HallOffice(), At: "07:00", Configure: func(c *app.Config) {
		c.TickEvery = time.Hour // the days are stepped minute by minute; the day end needs one tick after it
	}})
	rng := rand.New(rand.NewSource(42))
	var days []e2e.HallDayResult
	for i := 0; i < n; i++ {
		days = append(days, e2e.HallDay(t, s.App, s.Clock, rng))
		s.Clock.Set(s.Clock.Now().Add(10 * time.Hour))
	}
	s.AddUser("vadove", queue.RoleAdmin)
	return s, s.Login("vadove"), days
}

// getAs fetches path with the token and returns the body.
func getAs(t *testing.T, s *e2e.Server, path, token string) ([]byte, int) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Accept-Language", "lt")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return data, resp.StatusCode
}

// monthFigures computes, from the stored daily figures and by hand, what
// /results and /admin/reports must say of a month.
type monthFigures struct {
	served                     int
	median, p90, sl, estWithin float64
	answers                    int     // answers after service
	goodPct                    float64 // the share of faces 4 and 5
}

func byHand(t *testing.T, s *e2e.Server, month string) monthFigures {
	t.Helper()
	days, err := s.Store.DayStats(month+"-01", month+"-31")
	if err != nil {
		t.Fatal(err)
	}
	var m monthFigures
	var waits []int32
	in, base, est, estIn := 0, 0, 0, 0
	for _, d := range days {
		f := d.Groups[reports.All]
		if f == nil {
			continue
		}
		m.served += f.Served
		for i, n := range f.Ratings {
			m.answers += n
			if i >= 3 {
				m.goodPct += float64(n) // a count until the end
			}
		}
		waits = append(waits, f.Wait...)
		in += f.InTarget
		base += f.SLBase
		for _, e := range f.EstErr {
			est++
			if e >= -600 && e <= 600 {
				estIn++
			}
		}
	}
	slices.Sort(waits)
	r := func(v float64) float64 { return math.Round(v*10) / 10 }
	if n := len(waits); n > 0 {
		m.median = r(float64(waits[(n+1)/2-1]) / 60)
		m.p90 = r(float64(waits[int(math.Ceil(0.9*float64(n)))-1]) / 60)
	}
	if base > 0 {
		m.sl = r(100 * float64(in) / float64(base))
	}
	if est > 0 {
		m.estWithin = r(100 * float64(estIn) / float64(est))
	}
	if m.answers > 0 {
		m.goodPct = r(100 * m.goodPct / float64(m.answers))
	}
	return m
}

// /results and /admin/reports say the same of each month, and it is what
// the stored daily figures say; the CSV and the XLSX hold the same numbers
// as the page's table; the PDF report has the month's figures in words a
// reader can find; staff-only endpoints refuse the public.
func TestReportsAgreeWithTheStoredFigures(t *testing.T) {
	s, admin, days := reportsHall(t, 4)
	var res struct {
		Months []struct {
			Month      string   `json:"month"`
			Days       int      `json:"days"`
			Served     int      `json:"served"`
			WaitMedian *float64 `json:"wait_median_min"`
			WaitP90    *float64 `json:"wait_p90_min"`
			SL         *float64 `json:"service_level_pct"`
			Est        *float64 `json:"estimate_within_pct"`
			Sat        *struct {
				GoodPct float64 `json:"good_pct"`
				N       int     `json:"n"`
			} `json:"satisfaction"`
		} `json:"months"`
	}
	if code := s.JSON("GET", "/api/v1/results", "", nil, &res); code != 200 || len(res.Months) == 0 {
		t.Fatalf("results: %d %+v", code, res)
	}
	seenDays := 0
	for _, m := range res.Months {
		want := byHand(t, s, m.Month)
		seenDays += m.Days
		if m.Served != want.served || *m.WaitMedian != want.median || *m.WaitP90 != want.p90 || *m.SL != want.sl || *m.Est != want.estWithin ||
			m.Sat == nil || m.Sat.N != want.answers || m.Sat.GoodPct != want.goodPct {
			t.Errorf("/results %s: %+v; the stored figures say %+v", m.Month, m, want)
		}
		var rep struct {
			Tables []reports.Table `json:"tables"`
		}
		if code := s.JSON("GET", "/api/v1/reports?period=month&by=service&date="+m.Month+"-01", admin, nil, &rep); code != 200 {
			t.Fatalf("report: %d", code)
		}
		tot := rep.Tables[0].Total.Values
		if int(*tot[1]) != want.served || *tot[8] != want.median || *tot[9] != want.p90 || *tot[14] != want.sl || *tot[15] != want.estWithin {
			t.Errorf("/admin/reports %s total: served %v median %v p90 %v SL %v est %v; the stored figures say %+v",
				m.Month, *tot[1], *tot[8], *tot[9], *tot[14], *tot[15], want)
		}
	}
	if seenDays != len(days) {
		t.Errorf("/results counts %d working days, the hall worked %d", seenDays, len(days))
	}

	// CSV and XLSX of the same report: the same numbers, cell by cell.
	q := fmt.Sprintf("period=custom&from=%s&to=%s&by=desk", days[0].Day, days[len(days)-1].Day)
	var rep struct {
		Tables []reports.Table `json:"tables"`
	}
	s.JSON("GET", "/api/v1/reports?"+q, admin, nil, &rep)
	xl, code := getAs(t, s, "/api/v1/reports.xlsx?"+q, admin)
	if code != 200 {
		t.Fatalf("xlsx: %d %s", code, xl)
	}
	book, err := excelize.OpenReader(bytes.NewReader(xl))
	if err != nil {
		t.Fatal(err)
	}
	sheets := book.GetSheetList()
	if len(sheets) != 4 || sheets[0] != "Rodikliai" || sheets[3] != "Pasitenkinimas po aptarnavimo" {
		t.Fatalf("sheets %v", sheets)
	}
	i := -1
	for _, tb := range rep.Tables {
		if len(tb.Columns) == 0 {
			continue // nothing measured: the XLSX has no sheet for it
		}
		i++
		data, code := getAs(t, s, "/api/v1/reports.csv?"+q+"&table="+tb.Name, admin)
		if code != 200 {
			t.Fatalf("csv %s: %d %s", tb.Name, code, data)
		}
		lines, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		rows, err := book.GetRows(sheets[i])
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != len(tb.Rows)+2 || len(rows) != len(lines) {
			t.Fatalf("%s: %d CSV lines, %d XLSX rows, %d table rows", tb.Name, len(lines), len(rows), len(tb.Rows))
		}
		for r := range lines {
			for c := range lines[r] {
				x := ""
				if c < len(rows[r]) {
					x = rows[r][c]
				}
				if r > 0 && c > 0 {
					a, errA := strconv.ParseFloat(lines[r][c], 64)
					b, errB := strconv.ParseFloat(x, 64)
					if (errA == nil) != (errB == nil) || a != b {
						t.Errorf("%s row %d col %d: CSV %q, XLSX %q", tb.Name, r, c, lines[r][c], x)
					}
				} else if lines[r][c] != x {
					t.Errorf("%s row %d col %d: CSV %q, XLSX %q", tb.Name, r, c, lines[r][c], x)
				}
			}
		}
		// And the page's numbers: the total line.
		for c, v := range tb.Total.Values {
			if v != nil && lines[len(lines)-1][c+1] != strconv.FormatFloat(*v, 'f', -1, 64) {
				t.Errorf("%s total col %d: CSV %q, report %v", tb.Name, c, lines[len(lines)-1][c+1], *v)
			}
		}
	}

	// The monthly PDF, read back with pdftotext.
	month := days[0].Day[:7]
	pdf, code := getAs(t, s, "/api/v1/reports/monthly.pdf?month="+month, admin)
	if code != 200 || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("pdf: %d %.200s", code, pdf)
	}
	if dir := os.Getenv("LANGELIS_SCREENSHOTS"); dir != "" { // for a person to look at
		os.WriteFile(filepath.Join(dir, "monthly-report.pdf"), pdf, 0o644)
	}
	text := e2e.PDFText(t, pdf)
	want := byHand(t, s, month)
	for _, w := range []string{"Mėnesio ataskaita", month, "Salė", "Aptarnauta " + strconv.Itoa(want.served),
		"Laukimo mediana, min. " + ltDecimal(want.median),
		"Iškviesta per tikslinį laiką, % " + ltDecimal(want.sl),
		"Pagal paslaugą", "Pagal langelį", "Atsakymai " + strconv.Itoa(want.answers),
		"Geri atsakymai (4–5), % " + ltDecimal(want.goodPct),
		"Skundai ir pasiūlymai", "Šį mėnesį skundų ir pasiūlymų neužregistruota"} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF lacks %q:\n%s", w, text)
		}
	}

	// Staff only: the reports refuse the public; the results are public and
	// name no clerk.
	for _, p := range []string{"/api/v1/reports", "/api/v1/reports.csv", "/api/v1/reports.xlsx", "/api/v1/reports/monthly.pdf"} {
		if _, code := getAs(t, s, p, ""); code != 401 {
			t.Errorf("%s without sign-in: %d", p, code)
		}
	}
	pub, _ := getAs(t, s, "/api/v1/results", "")
	for _, clerk := range []string{"rasa", "jonas", "ona", "priority", "disability"} {
		if bytes.Contains(pub, []byte(clerk)) {
			t.Errorf("/results names %q", clerk)
		}
	}
	var e struct {
		Error struct{ Code, Message string }
	}
	if code := s.JSON("GET", "/api/v1/reports?period=fortnight", admin, nil, &e); code != 400 || !strings.Contains(e.Error.Message, "fortnight") {
		t.Errorf("an unknown period: %d %+v", code, e)
	}
	if code := s.JSON("POST", "/api/v1/reports/rebuild", admin, map[string]string{"day": days[1].Day}, nil); code != 200 {
		t.Errorf("rebuild: %d", code)
	}
}

// ltDecimal writes v as the Lithuanian PDF does: a decimal comma (the
// figures are below a thousand, so no grouping).
func ltDecimal(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}
