// Package e2e starts the real Langelis stack (package app: bbolt file,
// engine, echo server on a loopback port, the time-driven work) and a real
// headless Chromium for the tests of the pages and the station programs.
//
// Time: the office clock starts on the office's next open day from the
// real current date (today when it is open), at a time of day the test
// chooses, so weekends and holidays never change what a test sees and no
// date in a test can be overtaken by the calendar. LANGELIS_TEST_DAY
// (2006-01-02) replays the suite as if that were today, e.g. on a
// daylight-saving day. Real time, for sessions, cookies and rate limits,
// is a second manual clock starting at the wall clock's now: a test steps
// it to expire a session or pass a limit window, and never sleeps for it.
// Moving either clock runs the time-driven work that has come due before
// Set or Advance returns.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"langelis/app"
	"langelis/office"
	"langelis/password"
	"langelis/queue"
	"langelis/server"
	"langelis/store"
)

func init() { password.Cost = bcrypt.MinCost }

// Server is a running office for a test.
type Server struct {
	t      testing.TB
	cfg    app.Config
	URL    string
	Addr   string
	Path   string // the bbolt file
	Office *queue.Office
	Day    time.Time          // local midnight of the office day the test started on
	Clock  *queue.ManualClock // the office clock
	Real   *queue.ManualClock // real time as the server sees it
	App    *app.App
	Store  *store.Store   // App.Store
	Engine *queue.Engine  // App.Engine
	Srv    *server.Server // App.Server
}

// Options change what Start starts.
type Options struct {
	Office *queue.Office // nil: the demo office
	// At is the office clock's start, as a local time of day ("15:04") on
	// the office's next open day; "10:00" when empty.
	At string
	// Configure changes the app's configuration (server settings, tick
	// interval) before it opens.
	Configure func(*app.Config)
}

// Start runs the stack until the test ends.
func Start(t testing.TB, opt Options) *Server {
	t.Helper()
	o := opt.Office
	if o == nil {
		o = office.Demo()
	}
	if opt.At == "" {
		opt.At = "10:00"
	}
	day := OpenDay(t, o)
	s := &Server{t: t, Office: o, Day: day, Path: filepath.Join(t.TempDir(), "e2e.db"),
		Real: queue.NewManualClock(time.Now())}
	s.Clock = queue.NewManualClock(s.At(opt.At))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	s.cfg = app.Config{Office: o, Path: s.Path, Clock: s.Clock, RealClock: s.Real, Logger: log}
	if opt.Configure != nil {
		opt.Configure(&s.cfg)
	}
	s.start("127.0.0.1:0")
	t.Cleanup(s.Stop)
	return s
}

// OpenDay returns local midnight of the first day, from the real current
// date on (or LANGELIS_TEST_DAY), on which o opens.
func OpenDay(t testing.TB, o *queue.Office) time.Time {
	t.Helper()
	loc := o.Location()
	today := time.Now().In(loc)
	if v := os.Getenv("LANGELIS_TEST_DAY"); v != "" {
		d, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			t.Fatalf("LANGELIS_TEST_DAY=%q: give a date like 2026-10-25", v)
		}
		today = d
	}
	for i := 0; i < 366; i++ {
		noon := time.Date(today.Year(), today.Month(), today.Day()+i, 12, 0, 0, 0, loc)
		if len(o.OpenIntervals(noon)) > 0 {
			return time.Date(noon.Year(), noon.Month(), noon.Day(), 0, 0, 0, 0, loc)
		}
	}
	t.Fatalf("office %q does not open within a year", o.Name)
	return time.Time{}
}

// At returns the local time hh:mm on the test's office day, built from the
// wall clock so that it is right on a daylight-saving day too.
func (s *Server) At(hhmm string) time.Time {
	s.t.Helper()
	var h, m int
	if _, err := fmt.Sscanf(hhmm, "%d:%d", &h, &m); err != nil {
		s.t.Fatalf("e2e: time of day %q: want 15:04", hhmm)
	}
	return time.Date(s.Day.Year(), s.Day.Month(), s.Day.Day(), h, m, 0, 0, s.Day.Location())
}

