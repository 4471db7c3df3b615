// Package server is the echo HTTP server: the public JSON API under
// /api/v1, the websocket hub, sign-in, and the embedded web pages.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"langelis/queue"
	"langelis/store"
	"langelis/wire"
)

// Config wires a Server.
type Config struct {
	Engine     *queue.Engine
	Store      *store.Store
	Logger     *slog.Logger
	SessionTTL time.Duration // how long a sign-in lasts; 12 hours when zero
	LocalToken string        // lets the local `langelis backup` command in; empty disables it
	TickEvery  time.Duration // how often time-driven rules run; 5 s when zero
	// TrustedProxies are the networks (CIDR) of reverse proxies whose
	// X-Forwarded-For is believed. Without any, the client's address is the
	// connection's, so nobody can dodge the sign-in and phone-ticket limits
	// by sending the header themselves.
	TrustedProxies []*net.IPNet
	// KioskNets are the networks (CIDR) of the hall's kiosk computers. A
	// ticket request from there (or from a signed-in station or clerk) may
	// name its kiosk and channel; from anywhere else it is a phone ticket,
	// under the flood guard, and names no kiosk, so no phone can make a
	// kiosk print. Without any, only loopback is trusted.
	KioskNets  []*net.IPNet
	PhoneLimit int    // phone tickets per address per 10 minutes; 20 when zero
	PublicURL  string // the base of links printed on tickets; empty: each request's own scheme and host
	// KeepAlive is how often each websocket is pinged (wire.KeepAlive when
	// zero); tests shorten it. Clients hear it in the hello.
	KeepAlive time.Duration
}

// Server serves one office.
type Server struct {
	cfg    Config
	echo   *echo.Echo
	engine *queue.Engine
	store  *store.Store
	hub    *Hub
	log    *slog.Logger
	clock  queue.Clock
	http   *http.Server
	limits *limiter
	phones *phoneGuard

	stop chan struct{}
	wg   sync.WaitGroup
}

// New builds the server and subscribes its hub to the engine.
func New(cfg Config) (*Server, error) {
	if cfg.Engine == nil || cfg.Store == nil {
		return nil, errors.New("server: engine and store are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.TickEvery == 0 {
		cfg.TickEvery = 5 * time.Second
	}
	if cfg.KeepAlive <= 0 {
		cfg.KeepAlive = wire.KeepAlive
	}
	snap, err := cfg.Engine.Snapshot(context.Background())
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, engine: cfg.Engine, store: cfg.Store, log: cfg.Logger, clock: cfg.Engine.Clock(),
		hub: NewHub(snap.Seq, cfg.Logger), limits: newLimiter(), phones: newPhoneGuard(cfg.PhoneLimit), stop: make(chan struct{})}
	cfg.Engine.SetPublisher(s.hub.Publish)
	cfg.Engine.SetCutoffListener(s.hub.PublishCutoff)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler
	e.IPExtractor = echo.ExtractIPDirect()
	if len(cfg.TrustedProxies) > 0 {
		opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
		for _, n := range cfg.TrustedProxies {
			opts = append(opts, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true}))
	e.Use(middleware.BodyLimit("64K"))
	e.Use(s.logRequests)
	s.echo = e
	s.routes()
	s.http = &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	return s, nil
}

// routes lists every endpoint; each resource's handlers live in its own file.
func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.handleHealth)
	api := e.Group("/api/v1")
	api.GET("/office", s.handleOffice)
	api.GET("/queue", s.handleQueue)
	api.POST("/tickets", s.handleIssue)
	api.GET("/tickets/preview", s.handlePreview)
	api.GET("/tickets/:id", s.handleTicket)
	api.POST("/tickets/:id/cancel", s.handleCancel)
	api.GET("/tickets/:id/pdf", s.handleTicketPDF)
	api.GET("/tickets/:id/qr.svg", s.handleTicketQR)
	api.POST("/kiosks/:name/print-failed", s.handlePrintFailed)
	api.POST("/desks/:desk/:action", s.handleDeskAction)
	api.GET("/desks/:desk", s.handleDeskView)
	api.POST("/admin/desks/:desk/close", s.handleForceClose)
	api.POST("/session", s.handleLogin)
	api.GET("/session", s.handleWhoAmI)
	api.DELETE("/session", s.handleLogout)
	api.GET("/ws", s.handleWS)
	api.GET("/admin/backup", s.handleBackup)
	api.GET("/announce", s.handleAnnounce)
	api.GET("/announce/speech.wav", s.handleSpeech)
	s.staticRoutes()
}

// Handler returns the HTTP handler, for tests that bring their own listener.
func (s *Server) Handler() http.Handler { return s.echo }

// Hub returns the websocket hub.
func (s *Server) Hub() *Hub { return s.hub }

// Serve answers on ln until Shutdown, and runs the time-driven rules.
func (s *Server) Serve(ln net.Listener) error {
	s.wg.Add(1)
	go s.background()
	err := s.http.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops taking requests, lets the running ones finish, and closes
// the websocket connections.
func (s *Server) Shutdown(ctx context.Context) error {
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	err := s.http.Shutdown(ctx)
	s.hub.Close()
	s.wg.Wait()
	return err
}

// background runs the day's clockwork: rollover and day end, and the end
// of expired sessions (whose desks close, nothing lost).
func (s *Server) background() {
	defer s.wg.Done()
	tick := time.NewTicker(s.cfg.TickEvery)
	defer tick.Stop()
	s.purge()
	lastPurge := time.Now()
	n := 0
	for {
		select {
		case <-s.stop:
			return
		case <-tick.C:
			if time.Since(lastPurge) > time.Hour {
				s.purge()
				lastPurge = time.Now()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			if err := s.engine.Tick(ctx); err != nil {
				s.log.Warn("server: tick", "err", err)
			}
			if n++; n%12 == 0 {
				s.expireSessions()
			}
			s.closeOrphanDesks(ctx)
			cancel()
		}
	}
}

func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		s.log.Debug("http", "method", c.Request().Method, "path", c.Request().URL.Path,
			"status", c.Response().Status, "took", time.Since(start))
		return nil
	}
}

func (s *Server) handleHealth(c echo.Context) error {
	if err := s.store.CheckWritable(s.clock.Now()); err != nil {
		return &queue.Error{Code: queue.EUNAVAILABLE, Message: "The store is not writable."}
	}
	return c.JSON(http.StatusOK, wire.Health{Status: "ok"})
}

// purge deletes the journal of the days past the office's retention period
// (DESIGN.md invariant 6: stored data is purged after the configured
// retention). The store never purges the current day.
func (s *Server) purge() {
	o := s.engine.Office()
	keepFrom := o.Day(s.clock.Now().AddDate(0, 0, -o.RetentionDays))
	n, err := s.store.Purge(keepFrom)
	if err != nil {
		s.log.Warn("server: purge", "err", err)
		return
	}
	if n > 0 {
		s.log.Info("server: purged days past retention", "days", n, "kept_from", keepFrom)
	}
}
