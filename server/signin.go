package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"langelis/password"
	"langelis/queue"
)

// Sign-in guard: who may try a password, how many at once, and how an
// unknown username costs the same as a known one.
//
// Three counters of failed sign-ins, each over a window of real time:
//
//	key                      limit  window  blocks
//	username + address       5      10 min  always
//	address                  20     10 min  unless the username signed in from that address before
//	account (username)       30     1 hour  unless the username signed in from that address before
//
// The first stops a guesser at one address; the second, one address trying
// many usernames; the third, many addresses (a botnet, IPv6) guessing one
// account. The last two would let anyone lock clerks out: a guest on the
// hall's Wi-Fi (which may share the clerks' public address), or guesses
// from anywhere against a clerk's username. So an address from which a
// username has signed in successfully in the last 30 days is a known-good
// address for that username, and only the first counter applies to it.
// Every failure still counts on all three, so guessing from a known-good
// address does not stay invisible to the others. The known-good addresses
// are kept in memory: after a restart a clerk under attack signs in once
// the account's window has passed, or from an address the attack did not
// lock.
//
// The check and the count are one step: an attempt reserves its failure
// before bcrypt runs, and a success gives the reservation back, so a
// hundred concurrent guesses cannot all be checked while the first ones
// are still hashing.
const (
	signInUserAddrLimit = 5
	signInAddrLimit     = 20
	signInAccountLimit  = 30
	signInShortWindow   = 10 * time.Minute
	signInAccountWindow = time.Hour
	signInKnownFor      = 30 * 24 * time.Hour
	signInMaxKeys       = 100_000 // counters remembered; past it an arbitrary half is forgotten
	signInDefaultWait   = 5 * time.Second
)

// A disabled account and an unknown username answer exactly as a wrong
// password does ("err.signin.wrong"): nothing tells a guesser which
// usernames exist, or that a disabled account's password was right.
type signInRule struct {
	max    int
	window time.Duration
	key    string // the message's key, with {n} minutes to wait
}

var (
	ruleUserAddr = signInRule{signInUserAddrLimit, signInShortWindow, "err.signin.locked"}
	ruleAddr     = signInRule{signInAddrLimit, signInShortWindow, "err.signin.locked"}
	ruleAccount  = signInRule{signInAccountLimit, signInAccountWindow, "err.signin.account_locked"}
)

// signIns guards POST /api/v1/session.
type signIns struct {
	mu    sync.Mutex
	fails map[string][]time.Time // counter key → failures (and attempts in flight) within its window
	known map[string]time.Time   // username|address → its last successful sign-in

	slots  chan struct{} // one per bcrypt check allowed to run at once
	wait   time.Duration // how long an attempt waits for a slot
	dummy  func() []byte // the hash an unknown username is checked against
	checks atomic.Int64  // bcrypt checks run, for BcryptChecksForTest
}

// signInAttempt is an attempt holding its reservation on the counters.
type signInAttempt struct {
	at   time.Time
	keys []string
	user string // username|address
}

func newSignIns(slots int, wait time.Duration) *signIns {
	if slots <= 0 {
		// Half the machine: bcrypt is meant to be slow, and a burst of
		// sign-ins must leave the hall's tickets and calls a core to run on.
		slots = max(1, runtime.GOMAXPROCS(0)/2)
	}
	if wait <= 0 {
		wait = signInDefaultWait
	}
	return &signIns{fails: map[string][]time.Time{}, known: map[string]time.Time{},
		slots: make(chan struct{}, slots), wait: wait,
		// Made on first use with the cost in force then (tests lower it),
		// which is the cost the accounts' hashes are made with.
		dummy: sync.OnceValue(func() []byte {
			var b [18]byte
			_, _ = rand.Read(b[:])
			h, err := password.Hash(base64.RawURLEncoding.EncodeToString(b[:]))
			if err != nil {
				panic("server: dummy password hash: " + err.Error())
			}
			return h
		})}
}

// clipUser bounds a username used as a counter key: accounts' names have
// at most 32 characters, and a guesser's may be any length.
func clipUser(u string) string {
	if len(u) > 64 {
		return u[:64]
	}
	return u
}

