package server

import (
	"math"
	"net"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

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

// The issuing messages, in one place so that they can be keyed for
// translation.
const (
	msgIssueRate  = "Tickets are being taken here faster than any visitor could. Try again in %d seconds."
	msgOtherKiosk = "A kiosk station may only issue tickets for its own kiosk (signed in as %s)."
)

// rateLimiter is a token bucket per key, on real time: burst tickets at
// once, then one every interval.
type rateLimiter struct {
	interval time.Duration
	burst    float64

	mu      sync.Mutex
	buckets map[string]bucket
}

type bucket struct {
	tokens float64
	at     time.Time
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
	return &rateLimiter{interval: time.Minute / time.Duration(perMinute), burst: float64(perMinute),
		buckets: map[string]bucket{}}
}

// take uses one of key's tokens, or says how long until one is there.
func (l *rateLimiter) take(now time.Time, key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.fill(now, key)
	if b.tokens < 1 {
		l.buckets[key] = b
		return false, time.Duration((1 - b.tokens) * float64(l.interval))
	}
	b.tokens--
	if len(l.buckets) >= issueMaxKeys {
		l.forgetFull(now)
	}
	l.buckets[key] = b
	return true, 0
}

// give returns a token taken for a ticket the engine refused.
func (l *rateLimiter) give(now time.Time, key string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.fill(now, key)
	b.tokens = math.Min(l.burst, b.tokens+1)
	l.buckets[key] = b
}

func (l *rateLimiter) fill(now time.Time, key string) bucket {
	b, ok := l.buckets[key]
	if !ok {
		return bucket{tokens: l.burst, at: now}
	}
	if d := now.Sub(b.at); d > 0 {
		b.tokens = math.Min(l.burst, b.tokens+float64(d)/float64(l.interval))
		b.at = now
	}
	return b
}

// forgetFull drops the buckets that have filled up again: a new bucket
// starts full, so forgetting them changes nothing.
func (l *rateLimiter) forgetFull(now time.Time) {
	for k := range l.buckets {
		if l.fill(now, k).tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// onKioskNet reports whether the request comes from a kiosk computer
// (KioskNets, loopback by default).
func (s *Server) onKioskNet(c echo.Context) bool {
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
			return nil, queue.Errorf(queue.EFORBIDDEN, msgOtherKiosk, u.Username)
		}
	}
	if req.Kiosk != "" && *ch == "" {
		*ch = queue.ChannelKiosk
	}
	a := &issueAllowance{s: s, at: s.real.Now()}
	if *ch == queue.ChannelPhone {
		held, err := s.guardPhone(c, req.Service, req.Lang)
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
	if ok, wait := s.issueRate.take(a.at, a.key); !ok {
		s.alarm.raise(a.at, "issue-rate", "server: tickets refused: a kiosk or account is taking them faster than a person can",
			"issuer", a.key)
		return nil, queue.Errorf(queue.ETOOMANY, msgIssueRate, int(math.Ceil(wait.Seconds())))
	}
	return a, nil
}

// done settles the allowance with the engine's answer: a refused ticket
// does not count, and a service's daily cap reached is a flood to report.
func (a *issueAllowance) done(id string, err error) {
	if a.phone != nil {
		a.phone(id, err)
	} else if err != nil {
		a.s.issueRate.give(a.at, a.key)
	}
	if queue.ErrorCode(err) == queue.EDAILYCAP {
		a.s.alarm.raise(a.at, "daily-cap", "server: tickets refused: a service's daily cap is reached", "err", queue.ErrorMessage(err))
	}
}
