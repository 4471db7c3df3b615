package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// From a terminal the password is read without echo: what is typed never
// comes back on the terminal.
func TestUserPasswordPromptDoesNotEcho(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	dir := t.TempDir()
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() {
		done <- run(context.Background(), []string{"user", "add", "--data", dir, "typed"}, tty, &out, tty)
	}()
	chunks := make(chan string, 100)
	go func() {
		defer close(chunks)
		buf := make([]byte, 256)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				chunks <- string(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	var terminal strings.Builder
	// waitFor reads the terminal until it shows want: the prompt is
	// written after echo is turned off, so typing then is what a person
	// does.
	waitFor := func(want string) {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for !strings.Contains(terminal.String(), want) {
			select {
			case c, ok := <-chunks:
				if !ok {
					t.Fatalf("the terminal closed before %q: %q", want, terminal.String())
				}
				terminal.WriteString(c)
			case <-timeout:
				t.Fatalf("no %q on the terminal: %q", want, terminal.String())
			}
		}
	}
	// x/term prints nothing itself: the prompt goes out a moment before
	// it turns echo off, so type once the terminal says echo is off.
	echoOff := func() {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS); err == nil && st.Lflag&unix.ECHO == 0 {
				return
			}
		}
		t.Fatal("the terminal's echo never went off")
	}
	waitFor("Password for typed")
	echoOff()
	ptmx.Write([]byte("s3cret-typed-pw\n"))
	waitFor("Again")
	echoOff()
	ptmx.Write([]byte("s3cret-typed-pw\n"))
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the command never finished")
	}
	tty.Close()
	for c := range chunks {
		terminal.WriteString(c)
	}
	if strings.Contains(terminal.String(), "s3cret") {
		t.Fatalf("the password was echoed: %q", terminal.String())
	}
	if !strings.Contains(out.String(), "Added typed") {
		t.Fatalf("add said %q", out.String())
	}
}
