package server

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/password"
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
		return queue.Errorf(queue.EINVALID, "Enter your username and password.")
	}
	// Real time, not the office clock: the browser measures the cookie's
	// Expires against its own clock, and a person's patience does not
	// follow a demonstration's office clock set hours back.
	now := s.real.Now()
	ip := c.RealIP()
	// The per-user lock counts failures from one address only: anyone on
	// the guest network could otherwise lock a clerk out by guessing wrong.
	if wait := s.limits.blocked(now, "user:"+req.Username+"|ip:"+ip, "ip:"+ip); wait > 0 {
		// Whole minutes, rounded up: a ten-minute lock says 10, not 11.
		return queue.Errorf(queue.ETOOMANY, "Too many failed sign-ins. Try again in %d minutes.", int((wait+time.Minute-1)/time.Minute))
	}
	u, err := s.store.User(req.Username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err != nil || !password.Check(u.PasswordHash, req.Password) {
		s.limits.fail(now, "user:"+req.Username+"|ip:"+ip, "ip:"+ip)
		return queue.Errorf(queue.EUNAUTHORIZED, "Wrong username or password.")
	}
	if u.Disabled {
		return queue.Errorf(queue.EFORBIDDEN, "This account is disabled; ask the office administrator.")
	}
	s.limits.reset("user:" + req.Username + "|ip:" + ip)
	token := newSessionToken()
	ss := queue.Session{Username: u.Username, CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL)}
	if err := s.store.PutSession(token, ss); err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: cookieName, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Expires: ss.ExpiresAt})
	return c.JSON(http.StatusOK, wire.Session{Token: token, User: viewOf(u), ExpiresAt: ss.ExpiresAt})
}

func (s *Server) handleWhoAmI(c echo.Context) error {
	u, ss := s.userFrom(c)
	if u == nil {
		return queue.Errorf(queue.EUNAUTHORIZED, "Not signed in.")
	}
	return c.JSON(http.StatusOK, wire.Session{User: viewOf(*u), ExpiresAt: ss.ExpiresAt})
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
	c.SetCookie(&http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
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

// userFrom returns the signed-in account, or nil.
func (s *Server) userFrom(c echo.Context) (*queue.User, *queue.Session) {
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
	u, _ := s.userFrom(c)
	if u == nil {
		if tok != "" {
			return nil, queue.Errorf(queue.EUNAUTHORIZED, "Your session has ended; sign in again.")
		}
		return nil, queue.Errorf(queue.EUNAUTHORIZED, "Sign in first.")
	}
	for _, r := range roles {
		if u.Role == r {
			return u, nil
		}
	}
	return nil, queue.Errorf(queue.EFORBIDDEN, "Your account may not do this.")
}

// ExpireSessions deletes the sign-ins that have expired in real time from
// the store; package app runs it every minute. Their desks are closed by
// CloseOrphanDesks, which does not wait for the deletion.
func (s *Server) ExpireSessions() {
	if _, err := s.store.ExpireSessions(s.real.Now()); err != nil {
		s.log.Warn("server: expire sessions", "err", err)
	}
}

// limiter counts failed sign-ins per key over a window.
type limiter struct {
	mu    sync.Mutex
	fails map[string][]time.Time
}

const (
	limitWindow  = 10 * time.Minute
	limitPerUser = 5
	limitPerIP   = 20
)

func newLimiter() *limiter { return &limiter{fails: map[string][]time.Time{}} }

func (l *limiter) recent(now time.Time, key string) []time.Time {
	ts := l.fails[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > limitWindow {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
	} else {
		l.fails[key] = ts
	}
	return ts
}

// blocked returns how long until the keys may try again, or 0.
func (l *limiter) blocked(now time.Time, userKey, ipKey string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range []struct {
		key string
		max int
	}{{userKey, limitPerUser}, {ipKey, limitPerIP}} {
		if ts := l.recent(now, k.key); len(ts) >= k.max {
			return limitWindow - now.Sub(ts[0])
		}
	}
	return 0
}

func (l *limiter) fail(now time.Time, keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		l.fails[k] = append(l.recent(now, k), now)
	}
}

func (l *limiter) reset(key string) {
	l.mu.Lock()
	delete(l.fails, key)
	l.mu.Unlock()
}
