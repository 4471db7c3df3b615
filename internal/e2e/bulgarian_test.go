package e2e_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"langelis/i18n"
	"langelis/internal/e2e"
	"langelis/office"
	"langelis/queue"
)

// bgOffice starts the Bulgarian demo office (Sofia, Bulgarian first).
func bgOffice(t *testing.T) *e2e.Server {
	t.Helper()
	o, err := office.DemoNamed("bg")
	if err != nil {
		t.Fatal(err)
	}
	return e2e.Start(t, e2e.Options{Office: o})
}

// aGermanBrowser is a browser whose person reads none of the office's
// languages: the visitor pages open in the office's first.
func aGermanBrowser() chromedp.Action {
	return emulation.SetUserAgentOverride("Mozilla/5.0 (X11; Linux x86_64) Chrome/120").WithAcceptLanguage("de-DE,de;q=0.9")
}

var cyrillic = regexp.MustCompile(`\p{Cyrillic}`)

// bgText is key's Bulgarian text, checked to be a translation (Cyrillic,
// not the English), so a test that waits for it proves the page is
// Bulgarian.
func bgText(t *testing.T, key string, args ...any) string {
	t.Helper()
	bg := i18n.T("bg", key, args...)
	if !cyrillic.MatchString(bg) || bg == i18n.T("en", key, args...) {
		t.Fatalf("%s has no Bulgarian text: %q", key, bg)
	}
	return bg
}

// untranslated lists what on the page is a raw key or an English text the
// office's first language should have replaced.
func untranslated(t *testing.T, ctx context.Context) []string {
	t.Helper()
	var text string
	run(t, ctx, "page text", chromedp.Evaluate(`document.body.innerText`, &text))
	var bad []string
	for _, k := range i18n.Keys("en") {
		en, bg := i18n.T("en", k), i18n.T("bg", k)
		if en == bg || strings.Contains(en, "{") {
			continue
		}
		if regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(k) + `($|\s)`).MatchString(text) {
			bad = append(bad, "key "+k)
		} else if strings.Count(en, " ") >= 2 && strings.Contains(text, en) {
			bad = append(bad, "English "+k+": "+en)
		}
	}
	return bad
}

// ticketPicture renders a ticket PDF to name.png with pdftoppm beside the
// screenshots, when LANGELIS_SCREENSHOTS names a folder.
func ticketPicture(t *testing.T, pdf []byte, name string) {
	dir := os.Getenv("LANGELIS_SCREENSHOTS")
	if dir == "" {
		return
	}
	e2e.NeedTools(t, "pdftoppm")
	path := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", "200", "-singlefile", path, filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Errorf("pdftoppm: %v %s", err, out)
	}
}

