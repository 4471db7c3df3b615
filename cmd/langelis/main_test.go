package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"langelis/store"
)

// startMain runs the server in-process on port 0, the way tests start it.
func startMain(t *testing.T, dir string) *Main {
	t.Helper()
	m := &Main{Addr: "127.0.0.1:0", DataDir: dir, Demo: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.setClock("10:00"); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func TestBackupWhileServing(t *testing.T) {
	dir := t.TempDir()
	m := startMain(t, dir)
	for i := 0; i < 3; i++ {
		resp, err := http.Post(m.URL()+"/api/v1/tickets", "application/json", strings.NewReader(`{"service":"A"}`))
		if err != nil || resp.StatusCode != 201 {
			t.Fatalf("issue: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	dest := filepath.Join(t.TempDir(), "copy.db")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"backup", "--data", dir, dest}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "from the running server") {
		t.Fatalf("backup said %q", out.String())
	}
	s, err := store.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	evs, _, _ := s.Recover()
	issued := 0
	for _, e := range evs {
		if e.Type == "ticket.issued" {
			issued++
		}
	}
	if issued != 3 {
		t.Fatalf("the backup holds %d issued tickets, want 3", issued)
	}
	// With the server stopped, the command opens the file itself.
	m.Close()
	out.Reset()
	if err := run(context.Background(), []string{"backup", "--data", dir, dest}, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "from the file directly") {
		t.Fatalf("offline backup said %q", out.String())
	}
}

func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	do := func(stdin string, args ...string) error {
		out.Reset()
		return run(context.Background(), append([]string{"user"}, args...), strings.NewReader(stdin), &out, io.Discard)
	}
	if err := do("secret-password\n", "add", "--data", dir, "--password-stdin", "--name", "Jonas Jonaitis", "jonas"); err != nil {
		t.Fatal(err)
	}
	if err := do("x\n", "add", "--data", dir, "--password-stdin", "jonas"); err == nil {
		t.Fatal("a user was added twice")
	}
	if err := do("short\n", "add", "--data", dir, "--password-stdin", "petras"); err == nil || !strings.Contains(err.Error(), "at least 8") {
		t.Fatalf("short password: %v", err)
	}
	if err := do("", "disable", "--data", dir, "jonas"); err != nil {
		t.Fatal(err)
	}
	if err := do("", "list", "--data", dir); err != nil || !strings.Contains(out.String(), "jonas") || !strings.Contains(out.String(), "disabled") {
		t.Fatalf("list: %q %v", out.String(), err)
	}
	if err := do("another-password\n", "passwd", "--data", dir, "--password-stdin", "jonas"); err != nil {
		t.Fatal(err)
	}
	if err := do("", "add", "--data", dir, "--role", "boss", "--password-stdin", "ona"); err == nil {
		t.Fatal("unknown role accepted")
	}
}

func TestServeRefusesBrokenOfficeFile(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "office.yaml")
	writeFile(t, cfg, "name: X\nservices:\n  - letter: A\n    names: {lt: A}\ndesks:\n  - number: 1\n    services: [Z]\n")
	err := run(context.Background(), []string{"serve", "--config", cfg, "--data", dir, "--addr", "127.0.0.1:0"}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "office.yaml:7") {
		t.Fatalf("broken office file: %v", err)
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// --clock takes a time of day today, or a date and time; each is built
// from the office's wall clock, also on a daylight-saving day.
func TestClockFlag(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Vilnius")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 25, 1, 30, 0, 0, loc) // the autumn change: 04:00 becomes 03:00
	for at, want := range map[string]string{
		"16:30":            "2026-10-25 16:30 EET",
		"9:05":             "2026-10-25 09:05 EET",
		"2026-03-29 10:00": "2026-03-29 10:00 EEST",
		"2026-11-23 16:30": "2026-11-23 16:30 EET",
	} {
		got, err := clockTarget(at, now)
		if err != nil || got.Format("2006-01-02 15:04 MST") != want {
			t.Errorf("--clock %q: %s %v, want %s", at, got.Format("2006-01-02 15:04 MST"), err, want)
		}
	}
	for _, bad := range []string{"", "25:00", "10:61", "noon", "2026-13-01 10:00", "10:00pm"} {
		if _, err := clockTarget(bad, now); err == nil {
			t.Errorf("--clock %q accepted", bad)
		}
	}
}

// An administrator disabled a demo account; restarting the demo must not
// enable it again, nor give it a new password.
func TestDemoKeepsDisabledAccounts(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	m := &Main{Addr: "127.0.0.1:0", DataDir: dir, Demo: true, Out: &out, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.setClock("10:00"); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	pw := regexp.MustCompile(`kiosk1\s+(demo-\S+)`).FindStringSubmatch(out.String())
	if pw == nil {
		t.Fatalf("no password printed for kiosk1:\n%s", out.String())
	}
	u, err := m.App.Store.User("kiosk1")
	if err != nil {
		t.Fatal(err)
	}
	u.Disabled = true
	if err := m.App.Store.PutUser(u); err != nil {
		t.Fatal(err)
	}
	m.Close()

	out.Reset()
	m = &Main{Addr: "127.0.0.1:0", DataDir: dir, Demo: true, Out: &out, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.setClock("10:00"); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if u, _ := m.App.Store.User("kiosk1"); !u.Disabled {
		t.Fatal("the restarted demo enabled the disabled kiosk1 again")
	}
	if !strings.Contains(out.String(), "kiosk1       disabled") || strings.Contains(out.String(), pw[1]) {
		t.Fatalf("the demo's accounts after the restart:\n%s", out.String())
	}
	resp, err := http.Post(m.URL()+"/api/v1/session", "application/json",
		strings.NewReader(`{"username":"kiosk1","password":"`+pw[1]+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("the disabled kiosk1 signs in: %d", resp.StatusCode)
	}
}
