package e2e_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
)

// actWith runs a desk action with a body as the desk's clerk.
func (h *hall) actWith(desk int, action string, body map[string]any) {
	h.t.Helper()
	var r struct{ Error struct{ Message string } }
	if code := h.JSON("POST", fmt.Sprintf("/api/v1/desks/%d/%s", desk, action), h.tokens[desk], body, &r); code != 200 {
		h.t.Fatalf("desk %d %s: %d %s", desk, action, code, r.Error.Message)
	}
}

// shownCalls is every "number → desk" pair the display shows: the newest
// call and the recent list.
func shownCalls(t *testing.T, ctx context.Context) []string {
	t.Helper()
	var out []string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`[...(document.getElementById("call").classList.contains("empty") ? [] : [document.getElementById("call")]),
		...document.querySelectorAll("#recent li")].map((e) => e.querySelector(".number, #now-number").textContent + ">" + e.querySelector(".desk, #now-desk").textContent)`, &out)); err != nil {
		t.Fatal(err)
	}
	return out
}

// A call that no longer holds (its ticket was transferred, called at
// another desk, or its desk closed) never comes back on the hall display
// when a later call goes away, and nothing old is highlighted as new: the
// trial's "D002 → 1" after a no-show at desk 1 sent a person to the wrong
// desk.
func TestDisplayNeverResurrectsCalls(t *testing.T) {
	h := newHall(t, 12) // A001, D001, A002, D002, …
	ctx := e2e.Browser(t, 1920, 1080)
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(1920, 1080),
		chromedp.Navigate(h.URL+"/display"),
		evalAsync(`window.display.ready.then(() => true)`, nil),
		chromedp.Evaluate(`window.said = []; window.display.announcer.speaker = { async announce(c) { window.said.push(c.number + ">" + c.desk); } }; true`, nil),
	); err != nil {
		t.Fatal(err)
	}
	absent := func(stale string) {
		t.Helper()
		for _, c := range shownCalls(t, ctx) {
			if c == stale {
				e2e.Screenshot(t, ctx, "display-stale")
				t.Fatalf("the display shows %s, a call that no longer holds (shown: %v)", stale, shownCalls(t, ctx))
			}
		}
	}

	// Desk 1 calls a ticket and sends it to service B; then calls the
	// next and marks it a no-show.
	moved := h.act(1, "next")
	waitText(t, ctx, "#now-number", moved)
	h.actWith(1, "transfer", map[string]any{"service": "B"})
	noShow := h.act(1, "next")
	waitText(t, ctx, "#now-number", noShow)
	var said int
	chromedp.Run(ctx, chromedp.Evaluate(`window.said.length`, &said))
	h.act(1, "no-show")
	waitJS(t, ctx, fmt.Sprintf(`document.getElementById("now-number").textContent !== %q`, noShow))
	time.Sleep(300 * time.Millisecond) // let any late render land
	absent(moved + ">1")
	var fresh bool
	var saidAfter int
	chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById("call").classList.contains("fresh")`, &fresh),
		chromedp.Evaluate(`window.said.length`, &saidAfter))
	if fresh || saidAfter != said {
		t.Errorf("after the no-show the display highlights (%v) or announces (%d → %d) an old call", fresh, said, saidAfter)
	}
	e2e.Screenshot(t, ctx, "display-after-noshow")
	e2e.Axe(t, ctx, "display after a no-show")
	// A reload starts from the server's snapshot: the same.
	if err := chromedp.Run(ctx, chromedp.Reload(), evalAsync(`window.display.ready.then(() => true)`, nil)); err != nil {
		t.Fatal(err)
	}
	absent(moved + ">1")

	// Desk 2 calls a ticket and sends it to desk 3, which calls it,
	// serves it and closes: the desk-2 call must not come back.
	b := h.act(2, "next")
	waitText(t, ctx, "#now-number", b)
	h.actWith(2, "transfer", map[string]any{"desk": 3})
	if got := h.act(3, "next"); got != b {
		t.Fatalf("desk 3 called %s, want the transferred %s", got, b)
	}
	waitText(t, ctx, "#now-desk", "3")
	h.act(3, "start")
	h.act(3, "finish")
	h.act(3, "close")
	waitJS(t, ctx, fmt.Sprintf(`![...document.querySelectorAll("#now-desk, #recent .desk")].some((e) => e.textContent === "3")`))
	time.Sleep(300 * time.Millisecond)
	absent(b + ">2")
	e2e.Screenshot(t, ctx, "display-after-close")
	if err := chromedp.Run(ctx, chromedp.Reload(), evalAsync(`window.display.ready.then(() => true)`, nil)); err != nil {
		t.Fatal(err)
	}
	absent(b + ">2")
	absent(moved + ">1")
}
