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

	"langelis/app"
	"langelis/citynats"
	"langelis/mail"
	"langelis/office"
	"langelis/password"
	"langelis/queue"
	"langelis/server"
	"langelis/store"
)

// Main is the server program, as a struct that tests start on port 0. It
// parses nothing: cmdServe fills it from the flags, and Run opens the one
// wiring of the office (package app).
type Main struct {
	Addr       string
	DataDir    string
	ConfigPath string
	Demo       bool
	DemoName   string        // which built-in demo (office.DemoNamed): "" the Vilnius one, "bg" the Sofia one
	PublicURL  string        // the address printed on tickets; empty: the address each request used
	Hosts      []string      // host names the hall reaches the server by (--allowed-host)
	IssueRate  int           // tickets a minute per kiosk computer or account; 0: 60; negative: no limit
	Proxies    []*net.IPNet  // reverse proxies whose X-Forwarded-For is believed
	KioskNets  []*net.IPNet  // the kiosk computers' networks; loopback when none
	Clock      queue.Clock   // the office clock; nil: the system clock. Sessions always run on real time.
	Limits     server.Limits // connection caps and timeouts; zero fields take the defaults
	Mail       *mail.Sender  // e-mail to booked visitors (--smtp-addr); nil: none
	Logger     *slog.Logger
	// NewStore starts an empty store where the data folder shows an
	// office already ran (its store missing or emptied): never by itself.
	NewStore bool
	// ConfigWins starts from the office file, dropping the running
	// configuration changed on the admin pages (app.Config.ConfigWins).
	ConfigWins bool
	// MinFreeMB and LowFreeMB are the free megabytes on the data disk
	// below which GET /healthz says unavailable and degraded; the store's
	// defaults when zero.
	MinFreeMB, LowFreeMB uint64
	Out                  io.Writer // where the demo accounts are printed
	// City links the hall to the city's centre (cityflags.go); nil: no link.
	City *citynats.LinkConfig

	Office *queue.Office
	App    *app.App

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
		if m.Office, err = office.DemoNamed(m.DemoName); err != nil {
			return err
		}
	case m.ConfigPath != "":
		if m.Office, err = office.Load(m.ConfigPath); err != nil {
			return err
		}
	default:
		return errors.New("say which office: --config office.yaml, or --demo for the demo office")
	}
	token := randomToken()
	m.App, err = app.Open(app.Config{Office: m.Office, Path: filepath.Join(m.DataDir, store.FileName),
		Clock: m.Clock, Logger: m.Logger, ConfigWins: m.ConfigWins,
		Server: server.Config{LocalToken: token, PublicURL: m.PublicURL, TrustedProxies: m.Proxies, KioskNets: m.KioskNets,
			AllowedHosts: m.Hosts, IssueRate: m.IssueRate, Limits: m.Limits, Mail: m.Mail}, City: m.City,
		Store: store.Options{NewStore: m.NewStore, MinFree: m.MinFreeMB << 20, LowFree: m.LowFreeMB << 20, Evidence: []string{infoFile}}})
	if err != nil {
		return explainStore(err, m.DataDir)
	}
	if m.Demo {
		if err := m.demoAccounts(); err != nil {
			m.Close()
			return err
		}
	}
	if err := m.App.Listen(m.Addr); err != nil {
		m.Close()
		return err
	}
	m.infoPath = filepath.Join(m.DataDir, infoFile)
	info, _ := json.Marshal(ServerInfo{URL: m.URL(), Token: token, PID: os.Getpid()})
	if err := os.WriteFile(m.infoPath, info, 0o600); err != nil {
		m.Logger.Warn("langelis: could not write server info; local backups will open the file directly", "err", err)
	}
	lim := m.App.Server.Limits()
	m.Logger.Info("langelis: serving", "office", m.Office.Name, "url", m.URL(), "data", m.DataDir,
		"max_conns", lim.MaxConns, "max_websockets", lim.MaxWebsockets, "staff_websockets", lim.StaffWebsockets,
		"websockets_per_address", lim.WebsocketsPerAddr)
	return nil
}

