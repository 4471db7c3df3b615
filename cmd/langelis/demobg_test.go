package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"langelis/internal/e2e"
)

// syncBuffer is stdout shared by the serving goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// `langelis serve --demo=bg` serves the Sofia hall: Bulgarian first, Sofia's
// clock, and a visitor who says no language gets Bulgarian everywhere the
// server writes words (the ticket, its PDF, the spoken call, the privacy
// notice). The office clock is set on a Tuesday, so the test passes on any
// date (the demo keeps Bulgaria's week and holidays).
func TestServeBulgarianDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo=bg", "--addr", "127.0.0.1:0", "--data", t.TempDir(),
			"--clock", "2026-12-01 10:00", "--log-level", "error"}, nil, out, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	urlRE := regexp.MustCompile(`is serving ".*" at (http://127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(60 * time.Second); base == ""; time.Sleep(50 * time.Millisecond) {
		if m := urlRE.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no address:\n%s", out.String())
		}
	}
	if !strings.Contains(out.String(), "Office clock set to 2026-12-01 10:00") || !strings.Contains(out.String(), "(Иван)") {
		t.Errorf("serve printed:\n%s", out.String())
	}
	get := func(path string, into any) []byte {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %s %s", path, resp.Status, body)
		}
		if into != nil {
			if err := json.Unmarshal(body, into); err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
		}
		return body
	}

	var office struct {
		Name      string   `json:"name"`
		TimeZone  string   `json:"time_zone"`
		Languages []string `json:"languages"`
	}
	get("/api/v1/office", &office)
	if len(office.Languages) == 0 || office.Languages[0] != "bg" || office.TimeZone != "Europe/Sofia" ||
		!strings.Contains(office.Name, "Център за административно обслужване") {
		t.Fatalf("office %+v", office)
	}

	// A ticket taken without a language is in the office's: Bulgarian.
	resp, err := http.Post(base+"/api/v1/tickets", "application/json", strings.NewReader(`{"service":"B"}`))
	if err != nil {
		t.Fatal(err)
	}
	var tk struct {
		Number, Lang, ServiceName string
		PDFURL                    string `json:"pdf_url"`
	}
	json.NewDecoder(resp.Body).Decode(&tk)
	resp.Body.Close()
	if resp.StatusCode != 201 || tk.Lang != "bg" || tk.Number != "B001" {
		t.Fatalf("issue: %s %+v", resp.Status, tk)
	}
	text := e2e.PDFText(t, get(tk.PDFURL, nil))
	for _, want := range []string{"B001", "Удостоверения за гражданско състояние", "Център за административно обслужване", "лични данни"} {
		if !strings.Contains(text, want) {
			t.Errorf("the ticket lacks %q; pdftotext read:\n%s", want, text)
		}
	}

	// The call is announced in Bulgarian first, then English.
	var ann struct {
		Items []struct{ Lang, Text, Audio string } `json:"items"`
	}
	get("/api/v1/announce?number=B001&desk=2", &ann)
	if len(ann.Items) != 2 || ann.Items[0].Lang != "bg" || ann.Items[0].Text != "Билет бе едно, гише две." || ann.Items[1].Lang != "en" {
		t.Fatalf("announcement %+v", ann)
	}
	if a := ann.Items[0].Audio; a != "" {
		if wav := get(a, nil); len(wav) < 44+22050 || string(wav[:4]) != "RIFF" {
			t.Errorf("the Bulgarian call is %d bytes of sound", len(wav))
		}
	}

	// The privacy notice, written by the server, opens in Bulgarian.
	page := string(get("/privacy", nil))
	if !strings.Contains(page, `<html lang="bg"`) || !strings.Contains(page, "Център за административно обслужване") ||
		!strings.Contains(page, "лични данни") {
		t.Errorf("/privacy is not in Bulgarian:\n%.600s", page)
	}
	// The visitor pages and their Bulgarian words are served.
	get("/kiosk", nil)
	var words map[string]any
	get("/static/i18n/kiosk/bg.json", &words)
	if len(words) == 0 {
		t.Error("no Bulgarian kiosk words")
	}
}

// --demo alone is the Vilnius demo as before; --demo=bg the Sofia one; an
// unknown name is refused at once.
func TestDemoFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		demo bool
		name string
		err  bool
	}{
		{nil, false, "", false},
		{[]string{"--demo"}, true, "", false},
		{[]string{"--demo=bg"}, true, "bg", false},
		{[]string{"--demo=true"}, true, "", false},
		{[]string{"--demo=xx"}, false, "", true},
	} {
		m := &Main{}
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.Var(demoFlag{m}, "demo", "")
		err := fs.Parse(c.args)
		if (err != nil) != c.err || m.Demo != c.demo || m.DemoName != c.name {
			t.Errorf("%v: demo %v %q, err %v", c.args, m.Demo, m.DemoName, err)
		}
	}
}
