package server

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"langelis/queue"
)

// contentSecurityPolicy lets the pages run only what this server sends:
// they are plain HTML, CSS files and JavaScript modules, with no inline
// script or style, so anything else (an injected script, a stylesheet from
// elsewhere) is refused. No page may be framed (clickjacking a desk). The
// display plays a call's speech from a blob: URL when the browser has no
// Web Audio; only the page's own script can make one.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// secureHeaders go on every answer: the policy above, no framing (also for
// browsers without frame-ancestors), no content sniffing, and no Referer:
// a status page's address carries the ticket's token.
var secureHeaders = middleware.SecureWithConfig(middleware.SecureConfig{
	ContentSecurityPolicy: contentSecurityPolicy,
	XFrameOptions:         "DENY",
	ContentTypeNosniff:    "nosniff",
	ReferrerPolicy:        "no-referrer",
	// Strict-Transport-Security on answers over HTTPS (the server's own
	// TLS, or a proxy's X-Forwarded-Proto: https): a year, subdomains too.
	// Browsers ignore it over plain HTTP, so a forged header gains nothing.
	// A proxy may set it as well (docs/proxy.md).
	HSTSMaxAge: 365 * 24 * 3600,
})

// crossSiteGuard refuses a change (any method but GET and HEAD) that a
// browser sent from a page of another origin. A page on another port of
// the same host is the same site, so the SameSite=Strict cookie goes with
// its requests: without this check it could pause a signed-in clerk's desk
// with fetch(..., {mode: "no-cors", credentials: "include"}).
//
// A browser says where a request comes from in Sec-Fetch-Site (all current
// ones) or Origin; programs (the station programs, curl) send neither and
// authenticate with a bearer token, which a page of another site cannot
// set without the server's leave (CORS, which it never gives).
func (s *Server) crossSiteGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") || s.sameOrigin(r) {
			return next(c)
		}
		return queue.E(queue.EFORBIDDEN, "err.cross_site")
	}
}

// sameOrigin reports whether a browser request comes from this server's
// own pages, or from no browser at all.
func (s *Server) sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none": // "none": the person typed the address
		return true
	case "":
		// An older browser, or a program: the Origin decides.
	default: // same-site, cross-site
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" { // "null": a sandboxed frame, a file
		return false
	}
	host := strings.ToLower(u.Host)
	return host == strings.ToLower(r.Host) || s.allowedHost(host)
}

// headAsGet answers HEAD on every GET route: it routes the request as a
// GET, and net/http, which still sees the HEAD, sends the headers without
// the body.
func headAsGet(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			g := *r
			g.Method = http.MethodGet
			r = &g
		}
		h.ServeHTTP(w, r)
	})
}

// fromTrustedProxy reports whether the connection comes from a reverse
// proxy named by --trusted-proxy, whose X-Forwarded-* headers are believed.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	for _, n := range s.cfg.TrustedProxies {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// https reports whether the browser reached the server over HTTPS: its own
// TLS, or a trusted proxy's X-Forwarded-Proto. Anyone else's header is not
// believed (echo's Context.Scheme believes anyone's).
func (s *Server) https(c echo.Context) bool {
	r := c.Request()
	if r.TLS != nil {
		return true
	}
	return s.fromTrustedProxy(r) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// allowedHost reports whether host (lower case, with or without a port) is
// one of --allowed-host's names (with or without a port).
func (s *Server) allowedHost(host string) bool {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	for _, a := range s.cfg.AllowedHosts {
		a = strings.ToLower(a)
		if a == host || a == name {
			return true
		}
	}
	return false
}

// publicBase is the absolute address visitors' phones use to reach this
// server, for links printed on paper and QR codes: --public-url when set.
// Otherwise the request's own scheme and Host, when the Host is one the
// server answers at: the address the connection reached (the kiosk's
// 10.0.0.5:8080), localhost on a loopback connection, or an --allowed-host
// name. Any other Host is somebody's invention (the header is the
// client's to write), and a ticket's QR code must not send visitors to
// it: the connection's own address is used instead, and the log says so.
func (s *Server) publicBase(c echo.Context) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if s.https(c) {
		scheme = "https"
	}
	return scheme + "://" + s.publicHost(c)
}

func (s *Server) publicHost(c echo.Context) string {
	r := c.Request()
	host := strings.ToLower(r.Host)
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if local == nil {
		return "localhost"
	}
	if host == local.String() || s.allowedHost(host) {
		return host
	}
	if tcp, ok := local.(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		if name, _, err := net.SplitHostPort(host); (err == nil && name == "localhost") || host == "localhost" {
			return host
		}
	}
	s.alarm.raise(s.real.Now(), "host", "server: a request named a host this server does not answer at; "+
		"its ticket links use the server's own address (set --public-url or --allowed-host)",
		"host", queue.Clip(r.Host), "used", local.String())
	return local.String()
}
