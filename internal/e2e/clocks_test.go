package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/office"
	"langelis/queue"
)

// A clerk signs in on /desk while the office clock stands 13 hours behind
// real time (a demonstration's --clock, or `make run` late in the evening),
// and works a ticket by keys and clicks. The session cookie lives by real
// time: were it dated by the office clock, it would have expired an hour
// before it was set, the browser would drop it, and the sign-in would
// silently do nothing.
func TestDeskSignInWithOfficeClockBehind(t *testing.T) {
	// Open around the clock, so that 13 hours before now is within hours
	// whatever the hour the test runs at.
	o := office.Demo()
	for d := range o.Hours.Week {
		o.Hours.Week[d] = []queue.Span{{Start: 0, End: 24 * 60}}
	}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	s := e2e.Start(t, e2e.Options{Office: o})
	s.Clock.Set(s.Real.Now().Add(-13 * time.Hour))
	pw := s.AddUser("clerk1", queue.RoleClerk)
	ctx := e2e.Browser(t, 1366, 768)

	run(t, ctx, "sign in",
		signIn(s, "clerk1", pw),
		chromedp.WaitVisible("#open-1", chromedp.ByID),
		chromedp.KeyEvent("1"),
		chromedp.WaitVisible("#act-next", chromedp.ByID),
		waitIDText("desk-title", "Desk 1"),
	)
	var cookies []*network.Cookie
	run(t, ctx, "cookies", chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		cookies, err = network.GetCookies().Do(ctx)
		return err
	}))
	for _, c := range cookies {
		if c.Name == "langelis_session" {
			if exp := time.Unix(int64(c.Expires), 0); exp.Before(time.Now().Add(11 * time.Hour)) {
				t.Errorf("the session cookie expires %s, want about 12 hours of real time from now", exp)
			}
		}
	}

	a := issueTicket(t, s, "A")
	run(t, ctx, "call by key", waitIDText("upcoming", a.Number), chromedp.KeyEvent("n"), waitIDText("ticket-number", a.Number))
	if st := ticketStatus(t, s, a.ID); st != queue.Called {
		t.Fatalf("after N: %s is %s", a.Number, st)
	}
	run(t, ctx, "start by button", chromedp.Click("#act-start", chromedp.ByID), waitIDText("ticket-status", "Being served · Declaration of residence"))
	run(t, ctx, "finish by key", chromedp.KeyEvent("f"), waitIDText("ticket-number", "—"), waitIDText("served", "1 client served today"))
	if st := ticketStatus(t, s, a.ID); st != queue.Done {
		t.Fatalf("after F: %s is %s", a.Number, st)
	}
	// The ticket was served on the office's day, 13 hours ago.
	var tk struct {
		IssuedAt time.Time `json:"issued_at"`
	}
	s.JSON("GET", "/api/v1/tickets/"+a.ID, "", nil, &tk)
	if behind := s.Real.Now().Sub(tk.IssuedAt); behind != 13*time.Hour {
		t.Errorf("issued %s before real time, want 13h (the office clock's)", behind)
	}
	e2e.Screenshot(t, ctx, "desk-office-clock-behind")
}
