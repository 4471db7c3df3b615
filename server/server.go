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
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"langelis/accounts"
	"langelis/mail"
	"langelis/queue"
	"langelis/store"
	"langelis/wire"
)

// Config wires a Server.
type Config struct {
	Engine *queue.Engine
	Store  *store.Store
	Logger *slog.Logger
	// File is the office file's definition, which /admin compares with
	// the running configuration (the engine's); nil: the office the
	// engine started with.
	File       *queue.Office
	SessionTTL time.Duration // how long a sign-in lasts, in real time; 12 hours when zero
	LocalToken string        // lets the local `langelis backup` command in; empty disables it
	// RealClock is real time: session and cookie lifetimes and the
	// rate-limit windows run on it, never on the office clock (the
	// engine's), which may be set hours away for a demonstration or a
	// test. The system clock when nil.
	RealClock queue.Clock
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
	PhoneLimit int    // phone tickets per address (an IPv6 /64) per 10 minutes; 20 when zero
	PublicURL  string // the base of links printed on tickets; empty: each request's own scheme and host
	// AllowedHosts are the host names (optionally with a port) the hall
	// reaches the server by. Without PublicURL, a ticket's links use the
	// request's Host only when it is one of these, the address the
	// connection reached, or localhost on loopback.
	AllowedHosts []string
	// IssueRate is how many tickets a minute one kiosk computer (by
	// address) or one signed-in account may take; 60 when zero, no limit
	// when negative (a load generator standing for a whole hall).
	IssueRate int
	// SignInSlots is how many bcrypt checks may run at once (half the
	// CPUs when zero); SignInWait how long a sign-in waits for one before
	// it is answered 503 (5 s when zero).
	SignInSlots int
	SignInWait  time.Duration
	// KeepAlive is how often each websocket is pinged (wire.KeepAlive when
	// zero); tests shorten it. Clients hear it in the hello.
	KeepAlive time.Duration
	// Reports is where /admin/reports and /results read the daily
	// figures (package app); without it they answer unavailable.
	Reports Figures
	// Limits caps connections and sets the HTTP timeouts (limits.go);
	// zero fields take the defaults.
	Limits Limits
	// Metrics serves the Prometheus metrics (package metrics) at
	// GET /metrics, to admins; nil: /metrics is not found.
	Metrics http.Handler
	// Webhooks, when set, are managed at /api/v1/admin/webhooks
	// (package webhook); without them those answer unavailable.
	Webhooks Webhooks
	// Mail, when set, sends booked visitors who gave an e-mail address
	// their booking and its changes (booking_mail.go).
	Mail *mail.Sender
}

// Server serves one office.
type Server struct {
	cfg    Config
	echo   *echo.Echo
	engine *queue.Engine
	store  *store.Store
	hub    *Hub
	log    *slog.Logger
	clock  queue.Clock // the office clock: office rules
	real   queue.Clock // real time: sessions, cookies, rate limits
	http   *http.Server

	signIns   *signIns
	phones    *phoneGuard
	issueRate *rateLimiter // nil: no limit
	fbRate    *rateLimiter // the public complaints form's (feedback.go)
	alarm     *alarm
	previews  previewCache
	seq       atomic.Uint64 // the last committed event's sequence number
	conns     *wsCounter    // websockets against Limits
	watch     *ticketWatch  // the ticket streams' tickets
	snaps     snapshotCache // the latest snapshot messages
	accounts  *accounts.Service
	hours     hoursWatch   // open or closed at the last look (WatchHours)
	counts    *counters    // refusals and sign-in failures, for package metrics (counters.go)
	bookRate  *rateLimiter // the public booking calls (booking.go)

	pubMu  sync.Mutex
	public *http.Server // the public face's server (face.go), nil until ServePublic
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
	if cfg.RealClock == nil {
		cfg.RealClock = queue.SystemClock{}
	}
	if cfg.KeepAlive <= 0 {
		cfg.KeepAlive = wire.KeepAlive
	}
	cfg.Limits = cfg.Limits.withDefaults(openFileLimit())
	if err := cfg.Limits.check(); err != nil {
		return nil, err
	}
	snap, err := cfg.Engine.Snapshot(context.Background())
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, engine: cfg.Engine, store: cfg.Store, log: cfg.Logger, clock: cfg.Engine.Clock(),
		real: cfg.RealClock, hub: NewHub(snap.Seq, cfg.Logger, cfg.KeepAlive), signIns: newSignIns(cfg.SignInSlots, cfg.SignInWait),
		phones: newPhoneGuard(cfg.PhoneLimit), issueRate: newRateLimiter(cfg.IssueRate), alarm: newAlarm(cfg.Logger),
		fbRate: newFeedbackLimiter()}
	s.seq.Store(snap.Seq)
	s.counts = newCounters()
	s.accounts = &accounts.Service{Store: cfg.Store, Clock: s.clock}
	s.conns = newWSCounter(cfg.Limits, cfg.RealClock, cfg.Logger.Warn)
	s.watch = newTicketWatch(s)
	cfg.Engine.SetPublisher(s.published)
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
	e.Pre(secureHeaders) // on every answer, errors and 404s included
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true}))
	e.Use(middleware.BodyLimit("64K"))
	e.Use(s.logRequests)
	e.Use(s.faceGuard) // the public listener answers only the public routes (face.go)
	e.Use(s.crossSiteGuard)
	s.echo = e
	s.routes()
	lim := cfg.Limits
	s.http = &http.Server{Handler: e, ReadHeaderTimeout: min(10*time.Second, lim.ReadTimeout),
		ReadTimeout: lim.ReadTimeout, WriteTimeout: lim.WriteTimeout, IdleTimeout: lim.IdleTimeout}
	s.http.Handler = s.Handler() // HEAD on every GET route (see Handler)
	return s, nil
}

