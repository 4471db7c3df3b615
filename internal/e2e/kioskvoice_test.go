package e2e_test

import (
	"context"
	"encoding/binary"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"langelis/internal/e2e"
)

// said is one sentence the kiosk spoke, as its log (role="log") shows it.
type said struct{ Lang, Text string }

// spoken returns what the kiosk has said so far in voice mode.
func spoken(t *testing.T, ctx context.Context) []said {
	t.Helper()
	var out []said
	run(t, ctx, "read the spoken words", chromedp.Evaluate(
		`[...document.querySelectorAll("#voice-log p")].map((p) => ({ Lang: p.lang, Text: p.textContent }))`, &out))
	return out
}

// waitSaid waits until the kiosk has said a sentence containing want in
// lang, and returns everything said.
func waitSaid(t *testing.T, ctx context.Context, lang, want string) []said {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		all := spoken(t, ctx)
		for _, s := range all {
			if s.Lang == lang && strings.Contains(s.Text, want) {
				return all
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the kiosk never said %q in %s; it said %q", want, lang, all)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// key presses one key, as a keyboard at the kiosk does.
func key(t *testing.T, ctx context.Context, k string) {
	t.Helper()
	run(t, ctx, "press "+k, chromedp.KeyEvent(k))
}

// wavWatch collects the speech the server sent the page: every answer of
// /api/v1/voice/speech.wav, with the bytes the browser received.
type wavWatch struct {
	mu   sync.Mutex
	urls map[network.RequestID]string
	got  map[string]float64 // URL → bytes received
}

func watchWAVs(ctx context.Context) *wavWatch {
	w := &wavWatch{urls: map[network.RequestID]string{}, got: map[string]float64{}}
	chromedp.ListenTarget(ctx, func(ev any) {
		w.mu.Lock()
		defer w.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventResponseReceived:
			if strings.Contains(e.Response.URL, "/api/v1/voice/speech.wav") && e.Response.Status == 200 &&
				e.Response.MimeType == "audio/wav" {
				w.urls[e.RequestID] = e.Response.URL
			}
		case *network.EventLoadingFinished:
			if u, ok := w.urls[e.RequestID]; ok {
				w.got[u] = e.EncodedDataLength
			}
		}
	})
	return w
}

// check fails on a WAV the page received that is not espeak-ng's whole
// WAV file of a sentence: the browser got its bytes, and the same address
// asked again (the server's cache: the same words, the same WAV) is a
// RIFF/WAVE file whose header gives its real length. It returns how many
// sentences the server spoke to the page.
func (w *wavWatch) check(t *testing.T) int {
	t.Helper()
	w.mu.Lock()
	got := maps.Clone(w.got)
	w.mu.Unlock()
	for u, n := range got {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// A word at 22 kHz, 16-bit mono is well over 8 KB.
		if n < 8000 || len(body) < 44+8000 || string(body[0:4]) != "RIFF" || string(body[8:12]) != "WAVE" ||
			int(binary.LittleEndian.Uint32(body[4:])) != len(body)-8 {
			t.Errorf("%s is not espeak-ng's WAV of a sentence: the browser got %.0f bytes, the file has %d", u, n, len(body))
		}
	}
	return len(got)
}

// A visitor who cannot see the screen presses V, hears how the kiosk is
// used, chooses Lithuanian and a service by keys alone, and hears the
// number taken, in words, and how many are ahead; each sentence is the
// server's espeak-ng speech, and the voice-mode kiosk passes axe-core.
func TestKioskVoiceByKeysAlone(t *testing.T) {
	e2e.NeedTools(t, "espeak-ng")
	s := e2e.Start(t, e2e.Options{})
	for range 3 { // three people ahead
		s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "B", "lang": "lt"}, nil)
	}
	ctx := e2e.KioskFor(t, 4*time.Minute)
	wavs := watchWAVs(ctx)
	run(t, ctx, "open the kiosk", network.Enable(), chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="B"]`, chromedp.ByQuery))
	if got := pageText(t, ctx, "#voice-hint"); !strings.Contains(got, "paspauskite V") {
		t.Errorf("the start screen does not say how to start the voice: %q", got)
	}

	key(t, ctx, "v")
	waitSaid(t, ctx, "lt", "Įjungta balso pagalba. Pirmiausia rodyklėmis pasirinkite kalbą")
	waitSaid(t, ctx, "lt", "lietuvių")
	e2e.Screenshot(t, ctx, "kiosk-voice-start")
	key(t, ctx, kb.ArrowRight)
	waitSaid(t, ctx, "en", "English") // each language's name in its own
	key(t, ctx, kb.ArrowLeft)
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Tarp pasirinkimų judėkite rodyklėmis arba Tab")
	waitSaid(t, ctx, "lt", "Pasirinkite paslaugą")
	key(t, ctx, kb.ArrowDown) // from the first service to the second
	waitSaid(t, ctx, "lt", "Socialinės išmokos")
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Ar priklausote pirmenybės grupei?")
	e2e.Axe(t, ctx, "kiosk in voice mode, priority question")
	key(t, ctx, kb.Escape) // back to the services, and again forward
	waitSaid(t, ctx, "lt", "Pasirinkite paslaugą")
	run(t, ctx, "focus on B", chromedp.WaitVisible(`#services`, chromedp.ByID))
	key(t, ctx, kb.ArrowDown)
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Ar priklausote pirmenybės grupei?")
	waitSaid(t, ctx, "lt", "Ne") // focus starts on "No"
	key(t, ctx, kb.Enter)
	all := waitSaid(t, ctx, "lt", "Jūsų numeris: B keturi.")
	all = waitSaid(t, ctx, "lt", "Prieš jus eilėje: trys klientai")
	all = waitSaid(t, ctx, "lt", "Spausdintuvas neveikia")
	if n := pageText(t, ctx, "#number"); n != "B004" {
		t.Fatalf("the ticket on screen is %q, want B004", n)
	}
	e2e.Screenshot(t, ctx, "kiosk-voice-ticket")
	e2e.Axe(t, ctx, "kiosk in voice mode, the ticket")

	// What the visitor heard, in order (the log keeps every sentence).
	want := []said{
		{"lt", "Įjungta balso pagalba. Pirmiausia rodyklėmis pasirinkite kalbą ir paspauskite Enter."},
		{"lt", "lietuvių"}, {"en", "English"}, {"lt", "lietuvių"},
		{"lt", "Pasirinkite paslaugą"}, {"lt", "Socialinės išmokos"},
		{"lt", "Ar priklausote pirmenybės grupei?"},
		{"lt", "Jūsų numeris: B keturi."}, {"lt", "Paslauga: Socialinės išmokos."},
		{"lt", "Prieš jus eilėje: trys klientai"},
		{"lt", "Spausdintuvas neveikia, popierinio bilieto nebus. Įsiminkite savo numerį: B keturi."},
	}
	i := 0
	for _, s := range all {
		if i < len(want) && s == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("the kiosk said %q;\nmissing, in this order, from %q on", all, want[i])
	}
	if n := wavs.check(t); n < len(want) {
		t.Errorf("the server spoke %d sentences, fewer than the %d the visitor heard", n, len(want))
	}
}

