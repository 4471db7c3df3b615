package e2e_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/i18n"
	"langelis/internal/e2e"
	"langelis/reports"
)

func pollJS(expr string) chromedp.Action {
	return chromedp.Poll(expr, nil, chromedp.WithPollingTimeout(15*time.Second))
}

func runPage(t *testing.T, ctx context.Context, name, step string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		var msg string
		_ = chromedp.Run(ctx, chromedp.Evaluate(`document.body.innerText.slice(0, 400)`, &msg))
		e2e.Screenshot(t, ctx, name+"-failed")
		t.Fatalf("%s: %v (page says %q)", step, err, msg)
	}
}

// An admin at a desk screen opens /admin/reports, signs in on the admin
// frame's form (the same as every admin page's), finds the admin nav with
// this page marked, picks a week and a grouping by desk, and sees the table, the three
// charts, and download links whose CSV and XLSX hold the numbers shown.
func TestAdminReportsPage(t *testing.T) {
	s, admin, days := reportsHall(t, 4)
	ctx := e2e.Browser(t, 1366, 768)
	runPage(t, ctx, "reports", "open and sign in",
		chromedp.Navigate(s.URL+"/admin/reports?lang=en&date="+days[0].Day),
		chromedp.WaitVisible(`.admin-signin input[name="username"]`, chromedp.ByQuery),
	)
	e2e.Axe(t, ctx, "admin reports sign-in")
	runPage(t, ctx, "reports", "sign in",
		chromedp.SendKeys(`.admin-signin input[name="username"]`, "vadove", chromedp.ByQuery),
		chromedp.SendKeys(`.admin-signin input[name="password"]`, "pw-vadove-secret\r", chromedp.ByQuery),
		pollJS(`document.body.dataset.shown?.startsWith("month:service")`),
	)
	var current, nav string
	runPage(t, ctx, "reports", "the admin nav",
		chromedp.Text(`nav.admin-nav a[aria-current="page"]`, &current, chromedp.ByQuery),
		chromedp.Text(`nav.admin-nav`, &nav, chromedp.ByQuery),
	)
	if current != "Reports" || !strings.Contains(nav, "The hall now") || !strings.Contains(nav, "Sign out") {
		t.Errorf("the reports page's nav says %q, marks %q; want the admin nav in English with Reports marked", nav, current)
	}
	runPage(t, ctx, "reports", "week by desk",
		chromedp.Click(`input[name=period][value=week]`, chromedp.ByQuery),
		chromedp.SetValue("#by", "desk", chromedp.ByID),
		chromedp.Click("#show", chromedp.ByID),
		pollJS(`document.body.dataset.shown?.startsWith("week:desk")`),
	)
	// What the page shows against what the API says of the same week.
	var rep struct {
		From, To string
		Days     int
		Tables   []reports.Table
		Charts   reports.Charts
	}
	if code := s.JSON("GET", "/api/v1/reports?period=week&by=desk&date="+days[0].Day, admin, nil, &rep); code != 200 {
		t.Fatalf("report: %d", code)
	}
	var rows []string
	var total, boxes, bars, dots, caption string
	runPage(t, ctx, "reports", "read the page",
		chromedp.Evaluate(`[...document.querySelectorAll("#table-main tbody tr")].map((r) => r.dataset.key)`, &rows),
		chromedp.Evaluate(`[...document.querySelectorAll("#table-main tfoot td")].map((c) => c.textContent).join("|")`, &total),
		chromedp.Evaluate(`String(document.querySelectorAll("#chart-box g.hourbox rect.box").length)`, &boxes),
		chromedp.Evaluate(`String(document.querySelectorAll("#chart-load rect.arrivals").length)`, &bars),
		chromedp.Evaluate(`String(document.querySelectorAll("#chart-trend circle.dot").length)`, &dots),
		chromedp.Text("#days", &caption, chromedp.ByID),
	)
	if strings.Join(rows, ",") != "1,2,3" {
		t.Errorf("rows by desk: %v", rows)
	}
	cells := strings.Split(total, "|")
	served := strconv.FormatFloat(*rep.Tables[0].Total.Values[1], 'f', -1, 64)
	if len(cells) < 3 || cells[0] != "Total" || cells[2] != served {
		t.Errorf("total line %q; the report says served %s", total, served)
	}
	if boxes != strconv.Itoa(len(rep.Charts.Box)) || len(rep.Charts.Box) < 5 || bars != strconv.Itoa(len(rep.Charts.Load)) ||
		dots != strconv.Itoa(len(rep.Charts.Trend)) {
		t.Errorf("charts: %s boxes, %s bars, %s dots; the report has %d, %d, %d", boxes, bars, dots,
			len(rep.Charts.Box), len(rep.Charts.Load), len(rep.Charts.Trend))
	}
	if want := i18n.T("en", "rep.days", "n", rep.Days); caption != want {
		t.Errorf("days line %q, want %q", caption, want)
	}
	e2e.Axe(t, ctx, "admin reports week by desk")
	e2e.Screenshot(t, ctx, "admin-reports-week-desk-1366")

	// The links the page offers: the CSV's total is the page's total, and
	// the XLSX opens (TestReportsAgreeWithTheStoredFigures compares them
	// cell by cell).
	var csvHref, xlsxHref, pdfHref string
	runPage(t, ctx, "reports", "links",
		chromedp.AttributeValue("#dl-csv-main", "href", &csvHref, nil, chromedp.ByID),
		chromedp.AttributeValue("#dl-xlsx", "href", &xlsxHref, nil, chromedp.ByID),
		chromedp.AttributeValue("#dl-pdf", "href", &pdfHref, nil, chromedp.ByID),
	)
	data, code := getAs(t, s, csvHref, admin)
	lines, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if code != 200 || err != nil || len(lines) != 5 {
		t.Fatalf("CSV from the page's link %s: %d %v %q", csvHref, code, err, data)
	}
	if got := lines[4][2]; got != served {
		t.Errorf("CSV total served %q, the page %q", got, served)
	}
	if data, code := getAs(t, s, xlsxHref, admin); code != 200 || !bytes.HasPrefix(data, []byte("PK")) {
		t.Errorf("XLSX from the page's link: %d", code)
	}
	if data, code := getAs(t, s, pdfHref, admin); code != 200 || !bytes.HasPrefix(data, []byte("%PDF")) {
		t.Errorf("PDF from the page's link: %d", code)
	}

	// Grouped by hour over the whole month, in Lithuanian.
	runPage(t, ctx, "reports", "month by hour in Lithuanian",
		chromedp.SetValue("select.admin-lang", "lt", chromedp.ByQuery),
		// The page comes back in Lithuanian, showing the week it showed.
		chromedp.WaitVisible(`html[lang="lt"] body[data-ready="1"]`, chromedp.ByQuery),
		pollJS(`document.body.dataset.shown?.startsWith("week:desk")`),
		chromedp.Click(`input[name=period][value=month]`, chromedp.ByQuery),
		chromedp.SetValue("#by", "hour", chromedp.ByID),
		chromedp.Click("#show", chromedp.ByID),
		pollJS(`document.body.dataset.shown?.startsWith("month:hour") && document.querySelector("#table-main tfoot td")?.textContent === "Iš viso"`),
	)
	e2e.Axe(t, ctx, "admin reports month by hour")
	e2e.Screenshot(t, ctx, "admin-reports-month-hour-lt-1366")
}