// reserve counts the attempt as a failure before it is checked, or refuses
// it while a counter that applies is full.
func (g *signIns) reserve(now time.Time, user, addr string) (*signInAttempt, error) {
	user = clipUser(user)
	pair := user + "|" + addr
	keys := []string{"ua:" + pair, "ip:" + addr, "acct:" + user}
	rules := []signInRule{ruleUserAddr, ruleAddr, ruleAccount}
	g.mu.Lock()
	defer g.mu.Unlock()
	known := false
	if at, ok := g.known[pair]; ok {
		known = now.Sub(at) < signInKnownFor
		if !known {
			delete(g.known, pair)
		}
	}
	for i, k := range keys {
		ts := g.recent(now, k, rules[i].window)
		if known && i > 0 {
			continue
		}
		if n := len(ts); n >= rules[i].max {
			wait := rules[i].window - now.Sub(ts[n-rules[i].max])
			// Whole minutes, rounded up: a ten-minute lock says 10, not 11.
			return nil, queue.E(queue.ETOOMANY, rules[i].key, "n", int((wait+time.Minute-1)/time.Minute))
		}
	}
	if len(g.fails) >= signInMaxKeys {
		g.forget()
	}
	for _, k := range keys {
		g.fails[k] = append(g.fails[k], now)
	}
	return &signInAttempt{at: now, keys: keys, user: pair}, nil
}

// recent returns key's entries within window, dropping the older ones.
func (g *signIns) recent(now time.Time, key string, window time.Duration) []time.Time {
	ts := g.fails[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(g.fails, key)
	} else {
		g.fails[key] = ts
	}
	return ts
}

// forget drops an arbitrary half of the counters when a spray of made-up
// usernames from many addresses has filled the table. Filling it takes a
// hundred thousand attempts, each through bcrypt.
func (g *signIns) forget() {
	for k := range g.fails {
		delete(g.fails, k)
		if len(g.fails) < signInMaxKeys/2 {
			return
		}
	}
}

// unreserve takes an attempt's reservation back from the counters.
func (g *signIns) unreserve(a *signInAttempt) {
	for _, k := range a.keys {
		ts := g.fails[k]
		for i := len(ts) - 1; i >= 0; i-- {
			if ts[i].Equal(a.at) {
				g.fails[k] = append(ts[:i:i], ts[i+1:]...)
				break
			}
		}
		if len(g.fails[k]) == 0 {
			delete(g.fails, k)
		}
	}
}

// abort gives the reservation back: the attempt was not checked (the
// server was busy or the store failed), so it is no failure.
func (g *signIns) abort(a *signInAttempt) {
	g.mu.Lock()
	g.unreserve(a)
	g.mu.Unlock()
}

// succeeded gives the reservation back, clears the username's failures at
// this address, and remembers the address as known-good for the username.
func (g *signIns) succeeded(a *signInAttempt, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.unreserve(a)
	delete(g.fails, a.keys[0])
	if len(g.known) >= signInMaxKeys {
		for k, at := range g.known {
			if now.Sub(at) >= signInKnownFor || len(g.known) >= signInMaxKeys/2 {
				delete(g.known, k)
			}
		}
	}
	g.known[a.user] = now
}

// check compares pw with hash when a bcrypt slot is free within the wait.
// Nil hash means an unknown username: it is checked against the dummy
// hash, so that it takes as long as a known one.
func (g *signIns) check(ctx context.Context, hash []byte, pw string) (bool, error) {
	if hash == nil {
		hash = g.dummy()
	}
	t := time.NewTimer(g.wait) // a queue timeout: real time, like a network's
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-t.C:
		return false, queue.E(queue.EUNAVAILABLE, "err.signin.busy")
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-g.slots }()
	g.checks.Add(1)
	return password.Check(hash, pw), nil
}

// BcryptChecksForTest returns how many passwords the sign-in has checked
// with bcrypt, known usernames or not.
func (s *Server) BcryptChecksForTest() int64 { return s.signIns.checks.Load() }

// HoldSignInSlotsForTest takes every bcrypt slot, as a burst of sign-ins
// would, until release is called.
func (s *Server) HoldSignInSlotsForTest() (release func()) {
	n := cap(s.signIns.slots)
	for range n {
		s.signIns.slots <- struct{}{}
	}
	return func() {
		for range n {
			<-s.signIns.slots
		}
	}
}