// A finger held on the screen for two seconds starts the voice mode, and
// is not a choice of the button it was on; after a minute without a key,
// and a spoken warning ten seconds before that a key heeds, the kiosk is
// silent again, in its first language, for the next visitor.
func TestKioskVoiceLongPressAndIdle(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.KioskFor(t, 4*time.Minute)
	run(t, ctx, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="B"]`, chromedp.ByQuery))
	rect := e2e.Rects(t, ctx, `#services button[data-service="B"]`)[0]
	x, y := rect.X+rect.W/2, rect.Y+rect.H/2
	run(t, ctx, "hold a finger on B", chromedp.ActionFunc(func(ctx context.Context) error {
		if err := input.DispatchMouseEvent(input.MousePressed, x, y).WithButton(input.Left).WithClickCount(1).Do(ctx); err != nil {
			return err
		}
		time.Sleep(2500 * time.Millisecond)
		return input.DispatchMouseEvent(input.MouseReleased, x, y).WithButton(input.Left).WithClickCount(1).Do(ctx)
	}))
	waitSaid(t, ctx, "lt", "Įjungta balso pagalba")
	var on, priority bool
	run(t, ctx, "look", chromedp.Evaluate(`document.body.classList.contains("voice")`, &on),
		chromedp.Evaluate(`!document.getElementById("priority").hidden`, &priority))
	if !on || priority {
		t.Fatalf("after the long press: voice mode %v, the priority screen shown %v; want voice mode on the start screen", on, priority)
	}
	e2e.Screenshot(t, ctx, "kiosk-voice-long-press")
	key(t, ctx, kb.ArrowRight)
	waitSaid(t, ctx, "en", "English")
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "en", "Move between the options")
	// Some seconds before the end the visitor is warned, and a key keeps
	// the kiosk: a minute again from the key.
	const warning = "In ten seconds the kiosk starts again for the next visitor. Press any key if you need more time."
	start := time.Now()
	warned := func() bool {
		for _, s := range spoken(t, ctx) {
			if s == (said{"en", warning}) {
				return true
			}
		}
		return false
	}
	for !warned() {
		var on bool
		run(t, ctx, "look", chromedp.Evaluate(`document.body.classList.contains("voice")`, &on))
		if !on || time.Since(start) > 90*time.Second {
			t.Fatalf("voice mode on %v after %s, and no warning before the kiosk starts again", on, time.Since(start))
		}
		time.Sleep(300 * time.Millisecond)
	}
	if took := time.Since(start); took < 40*time.Second {
		t.Errorf("the warning came %s after the last key; the visitor has a minute", took)
	}
	e2e.Screenshot(t, ctx, "kiosk-voice-idle-warning")
	key(t, ctx, kb.Shift) // any key
	start = time.Now()
	time.Sleep(15 * time.Second) // past the end the warning announced
	run(t, ctx, "look", chromedp.Evaluate(`document.body.classList.contains("voice")`, &on))
	if !on {
		t.Fatal("a key after the warning did not keep the kiosk")
	}
	seen := false
	for {
		run(t, ctx, "look", chromedp.Evaluate(`document.body.classList.contains("voice")`, &on))
		if !on {
			break
		}
		seen = seen || warned()
		if time.Since(start) > 150*time.Second {
			t.Fatal("voice mode never ended without a key")
		}
		time.Sleep(300 * time.Millisecond)
	}
	if took := time.Since(start); took < 45*time.Second {
		t.Errorf("voice mode ended %s after the last key; a visitor listening gets a minute", took)
	}
	if !seen {
		t.Error("the kiosk started again without the spoken warning")
	}
	if l := pageLang(t, ctx); l != "lt" {
		t.Errorf("after voice mode the kiosk is in %s, want the office's first language", l)
	}
	if got := spoken(t, ctx); len(got) != 0 {
		t.Errorf("the next visitor sees the last one's spoken words: %q", got)
	}
	if got := pageText(t, ctx, "#voice-hint"); !strings.Contains(got, "paspauskite V") {
		t.Errorf("the hint is gone after voice mode: %q", got)
	}
}

