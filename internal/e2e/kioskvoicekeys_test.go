package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"langelis/internal/e2e"
	"langelis/queue"
)

// What a visitor who cannot see the screen found with the keyboard alone
// (a role-play of the voice mode, issue 18.7), each checked by what the
// visitor hears (the spoken-words log, role="log") and what the screen
// does.

// saidSince waits until the kiosk, after the first `from` sentences of its
// log, has said every one of want in this order (others may come between),
// and returns what it said after from.
func saidSince(t *testing.T, ctx context.Context, from int, want ...said) []said {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		all := spoken(t, ctx)
		var after []said
		if from < len(all) {
			after = all[from:]
		}
		i := 0
		for _, s := range after {
			if i < len(want) && s == want[i] {
				i++
			}
		}
		if i == len(want) {
			return after
		}
		if time.Now().After(deadline) {
			t.Fatalf("the kiosk did not say, in this order, %q; after its first %d sentences it said %q", want[i:], from, after)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// heard is how many sentences the log holds now: what comes after it is
// the answer to the next key.
func heard(t *testing.T, ctx context.Context) int { t.Helper(); return len(spoken(t, ctx)) }

// focused describes the element focus is on: its id, else its data-lang,
// data-service or data-priority.
func focused(t *testing.T, ctx context.Context) string {
	t.Helper()
	var s string
	run(t, ctx, "focus", chromedp.Evaluate(`(() => { const e = document.activeElement;
		return e.id || (e.dataset && (e.dataset.lang || e.dataset.service || e.dataset.priority)) || e.tagName; })()`, &s))
	return s
}

// lt says a sentence in Lithuanian.
func lt(text string) said { return said{"lt", text} }

// toBooking turns the voice on by V, chooses Lithuanian and goes to "I have
// a booking" by arrows.
func toBooking(t *testing.T, ctx context.Context) {
	t.Helper()
	key(t, ctx, "v")
	waitSaid(t, ctx, "lt", "lietuvių")
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Pasirinkite paslaugą")
	for i := 0; focused(t, ctx) != "have-booking"; i++ {
		if i > 10 {
			t.Fatal("the arrows never reach \"I have a booking\"")
		}
		key(t, ctx, kb.ArrowDown)
	}
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Klaviatūra įveskite aštuonių raidžių ir skaitmenų rezervacijos kodą")
}

// The booking code by keys: Backspace with nothing typed says so; a code
// typed fast is said back character by character, none cut off; Enter
// before the eighth character types nothing and says how many are typed
// of eight; V reads the whole code so far; Backspace says what it erased;
// the eighth character says the code is complete, and Enter checks in.
func TestKioskVoiceBookingCodeByKeys(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Office: bookingOffice(), At: "10:00"})
	code := book(t, s, "10:15")
	ctx := e2e.KioskFor(t, 3*time.Minute)
	run(t, ctx, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitVisible("#have-booking", chromedp.ByID), chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	toBooking(t, ctx)

	n := heard(t, ctx)
	key(t, ctx, kb.Backspace)
	saidSince(t, ctx, n, lt("Nėra ką ištrinti."))

	// Seven characters as fast as the keyboard sends them: each is heard.
	n = heard(t, ctx)
	run(t, ctx, "type seven", chromedp.KeyEvent(strings.ToLower(code[:7])))
	waitText(t, ctx, "#booking-code", code[:4]+"-"+code[4:7])
	var chars []said
	for i := range 7 {
		chars = append(chars, lt(ltChar(code[i])))
	}
	saidSince(t, ctx, n, chars...)

	// Enter too soon: nothing typed, the count said.
	n = heard(t, ctx)
	key(t, ctx, kb.Enter)
	saidSince(t, ctx, n, lt("Įvesti septyni ženklai iš aštuonių."))
	if got := pageText(t, ctx, "#booking-code"); got != code[:4]+"-"+code[4:7] {
		t.Fatalf("Enter with seven characters typed changed the code on screen to %q", got)
	}
	e2e.Screenshot(t, ctx, "kiosk-voice-code-incomplete")

	// V: the whole code so far.
	n = heard(t, ctx)
	key(t, ctx, "v")
	saidSince(t, ctx, n, append([]said{lt("Įvesti septyni ženklai iš aštuonių.")}, chars...)...)
	// ... and the on-screen key focus is on, said as a key: a bare eighth
	// character would be heard as part of the code (trial 5: "A C A").
	var after []said
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		after = saidSince(t, ctx, n)
		if l := len(after); l > 0 && strings.HasPrefix(after[l-1].Text, "Klavišas ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after V the kiosk said %q; want the code, then the focused key as \"Klavišas …\"", after)
		}
	}
	if len(after) != 1+7+1 {
		t.Errorf("after V the kiosk said %q; want the count, the seven characters and the focused key", after)
	}

	// Backspace: the character erased.
	n = heard(t, ctx)
	key(t, ctx, kb.Backspace)
	saidSince(t, ctx, n, lt("Ištrinta: "+ltChar(code[6])+"."))
	waitText(t, ctx, "#booking-code", code[:4]+"-"+code[4:6])

	n = heard(t, ctx)
	run(t, ctx, "type the rest", chromedp.KeyEvent(strings.ToLower(code[6:])))
	saidSince(t, ctx, n, lt(ltChar(code[6])), lt(ltChar(code[7])), lt("Įvesti visi aštuoni ženklai. Paspauskite Enter, kad užsiregistruotumėte."))
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Jūsų numeris: A vienas.")
	if n := pageText(t, ctx, "#number"); n != "A001" {
		t.Fatalf("the ticket on screen is %q, want A001", n)
	}
}

