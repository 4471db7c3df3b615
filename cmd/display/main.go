// Command display is the hall board in a terminal: the newest call in
// block letters, the recent calls, the waiting counts and the end-of-day
// banner, live from a Langelis server, with the chime and the spoken call
// played through a local sound player. It reconnects by itself. Use it on
// a text-mode screen or for a quick look over SSH:
//
//	display --server http://10.0.0.5:8080
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"langelis/client"
	"langelis/queue"
)

// freshFor is how long a new call stays highlighted.
const freshFor = 10 * time.Second

func main() {
	server := flag.String("server", "http://127.0.0.1:8080", "the Langelis server")
	quiet := flag.Bool("quiet", false, "no chime and no voice")
	logFile := flag.String("log", "", "write the log to this file (the screen is the board's)")
	flag.Parse()

	logOut := io.Discard
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintln(os.Stderr, "display:", err)
			os.Exit(1)
		}
		defer f.Close()
		logOut = f
	}
	log := slog.New(slog.NewTextHandler(logOut, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	a := newApp(client.New(*server, client.WithLogger(log)), log, !*quiet)
	if a.sound != nil {
		log.Info("display: sound", "mode", a.sound.Mode())
		fmt.Fprintln(os.Stderr, "display: sound:", a.sound.Mode())
	}
	os.Stdout.WriteString("\x1b[?1049h\x1b[?25l") // the alternate screen, no cursor
	defer os.Stdout.WriteString("\x1b[?25h\x1b[?1049l")
	err := a.run(ctx, func() {
		w, h := termSize()
		os.Stdout.WriteString("\x1b[H" + a.frame(w, h, true))
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		os.Stdout.WriteString("\x1b[?25h\x1b[?1049l")
		fmt.Fprintln(os.Stderr, "display:", err)
		os.Exit(1)
	}
}

// app is the board's state, kept current by the subscription.
type app struct {
	c     *client.Client
	log   *slog.Logger
	sound *speaker // nil when quiet

	mu        sync.Mutex
	office    *queue.Office
	mirror    client.Mirror
	skew      time.Duration // the office's clock minus this machine's
	connected bool
	freshAt   time.Time
}

func newApp(c *client.Client, log *slog.Logger, sound bool) *app {
	a := &app{c: c, log: log}
	if sound {
		a.sound = newSpeaker(c, log)
	}
	return a
}

// run keeps the board live until ctx ends, calling draw on every change
// and every second (the clock). It waits for the server as long as it
// takes, and reconnects after any loss.
func (a *app) run(ctx context.Context, draw func()) error {
	if a.sound != nil {
		go a.sound.Run(ctx)
	}
	changed := make(chan struct{}, 1)
	poke := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			case <-changed:
			}
			draw()
		}
	}()
	for wait := 250 * time.Millisecond; ; wait = min(wait*2, 10*time.Second) {
		o, err := a.c.Office(ctx)
		if err == nil {
			a.mu.Lock()
			a.office = &o
			a.mu.Unlock()
			break
		}
		a.log.Warn("display: waiting for the server", "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
	poke()
	for {
		err := a.c.Subscribe(ctx, func(m client.Message) error {
			err := a.apply(m)
			poke()
			return err
		}, client.WithStatus(func(st client.Status) {
			a.mu.Lock()
			a.connected = st.Connected
			a.mu.Unlock()
			poke()
		}))
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// Only a refused token ends Subscribe; the board needs none, so
		// this is a server misconfiguration: say so and keep trying.
		a.log.Error("display: subscription ended", "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
		}
	}
}

// apply brings the mirror up to date and queues the announcement of a call.
func (a *app) apply(m client.Message) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	before := a.mirror.Seq()
	if err := a.mirror.Apply(m); err != nil {
		return err
	}
	if m.Snapshot != nil {
		a.skew = time.Until(m.Snapshot.Now)
	}
	if ev := m.Event; ev != nil && a.mirror.Seq() > before {
		a.skew = time.Until(ev.At)
		if (ev.Type == queue.TicketCalled || ev.Type == queue.TicketRecalled) && ev.Ticket != nil {
			a.freshAt = time.Now()
			if a.sound != nil {
				a.sound.Say(call{Number: ev.Ticket.Number, Desk: ev.Ticket.Desk})
			}
		}
	}
	return nil
}

// frame renders the board at the given size.
func (a *app) frame(width, height int, color bool) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.office == nil {
		return Render(Board{Office: &queue.Office{Name: "Langelis"}, Connected: false}, width, height)
	}
	snap := a.mirror.Snapshot()
	return Render(Board{
		Office: a.office, Second: second(a.office), Calls: snap.Calls, Waiting: snap.Waiting, Cutoff: snap.Cutoff,
		Now: time.Now().Add(a.skew), Connected: a.connected && a.mirror.Ready(),
		Fresh: time.Since(a.freshAt) < freshFor, Color: color,
	}, width, height)
}

// second is the office's second language; a server from before
// languages gives only second_language.
func second(o *queue.Office) string {
	if l := o.Second(); l != "" {
		return l
	}
	if o.SecondLanguage == o.FirstLanguage() || !queue.ValidLanguage(o.SecondLanguage) {
		return ""
	}
	return o.SecondLanguage
}

// termSize is the terminal's size, 80×24 when it cannot be asked.
func termSize() (int, int) {
	ws, err := unix.IoctlGetWinsize(int(os.Stdout.Fd()), unix.TIOCGWINSZ)
	if err != nil || ws.Col == 0 {
		return 80, 24
	}
	return int(ws.Col), int(ws.Row)
}
