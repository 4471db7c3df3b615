// Command desk is the clerk's keyboard program: it signs in, opens a desk,
// and offers the desk actions on single keys (letters, or the digits of a
// numeric keypad), showing the current ticket and the line live.
//
//	desk --server http://10.0.0.5:8080 --user jonas --desk 3
//
// The password is asked for (or read from LANGELIS_PASSWORD). Ctrl-C quits
// and leaves the desk open, so restarting the program, or the computer,
// loses nothing; Q closes the desk and signs out.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"unicode/utf8"

	"langelis/client"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("desk", flag.ContinueOnError)
	server := fs.String("server", "http://127.0.0.1:8080", "the Langelis server")
	user := fs.String("user", "", "your username")
	desk := fs.Int("desk", 0, "the desk number to open")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *user == "" || *desk <= 0 {
		return errors.New("desk: say who and where, e.g. desk --user jonas --desk 3")
	}
	pass := os.Getenv("LANGELIS_PASSWORD")
	if pass == "" {
		var err error
		if pass, err = askPassword(); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	m, err := NewModel(ctx, client.New(*server), *user, pass, *desk)
	if err != nil {
		return err
	}
	restore, err := rawTerminal()
	if err != nil {
		return err
	}
	defer restore()
	err = loop(ctx, m, os.Stdin, os.Stdout)
	restore()
	fmt.Println()
	if m.msg != "" {
		fmt.Println(m.msg)
	}
	return err
}

// loop draws the model and feeds it keys and live changes until it is done.
func loop(ctx context.Context, m *Model, in io.Reader, out io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	keys := make(chan rune)
	go readKeys(ctx, in, keys)
	changed := make(chan struct{}, 1)
	online := make(chan bool, 1)
	go m.c.Subscribe(ctx, func(client.Message) error {
		select {
		case changed <- struct{}{}:
		default: // a refresh is already due
		}
		return nil
	}, client.WithStatus(func(s client.Status) {
		select {
		case <-online:
		default:
		}
		online <- s.Connected
	}))
	for !m.Done() {
		fmt.Fprint(out, "\x1b[H\x1b[2J"+strings.ReplaceAll(m.View(), "\n", "\r\n"))
		select {
		case <-ctx.Done():
			return nil
		case k, ok := <-keys:
			if !ok {
				return nil
			}
			m.Key(ctx, k)
		case <-changed:
			_ = m.Refresh(ctx)
		case up := <-online:
			m.SetOnline(up)
			if up {
				_ = m.Refresh(ctx)
			}
		}
	}
	return nil
}

// readKeys sends each key read from in. Escape sequences (arrows, a keypad
// without Num Lock) are skipped; a lone Esc is sent as Esc.
func readKeys(ctx context.Context, in io.Reader, keys chan<- rune) {
	defer close(keys)
	buf := make([]byte, 64)
	for {
		n, err := in.Read(buf)
		if n > 0 {
			b := buf[:n]
			if b[0] == keyEsc && n > 1 {
				continue
			}
			for len(b) > 0 {
				r, size := utf8.DecodeRune(b)
				b = b[size:]
				select {
				case keys <- r:
				case <-ctx.Done():
					return
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// rawTerminal switches the terminal to single keys without echo, with
// stty, so the program needs no terminal library; restore undoes it.
func rawTerminal() (restore func(), err error) {
	saved, err := stty("-g")
	if err != nil {
		return nil, fmt.Errorf("desk: this program needs a terminal: %w", err)
	}
	if _, err := stty("raw", "-echo"); err != nil {
		return nil, fmt.Errorf("desk: raw terminal: %w", err)
	}
	done := false
	return func() {
		if !done {
			done = true
			_, _ = stty(strings.TrimSpace(saved))
		}
	}, nil
}

func stty(args ...string) (string, error) {
	cmd := exec.Command("stty", args...)
	cmd.Stdin = os.Stdin
	out, err := cmd.Output()
	return string(out), err
}

func askPassword() (string, error) {
	fmt.Fprint(os.Stderr, "Password: ")
	if _, err := stty("-echo"); err == nil {
		defer func() { _, _ = stty("echo"); fmt.Fprintln(os.Stderr) }()
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("desk: no password given")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
