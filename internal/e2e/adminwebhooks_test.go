package e2e_test

import (
	"langelis/wire"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/app"
	"langelis/internal/e2e"
	"langelis/queue"
)

// An admin adds a webhook on /admin/webhooks by keys and clicks, is shown
// its secret once, sees it fail while the receiver is down and catch up
// once it is back, and sends it a test.
func TestAdminWebhooks(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Configure: func(c *app.Config) {
		c.Webhooks.MinBackoff, c.Webhooks.MaxBackoff = 20*time.Millisecond, 200*time.Millisecond
	}})
	pw := s.AddUser("boss", queue.RoleAdmin)
	var down atomic.Bool
	down.Store(true)
	var got atomic.Int64
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		got.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	defer rcv.Close()
	ctx := e2e.Browser(t, 1366, 768)
	err := chromedp.Run(ctx,
		signInAsAdmin(s, "/admin/webhooks", "boss", pw),
		chromedp.WaitVisible(`#none`),
		chromedp.SendKeys(`#add-url`, rcv.URL+"/langelis"),
		chromedp.Click(`#kind-finished`), // issued and called only
		chromedp.Click(`#add-button`),
		chromedp.WaitVisible(`#secret-value`),
		waitHas(`#hooks tbody`, rcv.URL),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The form is back to its start for the next hook: every kind ticked.
	var unticked int
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll("#add-kinds input[type=checkbox]:not(:checked)").length`, &unticked)); err != nil || unticked != 0 {
		t.Errorf("after the add %d kind boxes are left unticked (%v)", unticked, err)
	}
	var secret string
	chromedp.Run(ctx, chromedp.Text(`#secret-value`, &secret))
	if len(strings.TrimSpace(secret)) != 64 {
		t.Fatalf("the secret shown: %q", secret)
	}
	// Two tickets while the receiver is down: the page says it fails.
	for range 2 {
		if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, nil); code != 201 {
			t.Fatalf("issue: %d", code)
		}
	}
	if err := chromedp.Run(ctx, chromedp.Click(`#secret-hide`), chromedp.Reload(), chromedp.WaitVisible(`#hooks tbody tr`),
		waitHas(`#hooks tbody .badge`, "Nepavyksta"), waitHas(`#hooks tbody td.err`, "503"), waitHas(`#hooks tbody td.err`, "A001")); err != nil {
		t.Fatal(err)
	}
	e2e.Screenshot(t, ctx, "admin-webhooks-failing")
	// The error's time is on the office clock, like every admin page.
	var hooks []wire.Webhook
	s.JSON("GET", "/api/v1/admin/webhooks", s.Login("boss"), nil, &hooks)
	if len(hooks) != 1 || hooks[0].LastErrorAt.Sub(s.Clock.Now()).Abs() > time.Minute {
		t.Errorf("the last error at %v, the office clock at %v", hooks, s.Clock.Now())
	}
	// A test to the failing receiver says so in the admin's words first.
	if err := chromedp.Run(ctx, chromedp.Click(`#hooks button[data-action="test"]`),
		waitHas(`#msg`, "Bandymas nepriimtas: gavėjas atsakė HTTP 503.")); err != nil {
		t.Fatalf("the failed test's message: %v", err)
	}
	down.Store(false)
	if err := chromedp.Run(ctx, chromedp.Reload(), chromedp.WaitVisible(`#hooks tbody tr`)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for got.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got.Load() < 2 {
		t.Fatalf("the receiver got %d deliveries once back, want 2", got.Load())
	}
	if err := chromedp.Run(ctx, chromedp.Reload(), waitHas(`#hooks tbody .badge`, "Viskas išsiųsta"), waitHas(`#hooks tbody td.err`, "vėliau išsiųsta"),
		chromedp.Click(`#hooks button[data-action="test"]`), waitHas(`#msg`, "HTTP 200")); err != nil {
		t.Fatal(err)
	}
	e2e.Screenshot(t, ctx, "admin-webhooks")
}
