package e2e_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// The admin nav at 1366x768 in every language the page offers: no link
// breaks inside (a page name over two lines reads as two links), the
// signed-in name stays on one line, and the bar takes at most two rows.
func TestAdminNavFitsInEveryLanguage(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("boss", queue.RoleAdmin)
	ctx := e2e.Browser(t, 1366, 768)
	run(t, ctx, "sign in", signInAsAdmin(s, "/admin", "boss", pw))
	var langs []string
	run(t, ctx, "languages", chromedp.Evaluate(`[...document.querySelectorAll("nav select.admin-lang option")].map((o) => o.value)`, &langs))
	if len(langs) < 5 {
		t.Fatalf("the nav offers %v", langs)
	}
	for _, l := range langs {
		run(t, ctx, l, chromedp.Navigate(s.URL+"/admin?lang="+l), chromedp.WaitVisible(`nav a[aria-current="page"]`))
		var broken []string
		run(t, ctx, "links", chromedp.Evaluate(`[...document.querySelectorAll("nav a, nav .admin-who, nav .admin-brand")].filter((a) => {
			const lh = parseFloat(getComputedStyle(a).lineHeight) || 1.2 * parseFloat(getComputedStyle(a).fontSize);
			return a.getClientRects().length > 1 || a.getBoundingClientRect().height > 2.2 * lh;
		}).map((a) => a.textContent)`, &broken))
		if len(broken) > 0 {
			t.Errorf("%s: broken over two lines: %q", l, broken)
		}
		var h float64
		run(t, ctx, "nav height", chromedp.Evaluate(`document.querySelector("nav").getBoundingClientRect().height`, &h))
		if h > 100 {
			t.Errorf("%s: the nav is %.0f px tall", l, h)
		}
		e2e.Screenshot(t, ctx, fmt.Sprintf("admin-nav-%s", l))
	}
}
