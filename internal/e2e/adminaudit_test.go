package e2e_test

import (
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// rawKind is what a kind looks like as a code ("ticket.called"): no cell
// of the audit the manager reads may look like that.
var rawKind = regexp.MustCompile(`^[a-z_]+\.[a-z_.]+$`)

// The office manager reads the audit in their language: a day with a few
// desk actions and a configuration change shows each row's kind in words,
// in Lithuanian and then in Russian, and no cell is a code.
func TestAdminAuditKindsInWords(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("admin", queue.RoleAdmin)
	s.AddUser("clerk1", queue.RoleClerk)
	clerk := s.Login("clerk1")
	for _, step := range []struct {
		path string
		body map[string]string
	}{
		{"/api/v1/desks/1/open", nil},
		{"/api/v1/desks/1/next", nil},
		{"/api/v1/desks/1/start", nil},
		{"/api/v1/desks/1/finish", nil},
		{"/api/v1/desks/1/pause", map[string]string{"reason": "pietūs"}},
	} {
		if step.path == "/api/v1/desks/1/next" {
			if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, nil); code != 201 {
				t.Fatalf("issue: %d", code)
			}
		}
		if code := s.JSON("POST", step.path, clerk, step.body, nil); code != 200 {
			t.Fatalf("%s: %d", step.path, code)
		}
	}
	holiday := s.Day.AddDate(0, 0, 40).Format(time.DateOnly)
	if code := s.JSON("POST", "/api/v1/admin/holidays", s.Login("admin"), map[string]string{"date": holiday}, nil); code != 200 {
		t.Fatalf("holiday: %d", code)
	}

	ctx := e2e.Browser(t, 1366, 768)
	// kinds reads the kind column, newest first, and every cell.
	kinds := func(step string) (kinds, cells []string) {
		run(t, ctx, step,
			chromedp.Evaluate(`[...document.querySelectorAll("#audit tbody tr td:nth-child(3)")].map((td) => td.textContent)`, &kinds),
			chromedp.Evaluate(`[...document.querySelectorAll("#audit tbody td")].map((td) => td.textContent)`, &cells))
		return kinds, cells
	}
	check := func(lang string, want []string) {
		t.Helper()
		got, cells := kinds("audit rows in " + lang)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the kinds read %q, want %q", lang, got, want)
		}
		for _, c := range cells {
			if rawKind.MatchString(c) {
				t.Errorf("%s: a cell shows the code %q", lang, c)
			}
		}
	}

	ready := chromedp.Poll(`document.body.dataset.ready === "1" && document.querySelectorAll("#audit tbody tr").length > 0`, nil,
		chromedp.WithPollingTimeout(10*time.Second))
	run(t, ctx, "the audit in Lithuanian", signInAsAdmin(s, "/admin/audit?lang=lt", "admin", pw),
		chromedp.WaitVisible(`html[lang="lt"]`), ready)
	check("lt", []string{"Pridėta nedarbo diena", "Langelio pertrauka", "Aptarnavimas baigtas", "Aptarnavimas pradėtas", "Bilietas iškviestas", "Langelis atidarytas"})
	e2e.Screenshot(t, ctx, "audit-lt")

	run(t, ctx, "the audit in Russian", chromedp.Navigate(s.URL+"/admin/audit?lang=ru"),
		chromedp.WaitVisible(`html[lang="ru"]`), ready)
	check("ru", []string{"Добавлен нерабочий день", "Перерыв в окне", "Обслуживание завершено", "Обслуживание начато", "Талон вызван", "Окно открыто"})
	e2e.Screenshot(t, ctx, "audit-ru")
}
