package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"langelis/office"
	"langelis/password"
	"langelis/queue"
	"langelis/server"
	"langelis/store"
)

// Main is the server program, as a struct that tests start on port 0.
type Main struct {
	Addr       string
	DataDir    string
	ConfigPath string
	Demo       bool
	PublicURL  string       // the address printed on tickets; empty: the address each request used
	Proxies    []*net.IPNet // reverse proxies whose X-Forwarded-For is believed
	KioskNets  []*net.IPNet // the kiosk computers' networks; loopback when none
	Clock      queue.Clock  // nil: the system clock
	Logger     *slog.Logger
	Out        io.Writer // where the demo accounts are printed

	Office *queue.Office
	Store  *store.Store
	Engine *queue.Engine
	Server *server.Server

	ln       net.Listener
	serveErr chan error
	infoPath string
}

// ServerInfo is written to the data folder while the server runs, so the
// local `langelis backup` finds it.
type ServerInfo struct {
	URL   string `json:"url"`
	Token string `json:"token"`
	PID   int    `json:"pid"`
}

const infoFile = "server.json"

// Run opens the office and starts serving; it returns once the port listens.
func (m *Main) Run(ctx context.Context) error {
	if m.Logger == nil {
		m.Logger = slog.Default()
	}
	if m.Out == nil {
		m.Out = io.Discard
	}
	var err error
	switch {
	case m.Office != nil:
	case m.Demo && m.ConfigPath != "":
		return errors.New("use either --demo or --config, not both")
	case m.Demo:
		m.Office = office.Demo()
	case m.ConfigPath != "":
		if m.Office, err = office.Load(m.ConfigPath); err != nil {
			return err
		}
	default:
		return errors.New("say which office: --config office.yaml, or --demo for the demo office")
	}
	if m.Clock == nil {
		m.Clock = queue.SystemClock{}
	}
	if m.Store, err = store.Open(filepath.Join(m.DataDir, store.FileName)); err != nil {
		return err
	}
	if err := m.Store.SaveOffice(m.Office); err != nil {
		m.Store.Close()
		return err
	}
	if m.Demo {
		if err := m.demoAccounts(); err != nil {
			m.Store.Close()
			return err
		}
	}
	// The expected service times start from the last week's, so the
	// morning's first estimates are not just the targets.
	recent, err := m.Store.RecentServiceTimes(m.Office.Day(m.Clock.Now()), queue.RecentDays)
	if err != nil {
		m.Logger.Warn("langelis: recent service times not read; estimates start from the targets", "err", err)
	}
	if m.Engine, err = queue.NewEngine(m.Office, m.Store, queue.Options{Clock: m.Clock, Logger: m.Logger, Recent: recent}); err != nil {
		m.Store.Close()
		return err
	}
	token := randomToken()
	if m.Server, err = server.New(server.Config{Engine: m.Engine, Store: m.Store, Logger: m.Logger, LocalToken: token,
		PublicURL: m.PublicURL, TrustedProxies: m.Proxies, KioskNets: m.KioskNets}); err != nil {
		m.Engine.Close()
		m.Store.Close()
		return err
	}
	if m.ln, err = net.Listen("tcp", m.Addr); err != nil {
		m.Engine.Close()
		m.Store.Close()
		return fmt.Errorf("listen on %s: %w", m.Addr, err)
	}
	m.serveErr = make(chan error, 1)
	go func() { m.serveErr <- m.Server.Serve(m.ln) }()
	m.infoPath = filepath.Join(m.DataDir, infoFile)
	info, _ := json.Marshal(ServerInfo{URL: m.URL(), Token: token, PID: os.Getpid()})
	if err := os.WriteFile(m.infoPath, info, 0o600); err != nil {
		m.Logger.Warn("langelis: could not write server info; local backups will open the file directly", "err", err)
	}
	m.Logger.Info("langelis: serving", "office", m.Office.Name, "url", m.URL(), "data", m.DataDir)
	return nil
}

// URL returns the base URL the server answers on.
func (m *Main) URL() string {
	addr := m.ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return fmt.Sprintf("http://%s", net.JoinHostPort(host, fmt.Sprint(addr.Port)))
}

// Wait blocks until the server stops on its own (a listener failure).
func (m *Main) Wait() <-chan error { return m.serveErr }

// Close stops serving gracefully, then closes the engine and the store.
func (m *Main) Close() error {
	var errs []error
	if m.Server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		errs = append(errs, m.Server.Shutdown(ctx))
		cancel()
	}
	if m.Engine != nil {
		errs = append(errs, m.Engine.Close())
	}
	if m.infoPath != "" {
		os.Remove(m.infoPath)
	}
	if m.Store != nil {
		errs = append(errs, m.Store.Close())
	}
	return errors.Join(errs...)
}

