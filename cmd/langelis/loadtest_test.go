package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The command as a user runs it: a demo server whose printed accounts are
// the clerks' sign-ins, found through its data folder.
func TestLoadtestAgainstADemoServer(t *testing.T) {
	dir := t.TempDir()
	var printed bytes.Buffer
	m := &Main{Addr: "127.0.0.1:0", DataDir: dir, Demo: true, Out: &printed, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := m.setClock("10:00"); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	accounts := filepath.Join(dir, "accounts.txt")
	if err := os.WriteFile(accounts, printed.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := readAccounts(accounts)
	if err != nil || len(got) != len(m.Office.Desks) || !strings.HasPrefix(got[0].Password, "demo-") {
		t.Fatalf("accounts from the demo's printout: %+v, %v\n%s", got, err, printed.String())
	}
	var out, log bytes.Buffer
	err = run(context.Background(), []string{"loadtest", "--data", dir, "--accounts", accounts, "--sources", "3",
		"--takers", "4", "--issue", "30", "--window", "10", "--screens", "8", "--phones", "3", "--clerks", "2",
		"--calls", "4", "--call-gap", "10ms", "--settle", "100ms", "--table"}, nil, &out, &log)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	for _, want := range []string{"ticket issue (POST, durable)", "missing 0 of 32", "call → screen, 8 screens (+3 phones"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
	if err := run(context.Background(), []string{"loadtest", "--url", m.URL(), "--screens", "5"}, nil, &out, &log); err == nil ||
		!strings.Contains(err.Error(), "--accounts") {
		t.Errorf("calling without accounts: %v", err)
	}
}
