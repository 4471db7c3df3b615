package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
)

// The privacy notice and the accessibility statement on a phone, in every
// visitor language: axe-core finds nothing serious, nothing is wider than
// the screen, and a tap on a language opens the page in it.
func TestLegalPagesOnAPhone(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.Browser(t, 390, 844)
	for _, page := range []string{"privacy", "accessibility"} {
		for _, lang := range []string{"lt", "en", "ru", "pl", "uk"} {
			open(t, ctx, s.URL+"/"+page+"?lang="+lang, 390, 844, "main h2")
			var wide bool
			run(t, ctx, "width", chromedp.Evaluate(`document.scrollingElement.scrollWidth > window.innerWidth`, &wide))
			if wide {
				t.Errorf("/%s?lang=%s is wider than a 390 px phone", page, lang)
			}
			e2e.Axe(t, ctx, "/"+page+"?lang="+lang)
			e2e.Screenshot(t, ctx, page+"-"+lang)
		}
	}
	// From the phone ticket page, the footer's link.
	open(t, ctx, s.URL+"/take", 390, 844, "#services button")
	e2e.Screenshot(t, ctx, "take-with-legal-links")
	run(t, ctx, "tap privacy", chromedp.Click(`footer.legal a[href="/privacy"]`, chromedp.ByQuery))
	titles := map[string]bool{"Privatumo pranešimas": true, "Privacy notice": true, "Уведомление о конфиденциальности": true,
		"Informacja o prywatności": true, "Повідомлення про конфіденційність": true}
	if got := titleAfterNavigation(t, ctx, "Privacy notice"); !titles[got] {
		t.Errorf("the /take page's privacy link opened %q", got)
	}
	open(t, ctx, s.URL+"/privacy?lang=lt", 390, 844, "main h2")
	run(t, ctx, "tap English", chromedp.Click(`a[hreflang="en"]`, chromedp.ByQuery))
	if got := titleAfterNavigation(t, ctx, "Privacy notice"); got != "Privacy notice" {
		t.Errorf("after a tap on English the title is %q", got)
	}
	run(t, ctx, "to the statement", chromedp.Click(`footer a[href^="/accessibility"]`, chromedp.ByQuery))
	if got := titleAfterNavigation(t, ctx, "Accessibility statement"); got != "Accessibility statement" {
		t.Errorf("the footer's link opened %q", got)
	}
}

// titleAfterNavigation waits up to 10 s for the page's h1 to say want
// (a page being replaced answers nothing meanwhile) and returns the last
// h1 it read.
func titleAfterNavigation(t *testing.T, ctx context.Context, want string) string {
	t.Helper()
	var title string
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		var h string
		if err := chromedp.Run(ctx, chromedp.Evaluate(`(document.querySelector("h1") || {}).textContent || ""`, &h)); err == nil {
			if title = h; h == want {
				break
			}
		}
	}
	return title
}
