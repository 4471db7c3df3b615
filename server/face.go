package server

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// The two faces. Visitors' phones reach the status, phone-ticket and
// results pages from the Internet; desks, admin, metrics and backups
// belong on the hall's network. With a public listener (ServePublic,
// langelis serve --public-addr) the server answers there only the
// operations package wire marks Public, and treats every request there
// as a stranger's from outside the hall: no sign-in is believed, and
// nothing there is a kiosk computer. The main listener serves both faces,
// as it always has.

type faceKey struct{}

// publicFace marks the requests of the public listener.
func publicFace(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(context.WithValue(r.Context(), faceKey{}, true))
		// Credentials have no business on the Internet side: a token or
		// cookie carried there is not believed, so no staff view (the
		// staff snapshot on the websocket) can leave through it.
		r.Header.Del("Authorization")
		if cs := r.Cookies(); len(cs) > 0 {
			var keep []string
			for _, c := range cs {
				if c.Name != cookieName {
					keep = append(keep, c.String())
				}
			}
			r.Header.Del("Cookie")
			if len(keep) > 0 {
				r.Header.Set("Cookie", strings.Join(keep, "; "))
			}
		}
		h.ServeHTTP(w, r)
	})
}

// onPublicFace reports whether the request came in on the public listener.
func onPublicFace(c echo.Context) bool {
	v, _ := c.Request().Context().Value(faceKey{}).(bool)
	return v
}

// publicRoutes are the public operations as echo's routes, "GET /t/:token".
var publicRoutes = func() map[string]bool {
	m := map[string]bool{}
	for _, o := range wire.Operations() {
		if o.Public {
			m[o.Method+" "+echoPath(o.Path)] = true
		}
	}
	return m
}()

// echoPath turns an OpenAPI path into echo's: {id} → :id, {path} → *.
func echoPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			if s == "{path}" && i == len(parts)-1 {
				parts[i] = "*"
			} else {
				parts[i] = ":" + s[1:len(s)-1]
			}
		}
	}
	return strings.Join(parts, "/")
}

// faceGuard answers 404 on the public listener for every route that is
// not public, as if it were not there (it runs after routing: c.Path() is
// the route).
func (s *Server) faceGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if onPublicFace(c) && !publicRoutes[c.Request().Method+" "+c.Path()] {
			return queue.E(queue.ENOTFOUND, "err.http.404")
		}
		return next(c)
	}
}

// ServePublic answers the public face on ln until Shutdown: the same
// server, limits and hub, with only the public operations.
func (s *Server) ServePublic(ln net.Listener) error {
	s.pubMu.Lock()
	if s.public == nil {
		s.public = &http.Server{Handler: publicFace(s.Handler()), ReadHeaderTimeout: s.http.ReadHeaderTimeout,
			ReadTimeout: s.http.ReadTimeout, WriteTimeout: s.http.WriteTimeout, IdleTimeout: s.http.IdleTimeout}
	}
	srv := s.public
	s.pubMu.Unlock()
	err := srv.Serve(newLimitListener(ln, s.cfg.Limits.MaxConns))
	if err == http.ErrServerClosed {
		return nil
	}
	return err
}
