package e2e_test

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
)

// A phone whose browser asks for Polish first: every visitor page opens in
// Polish (as /take always did), and /book and /feedback carry the links to
// the privacy notice and the accessibility statement.
func TestVisitorPagesFollowTheBrowserLanguage(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.Browser(t, 390, 844)
	run(t, ctx, "a Polish browser", emulation.SetUserAgentOverride("Mozilla/5.0 (Linux; Android 14) Chrome/120 Mobile").
		WithAcceptLanguage("pl-PL,pl;q=0.9,en;q=0.5"))
	for _, p := range []struct{ path, ready string }{
		{"/take", "#services button"}, {"/book", "#services button"},
		{"/feedback", "body[data-ready='1']"}, {"/results", "body[data-ready='1']"},
	} {
		open(t, ctx, s.URL+p.path, 390, 844, p.ready)
		var lang string
		run(t, ctx, "lang of "+p.path, chromedp.Evaluate(`document.documentElement.lang`, &lang))
		if lang != "pl" {
			t.Errorf("%s opens in %q for a Polish browser", p.path, lang)
		}
		if p.path == "/book" || p.path == "/feedback" {
			var links []string
			run(t, ctx, "legal links of "+p.path, chromedp.Evaluate(
				`[...document.querySelectorAll("footer.legal a")].map((a) => a.getAttribute("href") + " " + a.textContent)`, &links))
			if len(links) != 2 || links[0] != "/privacy Prywatność" || links[1][:14] != "/accessibility" {
				t.Errorf("%s's footer links: %q", p.path, links)
			}
			e2e.Screenshot(t, ctx, "vfix"+p.path[1:]+"-pl")
		}
	}
}
