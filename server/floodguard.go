package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/i18n"
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
	phoneDeviceMx = 4096 // devices remembered; the oldest day's are forgotten first
)

// phoneGuard keeps phone tickets from flooding the queue.
type phoneGuard struct {
	mu     sync.Mutex
	perIP  int
	recent map[string][]time.Time       // address → issue times within the window
	held   map[string]map[string]string // device → service → ticket ID
}

func newPhoneGuard(perIP int) *phoneGuard {
	if perIP <= 0 {
		perIP = phonePerAddr
	}
	return &phoneGuard{perIP: perIP, recent: map[string][]time.Time{}, held: map[string]map[string]string{}}
}

// deviceID returns the phone's device id, giving it one when it has none.
func deviceID(c echo.Context) string {
	if ck, err := c.Cookie(deviceCookie); err == nil && len(ck.Value) >= 16 && len(ck.Value) <= 64 {
		return ck.Value
	}
	var b [18]byte
	_, _ = rand.Read(b[:])
	id := base64.RawURLEncoding.EncodeToString(b[:])
	c.SetCookie(&http.Cookie{Name: deviceCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: 24 * 3600})
	c.Request().AddCookie(&http.Cookie{Name: deviceCookie, Value: id})
	return id
}

// admit says whether a phone ticket for service may be issued now, in the
// visitor's language when not. active reports whether a held ticket is still
// in the queue.
func (g *phoneGuard) admit(ctx context.Context, now time.Time, addr, device, service, lang string,
	active func(ctx context.Context, id string) (string, bool)) error {
	g.mu.Lock()
	id := g.held[device][service]
	g.mu.Unlock()
	if id != "" {
		if number, ok := active(ctx, id); ok {
			return queue.Errorf(queue.ETOOMANY, "%s", i18n.T(lang, "take.limit.active", "number", number))
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	ts := g.recent[addr]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > phoneWindow {
		i++
	}
	ts = ts[i:]
	g.recent[addr] = ts
	if len(ts) >= g.perIP {
		return queue.Errorf(queue.ETOOMANY, "%s", i18n.T(lang, "take.limit.address"))
	}
	return nil
}

// issued remembers the ticket a device now holds for a service, and counts
// it against the address. Only issued tickets count: a phone retrying while
// the office is closed must not lock the whole guest network out.
func (g *phoneGuard) issued(now time.Time, addr, device, service, id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.recent[addr] = append(g.recent[addr], now)
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
// records the ticket once it is issued.
func (s *Server) guardPhone(c echo.Context, service, lang string) (func(id string), error) {
	dev := deviceID(c)
	active := func(ctx context.Context, id string) (string, bool) {
		t, err := s.engine.Ticket(ctx, id)
		return t.Number, err == nil && t.Status.Active()
	}
	if err := s.phones.admit(c.Request().Context(), s.real.Now(), c.RealIP(), dev, service, lang, active); err != nil {
		return nil, err
	}
	addr := c.RealIP()
	return func(id string) { s.phones.issued(s.real.Now(), addr, dev, service, id) }, nil
}
