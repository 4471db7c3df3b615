package central

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"langelis/assets"
	"langelis/i18n"
	"langelis/password"
	"langelis/queue"
)

// cookieName carries a staff sign-in on the centre.
const cookieName = "langelis_city_session"

// The centre's messages are the hall server's keyed texts
// (assets/web/i18n/errors), said in the language of the person who asked.
const (
	msgSignIn      = "err.signin.first"
	msgSignInWrong = "err.signin.wrong"
	msgSignInSlow  = "err.http.429"
	msgBadRequest  = "err.signin.empty"
	msgCrossSite   = "err.cross_site"
)

// contentSecurityPolicy: the centre's pages are plain HTML, CSS and
// JavaScript modules from this server, as the halls' are.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// handler is the centre's one route list.
func (c *Central) handler() http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.IPExtractor = echo.ExtractIPDirect()
	e.HTTPErrorHandler = c.errorHandler
	e.Pre(middleware.SecureWithConfig(middleware.SecureConfig{ContentSecurityPolicy: contentSecurityPolicy,
		XFrameOptions: "DENY", ContentTypeNosniff: "nosniff", ReferrerPolicy: "no-referrer"}))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true}))
	e.Use(middleware.BodyLimit("16K"))
	e.Use(c.sameOrigin)
	web, err := fs.Sub(assets.FS, "web")
	if err != nil {
		panic("central: embedded assets: " + err.Error())
	}
	e.GET("/", func(ec echo.Context) error { return ec.Redirect(http.StatusFound, "/halls") })
	e.GET("/halls", page(web, "halls.html"))
	e.GET("/city", page(web, "city.html"))
	e.GET("/healthz", c.handleHealth)
	api := e.Group("/api/v1")
	api.GET("/halls", c.handleHalls)
	api.GET("/city", c.handleCity, c.staffOnly)
	api.POST("/session", c.handleLogin)
	api.GET("/session", c.handleWhoAmI, c.staffOnly)
	api.DELETE("/session", c.handleLogout)
	files := http.FileServerFS(web)
	e.GET("/static/*", echo.WrapHandler(http.StripPrefix("/static/", files)))
	return e
}

func page(web fs.FS, name string) echo.HandlerFunc {
	return func(ec echo.Context) error {
		data, err := fs.ReadFile(web, name)
		if err != nil {
			return echo.NewHTTPError(http.StatusNotFound, "No such page.")
		}
		ec.Response().Header().Set("Cache-Control", "no-cache")
		return ec.HTMLBlob(http.StatusOK, data)
	}
}

// errorHandler answers {"error": {"code", "message"}} as the halls do.
func (c *Central) errorHandler(err error, ec echo.Context) {
	if ec.Response().Committed {
		return
	}
	code, status, msg := queue.EINTERNAL, http.StatusInternalServerError, i18n.T(lang(ec), "err.internal")
	var he *echo.HTTPError
	var qe *queue.Error
	switch {
	case errors.As(err, &qe):
		code, msg = qe.Code, i18n.T(lang(ec), qe.Key, qe.Args...)
		status = map[string]int{queue.EINVALID: 400, queue.EUNAUTHORIZED: 401, queue.EFORBIDDEN: 403,
			queue.ENOTFOUND: 404, queue.ETOOMANY: 429}[qe.Code]
		if status == 0 {
			status = http.StatusInternalServerError
		}
	case errors.As(err, &he):
		status, msg = he.Code, i18n.T(lang(ec), "err.internal")
		switch status {
		case 400, 401, 403, 404, 405, 413, 415, 429, 503:
			msg = i18n.T(lang(ec), fmt.Sprintf("err.http.%d", status))
		}
		code = queue.EINVALID
		if status == http.StatusNotFound {
			code = queue.ENOTFOUND
		}
	default:
		c.log.Error("central: request", "path", ec.Request().URL.Path, "err", err)
	}
	ec.JSON(status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

// sameOrigin refuses a change a browser sent from a page of another
// origin (the sign-in cookie is SameSite=Strict too).
func (c *Central) sameOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(ec echo.Context) error {
		r := ec.Request()
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			return next(ec)
		}
		if o := r.Header.Get("Origin"); o != "" {
			u, err := url.Parse(o)
			if err != nil || !strings.EqualFold(u.Host, r.Host) {
				return queue.E(queue.EFORBIDDEN, msgCrossSite)
			}
		}
		return next(ec)
	}
}

