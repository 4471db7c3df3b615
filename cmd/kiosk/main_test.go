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
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
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
	log, _ := stoppableStation(t, s, args...)
	return log
}

// stoppableStation is startStation that also returns a function that stops the
// station (as a crash or a pulled cable would end it for the server).
func stoppableStation(t *testing.T, s *e2e.Server, args ...string) (*syncBuffer, func()) {
	t.Helper()
	before := s.Srv.Hub().Clients()
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
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil && ctx.Err() == nil {
				t.Errorf("kiosk: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	for deadline := time.Now().Add(10 * time.Second); s.Srv.Hub().Clients() <= before; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the station never connected:\n%s", log)
		}
	}
	return log, stop
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
	ctx := e2e.Browser(t, 1080, 1920)
	paused := make(chan fetch.RequestID, 1)
	heard := make(chan struct{}, 1) // the page itself received print_failed
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *fetch.EventRequestPaused:
			select {
			case paused <- e.RequestID:
			default:
			}
		case *network.EventWebSocketFrameReceived:
			if strings.Contains(e.Response.PayloadData, `"print_failed"`) {
				select {
				case heard <- struct{}{}:
				default:
				}
			}
		}
	})
	hold := fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*/api/v1/tickets", RequestStage: fetch.RequestStageResponse}})
	if err := chromedp.Run(ctx, network.Enable(), hold, chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"), e2e.Choose("lt", "A", "none")); err != nil {
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
		t.Fatalf("the kiosk page never heard the print failure\nstation log:\n%s", log)
	}
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

// With no station to print at the kiosk (none was ever started, or it has
// stopped), the kiosk does not say "printing": it shows the number and the
// ticket's QR code, says the printer is unavailable, and keeps them on
// screen past the idle time, long enough to photograph. With a station
// connected it says the ticket is printing.
func TestKioskShowsTheCodeWhenNoStationPrints(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.KioskFor(t, 3*time.Minute)
	shown := `document.getElementById("qr").offsetParent !== null && document.getElementById("qr").naturalWidth > 0`
	take := func(service string) {
		t.Helper()
		if err := chromedp.Run(ctx, e2e.Choose("lt", service, "none"), chromedp.WaitVisible("#number", chromedp.ByID)); err != nil {
			t.Fatal(err)
		}
	}
	statusIs := func(want string) {
		t.Helper()
		if err := chromedp.Run(ctx, chromedp.Poll(`document.getElementById("print-status").textContent === `+"`"+want+"`", nil,
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			var got string
			chromedp.Run(ctx, chromedp.Text("#print-status", &got, chromedp.ByID))
			t.Fatalf("the kiosk says %q, want %q", got, want)
		}
	}
	if err := chromedp.Run(ctx, chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1")); err != nil {
		t.Fatal(err)
	}
	take("A")
	statusIs("Spausdintuvas neveikia: nufotografuokite arba nuskenuokite kodą ekrane")
	if err := chromedp.Run(ctx, chromedp.Poll(shown, nil, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatal("no QR code on screen for a ticket nobody prints")
	}
	e2e.Screenshot(t, ctx, "kiosk-no-station-lt")
	e2e.Axe(t, ctx, "kiosk, the ticket shown by its code")
	e2e.KioskTargets(t, ctx, "kiosk, the ticket shown by its code")
	for lang, want := range map[string]string{
		"en": "Printer unavailable: photograph or scan the code on screen",
		"ru": "Принтер недоступен: сфотографируйте или отсканируйте код на экране",
		"pl": "Drukarka niedostępna: sfotografuj lub zeskanuj kod na ekranie",
		"uk": "Принтер недоступний: сфотографуйте або відскануйте код на екрані",
	} {
		if err := chromedp.Run(ctx, chromedp.Click(`#langs button[data-lang="`+lang+`"]`, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		statusIs(want)
	}
	// Past the 20 s after which a screen goes back to the start, the code
	// is still there to be photographed.
	time.Sleep(25 * time.Second)
	var still bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(shown, &still)); err != nil || !still {
		t.Fatalf("the code left the screen within 25 s (%v)", err)
	}

	// A station connects: the next ticket prints, and no code is shown.
	_, stop := stoppableStation(t, s, "--out", t.TempDir())
	if err := chromedp.Run(ctx, chromedp.Click("#done", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	take("B")
	statusIs("Bilietas spausdinamas. Paimkite jį žemiau.")
	var qr bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById("qr").offsetParent !== null`, &qr)); err != nil || qr {
		t.Fatalf("a printed ticket's code is on screen too (%v)", err)
	}
	e2e.Screenshot(t, ctx, "kiosk-printing-lt")

	// The station stops: the code again.
	clients := s.Srv.Hub().Clients()
	stop()
	for deadline := time.Now().Add(10 * time.Second); s.Srv.Hub().Clients() >= clients; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the server never noticed the station stop")
		}
	}
	if err := chromedp.Run(ctx, chromedp.Click("#done", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	take("C")
	statusIs("Spausdintuvas neveikia: nufotografuokite arba nuskenuokite kodą ekrane")
}
