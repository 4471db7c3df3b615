package e2e_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
)

func TestSmoke(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.Browser(t, 800, 600)
	var title string
	if err := chromedp.Run(ctx, chromedp.Navigate(s.URL+"/"), chromedp.Title(&title)); err != nil {
		t.Fatal(err)
	}
	if title != "Langelis" {
		t.Fatalf("title %q", title)
	}
}
