package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
)

// The language menu of /results lists the office's languages in the
// office's order, named as on /take: the Sofia hall's bg, en, uk, ru, not
// the list of every language Langelis has (it put Bulgarian last).
func TestResultsLanguagesInTheOfficesOrder(t *testing.T) {
	s := bgOffice(t)
	want := strings.Join(s.Office.Languages, " ")
	phone := e2e.Phone(t)
	var take, takeNames, results, resultsNames string
	open(t, phone, s.URL+"/take", 390, 844, "#langs button")
	run(t, phone, "the language buttons of /take",
		chromedp.Evaluate(`[...document.querySelectorAll("#langs button")].map((b) => b.dataset.lang).join(" ")`, &take),
		chromedp.Evaluate(`[...document.querySelectorAll("#langs button")].map((b) => b.textContent).join(" ")`, &takeNames))
	open(t, phone, s.URL+"/results", 390, 844, "body[data-ready='1']")
	run(t, phone, "the language menu of /results",
		chromedp.Evaluate(`[...document.querySelectorAll("#lang option")].map((o) => o.value).join(" ")`, &results),
		chromedp.Evaluate(`[...document.querySelectorAll("#lang option")].map((o) => o.textContent).join(" ")`, &resultsNames))
	e2e.Screenshot(t, phone, "results-bg-390")
	if take != want || results != want {
		t.Errorf("languages: /take %q, /results %q; the office's order is %q", take, results, want)
	}
	if resultsNames != takeNames {
		t.Errorf("language names: /take %q, /results %q", takeNames, resultsNames)
	}
}