func randomToken() string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// demoAccounts gives the demo office fresh passwords on every start and
// prints them: nobody has to look anything up to try it.
func (m *Main) demoAccounts() error {
	accounts := []queue.User{{Username: "admin", Name: "Administratorė Rasa", Role: queue.RoleAdmin}}
	names := []string{"Jonas", "Aistė", "Tomas", "Eglė", "Mindaugas", "Rūta"}
	for i := range m.Office.Desks {
		accounts = append(accounts, queue.User{Username: fmt.Sprintf("clerk%d", i+1), Name: names[i%len(names)], Role: queue.RoleClerk})
	}
	accounts = append(accounts, queue.User{Username: "kiosk1", Name: "Kioskas prie įėjimo", Role: queue.RoleKiosk})
	fmt.Fprintln(m.Out, "Demo accounts (passwords are new at every start):")
	for _, u := range accounts {
		pw := "demo-" + strings.ToLower(randomToken()[:6])
		h, err := password.Hash(pw)
		if err != nil {
			return err
		}
		if old, err := m.Store.User(u.Username); err == nil {
			u.CreatedAt = old.CreatedAt
		} else {
			u.CreatedAt = time.Now()
		}
		u.PasswordHash = h
		if err := m.Store.PutUser(u); err != nil {
			return err
		}
		fmt.Fprintf(m.Out, "  %-8s %-12s %s (%s)\n", u.Role, u.Username, pw, u.Name)
	}
	return nil
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	m := &Main{Out: stdout}
	fs.StringVar(&m.Addr, "addr", "127.0.0.1:8080", "address to listen on (use :8080 to serve the hall's network)")
	fs.StringVar(&m.DataDir, "data", "data", "folder holding the bbolt file")
	fs.StringVar(&m.ConfigPath, "config", "", "the office definition file (YAML; see office/example.yaml)")
	fs.BoolVar(&m.Demo, "demo", false, "serve the built-in demo office with demo accounts")
	fs.Func("kiosk-net", "the kiosk computers' network (CIDR, e.g. 10.1.2.0/28): tickets from there may name their kiosk; repeatable (default: loopback only)", cidrFlag(&m.KioskNets))
	fs.Func("trusted-proxy", "a reverse proxy's network (CIDR, e.g. 10.0.0.5/32) whose X-Forwarded-For is believed; repeatable", cidrFlag(&m.Proxies))
	fs.StringVar(&m.PublicURL, "public-url", "", "the address visitors' phones reach this server at, for the QR codes on tickets (default: the address the kiosk used)")
	clock := fs.String("clock", "", "start the office clock at this local time today, e.g. 16:30 (for demonstrations)")
	level := fs.String("log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	m.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lv}))
	if *clock != "" || m.Demo {
		if err := m.setClock(*clock); err != nil {
			return err
		}
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Langelis is serving %q at %s\n", m.Office.Name, m.URL())
	fmt.Fprintf(stdout, "  kiosk %s/kiosk   display %s/display   desk %s/desk\n", m.URL(), m.URL(), m.URL())
	select {
	case <-ctx.Done():
		m.Logger.Info("langelis: shutting down")
	case err := <-m.Wait():
		m.Close()
		return err
	}
	return m.Close()
}

// setClock shifts the clock for demonstrations. The demo office, when run
// outside its hours, starts at 10:00 so that it can be tried at any hour.
func (m *Main) setClock(at string) error {
	if m.Out == nil {
		m.Out = io.Discard
	}
	if m.Demo && m.Office == nil {
		m.Office = office.Demo()
	} else if m.Office == nil && m.ConfigPath != "" {
		o, err := office.Load(m.ConfigPath)
		if err != nil {
			return err
		}
		m.Office = o
	}
	if m.Office == nil {
		return errors.New("--clock needs --config or --demo")
	}
	loc := m.Office.Location()
	now := time.Now().In(loc)
	if at == "" {
		if m.Office.IsOpen(now) {
			return nil
		}
		at = "10:00"
	}
	var h, min int
	if _, err := fmt.Sscanf(at, "%d:%d", &h, &min); err != nil || h < 0 || h > 23 || min < 0 || min > 59 {
		return fmt.Errorf("--clock %q: give a time of day like 16:30", at)
	}
	target := time.Date(now.Year(), now.Month(), now.Day(), h, min, 0, 0, loc)
	m.Clock = queue.OffsetClock{Offset: target.Sub(now)}
	fmt.Fprintf(m.Out, "Office clock set to %s (the real time is %s).\n", target.Format("15:04"), now.Format("15:04"))
	return nil
}

// cidrFlag parses a repeatable network flag into *nets.
func cidrFlag(nets *[]*net.IPNet) func(string) error {
	return func(v string) error {
		_, n, err := net.ParseCIDR(v)
		if err != nil {
			return fmt.Errorf("give a network like 10.1.2.0/28: %w", err)
		}
		*nets = append(*nets, n)
		return nil
	}
}