// A visitor at the Sofia hall's kiosk (1080×1920) finds it in Bulgarian,
// takes a ticket by touching the service and "No", and gets a Bulgarian
// ticket: on screen, in its PDF read back, and on its status page.
func TestBulgarianKioskTicket(t *testing.T) {
	s := bgOffice(t)
	ctx := e2e.Kiosk(t)
	run(t, ctx, "open the kiosk", aGermanBrowser(), chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"))
	waitKioskText(t, ctx, "#start-h", bgText(t, "kiosk.choose_service"))
	waitKioskText(t, ctx, `#services button[data-service="A"]`, "Адресна регистрация")
	var lang string
	run(t, ctx, "lang", chromedp.Evaluate(`document.documentElement.lang`, &lang))
	if lang != "bg" {
		t.Errorf("the kiosk starts in %q", lang)
	}
	if bad := untranslated(t, ctx); len(bad) > 0 {
		t.Errorf("the kiosk's start shows %q", bad)
	}
	e2e.Screenshot(t, ctx, "bg-kiosk-start")
	run(t, ctx, "take a ticket",
		chromedp.Click(`#services button[data-service="A"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#groups button[data-priority="none"]`, chromedp.ByQuery))
	waitKioskText(t, ctx, "#priority-h", bgText(t, "kiosk.priority.question"))
	e2e.Screenshot(t, ctx, "bg-kiosk-priority")
	run(t, ctx, "say no priority", chromedp.Click(`#groups button[data-priority="none"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#number`, chromedp.ByQuery))
	waitKioskText(t, ctx, "#number", "A001")
	waitKioskText(t, ctx, "#result", bgText(t, "kiosk.your_number"))
	waitKioskText(t, ctx, "#service", "Адресна регистрация")
	if bad := untranslated(t, ctx); len(bad) > 0 {
		t.Errorf("the kiosk's ticket shows %q", bad)
	}
	e2e.Screenshot(t, ctx, "bg-kiosk-ticket")

	tk, err := s.Engine.TicketByNumber(context.Background(), "A001")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Lang != "bg" {
		t.Errorf("the kiosk's ticket is in %q", tk.Lang)
	}
	resp, err := http.Get(s.URL + "/api/v1/tickets/" + tk.ID + "/pdf")
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := e2e.PDFText(t, pdf)
	ticketPicture(t, pdf, "bg-ticket")
	for _, want := range []string{"A001", "Адресна регистрация", "Център за административно обслужване", "лични данни"} {
		if !strings.Contains(text, want) {
			t.Errorf("the ticket PDF lacks %q; pdftotext read:\n%s", want, text)
		}
	}

	// The ticket's status page, on a phone that reads no office language.
	phone := e2e.Phone(t)
	run(t, phone, "open the status page", aGermanBrowser(), chromedp.Navigate(s.URL+"/t/"+tk.ID),
		chromedp.WaitVisible("#number", chromedp.ByQuery))
	waitKioskText(t, phone, "#service", "Адресна регистрация")
	waitKioskText(t, phone, "#status", bgText(t, "status.waiting"))
	run(t, phone, "lang", chromedp.Evaluate(`document.documentElement.lang`, &lang))
	if lang != "bg" {
		t.Errorf("the status page opens in %q", lang)
	}
	if bad := untranslated(t, phone); len(bad) > 0 {
		t.Errorf("the status page shows %q", bad)
	}
	e2e.Screenshot(t, phone, "bg-status")
}

// Every visitor page of the Sofia hall opens in Bulgarian for a person
// whose browser reads none of its languages, with no raw key and no
// English text left.
func TestBulgarianVisitorPages(t *testing.T) {
	s := bgOffice(t)
	phone := e2e.Phone(t)
	run(t, phone, "a German phone", aGermanBrowser())
	for _, p := range []struct{ path, ready, name string }{
		{"/take", "#services button", "take"},
		{"/book", "#services button", "book"},
		{"/feedback", "body[data-ready='1']", "feedback"},
		{"/results", "body[data-ready='1']", "results"},
		{"/privacy", "h1", "privacy"},
		{"/accessibility", "h1", "accessibility"},
	} {
		open(t, phone, s.URL+p.path, 390, 844, p.ready)
		time.Sleep(300 * time.Millisecond) // the last words in place
		var lang, text string
		run(t, phone, "lang of "+p.path, chromedp.Evaluate(`document.documentElement.lang`, &lang),
			chromedp.Evaluate(`document.body.innerText`, &text))
		if lang != "bg" {
			t.Errorf("%s opens in %q", p.path, lang)
		}
		if !cyrillic.MatchString(text) {
			t.Errorf("%s has no Bulgarian text: %.300q", p.path, text)
		}
		if bad := untranslated(t, phone); len(bad) > 0 {
			t.Errorf("%s shows %q", p.path, bad)
		}
		e2e.Screenshot(t, phone, "bg-"+p.name)
	}
}

// The Sofia hall's display (1920×1080) shows its words and the office in
// Bulgarian and announces a call.
func TestBulgarianDisplay(t *testing.T) {
	s := bgOffice(t)
	s.AddUser("clerk1", queue.RoleClerk)
	clerk := s.Login("clerk1")
	if code := s.JSON("POST", "/api/v1/desks/2/open", clerk, nil, nil); code != 200 {
		t.Fatalf("open desk 2: %d", code)
	}
	for range 3 {
		issueTicket(t, s, "B")
	}
	display := e2e.Browser(t, 1920, 1080)
	run(t, display, "open the display", chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(s.URL+"/display"),
		chromedp.WaitVisible("#office", chromedp.ByID), evalAsync(`window.display.ready.then(() => true)`, nil))
	var said []string
	run(t, display, "a fake speaker", chromedp.Evaluate(`window.said = [];
		window.display.announcer.speaker = { async announce(c) { window.said.push(c.number + ">" + c.desk); } }; true`, nil))
	if code := s.JSON("POST", "/api/v1/desks/2/next", clerk, nil, nil); code != 200 {
		t.Fatalf("call: %d", code)
	}
	waitKioskText(t, display, "#call", "B001")
	run(t, display, "heard", chromedp.Poll(`window.said.length > 0`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`window.said`, &said))
	if len(said) != 1 || said[0] != "B001>2" {
		t.Errorf("the hall heard %q", said)
	}
	var lang string
	run(t, display, "lang", chromedp.Evaluate(`document.documentElement.lang`, &lang))
	if lang != "bg" {
		t.Errorf("the display is in %q", lang)
	}
	var office string
	run(t, display, "office", chromedp.Text("#office", &office, chromedp.ByID))
	if !strings.Contains(office, "Център за административно обслужване") {
		t.Errorf("the display names the office %q", office)
	}
	if bad := untranslated(t, display); len(bad) > 0 {
		t.Errorf("the display shows %q", bad)
	}
	if os.Getenv("LANGELIS_SCREENSHOTS") != "" { // the call after its four pulses, as the hall sees it most of the time
		run(t, display, "pulses", chromedp.Sleep(4500*time.Millisecond))
	}
	e2e.Screenshot(t, display, "bg-display")
}