// A refused check-in is said, not only shown: too early with the
// booking's time and when check-in opens, too late with the offer of a
// regular ticket (focus on it), and a code no booking has.
func TestKioskVoiceRefusedCheckIn(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Office: bookingOffice(), At: "10:00"})
	early, late := book(t, s, "11:45"), book(t, s, "10:15")
	ctx := e2e.KioskFor(t, 3*time.Minute)
	run(t, ctx, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitVisible("#have-booking", chromedp.ByID), chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	toBooking(t, ctx)
	erase := func() {
		for range 8 {
			key(t, ctx, kb.Backspace)
		}
		waitText(t, ctx, "#booking-code", "")
	}

	n := heard(t, ctx)
	run(t, ctx, "type the early code", chromedp.KeyEvent(strings.ToLower(early)), chromedp.KeyEvent(kb.Enter))
	waitText(t, ctx, "#error", "Jūsų rezervacija 11:45. Užsiregistruokite nuo 11:15.")
	saidSince(t, ctx, n, lt("Jūsų rezervacijos laikas – 11:45. Užsiregistruoti galėsite nuo 11:15, tada ir ateikite."))
	e2e.Screenshot(t, ctx, "kiosk-voice-early")

	erase()
	n = heard(t, ctx)
	unknown := "AAAAAAAA"
	if unknown == early || unknown == late {
		unknown = "CCCCCCCC"
	}
	run(t, ctx, "type a code no booking has", chromedp.KeyEvent(strings.ToLower(unknown)), chromedp.KeyEvent(kb.Enter))
	saidSince(t, ctx, n, lt("Rezervacijos su tokiu kodu nėra. Patikrinkite kodą ir įveskite jį dar kartą arba kreipkitės į langelį."))

	s.Clock.Set(s.At("10:31"))
	erase()
	n = heard(t, ctx)
	run(t, ctx, "type the late code", chromedp.KeyEvent(strings.ToLower(late)), chromedp.KeyEvent(kb.Enter))
	waitText(t, ctx, "#booking-walkin", "Imti įprastą bilietą")
	after := saidSince(t, ctx, n, lt("Jūsų rezervacijos laikas, 10:15, jau praėjo. Vietoj jos galite imti įprastą eilės bilietą."),
		lt("Imti įprastą bilietą"))
	if f := focused(t, ctx); f != "booking-walkin" {
		t.Errorf("after a late check-in focus is on %q, want the regular ticket; the kiosk said %q", f, after)
	}
	e2e.Screenshot(t, ctx, "kiosk-voice-late")
}

