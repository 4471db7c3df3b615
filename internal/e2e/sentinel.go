package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// Sentinel watches the page as it stands for every moment a condition (a
// JavaScript expression that only reads the page, such as "no offline
// mark is shown") stops holding: each change to the page's elements is
// checked as it happens, so even a flash of an offline mark too short for
// a test's poll to see is counted. A reload ends the watch. Lapses reads
// the count.
func Sentinel(t testing.TB, ctx context.Context, name, expr string) {
	t.Helper()
	js := fmt.Sprintf(`(() => {
		const ok = () => { try { return !!(%s); } catch { return false; } };
		const all = window.__sentinels || (window.__sentinels = {});
		if (all[%[2]q]) all[%[2]q].stop();
		const w = { was: ok(), lapses: 0 };
		if (!w.was) w.lapses++;
		const seen = new MutationObserver(() => { const now = ok(); if (w.was && !now) w.lapses++; w.was = now; });
		seen.observe(document.documentElement, { attributes: true, childList: true, subtree: true, characterData: true });
		w.stop = () => seen.disconnect();
		all[%[2]q] = w;
		return true;
	})()`, expr, name)
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, nil)); err != nil {
		t.Fatalf("sentinel %s: %v", name, err)
	}
}

// Lapses returns how often the sentinel's condition stopped holding since
// Sentinel set it, and stops the watch; -1 when the page was reloaded.
func Lapses(t testing.TB, ctx context.Context, name string) int {
	t.Helper()
	var n int
	js := fmt.Sprintf(`(() => { const w = (window.__sentinels || {})[%[1]q]; if (!w) return -1; w.stop(); return w.lapses; })()`, name)
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &n)); err != nil {
		t.Fatalf("sentinel %s: %v", name, err)
	}
	return n
}
