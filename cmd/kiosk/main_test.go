package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/wire"
)

// syncBuffer is the station's log, read by the test while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// startStation runs the kiosk program against s until the test ends, and
// waits until it listens.
func startStation(t *testing.T, s *e2e.Server, args ...string) *syncBuffer {
	t.Helper()
	s.AddUser("kiosk1", queue.RoleKiosk)
	env := func(k string) string {
		if k == "LANGELIS_KIOSK_PASSWORD" {
			return "pw-kiosk1-secret"
		}
		return ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	log := &syncBuffer{}
	go func() { done <- run(ctx, append([]string{"--server", s.URL, "--user", "kiosk1"}, args...), env, log) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && ctx.Err() == nil {
			t.Errorf("kiosk: %v", err)
		}
	})
	for deadline := time.Now().Add(10 * time.Second); s.Srv.Hub().Clients() == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the station never connected:\n%s", log)
		}
	}
	return log
}

func issue(t *testing.T, s *e2e.Server, service, lang, kiosk string) string {
	t.Helper()
	var r struct{ Number string }
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": service, "lang": lang, "kiosk": kiosk}, &r); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	return r.Number
}

// With --out, every ticket issued at this kiosk arrives as a PDF, and only those.
func TestStationWritesEachTicket(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	dir := t.TempDir()
	log := startStation(t, s, "--out", dir)
	a := issue(t, s, "A", "lt", "kiosk1")
	issue(t, s, "B", "lt", "kiosk2") // another kiosk's
	issue(t, s, "B", "lt", "")       // from the API
	c := issue(t, s, "C", "ru", "kiosk1")
	want := []string{"ticket-" + strings.ToLower(a) + ".pdf", "ticket-" + strings.ToLower(c) + ".pdf"}
	var got []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		got, _ = filepath.Glob(filepath.Join(dir, "*.pdf"))
		if len(got) >= 2 {
			break
		}
	}
	time.Sleep(200 * time.Millisecond) // anything more would have arrived by now
	got, _ = filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(got) != 2 || filepath.Base(got[0]) != want[0] || filepath.Base(got[1]) != want[1] {
		t.Fatalf("PDFs %v, want %v", got, want)
	}
	pdf, _ := os.ReadFile(got[1])
	if text := e2e.PDFText(t, pdf); !strings.Contains(text, c) || !strings.Contains(text, "Строительство и землеустройство") {
		t.Fatalf("the printed ticket reads: %s", text)
	}

	// The server restarts: the station reconnects by itself and goes on printing.
	s.Restart()
	d := issue(t, s, "D", "lt", "kiosk1")
	path := filepath.Join(dir, "ticket-"+strings.ToLower(d)+".pdf")
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s was not printed after the server restarted:\n%s", d, log)
		}
	}
}

// A printer that fails reaches the kiosk screen, which shows the QR code,
// even when the station's report comes before the screen has the answer
// to its own request for the ticket (as it may on a loaded machine): the
// test holds that answer back until the hall has heard the failure.
func TestStationPrintFailureReachesTheKiosk(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	log := startStation(t, s, "--print-cmd", "false")
	heard := hearPrintFailed(t, s)
	ctx := e2e.Browser(t, 1080, 1920)
	paused := make(chan fetch.RequestID, 1)
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			select {
			case paused <- e.RequestID:
			default:
			}
		}
	})
	hold := fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*/api/v1/tickets", RequestStage: fetch.RequestStageResponse}})
	if err := chromedp.Run(ctx, chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"), hold, e2e.Choose("lt", "A", "none")); err != nil {
		t.Fatal(err)
	}
	var id fetch.RequestID
	select {
	case id = <-paused:
	case <-time.After(15 * time.Second):
		t.Fatal("the kiosk never asked for a ticket")
	}
	select {
	case <-heard:
	case <-time.After(15 * time.Second):
		t.Fatalf("the hall never heard the print failure\nstation log:\n%s", log)
	}
	// The hub sent the message to every screen at once; give the kiosk's
	// page a moment to take it before its answer arrives.
	time.Sleep(300 * time.Millisecond)
	wait, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Run(wait, fetch.ContinueRequest(id), chromedp.WaitVisible(`#qr`, chromedp.ByQuery)); err != nil {
		t.Fatalf("the kiosk shows no QR code for the ticket that did not print: %v\nstation log:\n%s", err, log)
	}
	var status string
	var qrLoaded bool
	if err := chromedp.Run(ctx, chromedp.Text("#print-status", &status, chromedp.ByQuery),
		chromedp.Poll(`document.getElementById("qr").complete && document.getElementById("qr").naturalWidth > 0`, &qrLoaded)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(status, "nufotografuokite arba nuskenuokite kodą ekrane") {
		t.Fatalf("kiosk says %q", status)
	}
	e2e.Screenshot(t, ctx, "kiosk-print-failed")
}

// hearPrintFailed listens to the hall's websocket as a display would and
// closes the returned channel when a print_failed message comes.
func hearPrintFailed(t *testing.T, s *e2e.Server) <-chan struct{} {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+s.Addr+"/api/v1/ws?"+wire.ProtocolParam+"=2", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	heard := make(chan struct{})
	go func() {
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				return
			}
			if m, err := wire.Decode(data); err == nil && m.PrintFailed != nil && m.PrintFailed.Kiosk == "kiosk1" {
				close(heard)
				return
			}
		}
	}()
	return heard
}
