package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/queue"
)

// deviceCookie marks a phone that takes tickets at /take, so that it holds
// at most one active ticket per service. It identifies a browser, not a
// person, and lives only as long as a business day matters.
const deviceCookie = "langelis_device"

// The per-address limit for phone tickets. A hall's guest network puts many
// honest phones behind one address, so it is generous: it stops a script,
// not a family.
const (
	phoneWindow   = 10 * time.Minute
	phonePerAddr  = 20
	phoneDeviceMx = 4096 // devices (and addresses) remembered before the old ones are forgotten
)

// phoneGuard keeps phone tickets from flooding the queue.
type phoneGuard struct {
	mu     sync.Mutex
	perIP  int
	recent map[string][]time.Time       // addrKey (IPv4 address, IPv6 /64) → issue times within the window
	held   map[string]map[string]string // device → service → ticket ID
}

func newPhoneGuard(perIP int) *phoneGuard {
	if perIP <= 0 {
		perIP = phonePerAddr
	}
	return &phoneGuard{perIP: perIP, recent: map[string][]time.Time{}, held: map[string]map[string]string{}}
}

// deviceID returns the phone's device id, giving it one when it has none.
func (s *Server) deviceID(c echo.Context) string {
	if ck, err := c.Cookie(deviceCookie); err == nil && len(ck.Value) >= 16 && len(ck.Value) <= 64 {
		return ck.Value
	}
	var b [18]byte
	_, _ = rand.Read(b[:])
	id := base64.RawURLEncoding.EncodeToString(b[:])
	c.SetCookie(&http.Cookie{Name: deviceCookie, Value: id, Path: "/", HttpOnly: true, Secure: s.https(c),
		SameSite: http.SameSiteLaxMode, MaxAge: 24 * 3600})
	c.Request().AddCookie(&http.Cookie{Name: deviceCookie, Value: id})
	return id
}

// admit says whether a phone ticket for service may be issued now, with an
// error saying why not. active reports whether a held ticket is still in
// the queue. An admitted ticket is counted against its address at once,
// in the same step as the check, so a burst of concurrent requests cannot
// all pass while the first ones are being issued; refused (the engine said
// no) gives the count back.
func (g *phoneGuard) admit(ctx context.Context, now time.Time, key, device, service string,
	active func(ctx context.Context, id string) (string, bool)) error {
	g.mu.Lock()
	id := g.held[device][service]
	g.mu.Unlock()
	if id != "" {
		if number, ok := active(ctx, id); ok {
			return queue.E(queue.ETOOMANY, "err.take.limit.active", "number", number)
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	ts := g.recent[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > phoneWindow {
		i++
	}
	ts = ts[i:]
	if len(ts) >= g.perIP {
		g.recent[key] = ts
		return queue.E(queue.ETOOMANY, "err.take.limit.address")
	}
	g.recent[key] = append(ts, now)
	if len(g.recent) > phoneDeviceMx {
		g.forgetQuiet(now)
	}
	return nil
}

// forgetQuiet drops the addresses with no ticket in the window.
func (g *phoneGuard) forgetQuiet(now time.Time) {
	for k, ts := range g.recent {
		if len(ts) == 0 || now.Sub(ts[len(ts)-1]) > phoneWindow {
			delete(g.recent, k)
		}
	}
}

// refused gives back the count admit took: only issued tickets count, so a
// phone retrying while the office is closed does not lock the whole guest
// network out.
func (g *phoneGuard) refused(key string, at time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	ts := g.recent[key]
	for i := len(ts) - 1; i >= 0; i-- {
		if ts[i].Equal(at) {
			g.recent[key] = append(ts[:i:i], ts[i+1:]...)
			return
		}
	}
}

// issued remembers the ticket a device now holds for a service.
func (g *phoneGuard) issued(device, service, id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.held) >= phoneDeviceMx {
		for k := range g.held { // forget an arbitrary half; their tickets are mostly over
			delete(g.held, k)
			if len(g.held) < phoneDeviceMx/2 {
				break
			}
		}
	}
	if g.held[device] == nil {
		g.held[device] = map[string]string{}
	}
	g.held[device][service] = id
}

// guardPhone runs the flood guard for a phone ticket; the returned function
// records the ticket once the engine has answered (err from the engine).
func (s *Server) guardPhone(c echo.Context, service string) (func(id string, err error), error) {
	dev := s.deviceID(c)
	active := func(ctx context.Context, id string) (string, bool) {
		t, err := s.engine.Ticket(ctx, id)
		return t.Number, err == nil && t.Status.Active()
	}
	now, key := s.real.Now(), addrKey(c.RealIP())
	if err := s.phones.admit(c.Request().Context(), now, key, dev, service, active); err != nil {
		if queue.ErrorCode(err) == queue.ETOOMANY {
			s.alarm.raise(now, "phone", "server: phone tickets refused: one address is taking too many", "addr", key)
		}
		return nil, err
	}
	return func(id string, err error) {
		if err != nil {
			s.phones.refused(key, now)
			return
		}
		s.phones.issued(dev, service, id)
	}, nil
}
