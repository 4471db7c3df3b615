package e2e_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
)

// The phone's status page offers the ticket the kiosk prints: a tap on
// its link downloads a real PDF with the ticket's number and service. The
// PDF's address carries the ticket's token, as the page's own: a made-up
// one gets nothing.
func TestStatusPageDownloadsTheTicketPDF(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	var tk issued
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "lang": "en"}, &tk); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	phone := e2e.Phone(t)
	dir := t.TempDir()
	done := make(chan string, 1)
	chromedp.ListenBrowser(phone, func(ev any) {
		if p, ok := ev.(*browser.EventDownloadProgress); ok && p.State == browser.DownloadProgressStateCompleted {
			select {
			case done <- p.GUID:
			default:
			}
		}
	})
	var label, href string
	open(t, phone, s.URL+"/t/"+tk.ID, 390, 844, "#number")
	run(t, phone, "the link",
		chromedp.Poll(`!!document.getElementById("pdf")?.offsetParent`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		// Downloads are the browser's, not the page's: asked of the browser.
		chromedp.ActionFunc(func(ctx context.Context) error {
			return browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllowAndName).
				WithDownloadPath(dir).WithEventsEnabled(true).
				Do(cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser))
		}),
		chromedp.Text("#pdf", &label, chromedp.ByID),
		chromedp.AttributeValue("#pdf", "href", &href, nil, chromedp.ByID))
	e2e.Screenshot(t, phone, "status-pdf-link-390")
	if label != "Download the ticket (PDF)" {
		t.Errorf("the link says %q", label)
	}
	run(t, phone, "tap it", chromedp.Click("#pdf", chromedp.ByID))
	var guid string
	select {
	case guid = <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("no download after tapping the PDF link")
	}
	pdf, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	text := e2e.PDFText(t, pdf)
	if !strings.Contains(text, tk.Number) || !strings.Contains(text, "Declaration of residence") {
		t.Errorf("the downloaded PDF says %q; want %s and its service", text, tk.Number)
	}

	if href != "/api/v1/tickets/"+tk.ID+"/pdf" {
		t.Errorf("the link goes to %q", href)
	}
	// A made-up token: no ticket.
	resp, err := http.Get(s.URL + "/api/v1/tickets/" + strings.Repeat("x", len(tk.ID)) + "/pdf")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("a made-up token's PDF: %d, want 404", resp.StatusCode)
	}
}
