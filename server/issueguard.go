package server

import (
	"math"
	"net"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"langelis/queue"
	"langelis/wire"
)

// The issuing limits, besides the phones' (floodguard.go) and the
// services' daily caps (the office file):
//
// A kiosk computer, and a signed-in station, clerk or admin, may take
// defaultIssueRate tickets a minute, with a minute's worth at once. A
// person at a touch screen needs two taps and a look at the ticket for
// each, well over a second; sixty a minute is more than a person can do,
// and far less than a script can (hundreds a second, each making the
// projection longer for everyone).
//
// A kiosk is counted by its computer's address, not by the name it gives
// (a script could give a new name each time); a signed-in account by its
// username, wherever it is.
const (
	defaultIssueRate = 60 // tickets a minute
	issueMaxKeys     = 4096
)

// rateLimiter is a token bucket per key (golang.org/x/time/rate), on the
// real clock it is given: burst tickets at once, then one every interval.
type rateLimiter struct {
	every rate.Limit
	burst int

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// newRateLimiter allows perMinute a minute per key; nil (no limit) when
// perMinute is negative.
func newRateLimiter(perMinute int) *rateLimiter {
	if perMinute < 0 {
		return nil
	}
	if perMinute == 0 {
		perMinute = defaultIssueRate
	}
	return &rateLimiter{every: rate.Every(time.Minute / time.Duration(perMinute)), burst: perMinute,
		buckets: map[string]*rate.Limiter{}}
}

// take uses one of key's tokens and returns the reservation that gives it
// back; or, with a nil reservation, says how long until one is there.
func (l *rateLimiter) take(now time.Time, key string) (*rate.Reservation, time.Duration) {
	if l == nil {
		return nil, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= issueMaxKeys {
			l.forgetFull(now)
		}
		b = rate.NewLimiter(l.every, l.burst)
		l.buckets[key] = b
	}
	r := b.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return nil, wait
	}
	return r, 0
}

// forgetFull drops the buckets that have filled up again: a new bucket
// starts full, so forgetting them changes nothing.
func (l *rateLimiter) forgetFull(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
}

// onKioskNet reports whether the request comes from a kiosk computer
// (KioskNets, loopback by default).
func (s *Server) onKioskNet(c echo.Context) bool {
	if onPublicFace(c) {
		return false // the Internet side: a proxy on loopback is no kiosk
	}
	ip := net.ParseIP(c.RealIP())
	if ip == nil {
		return false
	}
	if len(s.cfg.KioskNets) == 0 {
		return ip.IsLoopback()
	}
	for _, n := range s.cfg.KioskNets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// issueAllowance is what guardIssue took for one ticket; done settles it
// with the engine's answer.
type issueAllowance struct {
	s     *Server
	at    time.Time
	key   string                   // the issuer's rate key, "" for a phone
	token *rate.Reservation        // the issue rate's token, nil for a phone or without a limit
	phone func(id string, e error) // the phone guard's record, for a phone
}

// guardIssue decides who is asking for a ticket and takes their allowance:
// a device that is neither on the kiosk network nor signed in is a phone,
// whatever it says, and names no kiosk (so no phone can make a kiosk
// print); a kiosk station's account names only its own kiosk; phones are
// under the phone guard, kiosks and signed-in accounts under the issue
// rate. It sets the request's channel and kiosk to what may be issued.
func (s *Server) guardIssue(c echo.Context, req *wire.IssueRequest, ch *queue.Channel) (*issueAllowance, error) {
	u, _ := s.userFrom(c)
	if u == nil && !s.onKioskNet(c) {
		*ch, req.Kiosk = queue.ChannelPhone, ""
	}
	if u != nil && u.Role == queue.RoleKiosk {
		switch req.Kiosk {
		case "":
			req.Kiosk = u.Username
		case u.Username:
		default:
			return nil, queue.E(queue.EFORBIDDEN, "err.kiosk.other", "user", u.Username)
		}
	}
	if req.Kiosk != "" && *ch == "" {
		*ch = queue.ChannelKiosk
	}
	a := &issueAllowance{s: s, at: s.real.Now()}
	if *ch == queue.ChannelPhone {
		held, err := s.guardPhone(c, req.Service)
		if err != nil {
			return nil, err
		}
		a.phone = held
		return a, nil
	}
	a.key = "addr:" + c.RealIP()
	if u != nil {
		a.key = "user:" + u.Username
	}
	r, wait := s.issueRate.take(a.at, a.key)
	if wait > 0 {
		s.alarm.raise(a.at, "issue-rate", "server: tickets refused: a kiosk or account is taking them faster than a person can",
			"issuer", a.key)
		return nil, queue.E(queue.ETOOMANY, "err.issue.rate", "n", int(math.Ceil(wait.Seconds())))
	}
	a.token = r
	return a, nil
}

// done settles the allowance with the engine's answer: a refused ticket
// does not count, and a service's daily cap reached is a flood to report.
func (a *issueAllowance) done(id string, err error) {
	if a.phone != nil {
		a.phone(id, err)
	} else if err != nil && a.token != nil {
		a.token.CancelAt(a.at)
	}
	if queue.ErrorCode(err) == queue.EDAILYCAP {
		a.s.alarm.raise(a.at, "daily-cap", "server: tickets refused: a service's daily cap is reached", "err", err)
	}
}
