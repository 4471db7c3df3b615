package e2e_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
)

// On a hall screen whose browser blocks sound until someone touches it,
// the "enable sound" button sits where it covers no call (the trial's
// d14 and d17 had it over the recent calls), and a touch on it hides it.
func TestDisplaySoundButtonCoversNoCall(t *testing.T) {
	h := newHall(t, 20)
	ctx := e2e.BrowserWith(t, 1920, 1080, 90*time.Second, chromedp.Flag("autoplay-policy", "document-user-activation-required"))
	run(t, ctx, "open the display", chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(h.URL+"/display"),
		evalAsync(`window.display.ready.then(() => true)`, nil))
	for i := 0; i < 8; i++ {
		desk := 1 + i%3
		h.call(desk, i < 3)
	}
	waitJS(t, ctx, `document.querySelectorAll("#recent li:not([hidden])").length >= 4`)
	run(t, ctx, "the sound button shows", chromedp.WaitVisible("#sound", chromedp.ByID))
	e2e.Screenshot(t, ctx, "display-sound-1920x1080")
	e2e.Axe(t, ctx, "display, sound blocked")
	sound := e2e.Rects(t, ctx, "#sound")
	for _, sel := range []string{"#call", "#recent li:not([hidden])", "#now-label", "#recent-label", "#office", "#when", "#banner:not([hidden])"} {
		for _, r := range e2e.Rects(t, ctx, sel) {
			if sound[0].Overlaps(r) {
				t.Errorf("the sound button %v covers %s %v", sound[0], sel, r)
			}
		}
	}
	run(t, ctx, "touch it", chromedp.Click("#sound", chromedp.ByID), chromedp.WaitNotVisible("#sound", chromedp.ByID))
}
