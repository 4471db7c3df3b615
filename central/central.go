package central

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"langelis/city"
	"langelis/citynats"
)

// Config says what the centre opens.
type Config struct {
	Data string // the data folder: central.db, and JetStream's files when embedded
	// Store, when set, is where the centre keeps what it holds (a
	// PostgreSQL store); else the bbolt file DATA/central.db.
	Store Store
	// NATS is the city's NATS; with Embed, the centre runs its own and
	// NATS.URLs may be empty.
	NATS     citynats.ConnConfig
	Embed    *citynats.HubConfig
	Replicas int // the stream's replicas (3 on a NATS cluster)

	Logger     *slog.Logger
	SessionTTL time.Duration // how long a staff sign-in lasts; 12 h when zero
	// StaleAfter is how long without a hall's status before its link
	// shows as down; 20 s when zero.
	StaleAfter time.Duration
	// StatusEvery is the positions heartbeat; 5 s when zero.
	Every time.Duration
}

// Central is the running centre.
type Central struct {
	cfg   Config
	log   *slog.Logger
	Store Store
	Feed  *citynats.Feed
	Hub   *citynats.Hub // the embedded NATS, when asked

	ln   net.Listener
	http *http.Server

	mu       sync.Mutex
	statuses map[string]heard
	closing  bool // Close began: heard starts no more work (c.wg)
	started  time.Time

	figMu  sync.Mutex
	figs   map[figKey]Figures
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// heard is a hall's latest status and when it came (real time).
type heard struct {
	city.Status
	at time.Time
}

// Open opens the store, starts (or reaches) NATS and the feed. It does
// not listen yet: see Listen.
func Open(ctx context.Context, cfg Config) (*Central, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.StaleAfter <= 0 {
		cfg.StaleAfter = 20 * time.Second
	}
	c := &Central{cfg: cfg, log: cfg.Logger, statuses: map[string]heard{}, figs: map[figKey]Figures{}, started: time.Now()}
	var err error
	if c.Store = cfg.Store; c.Store == nil {
		if c.Store, err = OpenBolt(filepath.Join(cfg.Data, FileName)); err != nil {
			return nil, err
		}
	}
	if cfg.Embed != nil {
		hc := *cfg.Embed
		if hc.StoreDir == "" {
			hc.StoreDir = filepath.Join(cfg.Data, "jetstream")
		}
		if c.Hub, err = citynats.StartHub(hc); err != nil {
			c.Store.Close()
			return nil, err
		}
		if cfg.NATS.URLs == "" {
			cfg.NATS.URLs = c.Hub.ClientURL()
			cfg.NATS.User, cfg.NATS.Password = hc.User, hc.Password
		}
	}
	c.Feed, err = citynats.StartFeed(ctx, citynats.FeedConfig{Conn: cfg.NATS, Replicas: cfg.Replicas, Logger: c.log,
		Every: cfg.Every, Status: c.heard}, c.Store)
	if err != nil {
		c.closeStores()
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.wg.Add(1)
	go func() { defer c.wg.Done(); c.jobs(runCtx) }()
	return c, nil
}

func (c *Central) closeStores() {
	if c.Hub != nil {
		c.Hub.Close()
	}
	c.Store.Close()
}

// Listen serves the city view on addr (port 0: any free port).
func (c *Central) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	c.ln = ln
	c.http = &http.Server{Handler: c.handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() {
		if err := c.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			c.log.Error("central: serving", "err", err)
		}
	}()
	return nil
}

// URL is the base URL the centre answers on.
func (c *Central) URL() string {
	a := c.ln.Addr().(*net.TCPAddr)
	host := a.IP.String()
	if a.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(a.Port))
}

// Close stops serving and consuming, then closes the store.
func (c *Central) Close() error {
	if c.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c.http.Shutdown(ctx)
		cancel()
	}
	c.cancel()
	// A status may still arrive on NATS's goroutine: after this, heard
	// starts no work, so Wait does not race with its Add.
	c.mu.Lock()
	c.closing = true
	c.mu.Unlock()
	c.wg.Wait()
	c.Feed.Close()
	if c.Hub != nil {
		c.Hub.Close()
	}
	return c.Store.Close()
}

// heard keeps a hall's status (the feed calls it on NATS's goroutine).
func (c *Central) heard(s city.Status) {
	c.mu.Lock()
	old, known := c.statuses[s.Hall]
	if known && s.At.Before(old.At) && s.Started.Equal(old.Started) {
		c.mu.Unlock()
		return // an older one, late
	}
	c.statuses[s.Hall] = heard{Status: s, at: time.Now()}
	changed := !known || old.Name != s.Name || old.URL != s.URL || old.RetentionDays != s.RetentionDays
	changed = changed && !c.closing
	if changed {
		c.wg.Add(1) // under c.mu: before Close's Wait, or not at all
	}
	c.mu.Unlock()
	if changed {
		go func() {
			defer c.wg.Done()
			if err := c.Store.SetRetention(s.Hall, s.RetentionDays); err != nil {
				c.log.Warn("central: retention", "hall", s.Hall, "err", err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := c.Feed.PublishHalls(ctx, c.hallList()); err != nil {
				c.log.Warn("central: the list of halls was not sent down the wire", "err", err)
			}
		}()
	}
}

// hallList is the list of halls sent down the wire: every hall that ever
// sent its status since the centre started, or holds events here.
func (c *Central) hallList() []city.Hall {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []city.Hall
	for id, h := range c.statuses {
		out = append(out, city.Hall{ID: id, Name: h.Name, Names: h.Names, URL: h.URL, Updated: h.at.UTC()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// status returns a hall's latest status and when it came.
func (c *Central) status(hall string) (heard, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.statuses[hall]
	return h, ok
}

// jobs: the purge with each hall's retention, and expired sign-ins.
func (c *Central) jobs(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		c.purge()
		if err := c.Store.ExpireSessions(time.Now()); err != nil {
			c.log.Warn("central: sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// purge deletes each hall's days past that hall's retention, counted
// from the hall's own today.
func (c *Central) purge() {
	halls, err := c.Store.Halls()
	if err != nil {
		c.log.Warn("central: purge", "err", err)
		return
	}
	for _, h := range halls {
		today := time.Now().UTC().Format(time.DateOnly)
		if s, ok := c.status(h.ID); ok && s.Day != "" {
			today = s.Day
		}
		from := keepFrom(today, h.RetentionDays)
		if from == "" {
			continue
		}
		n, err := c.Store.Purge(h.ID, from)
		if err != nil {
			c.log.Warn("central: purge", "hall", h.ID, "err", err)
		} else if n > 0 {
			c.log.Info("central: purged days past the hall's retention", "hall", h.ID, "days", n, "kept_from", from)
		}
	}
}
