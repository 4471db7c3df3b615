// Package app is the one wiring of a running office: the bbolt store, the
// queue engine, the HTTP server, and the time-driven work around them (day
// end and cutoff notices, session checks, retention). `langelis serve`, the
// end-to-end test harness and the server's tests all open it, so what the
// tests run is what the hall runs.
//
// Two clocks drive it, never mixed (DESIGN.md "Time"): the office clock
// (Config.Clock) for office rules, and real time (Config.RealClock) for
// what browsers, people and networks measure: sessions, cookies, rate-limit
// windows. Each periodic job runs on the clock whose time it is about,
// through queue.Every: a time.Ticker in production; in tests a
// queue.ManualClock, which runs the jobs that come due when the test moves
// it, so a test steps time instead of sleeping.
//
//	job                                      clock   every
//	engine tick: day end, rollover, cutoff   office  TickEvery (5 s)
//	  then the daily figures that are due (stats.go)
//	the office opens or closes (hours msg)   office  with the engine tick
//	forecast: ranges, probabilities          office  TickEvery, when due
//	close desks whose clerk's session ended  real    TickEvery (5 s)
//	delete expired sessions                  real    1 minute
//	webhooks: deliveries, retries (webhook)  real    as events commit; backoff
//	purge days past retention, compact       office  1 hour, and at Open
//	  (after storing the figures due, and purging the per-clerk figures
//	  past audit_retention_days, and the contacts and texts of complaints
//	  answered more than feedback_retention_days ago: feedback.go)
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"langelis/citynats"
	"langelis/forecast"
	"langelis/metrics"
	"langelis/office"
	"langelis/queue"
	"langelis/server"
	"langelis/store"
	"langelis/webhook"
)

// Config says what to open.
type Config struct {
	Office *queue.Office // the office file's definition (required); it is saved in the store
	Path   string        // the bbolt file (required); created when missing
	// ConfigWins starts from the office file even when the store holds a
	// running configuration changed since (langelis serve --config-wins):
	// the changes made on the admin pages are dropped from what the office
	// runs with (the audit keeps them). Without it the running
	// configuration wins, and /admin shows how it differs from the file.
	ConfigWins bool

	Clock     queue.Clock // the office clock; the system clock when nil
	RealClock queue.Clock // real time; the system clock when nil
	Logger    *slog.Logger
	TickEvery time.Duration // how often the time-driven rules run; 5 s when zero

	// Server holds the server's own settings (session lifetime, networks,
	// public URL, ...). Open fills in its Engine, Store, Logger and
	// RealClock.
	Server server.Config

	// City, when set, links the hall to the city's centre over NATS
	// (citynats.Link): the outbox's events, the live status. The hall
	// never needs it to start or to serve.
	City *citynats.LinkConfig
	// Forecast bounds the forecaster (package forecast; History and
	// Clock are the app's own: its cadence is on RealClock).
	Forecast forecast.Config

	// Webhooks bounds the webhooks' retries (package webhook; Store,
	// Hall, Clock and Logger are the app's own).
	Webhooks webhook.Config

	// Store holds the store's own settings (free-space thresholds for the
	// health check, --new-store, the files that show an office ran in the
	// data folder). Open opens Path as the office's live store
	// (Store.Live) on RealClock.
	Store store.Options
}

// App is an open office.
type App struct {
	// Office is the configuration the office started with: the running
	// configuration the store kept, or the file's (Config.ConfigWins, or
	// no change made yet). The engine's Office() follows later changes.
	Office *queue.Office
	// File is the office file's definition, for the admin page's
	// comparison with the running configuration.
	File   *queue.Office
	Store  *store.Store
	Engine *queue.Engine
	Server *server.Server
	City   *citynats.Link // nil without Config.City
	// Webhooks deliver the events to the URLs an admin configured
	// (package webhook), from the outbox like the city link.
	Webhooks *webhook.Hooks
	// Forecast is the forward model beside the engine: it hears the
	// committed events and refreshes the engine's forecast every few
	// seconds of real time (package forecast).
	Forecast *forecast.Forecaster
	// Metrics is the office's Prometheus registry (package metrics),
	// served to admins at /metrics and without sign-in on ListenMetrics.
	Metrics *metrics.Metrics

	cfg      Config
	log      *slog.Logger
	ln       net.Listener
	serveErr chan error
	metrics  *http.Server // ListenMetrics' server, nil without one

	stops []func() // stop the periodic jobs

	mu     sync.Mutex // one job at a time; Close waits for the running one
	closed bool

	statsDone map[string]bool // days whose final figures are stored (stats.go); held under mu
}

