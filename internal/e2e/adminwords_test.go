package e2e_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// A manager working in Russian meets no English: the audit says what a
// row is about in Russian ("окно 1", not "desk 1"), and the opening hours
// say a closed day with the page's own word, which the manager may also
// type; an empty field is a closed day too.
func TestAdminWordsInTheManagersLanguage(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("admin", queue.RoleAdmin)
	s.AddUser("clerk1", queue.RoleClerk)
	if code := s.JSON("POST", "/api/v1/desks/1/open", s.Login("clerk1"), nil, nil); code != 200 {
		t.Fatalf("open: %d", code)
	}
	holiday := s.Day.AddDate(0, 0, 40).Format(time.DateOnly)
	if code := s.JSON("POST", "/api/v1/admin/holidays", s.Login("admin"), map[string]string{"date": holiday}, nil); code != 200 {
		t.Fatalf("holiday: %d", code)
	}

	ctx := e2e.Browser(t, 390, 844)
	var subjects []string
	run(t, ctx, "the audit in Russian", signInAsAdmin(s, "/admin/audit?lang=ru", "admin", pw), chromedp.WaitVisible(`html[lang="ru"]`),
		chromedp.Poll(`document.body.dataset.ready === "1" && document.querySelectorAll("#audit tbody tr").length > 1`, nil,
			chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`[...document.querySelectorAll("#audit tbody td:nth-child(5)")].map((td) => td.textContent)`, &subjects))
	e2e.Screenshot(t, ctx, "audit-subjects-ru")
	english := regexp.MustCompile(`^(desk|service|holiday|exception|user|webhook|hours|rules)\b`)
	for _, want := range []string{"окно 1", "нерабочий день " + holiday} {
		if !strings.Contains(strings.Join(subjects, "|"), want) {
			t.Errorf("the audit's subjects %q lack %q", subjects, want)
		}
	}
	for _, c := range subjects {
		if english.MatchString(c) {
			t.Errorf("an English subject on the Russian audit: %q", c)
		}
	}

	exception := s.Day.AddDate(0, 0, 20).Format(time.DateOnly)
	var hint, note string
	run(t, ctx, "hours in Russian", chromedp.Navigate(s.URL+"/admin?lang=ru#hours"), chromedp.WaitVisible(`html[lang="ru"]`),
		chromedp.Click("#tab-hours", chromedp.ByID), chromedp.WaitVisible("#week-sunday", chromedp.ByID),
		chromedp.Text(`label:has(#exception-hours) span`, &hint), chromedp.Text(`[data-i18n="admin.hours.week.note"]`, &note),
		typeInto("#week-sunday", "Закрыто"), chromedp.Click("#week-save", chromedp.ByID),
		chromedp.Poll(`document.getElementById("done")?.textContent !== ""`, nil, chromedp.WithPollingTimeout(10*time.Second)))
	if strings.Contains(strings.ToLower(hint+note), "closed") || !strings.Contains(hint, "закрыто") || !strings.Contains(note, "закрыто") {
		t.Errorf("the hours' hints: %q, %q", note, hint)
	}
	if o := s.Engine.Office(); len(o.Hours.Week[time.Sunday]) != 0 {
		t.Fatalf("Sunday typed as «Закрыто» is open: %v", o.Hours.Week[time.Sunday])
	}
	var value, placeholder string
	run(t, ctx, "a closed Sunday, read again", chromedp.Reload(), chromedp.WaitVisible(`html[lang="ru"]`),
		chromedp.Click("#tab-hours", chromedp.ByID), chromedp.WaitVisible("#week-sunday", chromedp.ByID),
		chromedp.Poll(`document.getElementById("week-monday").value !== ""`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Value("#week-sunday", &value, chromedp.ByID),
		chromedp.AttributeValue("#week-sunday", "placeholder", &placeholder, nil, chromedp.ByID),
		typeInto("#exception-date", exception), chromedp.Click("#exception-set", chromedp.ByID),
		chromedp.Poll(`document.getElementById("exceptions").textContent.includes(`+jsString(exception)+`)`, nil,
			chromedp.WithPollingTimeout(10*time.Second)))
	e2e.Screenshot(t, ctx, "admin-hours-ru")
	if value != "" || placeholder != "закрыто" {
		t.Errorf("a closed Sunday shows %q (placeholder %q), want an empty field saying «закрыто»", value, placeholder)
	}
	if spans, ok := s.Engine.Office().Hours.Exceptions[exception]; !ok || len(spans) != 0 {
		t.Errorf("an exception with empty hours: %v %v, want a closed day", spans, ok)
	}
}
