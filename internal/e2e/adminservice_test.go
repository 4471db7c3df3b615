package e2e_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// The service form shows and keeps each service's own target wait (the
// service level's bound): changing a service's other fields leaves it as
// it was, and the manager can change it there (the trial's form reset it
// to 15 on every edit).
func TestAdminServiceFormKeepsTheTargetWait(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("admin", queue.RoleAdmin)
	if _, err := s.Engine.Reconfigure(context.Background(), "test", func(o *queue.Office) (queue.Change, error) {
		o.Services[0].TargetWaitMinutes = 25
		return queue.Change{Kind: "service.changed", Subject: "service A"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	targetWait := func() float64 {
		a, _ := s.Engine.Office().Service("A")
		return a.TargetWaitMinutes
	}
	ctx := e2e.Browser(t, 1366, 768)
	run(t, ctx, "admin sign-in", adminSignIn(s, "/admin", pw), chromedp.WaitVisible("#svc-edit-A", chromedp.ByID))
	var shown string
	run(t, ctx, "edit A", chromedp.Click("#svc-edit-A", chromedp.ByID), chromedp.Value("#svc-target-wait", &shown, chromedp.ByID))
	if shown != "25" {
		t.Errorf("the form shows service A's target wait as %q, want 25", shown)
	}
	e2e.Screenshot(t, ctx, "admincfg-service-target-wait")
	run(t, ctx, "change A's target only", typeInto("#svc-target", "9"), chromedp.Click("#svc-save", chromedp.ByID),
		adminWait("done", "Service A changed. In effect now."))
	if a, _ := s.Engine.Office().Service("A"); a.TargetMinutes != 9 || a.TargetWaitMinutes != 25 {
		t.Errorf("after changing the target: target %v, target wait %v; want 9 and 25 kept", a.TargetMinutes, a.TargetWaitMinutes)
	}
	// The table shows each service's target wait; it says 30 once saved.
	cell := `document.querySelector("#services tbody tr:first-child td:nth-child(4)")?.textContent`
	run(t, ctx, "the table before", soon(cell+` === "25"`))
	run(t, ctx, "change A's target wait", chromedp.Click("#svc-edit-A", chromedp.ByID), typeInto("#svc-target-wait", "30"),
		chromedp.Click("#svc-save", chromedp.ByID), soon(cell+` === "30"`))
	if got := targetWait(); got != 30 {
		t.Errorf("target wait %v after setting 30 on the form", got)
	}
}
