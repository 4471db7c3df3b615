package e2e

import "github.com/chromedp/chromedp"

// Choose is a visitor's touches on /kiosk or /take: a language, a service
// and a priority group ("none" for No). The page must already be open.
func Choose(lang, service, group string) chromedp.Tasks {
	svc := `#services button[data-service="` + service + `"]`
	grp := `#groups button[data-priority="` + group + `"]`
	return chromedp.Tasks{
		chromedp.WaitEnabled(svc, chromedp.ByQuery),
		chromedp.Click(`#langs button[data-lang="`+lang+`"]`, chromedp.ByQuery),
		chromedp.Click(svc, chromedp.ByQuery),
		chromedp.WaitVisible(grp, chromedp.ByQuery),
		chromedp.Click(grp, chromedp.ByQuery),
	}
}