func (c *Central) handleHealth(ec echo.Context) error {
	ok := c.Feed.Connected()
	status := http.StatusOK
	if !ok {
		status = http.StatusServiceUnavailable
	}
	return ec.JSON(status, map[string]any{"nats_connected": ok, "feed": c.Feed.Stats()})
}

// staffOnly lets a signed-in staff account through.
func (c *Central) staffOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(ec echo.Context) error {
		token := ""
		if ck, err := ec.Cookie(cookieName); err == nil {
			token = ck.Value
		}
		if h := ec.Request().Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			token = strings.TrimPrefix(h, "Bearer ")
		}
		if token == "" {
			return queue.E(queue.EUNAUTHORIZED, msgSignIn)
		}
		ss, err := c.Store.Session(token, time.Now())
		if err != nil {
			return queue.E(queue.EUNAUTHORIZED, msgSignIn)
		}
		u, err := c.Store.User(ss.Username)
		if err != nil || u.Disabled {
			return queue.E(queue.EUNAUTHORIZED, msgSignIn)
		}
		ec.Set("user", u)
		return next(ec)
	}
}

// signInLimits allow each address a few sign-ins a minute, so a password
// cannot be guessed from the network.
type signInLimits struct {
	mu sync.Mutex
	m  map[string]*rate.Limiter
}

var limits = &signInLimits{m: map[string]*rate.Limiter{}}

func (l *signInLimits) allow(addr string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.m) > 10000 {
		l.m = map[string]*rate.Limiter{}
	}
	lim, ok := l.m[addr]
	if !ok {
		lim = rate.NewLimiter(rate.Every(6*time.Second), 5)
		l.m[addr] = lim
	}
	return lim.Allow()
}

func (c *Central) handleLogin(ec echo.Context) error {
	var req struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if !strings.HasPrefix(ec.Request().Header.Get("Content-Type"), "application/json") ||
		json.NewDecoder(ec.Request().Body).Decode(&req) != nil || req.Username == "" || req.Password == "" {
		return queue.E(queue.EINVALID, msgBadRequest)
	}
	if !limits.allow(ec.RealIP()) {
		return queue.E(queue.ETOOMANY, msgSignInSlow)
	}
	u, err := c.Store.User(strings.TrimSpace(req.Username))
	if err != nil || u.Disabled || !password.Check(u.PasswordHash, req.Password) {
		return queue.E(queue.EUNAUTHORIZED, msgSignInWrong)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := time.Now()
	ss := queue.Session{Username: u.Username, CreatedAt: now, ExpiresAt: now.Add(c.cfg.SessionTTL)}
	if err := c.Store.PutSession(token, ss); err != nil {
		return err
	}
	ec.SetCookie(&http.Cookie{Name: cookieName, Value: token, Path: "/", HttpOnly: true, Secure: ec.Request().TLS != nil,
		SameSite: http.SameSiteStrictMode, Expires: ss.ExpiresAt})
	return ec.JSON(http.StatusOK, map[string]any{"token": token, "user": map[string]string{"username": u.Username, "name": u.Name}})
}

func (c *Central) handleWhoAmI(ec echo.Context) error {
	u := ec.Get("user").(queue.User)
	return ec.JSON(http.StatusOK, map[string]string{"username": u.Username, "name": u.Name})
}

func (c *Central) handleLogout(ec echo.Context) error {
	if ck, err := ec.Cookie(cookieName); err == nil {
		c.Store.DeleteSession(ck.Value)
	}
	ec.SetCookie(&http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	return ec.NoContent(http.StatusNoContent)
}

// lang is the language of the person who asked: the page's ?lang, else the
// browser's first language Langelis has, else the city's (cityLanguage).
func lang(ec echo.Context) string {
	if l := ec.QueryParam("lang"); queue.ValidLanguage(l) {
		return l
	}
	for _, part := range strings.Split(ec.Request().Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if queue.ValidLanguage(base) {
			return base
		}
	}
	return cityLanguage
}

// cityLanguage answers a person whose language is not known at the city's
// centre. The centre has no office file to take a first language from;
// the city it serves (Vilnius, docs/city.md) speaks Lithuanian. A city
// elsewhere would make this a flag of `langelis central`.
const cityLanguage = "lt"
