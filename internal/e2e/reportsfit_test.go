package e2e_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"langelis/i18n"
	"langelis/internal/e2e"
)

// /admin/reports at 1366x768 in Ukrainian, the language whose main table
// is widest (about 1900 px for 1332): the page itself never scrolls
// sideways, the table does and shows it (a scrollbar that takes room, not
// an overlay, and the hint in words), and every column is reached by a
// click on the table and the arrow keys: the last column's cell then lies
// inside the screen.
func TestAdminReportsWideTableScrollsVisibly(t *testing.T) {
	s, _, days := reportsHall(t, 2)
	// Scrollbars as a desktop Chromium draws them (headless hides them).
	ctx := e2e.BrowserWith(t, 1366, 768, 90*time.Second, chromedp.Flag("hide-scrollbars", false))
	runPage(t, ctx, "reports-wide", "open and sign in",
		chromedp.Navigate(s.URL+"/admin/reports?lang=uk&date="+days[0].Day),
		chromedp.WaitVisible(`.admin-signin input[name="username"]`, chromedp.ByQuery),
		chromedp.SendKeys(`.admin-signin input[name="username"]`, "vadove", chromedp.ByQuery),
		chromedp.SendKeys(`.admin-signin input[name="password"]`, "pw-vadove-secret\r", chromedp.ByQuery),
		pollJS(`document.body.dataset.shown?.startsWith("month:service")`))

	const last = `document.querySelector("#table-main tbody tr:first-child td:last-child").getBoundingClientRect()`
	var st struct {
		PageWidth, ViewWidth, Bar float64
		Hint                      string
		LastRight                 float64
	}
	runPage(t, ctx, "reports-wide", "measure", chromedp.Evaluate(`(() => {
		const sc = document.querySelector("#table-main").closest(".scroll");
		const hint = sc.previousElementSibling;
		return { PageWidth: document.documentElement.scrollWidth, ViewWidth: innerWidth,
			Bar: sc.offsetHeight - sc.clientHeight - 2, Hint: hint.hidden ? "" : hint.textContent,
			LastRight: `+last+`.right };
	})()`, &st))
	e2e.Screenshot(t, ctx, "admin-reports-uk-1366")
	if st.PageWidth > st.ViewWidth {
		t.Errorf("the page is %v px wide in a %v px window", st.PageWidth, st.ViewWidth)
	}
	if st.LastRight <= st.ViewWidth {
		t.Fatalf("the main table fits (last cell ends at %v): this test needs a wide one", st.LastRight)
	}
	if st.Bar < 8 {
		t.Errorf("the wide table's scrollbar takes %v px: an overlay, invisible until used", st.Bar)
	}
	if want := i18n.T("uk", "rep.scroll_hint"); st.Hint != want {
		t.Errorf("the hint over the wide table says %q, want %q", st.Hint, want)
	}

	var right, left float64
	actions := []chromedp.Action{chromedp.Click("#table-main tbody tr:first-child td:nth-child(3)", chromedp.ByQuery)}
	for range 30 {
		actions = append(actions, chromedp.KeyEvent(kb.ArrowRight))
	}
	var focused string
	actions = append(actions, chromedp.Sleep(time.Second), // the last smooth scroll ends
		chromedp.Evaluate(`document.activeElement.className`, &focused),
		chromedp.Evaluate(last+`.right`, &right), chromedp.Evaluate(last+`.left`, &left))
	runPage(t, ctx, "reports-wide", "scroll by keys", actions...)
	e2e.Screenshot(t, ctx, "admin-reports-uk-1366-scrolled")
	if left < 0 || right > st.ViewWidth {
		t.Errorf("after the arrow keys (focus on %q) the last column lies at %v–%v px of %v", focused, left, right, st.ViewWidth)
	}
}