// The priority question starts on "No"; a list stops at its ends and
// says so (the languages and the groups alike), and Tab does the same, so
// focus never leaves the screen; Escape goes from the services back to the
// language; the ticket of a priority group says no group, as its screen
// shows none; Escape on the ticket goes to the start with the voice on.
func TestKioskVoicePriorityAndLists(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.KioskFor(t, 3*time.Minute)
	run(t, ctx, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="B"]`, chromedp.ByQuery))
	key(t, ctx, "v")
	waitSaid(t, ctx, "lt", "lietuvių")
	n := heard(t, ctx)
	key(t, ctx, kb.ArrowLeft) // before the first language
	saidSince(t, ctx, n, lt("Tai pirmas pasirinkimas."), lt("lietuvių"))
	if f := focused(t, ctx); f != "lt" {
		t.Fatalf("an arrow before the first option moved focus to %q", f)
	}
	// Escape on the languages: the language question again, not the
	// services' (trial 5).
	n = heard(t, ctx)
	key(t, ctx, kb.Escape)
	after := saidSince(t, ctx, n, lt("Rodyklėmis pasirinkite kalbą ir paspauskite Enter."), lt("lietuvių"))
	for _, s := range after {
		if s.Text == "Pasirinkite paslaugą" {
			t.Errorf("Escape on the languages said the services' question: %q", after)
		}
	}
	// The languages are a list of their own: past the last one the voice
	// says so, and focus stays on a language, never on a service.
	for i := 0; ; i++ {
		n = heard(t, ctx)
		key(t, ctx, kb.ArrowRight)
		if got := saidSince(t, ctx, n); len(got) > 0 && got[0].Text == "Tai paskutinis pasirinkimas." {
			break
		}
		if i > 8 {
			t.Fatalf("the arrows went on past the languages: focus on %q", focused(t, ctx))
		}
		time.Sleep(300 * time.Millisecond)
	}
	var onLang bool
	run(t, ctx, "focus", chromedp.Evaluate(`!!document.activeElement.closest("#langs")`, &onLang))
	if !onLang {
		t.Fatalf("an arrow past the last language moved focus to %q", focused(t, ctx))
	}
	for i := 0; focused(t, ctx) != "lt"; i++ {
		if i > 8 {
			t.Fatal("the arrows never come back to lietuvių")
		}
		key(t, ctx, kb.ArrowLeft)
	}
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Pasirinkite paslaugą")
	// Before the first service: the services' end, not a language.
	for i := 0; focused(t, ctx) != "A"; i++ {
		if i > 8 {
			t.Fatal("focus never reaches the first service")
		}
		time.Sleep(200 * time.Millisecond)
	}
	n = heard(t, ctx)
	key(t, ctx, kb.ArrowUp)
	saidSince(t, ctx, n, lt("Tai pirmas pasirinkimas."))
	if f := focused(t, ctx); f != "A" {
		t.Fatalf("an arrow before the first service moved focus to %q", f)
	}

	// Escape from the services: back to the language.
	n = heard(t, ctx)
	key(t, ctx, kb.Escape)
	saidSince(t, ctx, n, lt("Rodyklėmis pasirinkite kalbą ir paspauskite Enter."), lt("lietuvių"))
	if f := focused(t, ctx); f != "lt" {
		t.Fatalf("Escape on the services left focus on %q, want the language", f)
	}
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Pasirinkite paslaugą")
	n = heard(t, ctx)
	key(t, ctx, kb.Enter) // the first service, A
	saidSince(t, ctx, n, lt("Ar priklausote pirmenybės grupei?"), lt("Ne"))
	if f := focused(t, ctx); f != "none" {
		t.Fatalf("the priority question starts on %q, want \"No\"", f)
	}
	e2e.Screenshot(t, ctx, "kiosk-voice-priority-no")
	key(t, ctx, kb.ArrowDown)
	waitSaid(t, ctx, "lt", "Atgal")
	n = heard(t, ctx)
	key(t, ctx, kb.ArrowDown) // past the last
	saidSince(t, ctx, n, lt("Tai paskutinis pasirinkimas."), lt("Atgal"))
	n = heard(t, ctx)
	key(t, ctx, kb.Tab) // Tab stays among the options too
	saidSince(t, ctx, n, lt("Tai paskutinis pasirinkimas."), lt("Atgal"))
	if f := focused(t, ctx); f != "back" {
		t.Fatalf("Tab past the last option moved focus to %q", f)
	}
	n = heard(t, ctx)
	run(t, ctx, "shift+tab", chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(input.ModifierShift)))
	saidSince(t, ctx, n, lt("Ne"))
	key(t, ctx, kb.ArrowUp)
	waitSaid(t, ctx, "lt", "Esu senyvo amžiaus")

	// A priority ticket: the voice says what the screen shows, no group.
	n = heard(t, ctx)
	key(t, ctx, kb.Enter)
	after = saidSince(t, ctx, n, lt("Jūsų numeris: A vienas."))
	var screen string
	run(t, ctx, "the ticket screen", chromedp.WaitVisible("#number", chromedp.ByID), chromedp.Text("#result", &screen, chromedp.ByID))
	after = saidSince(t, ctx, n, lt("Jūsų numeris: A vienas."), lt("Spausdintuvas neveikia, popierinio bilieto nebus. Įsiminkite savo numerį: A vienas."))
	for _, w := range []string{"senyvo", "pirmenyb", "grup"} {
		if strings.Contains(screen, w) {
			t.Errorf("the ticket screen shows %q: %q", w, screen)
		}
		for _, s := range after {
			if strings.Contains(s.Text, w) {
				t.Errorf("the voice says %q of the ticket: %q", w, s.Text)
			}
		}
	}

	// Escape on the ticket: the start screen, still speaking.
	n = heard(t, ctx)
	key(t, ctx, kb.Escape)
	saidSince(t, ctx, n, lt("Pasirinkite paslaugą"))
	var on, start bool
	run(t, ctx, "look", chromedp.Evaluate(`document.body.classList.contains("voice")`, &on),
		chromedp.Evaluate(`!document.getElementById("start").hidden`, &start))
	if !on || !start {
		t.Fatalf("after Escape on the ticket: voice mode %v, the start screen %v; want both", on, start)
	}
}

// A finger held on the screen for two seconds, as touch events, starts the
// voice as a mouse does: focus on the language the kiosk speaks, not on the
// service the finger was on, and no service chosen.
func TestKioskVoiceTouchLongPress(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	ctx := e2e.KioskFor(t, 2*time.Minute)
	run(t, ctx, "a touch screen", emulation.SetTouchEmulationEnabled(true).WithMaxTouchPoints(1),
		chromedp.EmulateViewport(1080, 1920, chromedp.EmulateScale(1), chromedp.EmulateTouch))
	run(t, ctx, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="B"]`, chromedp.ByQuery))
	rect := e2e.Rects(t, ctx, `#services button[data-service="B"]`)[0]
	pt := []*input.TouchPoint{{X: rect.X + rect.W/2, Y: rect.Y + rect.H/2}}
	run(t, ctx, "hold a finger on B", chromedp.ActionFunc(func(ctx context.Context) error {
		if err := input.DispatchTouchEvent(input.TouchStart, pt).Do(ctx); err != nil {
			return err
		}
		time.Sleep(2500 * time.Millisecond)
		return input.DispatchTouchEvent(input.TouchEnd, []*input.TouchPoint{}).Do(ctx)
	}))
	waitSaid(t, ctx, "lt", "Įjungta balso pagalba")
	time.Sleep(time.Second) // what the lifted finger would do, done
	var on, priority bool
	run(t, ctx, "look", chromedp.Evaluate(`document.body.classList.contains("voice")`, &on),
		chromedp.Evaluate(`!document.getElementById("priority").hidden`, &priority))
	if f := focused(t, ctx); !on || priority || f != "lt" {
		t.Fatalf("after the long touch: voice mode %v, the priority screen %v, focus on %q; want voice mode, the start screen, focus on lt",
			on, priority, f)
	}
	e2e.Screenshot(t, ctx, "kiosk-voice-touch")
	key(t, ctx, kb.ArrowRight)
	waitSaid(t, ctx, "en", "English")
}