// routes lists every endpoint; each resource's handlers live in its own file.
func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.handleHealth)
	e.GET("/metrics", s.handleMetrics)
	e.GET("/privacy", s.handlePrivacy)             // legal.go
	e.GET("/accessibility", s.handleAccessibility) // legal.go
	api := e.Group("/api/v1")
	api.GET("/openapi.json", s.handleOpenAPI) // every route below is described in package wire
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
	api.POST("/session/password", s.handleChangePassword)
	api.GET("/admin/users", s.handleUsers)
	api.POST("/admin/users", s.handleAddUser)
	api.POST("/admin/users/:username/:action", s.handleUserAction)
	api.DELETE("/admin/sessions/:id", s.handleEndSession)
	api.GET("/admin/live", s.handleLive)
	api.POST("/admin/services/:letter/pause", s.handlePauseService)
	api.POST("/admin/services/:letter/resume", s.handleResumeService)
	api.POST("/admin/display-message", s.handleDisplayMessage)
	api.DELETE("/admin/display-message", s.handleClearDisplayMessage)
	api.GET("/reports", s.handleReport)
	api.GET("/reports.csv", s.handleReportCSV)
	api.GET("/reports.xlsx", s.handleReportXLSX)
	api.GET("/reports/monthly.pdf", s.handleMonthlyPDF)
	api.POST("/reports/rebuild", s.handleRebuild)
	api.GET("/results", s.handleResults)
	api.GET("/announce", s.handleAnnounce)
	api.GET("/announce/speech.wav", s.handleSpeech)
	api.GET("/voice", s.handleVoice) // voice.go: the kiosk's voice mode
	api.GET("/voice/speech.wav", s.handleVoiceWAV)
	// Satisfaction after service and complaints (feedback*.go).
	api.POST("/tickets/:id/rating", s.handleRate)
	api.POST("/feedback/desk/:n/rating", s.handleDeskRate)
	api.POST("/feedback", s.handleFeedback)
	// The manager's configuration and audit (admin_config.go, admin_audit.go).
	adm := api.Group("/admin")
	adm.GET("/config", s.handleConfig, s.adminOnly)
	adm.GET("/config.yaml", s.handleExportConfig) // an admin, or the CLI's local token
	adm.POST("/services", s.handleAddService, s.adminOnly)
	adm.PUT("/services/:letter", s.handleChangeService, s.adminOnly)
	adm.POST("/services/:letter/retire", s.handleRetireService, s.adminOnly)
	adm.POST("/desks", s.handleAddDesk, s.adminOnly)
	adm.PUT("/desks/:desk", s.handleChangeDesk, s.adminOnly)
	adm.POST("/desks/:desk/retire", s.handleRetireDesk, s.adminOnly)
	adm.PUT("/hours", s.handleSetWeek, s.adminOnly)
	adm.POST("/holidays", s.handleAddHoliday, s.adminOnly)
	adm.DELETE("/holidays/:date", s.handleRemoveHoliday, s.adminOnly)
	adm.PUT("/exceptions", s.handleSetException, s.adminOnly)
	adm.DELETE("/exceptions/:date", s.handleRemoveException, s.adminOnly)
	adm.PUT("/rules", s.handleSetRules, s.adminOnly)
	adm.GET("/audit", s.handleAudit, s.adminOnly)
	adm.GET("/feedback", s.handleFeedbackList, s.adminOnly)
	adm.GET("/feedback.csv", s.handleFeedbackCSV, s.adminOnly)
	adm.GET("/feedback.xlsx", s.handleFeedbackXLSX, s.adminOnly)
	adm.POST("/feedback/:id/status", s.handleFeedbackStatus, s.adminOnly)
	adm.GET("/ratings", s.handleRatingComments, s.adminOnly)
	s.webhookRoutes(adm) // webhooks.go
	s.bookingRoutes(api)
	s.staticRoutes()
}

// Handler returns the HTTP handler, for tests that bring their own listener.
func (s *Server) Handler() http.Handler { return headAsGet(s.echo) }

// Hub returns the websocket hub.
func (s *Server) Hub() *Hub { return s.hub }

// Limits returns the connection limits in force, defaults filled in.
func (s *Server) Limits() Limits { return s.cfg.Limits }

// Serve answers on ln until Shutdown, accepting at most Limits.MaxConns
// connections at once (more wait in the kernel's queue until one closes).
// The time-driven rules (day end, session checks, retention) are not the
// server's: package app runs them on the clocks it was given.
func (s *Server) Serve(ln net.Listener) error {
	err := s.http.Serve(newLimitListener(ln, s.cfg.Limits.MaxConns))
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops taking requests, lets the running ones finish, and closes
// the websocket connections.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	s.pubMu.Lock()
	if s.public != nil {
		err = errors.Join(err, s.public.Shutdown(ctx))
	}
	s.pubMu.Unlock()
	s.watch.close()
	s.hub.Close()
	return err
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
