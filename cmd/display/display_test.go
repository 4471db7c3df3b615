package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"langelis/client"
	"langelis/internal/e2e"
	"langelis/office"
	"langelis/queue"
)

// The board against a real server: a clerk's call shows in block letters
// with the desk, the previous call moves to the recent list, and the board
// comes back by itself after the server restarts.
func TestBoardShowsCalls(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	s.AddUser("clerk1", queue.RoleClerk)
	tok := s.Login("clerk1")
	desk := func(action string) string {
		var r struct{ Ticket *struct{ Number string } }
		if code := s.JSON("POST", "/api/v1/desks/1/"+action, tok, nil, &r); code != 200 {
			t.Fatalf("desk 1 %s: %d", action, code)
		}
		if r.Ticket == nil {
			return ""
		}
		return r.Ticket.Number
	}
	desk("open")
	for range 3 {
		s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, nil)
	}

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := newApp(client.New(s.URL, client.WithLogger(log)), log, false)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); a.run(ctx, func() {}) }()
	t.Cleanup(func() { cancel(); wg.Wait() })

	waitFrame(t, a, "Kol kas niekas nekviestas")
	waitGone(t, a, "Jungiamasi") // the mark goes once the connection is up
	first := desk("next")
	frame := waitFrame(t, a, bigText(first+" > 1"))
	desk("start")
	second := desk("next")
	frame = waitFrame(t, a, bigText(second+" > 1"))
	if !strings.Contains(frame, "  "+first+" → 1") {
		t.Fatalf("the earlier call %s is not in the recent list:\n%s", first, frame)
	}
	if !strings.Contains(frame, "A 1") { // one A ticket still waits
		t.Errorf("waiting counts missing:\n%s", frame)
	}
	t.Logf("frame at 100×30:\n%s", frame)

	s.Stop()
	waitFrame(t, a, "Jungiamasi iš naujo")
	s.StartAgain()
	tok = s.Login("clerk1")
	desk("start")
	third := desk("next")
	waitFrame(t, a, bigText(third+" > 1"))
	waitGone(t, a, "Jungiamasi")
}

// bigText marks a want of waitFrame as text in block letters.
func bigText(s string) string { return "\x00big:" + s }

// waitFrame waits until a 100×30 frame contains want: plain text, or the
// five rows of bigText in consecutive lines.
func waitFrame(t *testing.T, a *app, want string) string {
	t.Helper()
	var frame string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		frame = a.frame(100, 30, false)
		if text, ok := strings.CutPrefix(want, "\x00big:"); ok && hasBig(frame, text) || !ok && strings.Contains(frame, want) {
			return frame
		}
	}
	t.Fatalf("no %q in the frame:\n%s", want, frame)
	return ""
}

// waitGone waits until the frame no longer shows text.
func waitGone(t *testing.T, a *app, text string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if !strings.Contains(a.frame(100, 30, false), text) {
			return
		}
	}
	t.Fatalf("the frame still shows %q:\n%s", text, a.frame(100, 30, false))
}

// hasBig reports whether the frame shows text in block letters.
func hasBig(frame, text string) bool {
	rows, lines := big(text, 2), strings.Split(frame, "\n")
	for i := 0; i+len(rows) <= len(lines); i++ {
		k := 0
		for k < len(rows) && strings.Contains(lines[i+k], rows[k]) {
			k++
		}
		if k == len(rows) {
			return true
		}
	}
	return false
}

func TestRenderFitsAndHidesNothingPrivate(t *testing.T) {
	o := office.Demo()
	now := time.Date(2026, 11, 23, 19, 30, 0, 0, o.Location())
	b := Board{Office: o, Second: "en", Now: now, Connected: true,
		Calls:   []queue.Call{{Number: "A012", Desk: 3}, {Number: "D004", Desk: 1}, {Number: "A012", Desk: 3}, {Number: "A011", Desk: 2}},
		Waiting: map[string]int{"A": 5, "B": 0, "C": 2, "D": 1},
		Cutoff:  &queue.Cutoff{Notice: true, Count: 3, Last: "A015", Waiting: 5, Closing: now.Add(30 * time.Minute)},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}, {40, 12}} {
		frame := Render(b, size[0], size[1])
		lines := strings.Split(frame, "\n")
		if len(lines) != size[1] {
			t.Errorf("%v: %d lines", size, len(lines))
		}
		for i, l := range lines {
			if n := len([]rune(l)); n != size[0] {
				t.Errorf("%v: line %d is %d wide: %q", size, i, n, l)
			}
		}
	}
	frame := Render(b, 120, 40)
	for _, want := range []string{"19:30", "KVIEČIAMAS / NOW CALLING", "A012 → Langelis 3", "  D004 → 1", "  A011 → 2",
		"A 5", "Šiandien dar bus aptarnauti 3 klientai, iki bilieto A015", "3 more clients"} {
		if !strings.Contains(frame, want) {
			t.Errorf("no %q in\n%s", want, frame)
		}
	}
	if strings.Count(frame, "A012") != 1 {
		t.Errorf("a recalled number is listed twice:\n%s", frame)
	}
}

// With the forecast's range the banner gives it, in both languages; one
// number when the range is one.
func TestBannerGivesTheRange(t *testing.T) {
	o := office.Demo()
	now := time.Date(2026, 11, 23, 19, 30, 0, 0, o.Location())
	c := &queue.Cutoff{Notice: true, Count: 14, Last: "A040", Waiting: 20, Closing: now.Add(30 * time.Minute), CountRange: &[2]int{12, 15}}
	b := Board{Office: o, Second: "en", Now: now, Connected: true, Waiting: map[string]int{"A": 20}, Cutoff: c}
	frame := Render(b, 160, 40)
	for _, want := range []string{"Šiandien dar bus aptarnauta nuo 12 iki 15 klientų.", "Between 12 and 15 more clients can still be served today."} {
		if !strings.Contains(frame, want) {
			t.Errorf("no %q in\n%s", want, frame)
		}
	}
	c.CountRange = &[2]int{14, 14}
	if frame := Render(b, 160, 40); !strings.Contains(frame, "aptarnauta 14 klientų, iki bilieto A040") {
		t.Errorf("a certain range that is the projection's count: %s", frame)
	}
	c.CountRange = &[2]int{0, 2}
	if frame := Render(b, 160, 40); !strings.Contains(frame, "spėsime aptarnauti iki 2 klientų") {
		t.Errorf("a range from none: %s", frame)
	}
	// An empty hall near closing: a count of 0 is nobody waiting, not a
	// full day, and the banner must not turn visitors away.
	c.Count, c.Last, c.Waiting, c.CountRange = 0, "", 0, &[2]int{0, 0}
	frame = Render(b, 160, 40)
	if !strings.Contains(frame, "Šiuo metu eilėje niekas nelaukia.") || strings.Contains(frame, "nebespėsime") {
		t.Errorf("an empty hall's banner: %s", frame)
	}
}
