package e2e_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// /take remembers the language the visitor chose, and lists only the
// phone's tickets that can still be followed: one given up on its status
// page, or served, leaves the list.
func TestTakeRemembersLanguageAndForgetsEndedTickets(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.Phone(t)
	listed := func() []string {
		t.Helper()
		var out []string
		run(t, ctx, "the list", chromedp.Evaluate(`[...document.querySelectorAll("#mine-list a")].map((a) => a.textContent.split(":")[0])`, &out))
		return out
	}
	openTake := func() {
		t.Helper()
		run(t, ctx, "open /take", chromedp.Navigate(s.URL+"/take"),
			chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	}
	openTake()
	e2e.Axe(t, ctx, "take, start")
	run(t, ctx, "take A in Ukrainian", e2e.Choose("uk", "A", "none"), chromedp.WaitVisible("#number", chromedp.ByID))
	waitText(t, ctx, "#number", "A001")
	openTake()
	if l := pageLang(t, ctx); l != "uk" {
		t.Fatalf("back on /take the page is in %s; want the Ukrainian the visitor chose", l)
	}
	waitText(t, ctx, "#start-h", "Оберіть послугу")
	run(t, ctx, "take B", tap(`#services button[data-service="B"]`), tap(`#groups button[data-priority="none"]`),
		chromedp.WaitVisible("#number", chromedp.ByID))
	waitText(t, ctx, "#number", "B001")
	openTake()
	if got := listed(); len(got) != 2 || got[0] != "A001" || got[1] != "B001" {
		t.Fatalf("/take lists %v; want A001 and B001", got)
	}
	e2e.Screenshot(t, ctx, "take-two-tickets-uk")
	e2e.Axe(t, ctx, "take, two tickets kept")

	// A001 is given up on its status page: /take no longer lists it.
	run(t, ctx, "follow A001", chromedp.Click(`#mine-list a`, chromedp.ByQuery), chromedp.WaitVisible("#cancel", chromedp.ByID),
		tap("#cancel"), tap("#cancel-yes"))
	waitText(t, ctx, "#status", "Ви відмовилися від місця в черзі.")
	openTake()
	waitJS(t, ctx, `document.querySelectorAll("#mine-list a").length === 1`)
	if got := listed(); len(got) != 1 || got[0] != "B001" {
		t.Fatalf("after giving A001 up /take lists %v; want B001 alone", got)
	}

	// B001 is served: nothing left to follow.
	s.AddUser("clerk3", queue.RoleClerk)
	tok := s.Login("clerk3")
	for _, action := range []string{"open", "next", "start", "finish"} {
		if code := s.JSON("POST", "/api/v1/desks/3/"+action, tok, nil, nil); code != 200 {
			t.Fatalf("desk 3 %s: %d", action, code)
		}
	}
	openTake()
	waitJS(t, ctx, `document.getElementById("mine").hidden`)
	if l := pageLang(t, ctx); l != "uk" {
		t.Errorf("on a later visit /take is in %s, want uk", l)
	}
	e2e.Screenshot(t, ctx, "take-nothing-left-uk")
}
