package e2e_test

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// cyrillicKey presses and releases the key engraved with the Latin letter
// code ("KeyN") while a Cyrillic layout is on, so that it types typed
// ("т"), as Chromium reports a Bulgarian or Russian keyboard.
func cyrillicKey(code, typed string, vk int64) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		down := input.DispatchKeyEvent(input.KeyDown).WithKey(typed).WithCode(code).
			WithText(typed).WithUnmodifiedText(typed).WithWindowsVirtualKeyCode(vk).WithNativeVirtualKeyCode(vk)
		if err := down.Do(ctx); err != nil {
			return err
		}
		return input.DispatchKeyEvent(input.KeyUp).WithKey(typed).WithCode(code).
			WithWindowsVirtualKeyCode(vk).WithNativeVirtualKeyCode(vk).Do(ctx)
	})
}

// A clerk whose keyboard is switched to Cyrillic (ЙЦУКЕН: the key marked N
// types "т") serves with the letters shown on the buttons: N calls, T opens
// the transfer, B in it picks service B and T confirms it, S starts and F finishes.
func TestDeskKeysOnCyrillicLayout(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("clerk1", queue.RoleClerk)
	a1 := issueTicket(t, s, "A")
	a2 := issueTicket(t, s, "A")
	ctx := e2e.Browser(t, 1366, 768)
	run(t, ctx, "sign in",
		signInIn(s, "bg", "clerk1", pw),
		chromedp.WaitVisible("#open-1", chromedp.ByID),
		chromedp.KeyEvent("1"),
		chromedp.WaitVisible("#act-next", chromedp.ByID),
		waitIDText("upcoming", a1.Number+"  "+a2.Number))

	var hint string
	run(t, ctx, "hint", chromedp.Text("#act-next kbd", &hint, chromedp.ByQuery))
	if hint != "N · 1" {
		t.Fatalf("the Next button's key hint is %q, want the engraved letter N", hint)
	}
	run(t, ctx, "next by the key marked N", cyrillicKey("KeyN", "т", 78), waitIDText("ticket-number", a1.Number))
	if st := ticketStatus(t, s, a1.ID); st != queue.Called {
		t.Fatalf("after N (typing т): %s is %s", a1.Number, st)
	}
	run(t, ctx, "start by S", cyrillicKey("KeyS", "ы", 83), chromedp.Poll(`document.getElementById("ticket-status").textContent.startsWith("Обслужва")`, nil))
	run(t, ctx, "finish by F", cyrillicKey("KeyF", "а", 70), waitIDText("ticket-number", "—"))
	if st := ticketStatus(t, s, a1.ID); st != queue.Done {
		t.Fatalf("after F (typing а): %s is %s", a1.Number, st)
	}
	run(t, ctx, "transfer by T then B",
		cyrillicKey("KeyN", "т", 78), waitIDText("ticket-number", a2.Number),
		cyrillicKey("KeyT", "е", 84), chromedp.WaitVisible(`#dlg-buttons button[data-key="b"]`, chromedp.ByQuery),
		cyrillicKey("KeyB", "и", 66),
		// No open desk serves B: the page asks again, T confirms.
		chromedp.WaitVisible(`#dlg-buttons button[data-key="t"]`, chromedp.ByQuery),
		cyrillicKey("KeyT", "е", 84), waitIDText("ticket-number", "—"))
	var tk struct{ Service string }
	s.JSON("GET", "/api/v1/tickets/"+a2.ID, "", nil, &tk)
	if tk.Service != "B" {
		t.Fatalf("after T, B (typing е, и) %s is in service %q", a2.Number, tk.Service)
	}
}
