package e2e

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// What the visitor pages' tests need besides a browser: where things are
// on the screen, whether a finger can hit them, and a phone's vibration
// motor and speaker to listen to.

// KioskMinPx is 15 mm on the smallest kiosk screen we plan for, a 21.5"
// panel standing (1920 px over 476 mm: 0.248 mm a pixel).
const KioskMinPx = 61

// KioskTargets fails the test for every visible kiosk button or link a
// finger could miss: smaller than 15 mm either way at the kiosk's
// 1080×1920.
func KioskTargets(t testing.TB, ctx context.Context, state string) {
	t.Helper()
	var small []string
	err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll("button, a[href]")]
		.filter((b) => b.offsetParent !== null && !b.closest("[hidden]"))
		.map((b) => [b, b.getBoundingClientRect()])
		.filter(([, r]) => r.width < `+fmt.Sprint(KioskMinPx)+` || r.height < `+fmt.Sprint(KioskMinPx)+`)
		.map(([b, r]) => (b.id || b.textContent.trim().slice(0, 20)) + " " + Math.round(r.width) + "x" + Math.round(r.height))`, &small))
	if err != nil {
		t.Fatalf("measure %s: %v", state, err)
	}
	if len(small) > 0 {
		t.Errorf("%s: targets under 15 mm (%d px): %v", state, KioskMinPx, small)
	}
}

// Rect is an element's box on the screen, in CSS pixels.
type Rect struct{ X, Y, W, H float64 }

func (r Rect) String() string { return fmt.Sprintf("(%.0f,%.0f %.0fx%.0f)", r.X, r.Y, r.W, r.H) }

// Overlaps says whether r and o share more than a pixel's sliver: one
// covers part of the other on the screen.
func (r Rect) Overlaps(o Rect) bool {
	return r.X < o.X+o.W-1 && o.X < r.X+r.W-1 && r.Y < o.Y+o.H-1 && o.Y < r.Y+r.H-1
}

// Rects returns the boxes of the elements sel matches, in document order:
// what a finger aims at.
func Rects(t testing.TB, ctx context.Context, sel string) []Rect {
	t.Helper()
	var rs []Rect
	err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll(`+quote(sel)+`)].map((e) => {
		const r = e.getBoundingClientRect(); return {X: r.x, Y: r.y, W: r.width, H: r.height}; })`, &rs))
	if err != nil {
		t.Fatalf("rects of %s: %v", sel, err)
	}
	return rs
}

// SameRects fails the test when got differs from want by more than half a
// pixel anywhere: something under a finger moved.
func SameRects(t testing.TB, what string, want, got []Rect) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: %d boxes, were %d", what, len(got), len(want))
		return
	}
	for i := range want {
		a, b := want[i], got[i]
		if math.Abs(a.X-b.X) > .5 || math.Abs(a.Y-b.Y) > .5 || math.Abs(a.W-b.W) > .5 || math.Abs(a.H-b.H) > .5 {
			t.Errorf("%s: box %d moved from %s to %s", what, i, a, b)
		}
	}
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// Watch samples a condition on the page (a JavaScript expression that
// only reads the page) every 50 ms of real time for d, and returns how
// often it held: a test sees whether, say, an offline notice ever showed
// through a quiet period, without touching the page.
func Watch(t testing.TB, ctx context.Context, expr string, d time.Duration) (held int, samples int) {
	t.Helper()
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		var v bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(expr, &v)); err != nil {
			t.Fatalf("watch %s: %v", expr, err)
		}
		samples++
		if v {
			held++
		}
		time.Sleep(50 * time.Millisecond)
	}
	return held, samples
}

// PhoneAlerts stands in for a phone's vibration motor and speaker: from
// the next page load, every navigator.vibrate pattern and every sound a
// page starts are noted (and still passed on). Alerts reads them. The
// page's own code runs unchanged; only the device is a recorder.
func PhoneAlerts() chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`(() => {
			window.__vibrations = []; window.__sounds = [];
			const vibrate = navigator.vibrate ? navigator.vibrate.bind(navigator) : null;
			navigator.vibrate = (p) => { window.__vibrations.push(p); return vibrate ? vibrate(p) : true; };
			const play = HTMLMediaElement.prototype.play;
			HTMLMediaElement.prototype.play = function () { window.__sounds.push(this.currentSrc || this.src); return play.call(this); };
		})()`).Do(ctx)
		return err
	})
}

// Alerts returns what the page has made the phone do since it loaded:
// the vibration patterns and the sounds started.
func Alerts(t testing.TB, ctx context.Context) (vibrations []any, sounds []string) {
	t.Helper()
	var out struct {
		V []any
		S []string
	}
	if err := chromedp.Run(ctx, chromedp.Evaluate(`({V: window.__vibrations || [], S: window.__sounds || []})`, &out)); err != nil {
		t.Fatalf("alerts: %v", err)
	}
	return out.V, out.S
}

// Phone returns a browser the size of a phone, 390×844 CSS pixels with
// touch: Chromium's window alone does not go below 500 pixels wide.
func Phone(t *testing.T) context.Context { t.Helper(); return PhoneFor(t, 90*time.Second) }

// PhoneFor is Phone for a test that keeps its browser longer.
func PhoneFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	return sized(t, 390, 844, limit, chromedp.EmulateScale(1), chromedp.EmulateTouch)
}

// Kiosk returns a browser the size of the kiosk's screen, 1080×1920 CSS
// pixels: the window alone leaves the browser's own frame out of it.
func Kiosk(t *testing.T) context.Context { t.Helper(); return KioskFor(t, 90*time.Second) }

// KioskFor is Kiosk for a test that keeps its browser longer.
func KioskFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	return sized(t, 1080, 1920, limit, chromedp.EmulateScale(1))
}

func sized(t *testing.T, w, h int64, limit time.Duration, opts ...chromedp.EmulateViewportOption) context.Context {
	t.Helper()
	ctx := BrowserFor(t, int(w), int(h), limit)
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(w, h, opts...)); err != nil {
		t.Fatalf("viewport %dx%d: %v", w, h, err)
	}
	return ctx
}