const (
	defaultTick  = 5 * time.Second
	expireEvery  = time.Minute
	purgeEvery   = time.Hour
	jobTimeout   = 10 * time.Second
	closeTimeout = 10 * time.Second
)

// Open opens the store, saves the office into it, starts the engine from
// the journal (with the recent days' service times, so the morning's first
// estimates are not just the targets), builds the server, purges the days
// past retention, and starts the time-driven work. It does not listen yet:
// see Listen.
func Open(cfg Config) (*App, error) {
	if cfg.Office == nil || cfg.Path == "" {
		return nil, errors.New("app: an office and a store path are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = queue.SystemClock{}
	}
	if cfg.RealClock == nil {
		cfg.RealClock = queue.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.TickEvery <= 0 {
		cfg.TickEvery = defaultTick
	}
	a := &App{Office: cfg.Office, File: cfg.Office, cfg: cfg, log: cfg.Logger}
	so := cfg.Store
	so.Live, so.Clock = true, cfg.RealClock
	var err error
	if a.Store, err = store.OpenWith(cfg.Path, so); err != nil {
		return nil, err
	}
	if err := a.open(); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) open() error {
	cfg := a.cfg
	if err := a.running(); err != nil {
		return err
	}
	recent, err := a.Store.RecentServiceTimes(a.Office.Day(cfg.Clock.Now()), queue.RecentDays)
	if err != nil {
		a.log.Warn("app: recent service times not read; estimates start from the targets", "err", err)
	}
	fcfg := cfg.Forecast
	fcfg.History, fcfg.Clock = a.history, cfg.RealClock
	a.Forecast = forecast.New(a.Office, fcfg)
	a.Metrics = metrics.New(a.log)
	observe := func(evs []queue.Event) { a.Forecast.Observe(evs); a.Metrics.Observe(evs) }
	if a.Engine, err = queue.NewEngine(a.Office, a.Store, queue.Options{Clock: cfg.Clock, Logger: a.log, Recent: recent,
		Observe: observe, Validate: office.Check}); err != nil {
		return err
	}
	// Only once the journal has been read back: a damaged store is
	// refused before anything is written to it.
	if err := a.Store.SaveOffice(cfg.Office); err != nil {
		return err
	}
	a.Forecast.Attach(a.Engine)
	if err := a.Forecast.Start(context.Background()); err != nil {
		a.log.Warn("app: first forecast", "err", err)
	}
	sc := cfg.Server
	sc.Engine, sc.Store, sc.Logger, sc.RealClock, sc.File = a.Engine, a.Store, a.log, cfg.RealClock, a.File
	sc.Reports, sc.Metrics = a, a.Metrics.Handler()
	wc := cfg.Webhooks
	wc.Store, wc.Clock, wc.Logger = a.Store, cfg.Clock, a.log
	if cfg.City != nil {
		wc.Hall = cfg.City.Hall
	}
	if a.Webhooks, err = webhook.Start(wc); err != nil {
		return err
	}
	sc.Webhooks = a.Webhooks
	if a.Server, err = server.New(sc); err != nil {
		return err
	}
	a.Metrics.Attach(a.Engine, a.Store, a.Server)
	a.purge()
	if cfg.City != nil {
		lc := *cfg.City
		lc.Logger, lc.RealClock = a.log, cfg.RealClock
		if a.City, err = citynats.StartLink(lc, a.Store, a.Engine); err != nil {
			return err
		}
	}
	a.stops = []func(){
		queue.Every(cfg.Clock, cfg.TickEvery, a.job(func(ctx context.Context) { a.tickEngine(ctx); a.aggregate(ctx, "") })),
		// The forecaster's cadence is a machine measure (its CPU budget):
		// real time, as DESIGN.md's two clocks say.
		queue.Every(cfg.RealClock, cfg.TickEvery, a.job(a.refreshForecast)),
		queue.Every(cfg.Clock, purgeEvery, a.job(func(context.Context) { a.purge() })),
		queue.Every(cfg.RealClock, cfg.TickEvery, a.job(a.Server.CloseOrphanDesks)),
		queue.Every(cfg.RealClock, expireEvery, a.job(func(context.Context) { a.Server.ExpireSessions() })),
	}
	return nil
}

// job wraps a periodic job: one at a time, none after Close, each with a
// deadline so a stuck store cannot hold the others up for ever.
func (a *App) job(f func(ctx context.Context)) func() {
	return func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.closed {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), jobTimeout)
		defer cancel()
		f(ctx)
	}
}

