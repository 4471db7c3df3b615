package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// The kiosk station prints a ticket as soon as it hears it on its
// websocket, so its printer's failure can reach the kiosk page before the
// page has the answer to its own POST. The page must still show the QR
// code. The test holds the POST's answer in Chromium until the page has
// received print_failed, so the order is certain on every run.
func TestKioskPrintFailureBeforeTheAnswer(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	s.AddUser("kiosk1", queue.RoleKiosk)
	station := s.Login("kiosk1")
	ctx := e2e.Browser(t, 1080, 1920)

	paused := make(chan fetch.RequestID, 1)
	heard := make(chan struct{}, 1)
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *fetch.EventRequestPaused:
			paused <- ev.RequestID
		case *network.EventWebSocketFrameReceived:
			if strings.Contains(ev.Response.PayloadData, `"print_failed"`) {
				select {
				case heard <- struct{}{}:
				default:
				}
			}
		}
	})
	if err := chromedp.Run(ctx, network.Enable(),
		fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*/api/v1/tickets", RequestStage: fetch.RequestStageResponse}}),
		chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		e2e.Choose("lt", "A", "none"),
	); err != nil {
		t.Fatal(err)
	}
	var id fetch.RequestID
	select {
	case id = <-paused:
	case <-time.After(30 * time.Second):
		t.Fatal("the kiosk's POST never came")
	}
	snap, err := s.Engine.Snapshot(context.Background())
	if err != nil || len(snap.Tickets) != 1 {
		t.Fatalf("queue: %+v %v", snap.Tickets, err)
	}
	// The station reports its printer failed, while the page waits.
	if code := s.JSON("POST", "/api/v1/kiosks/kiosk1/print-failed", station,
		map[string]string{"ticket": snap.Tickets[0].ID, "reason": "out of paper"}, nil); code != 204 {
		t.Fatalf("print-failed: %d", code)
	}
	select {
	case <-heard:
	case <-time.After(30 * time.Second):
		t.Fatal("the page never heard print_failed")
	}
	var status string
	wait, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(wait, fetch.ContinueRequest(id),
		chromedp.WaitVisible("#qr", chromedp.ByID),
		chromedp.Text("#print-status", &status, chromedp.ByID),
	); err != nil {
		t.Fatalf("the QR code never showed: %v", err)
	}
	if !strings.Contains(status, "nufotografuokite arba nuskenuokite kodą ekrane") {
		t.Fatalf("print status %q", status)
	}
}