// ltChar is a booking code's character as the Lithuanian voice says it:
// a letter as itself, a digit as its word.
func ltChar(ch byte) string {
	if w, ok := map[byte]string{'3': "trys", '4': "keturi", '6': "šeši", '7': "septyni", '9': "devyni"}[ch]; ok {
		return w
	}
	return string(ch)
}

// A booked visitor in voice mode finds "I have a booking" with the arrow
// keys, hears how to type the code, hears each character typed back, and
// hears the ticket the check-in gave.
func TestKioskVoiceBookingCheckIn(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Office: bookingOffice(), At: "10:00"})
	code := book(t, s, "10:15")
	ctx := e2e.KioskFor(t, 3*time.Minute)
	run(t, ctx, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitVisible("#have-booking", chromedp.ByID), chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	key(t, ctx, "v")
	waitSaid(t, ctx, "lt", "lietuvių")
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Pasirinkite paslaugą")
	for i := 0; ; i++ {
		key(t, ctx, kb.ArrowDown)
		var focused string
		run(t, ctx, "focus", chromedp.Evaluate(`document.activeElement.id`, &focused))
		if focused == "have-booking" {
			break
		}
		if i > 10 {
			t.Fatal("the arrows never reach \"I have a booking\"")
		}
	}
	waitSaid(t, ctx, "lt", "Turiu rezervaciją")
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Klaviatūra įveskite aštuonių raidžių ir skaitmenų rezervacijos kodą")
	for _, ch := range strings.ToLower(code) {
		key(t, ctx, string(ch))
	}
	waitText(t, ctx, "#booking-code", code[:4]+"-"+code[4:])
	// The characters typed, said back (the last for sure: the others may
	// be cut off by the next key, as they are for a quick typist).
	deadline := time.Now().Add(30 * time.Second)
	for {
		all := spoken(t, ctx)
		if n := len(all); n > 0 && all[n-1].Text == ltChar(code[7]) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the code %s typed was not said back: %q", code, all)
		}
		time.Sleep(100 * time.Millisecond)
	}
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Jūsų numeris: A vienas.")
	if n := pageText(t, ctx, "#number"); n != "A001" {
		t.Fatalf("the ticket on screen is %q, want A001", n)
	}
}

// Near closing, the voice says the end of the day as the screen shows it:
// the hall's banner on the start screen, and for a service that issues no
// more tickets today, that, why, and the hall's figure.
func TestKioskVoiceNoMoreTicketsToday(t *testing.T) {
	o := eodOffice(t)
	o.BeyondCutoff = "stop"
	s, _ := eodHall(t, o, 12, "15:30")
	ctx := e2e.KioskFor(t, 3*time.Minute)
	run(t, ctx, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	banner := pageText(t, ctx, "#eod")
	key(t, ctx, "v")
	waitSaid(t, ctx, "lt", "lietuvių")
	key(t, ctx, kb.ArrowRight)
	waitSaid(t, ctx, "en", "English")
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "en", "Choose a service")
	key(t, ctx, kb.Enter) // the first service, A
	waitSaid(t, ctx, "en", "Do you belong to a priority group?")
	waitSaid(t, ctx, "en", "No") // focus starts on "No"
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "en", "No more tickets for this service today.")
	all := waitSaid(t, ctx, "en", "Please come back on another working day.")
	var hall bool
	for _, s := range all {
		hall = hall || (s.Lang == "en" && strings.Contains(s.Text, "The office closes at 17:00."))
	}
	if !hall {
		t.Errorf("the hall's figure was not said: %q", all)
	}
	if banner != "" { // the banner the start screen showed was said before the services
		var heard bool
		for _, s := range all {
			heard = heard || (s.Lang == "en" && strings.HasPrefix(s.Text, "The office closes at 17:00"))
		}
		if !heard {
			t.Errorf("the start screen shows %q but the voice did not say it: %q", banner, all)
		}
	}
	e2e.Screenshot(t, ctx, "kiosk-voice-no-more-tickets")
}