// /results on a phone and at a desk screen, in two languages: one card a
// month with the figures /api/v1/results gives, plurals as each language
// says them, with satisfaction and complaints.
func TestResultsPage(t *testing.T) {
	s, _, _ := reportsHall(t, 3)
	var res struct {
		Months []struct {
			Month  string `json:"month"`
			Days   int    `json:"days"`
			Served int    `json:"served"`
		} `json:"months"`
	}
	s.JSON("GET", "/api/v1/results", "", nil, &res)
	for _, c := range []struct {
		lang string
		w, h int
	}{{"lt", 390, 844}, {"en", 1366, 768}, {"ru", 390, 844}} {
		ctx := e2e.Browser(t, c.w, c.h)
		runPage(t, ctx, "results", "open "+c.lang,
			chromedp.Navigate(s.URL+"/results?lang="+c.lang),
			pollJS(`document.body.dataset.ready === "1"`),
		)
		var cards int
		var text string
		runPage(t, ctx, "results", "read",
			chromedp.Evaluate(`document.querySelectorAll(".month").length`, &cards),
			chromedp.Text("#months", &text, chromedp.ByID),
		)
		if cards != len(res.Months) {
			t.Errorf("%s: %d month cards, %d months", c.lang, cards, len(res.Months))
		}
		for _, m := range res.Months {
			for _, w := range []string{i18n.T(c.lang, "res.days", "n", m.Days), i18n.T(c.lang, "res.served"),
				i18n.T(c.lang, "res.satisfaction"), i18n.T(c.lang, "res.complaints")} {
				if !strings.Contains(text, w) {
					t.Errorf("%s at %dx%d: %q is not on the page:\n%s", c.lang, c.w, c.h, w, text)
				}
			}
			if !strings.Contains(text, strconv.Itoa(m.Served)) {
				t.Errorf("%s: served %d not shown", c.lang, m.Served)
			}
		}
		var overflow bool
		runPage(t, ctx, "results", "fits", chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth`, &overflow))
		if overflow {
			t.Errorf("%s at %dx%d: the page is wider than the screen", c.lang, c.w, c.h)
		}
		e2e.Axe(t, ctx, "results "+c.lang)
		e2e.Screenshot(t, ctx, fmt.Sprintf("results-%s-%dx%d", c.lang, c.w, c.h))
	}
	// The language menu switches the page in place.
	ctx := e2e.Browser(t, 390, 844)
	runPage(t, ctx, "results", "switch language",
		chromedp.Navigate(s.URL+"/results?lang=lt"),
		pollJS(`document.body.dataset.ready === "1"`),
		chromedp.SetValue("#lang", "pl", chromedp.ByID),
		chromedp.Evaluate(`document.getElementById("lang").dispatchEvent(new Event("change"))`, nil),
		pollJS(fmt.Sprintf(`document.getElementById("title").textContent === %q`, i18n.T("pl", "res.title"))),
	)
	e2e.Screenshot(t, ctx, "results-pl-390x844")
}