// URL returns the base URL the server answers on.
func (m *Main) URL() string { return m.App.URL() }

// Wait blocks until the server stops on its own (a listener failure).
func (m *Main) Wait() <-chan error { return m.App.Wait() }

// Close stops serving gracefully, then closes the engine and the store.
func (m *Main) Close() error {
	if m.infoPath != "" {
		os.Remove(m.infoPath)
	}
	if m.App == nil {
		return nil
	}
	return m.App.Close()
}

func randomToken() string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// demoAccounts gives the demo office fresh passwords on every start and
// prints them: nobody has to look anything up to try it. An account
// someone disabled (langelis user disable) stays disabled, with its old
// password: a restart must not undo an administrator's decision.
func (m *Main) demoAccounts() error {
	admin, kiosk := "Administratorė Rasa", "Kioskas prie įėjimo"
	names := []string{"Jonas", "Aistė", "Tomas", "Eglė", "Mindaugas", "Rūta"}
	if m.Office.FirstLanguage() == "bg" { // the Sofia demo's people
		admin, kiosk = "Администратор Мария", "Киоск до входа"
		names = []string{"Иван", "Елена", "Георги", "Десислава", "Николай", "Петя"}
	}
	accounts := []queue.User{{Username: "admin", Name: admin, Role: queue.RoleAdmin}}
	for i := range m.Office.Desks {
		accounts = append(accounts, queue.User{Username: fmt.Sprintf("clerk%d", i+1), Name: names[i%len(names)], Role: queue.RoleClerk})
	}
	accounts = append(accounts, queue.User{Username: "kiosk1", Name: kiosk, Role: queue.RoleKiosk})
	fmt.Fprintln(m.Out, "Demo accounts (passwords are new at every start):")
	for _, u := range accounts {
		old, err := m.App.Store.User(u.Username)
		if err == nil && old.Disabled {
			fmt.Fprintf(m.Out, "  %-8s %-12s disabled (langelis user disable --enable %s)\n", old.Role, old.Username, old.Username)
			continue
		}
		if err == nil {
			u.CreatedAt = old.CreatedAt
		} else {
			u.CreatedAt = time.Now()
		}
		pw := "demo-" + strings.ToLower(randomToken()[:6])
		h, err := password.Hash(pw)
		if err != nil {
			return err
		}
		u.PasswordHash = h
		if err := m.App.Store.PutUser(u); err != nil {
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
	fs.Var(demoFlag{m}, "demo", "serve a built-in demo office with demo accounts: --demo the Vilnius hall (Lithuanian first), --demo=bg a Sofia hall (Bulgarian first)")
	fs.Func("kiosk-net", "the kiosk computers' network (CIDR, e.g. 10.1.2.0/28): tickets from there may name their kiosk; repeatable (default: loopback only)", cidrFlag(&m.KioskNets))
	fs.Func("trusted-proxy", "a reverse proxy's network (CIDR, e.g. 10.0.0.5/32) whose X-Forwarded-For is believed; repeatable", cidrFlag(&m.Proxies))
	fs.BoolVar(&m.ConfigWins, "config-wins", false, "start from the office file, dropping the configuration changed on the admin pages since (by default the running configuration wins and /admin shows how it differs from the file)")
	fs.BoolVar(&m.NewStore, "new-store", false, "start a new, empty store although the data folder shows an office already ran there (its langelis.db is missing or empty): numbering starts again at A001")
	fs.Uint64Var(&m.MinFreeMB, "min-free-mb", store.DefaultMinFree>>20, "free megabytes on the data disk below which /healthz answers 503 unavailable")
	fs.Uint64Var(&m.LowFreeMB, "low-free-mb", store.DefaultLowFree>>20, "free megabytes on the data disk below which /healthz says degraded")
	fs.StringVar(&m.PublicURL, "public-url", "", "the address visitors' phones reach this server at, for the QR codes on tickets (default: the address the kiosk used)")
	fs.Func("allowed-host", "a host name the hall reaches this server by (e.g. langelis.local); without --public-url, ticket links use a request's Host only when it is this, the address the connection reached, or localhost; repeatable", func(v string) error {
		if v = strings.TrimSpace(v); v == "" || strings.ContainsAny(v, "/ ") {
			return fmt.Errorf("give a host name like langelis.local or langelis.local:8080")
		}
		m.Hosts = append(m.Hosts, v)
		return nil
	})
	smtpAddr := fs.String("smtp-addr", "", "an SMTP server (host:port) to e-mail booked visitors who gave an address their booking and its changes (default: no e-mail); the password, if it needs one, in LANGELIS_SMTP_PASSWORD")
	smtpFrom := fs.String("smtp-from", "", "the sender address of those e-mails (with --smtp-addr)")
	smtpUser := fs.String("smtp-user", "", "the SMTP user name, when the server asks for one (with --smtp-addr)")
	issueRate := fs.Int("issue-rate", 60, "tickets a minute one kiosk computer or one signed-in account may take (0: no limit)")
	clock := fs.String("clock", "", "start the office clock at this local time today, e.g. 16:30, or on a date, e.g. \"2026-11-23 16:30\" (for demonstrations; sign-ins keep real time)")
	fs.IntVar(&m.Limits.MaxConns, "max-conns", 0, "connections open at once; more wait until one closes (default: the open-file limit less 64)")
	fs.IntVar(&m.Limits.MaxWebsockets, "max-websockets", 0, "live screens and phones at once, below --max-conns so the API keeps a reserve (default: --max-conns less a tenth, at most 20000)")
	fs.IntVar(&m.Limits.StaffWebsockets, "staff-websockets", 0, "of --max-websockets, kept for signed-in staff and the --kiosk-net stations; phones never take them (default: a tenth)")
	fs.IntVar(&m.Limits.WebsocketsPerAddr, "websockets-per-address", 0, "anonymous live connections from one address (IPv6: one /64); keep it generous, guest Wi-Fi puts many phones behind one address (default 1000)")
	publicAddr := fs.String("public-addr", "", "also serve the public face on this address, e.g. 127.0.0.1:8081 behind the reverse proxy that faces the Internet: only the phone ticket, status, results, privacy and accessibility pages and their API; no staff endpoint answers there (docs/proxy.md)")
	metricsAddr := fs.String("metrics-addr", "", "also serve the Prometheus metrics at /metrics on this address without sign-in, e.g. 127.0.0.1:9100, for the hall's monitoring; keep it off the public network (on --addr, /metrics asks for an admin)")
	debugAddr := fs.String("debug-addr", "", "serve Go's profiler (net/http/pprof) on this address, e.g. 127.0.0.1:6060, for langelis loadtest --pprof; keep it on loopback")
	level := fs.String("log-level", "info", "debug, info, warn or error")
	cityLink := cityFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if *smtpAddr != "" {
		if *smtpFrom == "" {
			return fmt.Errorf("--smtp-addr needs --smtp-from, the sender address")
		}
		m.Mail = &mail.Sender{Addr: *smtpAddr, From: *smtpFrom, Username: *smtpUser, Password: os.Getenv("LANGELIS_SMTP_PASSWORD")}
	}
	if m.City, err = cityLink(m.PublicURL); err != nil {
		return err
	}
	switch {
	case *issueRate < 0:
		return fmt.Errorf("--issue-rate %d: give a number of tickets a minute, or 0 for no limit", *issueRate)
	case *issueRate == 0:
		m.IssueRate = -1
	default:
		m.IssueRate = *issueRate
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	m.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lv}))
	// Every connection is an open file: take all the system allows (the
	// connection caps are sized from it).
	m.Logger.Debug("langelis: open-file limit", "files", server.RaiseFileLimit())
	if *clock != "" || m.Demo {
		if err := m.setClock(*clock); err != nil {
			return err
		}
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	if *publicAddr != "" {
		at, err := m.App.ListenPublic(*publicAddr)
		if err != nil {
			m.Close()
			return err
		}
		m.Logger.Info("langelis: public face", "addr", at)
	}
	if *metricsAddr != "" {
		at, err := m.App.ListenMetrics(*metricsAddr)
		if err != nil {
			m.Close()
			return err
		}
		m.Logger.Info("langelis: metrics", "url", "http://"+at+"/metrics")
	}
	if *debugAddr != "" {
		stop, err := serveProfiler(*debugAddr, m.Logger)
		if err != nil {
			m.Close()
			return err
		}
		defer stop()
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

// setClock shifts the office clock for demonstrations. The demo office,
// when run outside its hours, starts at 10:00 so that it can be tried at
// any hour. Only office rules follow the shifted clock; sign-ins, cookies
// and rate limits keep real time, so a clock set hours back or ahead
// never ends a session early.
func (m *Main) setClock(at string) error {
	if m.Out == nil {
		m.Out = io.Discard
	}
	if m.Demo && m.Office == nil {
		o, err := office.DemoNamed(m.DemoName)
		if err != nil {
			return err
		}
		m.Office = o
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
	var target time.Time
	if at == "" {
		if m.Office.IsOpen(now) {
			return nil
		}
		target = demoTime(m.Office, now)
	} else {
		var err error
		if target, err = clockTarget(at, now); err != nil {
			return err
		}
	}
	m.Clock = queue.OffsetClock{Offset: target.Sub(now)}
	fmt.Fprintf(m.Out, "Office clock set to %s (the real time is %s).\n", target.Format("2006-01-02 15:04"), now.Format("2006-01-02 15:04"))
	return nil
}

// clockTarget reads --clock: a time of day today ("16:30"), or a date and
// time ("2026-11-23 16:30", which lets several runs share one office day).
// demoTime is when a demo started while its office is closed begins:
// 10:00 today, or, on a day it does not open (a weekend, a holiday of the
// Bulgarian demo), an hour and a half after its next opening.
func demoTime(o *queue.Office, now time.Time) time.Time {
	ten := time.Date(now.Year(), now.Month(), now.Day(), 10, 0, 0, 0, now.Location())
	if o.IsOpen(ten) {
		return ten
	}
	if next, ok := o.NextOpening(now); ok {
		if later := next.Add(90 * time.Minute); o.IsOpen(later) {
			return later
		}
		return next
	}
	return ten
}

// demoFlag is --demo: alone it names the Vilnius demo, as it always did;
// --demo=bg names another (office.DemoNamed).
type demoFlag struct{ m *Main }

func (f demoFlag) IsBoolFlag() bool { return true }

func (f demoFlag) String() string {
	if f.m == nil || !f.m.Demo {
		return ""
	}
	return f.m.DemoName
}

func (f demoFlag) Set(v string) error {
	switch v {
	case "false":
		f.m.Demo, f.m.DemoName = false, ""
		return nil
	case "true", "":
		f.m.Demo, f.m.DemoName = true, ""
		return nil
	}
	if _, err := office.DemoNamed(v); err != nil {
		return err
	}
	f.m.Demo, f.m.DemoName = true, v
	return nil
}

// Each instant comes from the local wall clock, so it is right on a
// daylight-saving day.
func clockTarget(at string, now time.Time) (time.Time, error) {
	loc := now.Location()
	if t, err := time.ParseInLocation("2006-01-02 15:04", at, loc); err == nil {
		return t, nil
	}
	var h, min int
	var rest string
	if n, _ := fmt.Sscanf(at, "%d:%d%s", &h, &min, &rest); n != 2 || h < 0 || h > 23 || min < 0 || min > 59 {
		return time.Time{}, fmt.Errorf("--clock %q: give a time of day like 16:30, or a date and time like 2026-11-23 16:30", at)
	}
	return time.Date(now.Year(), now.Month(), now.Day(), h, min, 0, 0, loc), nil
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