// tickEngine lets the engine's time-driven rules run: the day rollover,
// the day end after closing, and the cutoff notice due at its set time;
// and tells the hall when the office has opened or closed.
func (a *App) tickEngine(ctx context.Context) {
	if err := a.Engine.Tick(ctx); err != nil {
		a.log.Warn("app: engine tick", "err", err)
	}
	a.Server.WatchHours()
}

// refreshForecast lets the forecaster run when its state is due (it runs
// beside the engine: the engine only reads its answer).
func (a *App) refreshForecast(ctx context.Context) {
	if _, err := a.Forecast.Refresh(ctx); err != nil {
		a.log.Warn("app: forecast", "err", err)
	}
}

// history is what the forecaster learns from at its first refresh: the
// journal of the recent days, oldest first (today it learned at Start).
// A day that cannot be read is left out.
func (a *App) history() ([][]queue.Event, error) {
	days, err := a.Store.Days()
	if err != nil {
		return nil, err
	}
	today := a.Office.Day(a.cfg.Clock.Now())
	days = slices.DeleteFunc(days, func(d string) bool { return d >= today })
	var out [][]queue.Event
	for _, d := range days[max(0, len(days)-forecast.RecentDays):] {
		evs, err := a.Store.DayEvents(d)
		if err != nil {
			a.log.Warn("app: forecast history", "day", d, "err", err)
			continue
		}
		out = append(out, evs)
	}
	return out, nil
}

// running chooses the configuration the office starts with: the running
// configuration the store kept (the office file plus the changes made
// while it ran), unless there is none or Config.ConfigWins says the file
// wins, in which case the stored one is dropped and the drop recorded. A
// stored configuration the validator now refuses (a newer file format's
// rules) is not run: the file is, with a warning.
func (a *App) running() error {
	stored, err := a.Store.RunningOffice()
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	case a.cfg.ConfigWins:
		if err := a.Store.ForgetRunningOffice(); err != nil {
			return err
		}
		_, err := a.Store.AppendChange(queue.Change{At: a.cfg.Clock.Now(), Actor: "system", Kind: "config.file_wins",
			Subject: "configuration", Old: queue.ChangeJSON(stored), New: queue.ChangeJSON(a.File), Effective: queue.EffectiveNow})
		a.log.Info("app: the office file wins (--config-wins): the running configuration changed on the admin pages is dropped")
		return err
	}
	checked, err := office.Check(stored)
	if err != nil {
		a.log.Warn("app: the stored running configuration is not valid; starting from the office file", "err", err)
		return nil
	}
	a.Office = checked
	return nil
}

