// Command kiosk is the kiosk station program. It runs on the kiosk's
// computer, signs in as the kiosk's account, listens on the websocket for
// the tickets issued at this kiosk, and prints each one through CUPS, or
// writes it into a folder for a printer driven otherwise. When printing
// fails it tells the server, and the kiosk screen shows the ticket's QR code.
//
//	kiosk --server http://10.0.0.5:8080 --user kiosk1 --printer Receipt80
//	kiosk --server http://10.0.0.5:8080 --user kiosk1 --out /var/spool/tickets
//
// The password comes from LANGELIS_KIOSK_PASSWORD or --password-file, never
// from the command line (where every user of the computer can read it).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"langelis/client"
	"langelis/queue"
	"langelis/ticketpdf"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "kiosk:", err)
		os.Exit(1)
	}
}

// config is the station's settings.
type config struct {
	server, user, password, kiosk string
	out                           string   // write PDFs here instead of printing
	print                         []string // the print command; the PDF's path is appended
}

func parse(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.server, "server", "http://127.0.0.1:8080", "the Langelis server")
	fs.StringVar(&c.user, "user", "kiosk1", "the kiosk account (role kiosk)")
	pwFile := fs.String("password-file", "", "read the password from this file (default: $LANGELIS_KIOSK_PASSWORD)")
	fs.StringVar(&c.kiosk, "kiosk", "", "the kiosk's name, as in /kiosk?kiosk=NAME (default: the account name)")
	printer := fs.String("printer", "", "the CUPS printer (lp -d PRINTER); default: the system's default printer")
	media := fs.String("media", "Custom.80x150mm", "the paper, as lp -o media= takes it")
	fs.StringVar(&c.out, "out", "", "write each ticket's PDF into this folder instead of printing")
	printCmd := fs.String("print-cmd", "", "print with this command instead of lp; the PDF's path is appended")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.password = getenv("LANGELIS_KIOSK_PASSWORD")
	if *pwFile != "" {
		b, err := os.ReadFile(*pwFile)
		if err != nil {
			return c, fmt.Errorf("--password-file: %w", err)
		}
		c.password = strings.TrimSpace(string(b))
	}
	if c.password == "" {
		return c, errors.New("no password: set LANGELIS_KIOSK_PASSWORD or --password-file")
	}
	if c.kiosk == "" {
		c.kiosk = c.user
	}
	switch {
	case *printCmd != "":
		c.print = strings.Fields(*printCmd)
	default:
		c.print = []string{"lp", "-s", "-o", "media=" + *media}
		if *printer != "" {
			c.print = append(c.print, "-d", *printer)
		}
	}
	if c.out != "" {
		if err := os.MkdirAll(c.out, 0o755); err != nil {
			return c, fmt.Errorf("--out: %w", err)
		}
	}
	return c, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := parse(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	st := &station{cfg: cfg, log: log, c: client.New(cfg.server, client.WithLogger(log)),
		jobs: make(chan queue.Ticket, 64), seen: map[string]bool{}}
	go st.printer(ctx)
	return st.listen(ctx)
}

// station is one running kiosk station.
type station struct {
	cfg  config
	log  *slog.Logger
	c    *client.Client
	jobs chan queue.Ticket
	seen map[string]bool // tickets already handled; a replay after a reconnect repeats events
}

// listen signs in and follows the websocket until ctx ends, signing in again
// whenever the server no longer accepts the session, and waiting out a
// server that is down.
func (st *station) listen(ctx context.Context) error {
	wait := time.Second
	for {
		if _, err := st.c.Login(ctx, st.cfg.user, st.cfg.password); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			code := client.ErrorCode(err)
			if code == queue.EUNAUTHORIZED || code == queue.EFORBIDDEN {
				return fmt.Errorf("sign in as %s: %w", st.cfg.user, err)
			}
			st.log.Warn("kiosk: cannot reach the server; trying again", "err", err, "in", wait)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
			wait = min(2*wait, 30*time.Second)
			continue
		}
		wait = time.Second
		st.log.Info("kiosk: signed in; printing tickets", "kiosk", st.cfg.kiosk, "server", st.cfg.server)
		err := st.c.Subscribe(ctx, st.handle)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		st.log.Warn("kiosk: subscription ended; signing in again", "err", err)
	}
}

// handle queues each ticket issued at this kiosk for printing; printing
// runs apart so a slow printer never holds up the websocket.
func (st *station) handle(m client.Message) error {
	ev := m.Event
	if ev == nil || ev.Type != queue.TicketIssued || ev.Ticket == nil || ev.Ticket.Kiosk != st.cfg.kiosk || st.seen[ev.Ticket.ID] {
		return nil
	}
	st.seen[ev.Ticket.ID] = true
	select {
	case st.jobs <- *ev.Ticket:
	default:
		st.log.Error("kiosk: too many tickets waiting for the printer; skipped one", "ticket", ev.Ticket.Number)
		go st.failed(context.Background(), *ev.Ticket, errors.New("print queue full"))
	}
	return nil
}

func (st *station) printer(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case t := <-st.jobs:
			if err := st.print(ctx, t); err != nil {
				st.failed(ctx, t, err)
			} else {
				st.log.Info("kiosk: printed", "ticket", t.Number)
			}
		}
	}
}

// print fetches the ticket's PDF and prints it or writes it to --out.
func (st *station) print(ctx context.Context, t queue.Ticket) error {
	fctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	pdf, err := st.c.TicketPDF(fctx, t.ID)
	if err != nil {
		return fmt.Errorf("fetch the PDF: %w", err)
	}
	if st.cfg.out != "" {
		return writeFile(filepath.Join(st.cfg.out, ticketpdf.Filename(t.Number)), pdf)
	}
	f, err := os.CreateTemp("", "langelis-ticket-*.pdf")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(pdf); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	cmd := exec.CommandContext(fctx, st.cfg.print[0], append(st.cfg.print[1:], f.Name())...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w: %s", st.cfg.print[0], err, strings.TrimSpace(string(out)))
	}
	return nil
}

// writeFile writes through a temporary name, so a program watching the
// folder never picks up half a PDF.
func writeFile(path string, data []byte) error {
	tmp := path + ".part"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// failed tells the server, so the kiosk screen shows the QR code instead.
func (st *station) failed(ctx context.Context, t queue.Ticket, cause error) {
	st.log.Error("kiosk: could not print", "ticket", t.Number, "err", cause)
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := st.c.ReportPrintFailed(rctx, st.cfg.kiosk, t.ID, cause.Error()); err != nil {
		st.log.Error("kiosk: could not report the printer failure", "ticket", t.Number, "err", err)
	}
}
