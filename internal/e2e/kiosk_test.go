package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/office"
	"langelis/queue"
)

// waitKioskText waits until the element's text contains want, and returns it.
func waitKioskText(t *testing.T, ctx context.Context, sel, want string) string {
	t.Helper()
	var text string
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := chromedp.Run(ctx, chromedp.Text(sel, &text, chromedp.ByQuery, chromedp.NodeVisible))
		if err == nil && strings.Contains(text, want) {
			return text
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: text %q (err %v), want it to contain %q", sel, text, err, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// takeTicket touches a language, a service and "No" on the kiosk and
// returns the number shown.
func takeTicket(t *testing.T, ctx context.Context, lang, service string) string {
	t.Helper()
	err := chromedp.Run(ctx, e2e.Choose(lang, service, "none"), chromedp.WaitVisible(`#number`, chromedp.ByQuery))
	if err != nil {
		t.Fatalf("take a ticket in %s: %v", lang, err)
	}
	return waitKioskText(t, ctx, "#number", service)
}

func TestKioskLithuanianAndRussian(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.Browser(t, 1080, 1920)
	if err := chromedp.Run(ctx, chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1")); err != nil {
		t.Fatal(err)
	}
	waitKioskText(t, ctx, "#start-h", "Pasirinkite paslaugą")
	waitKioskText(t, ctx, `#services button[data-service="B"]`, "Socialinės išmokos")
	if n := takeTicket(t, ctx, "lt", "B"); n != "B001" {
		t.Fatalf("number %q", n)
	}
	waitKioskText(t, ctx, "#result", "Jūsų numeris")
	waitKioskText(t, ctx, "#service", "Socialinės išmokos")
	waitKioskText(t, ctx, "#ahead", "Prieš jus eilėje nieko nėra")
	// No kiosk station prints here: the number and its code stay on screen.
	waitKioskText(t, ctx, "#print-status", "nufotografuokite arba nuskenuokite kodą ekrane")
	e2e.Screenshot(t, ctx, "kiosk-lt-result")

	// The next visitor finds the start screen in Lithuanian again at once.
	if err := chromedp.Run(ctx, chromedp.Click("#done", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitKioskText(t, ctx, "#start-h", "Pasirinkite paslaugą")
	if n := takeTicket(t, ctx, "ru", "B"); n != "B002" {
		t.Fatalf("number %q", n)
	}
	waitKioskText(t, ctx, "#result", "Ваш номер")
	waitKioskText(t, ctx, "#service", "Социальные пособия")
	waitKioskText(t, ctx, "#ahead", "Перед вами в очереди: 1 клиент")
	// No desk has opened yet today: no time is promised.
	waitKioskText(t, ctx, "#estimate", "Окна ещё не открылись")
	e2e.Screenshot(t, ctx, "kiosk-ru-result")

	// The other three languages issue tickets too, each in its own words.
	for i, c := range []struct{ lang, label, service string }{
		{"en", "Your number", "Social benefits"}, {"pl", "Twój numer", "Świadczenia socjalne"}, {"uk", "Ваш номер", "Соціальні виплати"}} {
		if err := chromedp.Run(ctx, chromedp.Click("#done", chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		if n := takeTicket(t, ctx, c.lang, "B"); n != fmt.Sprintf("B%03d", i+3) {
			t.Fatalf("%s: number %q", c.lang, n)
		}
		waitKioskText(t, ctx, "#result", c.label)
		waitKioskText(t, ctx, "#service", c.service)
	}
}

// While the server is down the kiosk says so and issues nothing; when it is
// back the kiosk works again by itself.
func TestKioskOfflineAndBack(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.Browser(t, 1920, 1080)
	if err := chromedp.Run(ctx, chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	waitKioskText(t, ctx, "#offline", "Nėra ryšio su serveriu")
	var disabled bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll("#services button")].every(b => b.disabled)`, &disabled)); err != nil {
		t.Fatal(err)
	}
	if !disabled {
		t.Fatal("the service buttons still work while the server is down")
	}
	e2e.Screenshot(t, ctx, "kiosk-offline")
	s.StartAgain()
	if n := takeTicket(t, ctx, "lt", "A"); n != "A001" {
		t.Fatalf("after recovery: number %q", n)
	}
	var offlineHidden bool
	chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById("offline").hidden`, &offlineHidden))
	if !offlineHidden {
		t.Fatal("the offline message stays after the server is back")
	}
}

// The visitor's status page follows the ticket until a desk calls it.
func TestStatusPageFollowsTheCall(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	var first, mine issued
	s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "lang": "lt"}, &first)
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "lang": "en"}, &mine); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	ctx := e2e.Browser(t, 390, 844)
	// The page follows its ticket on the ticket stream, whose URL holds no
	// token (URLs end up in logs and Referer headers).
	var mu sync.Mutex
	var sockets []string
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*network.EventWebSocketCreated); ok {
			mu.Lock()
			sockets = append(sockets, e.URL)
			mu.Unlock()
		}
	})
	if err := chromedp.Run(ctx, network.Enable(), chromedp.Navigate(s.URL+"/t/"+mine.ID)); err != nil {
		t.Fatal(err)
	}
	waitKioskText(t, ctx, "#number", mine.Number)
	waitKioskText(t, ctx, "#status", "Waiting in the queue")
	waitKioskText(t, ctx, "#ahead", "1 person ahead of you")
	s.AddUser("clerk9", "clerk")
	tok := s.Login("clerk9")
	for _, action := range []string{"open", "next"} {
		if code := s.JSON("POST", "/api/v1/desks/2/"+action, tok, nil, nil); code != 200 {
			t.Fatalf("desk 2 %s: %d", action, code)
		}
	}
	waitKioskText(t, ctx, "#ahead", "Nobody is ahead of you")
	// The first visitor is served; then the desk calls ours.
	for _, action := range []string{"start", "finish", "next"} {
		if code := s.JSON("POST", "/api/v1/desks/2/"+action, tok, nil, nil); code != 200 {
			t.Fatalf("desk 2 %s: %d", action, code)
		}
	}
	waitKioskText(t, ctx, "#call-go", "Please go to desk 2")
	e2e.Screenshot(t, ctx, "status-called")
	mu.Lock()
	if len(sockets) == 0 || !strings.Contains(sockets[0], "stream=ticket") || strings.Contains(strings.Join(sockets, " "), mine.ID) {
		t.Errorf("the status page's websockets: %v; want the ticket stream, without the token", sockets)
	}
	mu.Unlock()
	// In Lithuanian too, by the language switch.
	if err := chromedp.Run(ctx, chromedp.Click(`#langs button[data-lang="lt"]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	waitKioskText(t, ctx, "#call-go", "Eikite prie langelio 2")
}

// A phone takes a ticket at /take and lands on its status page; a second
// one for the same service is refused with a message in the phone's language.
func TestTakeOnPhone(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.Browser(t, 390, 844)
	pick := func() {
		t.Helper()
		err := chromedp.Run(ctx, chromedp.Navigate(s.URL+"/take"), e2e.Choose("pl", "A", "none"))
		if err != nil {
			t.Fatal(err)
		}
	}
	pick()
	waitKioskText(t, ctx, "#number", "A001")
	waitKioskText(t, ctx, "#status", "Czekasz w kolejce")
	pick()
	waitKioskText(t, ctx, "#error", "Masz już bilet na tę usługę: A001")
	waitKioskText(t, ctx, "#mine-list", "A001")

	// The visitor gives the place up from the status page the phone kept.
	err := chromedp.Run(ctx, chromedp.Click("#mine-list a", chromedp.ByQuery),
		chromedp.WaitVisible("#cancel", chromedp.ByQuery), chromedp.Click("#cancel", chromedp.ByQuery),
		chromedp.WaitVisible("#cancel-yes", chromedp.ByQuery), chromedp.Click("#cancel-yes", chromedp.ByQuery))
	if err != nil {
		t.Fatal(err)
	}
	waitKioskText(t, ctx, "#status", "Zrezygnowano z miejsca w kolejce")
	var snap queue.PublicSnapshot
	s.JSON("GET", "/api/v1/queue", "", nil, &snap)
	if n := snap.Waiting["A"]; n != 0 {
		t.Fatalf("%d still wait for A after the only visitor gave up", n)
	}
}

// Outside opening hours the kiosk says when the office opens and issues nothing.
func TestKioskClosed(t *testing.T) {
	o := office.Demo()
	s := e2e.Start(t, e2e.Options{Office: o, At: "21:00"})
	ctx := e2e.Browser(t, 1080, 1920)
	if err := chromedp.Run(ctx, chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1")); err != nil {
		t.Fatal(err)
	}
	text := waitKioskText(t, ctx, "#closed", "Padalinys dabar nedirba. Vėl dirbsime")
	if !strings.Contains(text, "08:00") {
		t.Errorf("the closed notice does not say when: %q", text)
	}
	var disabled bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`[...document.querySelectorAll("#services button")].every(b => b.disabled)`, &disabled)); err != nil || !disabled {
		t.Fatalf("service buttons work while the office is closed (%v)", err)
	}
}

// A visitor who cannot use the touch screen takes a ticket with the keyboard
// alone: focus moves to the question, and every choice is a focusable button
// with its words as its name.
func TestKioskByKeyboard(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.Browser(t, 1920, 1080)
	if err := chromedp.Run(ctx, chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	focused := func() string {
		var name string
		chromedp.Run(ctx, chromedp.Evaluate(`(document.activeElement.dataset.service || document.activeElement.dataset.priority || document.activeElement.dataset.lang || "") + ":" + document.activeElement.textContent.trim()`, &name))
		return name
	}
	// Tab past the five language buttons to the first service.
	for i := 0; i < 6; i++ {
		if err := chromedp.Run(ctx, chromedp.KeyEvent("\t")); err != nil {
			t.Fatal(err)
		}
	}
	if f := focused(); !strings.HasPrefix(f, "A:") || !strings.Contains(f, "Gyvenamosios vietos deklaravimas") {
		t.Fatalf("after six tabs the focus is on %q, want service A", f)
	}
	if err := chromedp.Run(ctx, chromedp.KeyEvent("\r"), chromedp.WaitVisible(`#groups`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	// The question starts on "No", the common answer; the groups are
	// before it.
	if f := focused(); f != "none:Ne" {
		t.Fatalf("on the priority question the focus is on %q, want No", f)
	}
	for i := 0; i < 4; i++ {
		chromedp.Run(ctx, chromedp.KeyEvent("\t", chromedp.KeyModifiers(input.ModifierShift)))
	}
	if f := focused(); !strings.HasPrefix(f, "child:Esu su vaiku iki 4 metų") {
		t.Fatalf("four shift+tabs back the focus is on %q, want the first group", f)
	}
	for i := 0; i < 4; i++ {
		chromedp.Run(ctx, chromedp.KeyEvent("\t"))
	}
	if f := focused(); f != "none:Ne" {
		t.Fatalf("four tabs later the focus is on %q, want No", f)
	}
	if err := chromedp.Run(ctx, chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	waitKioskText(t, ctx, "#number", "A001")
}