func (s *Server) start(addr string) {
	s.t.Helper()
	a, err := app.Open(s.cfg)
	if err != nil {
		s.t.Fatal(err)
	}
	for i := 0; ; i++ { // the old port may take a moment to be free again
		if err = a.Listen(addr); err == nil || i == 50 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		a.Close()
		s.t.Fatal(err)
	}
	// After a restart, a kept-alive connection to the old server would fail
	// the next POST with EOF (Go retries only idempotent requests).
	http.DefaultClient.CloseIdleConnections()
	s.App, s.Addr, s.URL = a, a.Addr(), a.URL()
	s.Store, s.Engine, s.Srv = a.Store, a.Engine, a.Server
}

// Stop shuts the server down, as a power cut would not: gracefully.
func (s *Server) Stop() {
	if s.App == nil {
		return
	}
	s.App.Close()
	s.App, s.Srv = nil, nil
}

// Restart stops the server and starts it again on the same port and file.
func (s *Server) Restart() {
	s.Stop()
	s.start(s.Addr)
}

// StartAgain starts a stopped server on the same port and file.
func (s *Server) StartAgain() { s.start(s.Addr) }

// AddUser creates an account whose password is "pw-" + name.
func (s *Server) AddUser(name string, role queue.Role) string {
	s.t.Helper()
	pw := "pw-" + name + "-secret"
	h, err := password.Hash(pw)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.Store.PutUser(queue.User{Username: name, Name: "Name " + name, Role: role, PasswordHash: h}); err != nil {
		s.t.Fatal(err)
	}
	return pw
}

// Login signs an account made by AddUser in and returns its token.
func (s *Server) Login(name string) string {
	s.t.Helper()
	var r struct{ Token string }
	if code := s.JSON("POST", "/api/v1/session", "", map[string]string{"username": name, "password": "pw-" + name + "-secret"}, &r); code != 200 {
		s.t.Fatalf("login %s: %d", name, code)
	}
	return r.Token
}

// JSON sends a request with a JSON body and decodes the answer into out.
func (s *Server) JSON(method, path, token string, body, out any) int {
	s.t.Helper()
	return Do(s.t, s.URL, method, path, token, body, out)
}

// Do sends a request to the server at base and decodes the JSON answer into
// out, returning the status. A string or []byte body is sent as it is (for
// tests of malformed requests); any other body is encoded as JSON.
func Do(tb testing.TB, base, method, path, token string, body, out any) int {
	tb.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	// Tests read the server's messages in English unless they ask for
	// another language (with "lang" or their own request): without it an
	// error would come in the office's first language.
	req.Header.Set("Accept-Language", "en")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			tb.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, data, err)
		}
	}
	return resp.StatusCode
}

// ChromiumPath finds Debian's Chromium.
func ChromiumPath() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// Browser returns a chromedp context for a fresh headless Chromium of the
// given window size, for at most 90 seconds. Without Chromium the test is
// skipped, except in CI (CI=true), where a missing browser is a failure.
func Browser(t *testing.T, width, height int) context.Context {
	t.Helper()
	return BrowserFor(t, width, height, 90*time.Second)
}

// BrowserFor is Browser for a test that keeps its browser longer: a page
// left quiet past every timeout, a whole simulated day.
func BrowserFor(t *testing.T, width, height int, limit time.Duration) context.Context {
	t.Helper()
	return BrowserWith(t, width, height, limit)
}

// BrowserWith is BrowserFor with more Chromium flags, which win over the
// defaults: a hall screen's browser with the real autoplay policy.
func BrowserWith(t *testing.T, width, height int, limit time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path := ChromiumPath()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium is not installed; .ci/run must install Debian's chromium")
		}
		t.Skip("Chromium is not installed (apt-get install chromium); skipping the browser test")
	}
	// Not t.TempDir: Chromium's helper processes may still be writing the
	// profile for a moment after the browser is gone, and TempDir's cleanup
	// then fails the test. The cleanup below retries for a while instead.
	profile, err := os.MkdirTemp("", "langelis-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
	}
	opts = append(opts, extra...)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx, chromedp.WithLogf(func(string, ...any) {}))
	ctx, cancelT := context.WithTimeout(ctx, limit)
	t.Cleanup(func() {
		cancelT()
		cancelC()
		cancelA()
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// Screenshot saves a PNG of the page into dir (for a person to look at)
// when LANGELIS_SCREENSHOTS names a folder.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	dir := os.Getenv("LANGELIS_SCREENSHOTS")
	if dir == "" {
		return
	}
	var buf []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&buf, 100)); err != nil { // below 100 Chromium writes JPEG, not PNG
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s.png", name)), buf, 0o644)
}