// purge deletes the journal of the office days past the retention period
// (DESIGN.md invariant 6), and the store compacts its file so that no
// byte of them is left in it or in later backups. The store never purges
// the current day. It runs at Open and then every hour of office time;
// commits go on while it compacts.
func (a *App) purge() {
	o := a.Engine.Office() // the running configuration: its retention may have changed
	keepFrom := o.Day(a.cfg.Clock.Now().AddDate(0, 0, -o.RetentionDays))
	a.aggregate(context.Background(), keepFrom)
	a.purgeStaffFigures()
	a.purgeFeedback()
	start := time.Now()
	if days := o.AuditRetentionDays; days > 0 {
		if n, err := a.Store.PurgeChanges(a.cfg.Clock.Now().AddDate(0, 0, -days)); err != nil {
			a.log.Warn("app: purge of the audit trail", "err", err)
		} else if n > 0 {
			a.log.Info("app: purged configuration changes past their retention", "changes", n, "days", days)
		}
	}
	// A booked visitor's contact goes the day after the visit (issue 17);
	// the journal's purge below compacts its bytes away with the day's.
	if n, err := a.Store.PurgeContacts(o.Day(a.cfg.Clock.Now())); err != nil {
		a.log.Warn("app: purge of booking contacts", "err", err)
	} else if n > 0 {
		a.log.Info("app: deleted booking contacts the day after their visits", "contacts", n)
	}
	// Settled bookings go after the same retention as the journal; the
	// engine let them go from memory the day after theirs.
	if n, err := a.Store.PurgeBookings(keepFrom, o.Day); err != nil {
		a.log.Warn("app: purge of bookings", "err", err)
	} else if n > 0 {
		a.log.Info("app: purged bookings past retention", "bookings", n, "kept_from", keepFrom)
	}
	n, err := a.Store.Purge(keepFrom)
	switch {
	case errors.Is(err, store.ErrBusy):
		a.log.Info("app: purge postponed to the next hour: a backup is being taken")
	case err != nil:
		a.log.Warn("app: purge", "err", err)
	case n > 0:
		a.log.Info("app: purged days past retention and compacted the store", "days", n, "kept_from", keepFrom,
			"took", time.Since(start).Round(time.Millisecond))
	}
}

// Listen starts serving on addr (use port 0 for any free port) and returns
// once the port listens.
func (a *App) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	a.Serve(ln)
	return nil
}

// Serve starts serving on ln, for a caller that brings its own listener.
func (a *App) Serve(ln net.Listener) {
	a.ln = ln
	a.serveErr = make(chan error, 1)
	go func() { a.serveErr <- a.Server.Serve(ln) }()
}

// ListenMetrics serves the Prometheus metrics at /metrics on addr, with
// no sign-in: an address only the hall's monitoring reaches (loopback, the
// internal network), for a Prometheus that cannot sign in. It returns the
// address it listens on.
func (a *App) ListenMetrics(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen for metrics on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.Metrics.Handler())
	a.metrics = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	go func() {
		if err := a.metrics.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("app: metrics listener", "err", err)
		}
	}()
	return ln.Addr().String(), nil
}

// ListenPublic serves the public face on addr (server.ServePublic): only
// the pages and API visitors' phones use, for the Internet side of a
// reverse proxy. It returns the address it listens on.
func (a *App) ListenPublic(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen for the public face on %s: %w", addr, err)
	}
	go func() {
		if err := a.Server.ServePublic(ln); err != nil {
			a.log.Error("app: public listener", "err", err)
		}
	}()
	return ln.Addr().String(), nil
}

// Addr is the address the app listens on, as host:port.
func (a *App) Addr() string { return a.ln.Addr().String() }

// URL is the base URL the app answers on, e.g. http://127.0.0.1:8080.
func (a *App) URL() string {
	addr := a.ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port))
}

// Wait reports the server stopping on its own (a listener failure).
func (a *App) Wait() <-chan error { return a.serveErr }

// Close stops the time-driven work, stops serving gracefully (running
// requests finish, websockets close), then closes the engine and the
// store. It may be called more than once.
func (a *App) Close() error {
	for _, stop := range a.stops {
		stop()
	}
	a.stops = nil
	a.mu.Lock()
	already := a.closed
	a.closed = true
	a.mu.Unlock()
	if already {
		return nil
	}
	var errs []error
	if a.City != nil {
		errs = append(errs, a.City.Close())
	}
	if a.Webhooks != nil {
		errs = append(errs, a.Webhooks.Close())
	}
	if a.Server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		errs = append(errs, a.Server.Shutdown(ctx))
		if a.metrics != nil {
			errs = append(errs, a.metrics.Shutdown(ctx))
		}
		cancel()
	}
	if a.Engine != nil {
		errs = append(errs, a.Engine.Close())
	}
	if a.Store != nil {
		errs = append(errs, a.Store.Close())
	}
	return errors.Join(errs...)
}
