package server

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/store"
	"langelis/wire"
)

// cookieName carries the session token for the browser pages.
const cookieName = "langelis_session"

func viewOf(u queue.User) wire.User {
	return wire.User{Username: u.Username, Name: u.Name, Role: u.Role}
}

func newSessionToken() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("server: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (s *Server) handleLogin(c echo.Context) error {
	var req wire.LoginRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	req.Username = strings.TrimSpace(req.Username)
	if req.Username == "" || req.Password == "" {
		return queue.E(queue.EINVALID, "err.signin.empty")
	}
	// Real time, not the office clock: the browser measures the cookie's
	// Expires against its own clock, and a person's patience does not
	// follow a demonstration's office clock set hours back.
	now := s.real.Now()
	att, err := s.signIns.reserve(now, req.Username, c.RealIP())
	if err != nil {
		s.alarm.raise(now, "sign-in", "server: sign-ins refused after repeated failures",
			"username", queue.Clip(req.Username), "addr", c.RealIP())
		return err
	}
	u, err := s.store.User(req.Username)
	var hash []byte // nil: an unknown username, checked against the dummy hash
	switch {
	case err == nil:
		hash = u.PasswordHash
	case !errors.Is(err, store.ErrNotFound):
		s.signIns.abort(att)
		return err
	}
	ok, err := s.signIns.check(c.Request().Context(), hash, req.Password)
	if err != nil {
		s.signIns.abort(att)
		if queue.ErrorCode(err) == queue.EUNAVAILABLE {
			c.Response().Header().Set("Retry-After", "5")
		}
		return err
	}
	// A disabled account answers as a wrong password does, right password
	// or not, and counts as a failure either way: its answer must not
	// confirm the password.
	if hash == nil || !ok || u.Disabled {
		s.counts.signInFailures.Add(1)
		return queue.E(queue.EUNAUTHORIZED, "err.signin.wrong")
	}
	s.signIns.succeeded(att, now)
	token := newSessionToken()
	ss := queue.Session{Username: u.Username, CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL), Addr: c.RealIP()}
	if err := s.store.PutSession(token, ss); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: cookieName, Value: token, Path: "/", HttpOnly: true, Secure: s.https(c),
		SameSite: http.SameSiteStrictMode, Expires: ss.ExpiresAt})
	return c.JSON(http.StatusOK, wire.Session{Token: token, User: viewOf(u), ExpiresAt: ss.ExpiresAt,
		MustChangePassword: u.MustChangePassword})
}

func (s *Server) handleWhoAmI(c echo.Context) error {
	u, ss := s.sessionUser(c)
	if u == nil {
		return queue.E(queue.EUNAUTHORIZED, "err.signin.none")
	}
	return c.JSON(http.StatusOK, wire.Session{User: viewOf(*u), ExpiresAt: ss.ExpiresAt,
		MustChangePassword: u.MustChangePassword})
}

func (s *Server) handleLogout(c echo.Context) error {
	if tok := tokenFrom(c); tok != "" {
		if err := s.store.DeleteSession(tok); err != nil {
			return err
		}
		// Signing out ends the clerk's day at the desk: it closes unless
		// another of their sessions (the keyboard program, say) holds on.
		s.CloseOrphanDesks(c.Request().Context())
	}
	c.SetCookie(&http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.https(c),
		SameSite: http.SameSiteStrictMode})
	return c.NoContent(http.StatusNoContent)
}

func tokenFrom(c echo.Context) string {
	if h := c.Request().Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(h[len("Bearer "):])
	}
	if ck, err := c.Cookie(cookieName); err == nil {
		return ck.Value
	}
	return ""
}

// userFrom returns the signed-in account, or nil. An account still on a
// one-time password counts as not signed in: it may only change it.
func (s *Server) userFrom(c echo.Context) (*queue.User, *queue.Session) {
	u, ss := s.sessionUser(c)
	if u == nil || u.MustChangePassword {
		return nil, nil
	}
	return u, ss
}

// sessionUser returns the account of the request's session, or nil,
// whether or not it must still change its password.
func (s *Server) sessionUser(c echo.Context) (*queue.User, *queue.Session) {
	tok := tokenFrom(c)
	if tok == "" {
		return nil, nil
	}
	ss, err := s.store.Session(tok)
	if err != nil || !s.real.Now().Before(ss.ExpiresAt) {
		return nil, nil
	}
	u, err := s.store.User(ss.Username)
	if err != nil || u.Disabled {
		return nil, nil
	}
	return &u, &ss
}

// requireRole returns the signed-in account if it has one of roles.
func (s *Server) requireRole(c echo.Context, roles ...queue.Role) (*queue.User, error) {
	tok := tokenFrom(c)
	u, _ := s.sessionUser(c)
	if u != nil && u.MustChangePassword {
		return nil, queue.E(queue.EFORBIDDEN, "err.user.must_change")
	}
	if u == nil {
		if tok != "" {
			return nil, queue.E(queue.EUNAUTHORIZED, "err.session.ended")
		}
		return nil, queue.E(queue.EUNAUTHORIZED, "err.signin.first")
	}
	for _, r := range roles {
		if u.Role == r {
			return u, nil
		}
	}
	return nil, queue.E(queue.EFORBIDDEN, "err.forbidden")
}

// ExpireSessions deletes the sign-ins that have expired in real time from
// the store; package app runs it every minute. Their desks are closed by
// CloseOrphanDesks, which does not wait for the deletion.
func (s *Server) ExpireSessions() {
	if _, err := s.store.ExpireSessions(s.real.Now()); err != nil {
		s.log.Warn("server: expire sessions", "err", err)
	}
}