// The manager pauses a service's calls: the kiosk's screen shows it as
// every other service (only staff hear of a pause, queue/hall.go), and the
// voice offers it just as the screen does; a ticket of it is issued.
func TestKioskVoicePausedService(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	s.AddUser("boss", queue.RoleAdmin)
	if code := s.JSON("POST", "/api/v1/admin/services/B/pause", s.Login("boss"), map[string]string{"reason": "sistema neveikia"}, nil); code != 200 {
		t.Fatalf("pause B: %d", code)
	}
	ctx := e2e.KioskFor(t, 2*time.Minute)
	run(t, ctx, "open the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="B"]`, chromedp.ByQuery))
	screen := pageText(t, ctx, `#services button[data-service="B"]`)
	key(t, ctx, "v")
	waitSaid(t, ctx, "lt", "lietuvių")
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Pasirinkite paslaugą")
	n := heard(t, ctx)
	key(t, ctx, kb.ArrowDown)
	after := saidSince(t, ctx, n, lt("Socialinės išmokos"))
	if !strings.Contains(screen, "Socialinės išmokos") || strings.Contains(strings.ToLower(screen), "sustabd") {
		t.Errorf("the screen shows the paused service as %q", screen)
	}
	for _, s := range after {
		if strings.Contains(strings.ToLower(s.Text), "sustabd") || strings.Contains(s.Text, "sistema") {
			t.Errorf("the voice tells the hall of the pause: %q", s.Text)
		}
	}
	n = heard(t, ctx)
	key(t, ctx, kb.Enter)
	saidSince(t, ctx, n, lt("Ar priklausote pirmenybės grupei?"), lt("Ne"))
	key(t, ctx, kb.Enter)
	waitSaid(t, ctx, "lt", "Jūsų numeris: B vienas.")
}
