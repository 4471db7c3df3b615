package server

import (
	"sync/atomic"

	"langelis/queue"
	"langelis/wire"
)

// counters are the server's own figures for package metrics: an atomic
// add on the request path, read only when a monitor scrapes.
type counters struct {
	// refused are the refused requests by error code: one counter for
	// every code wire knows, made at New and never added to after, so the
	// request path reads the map without a lock.
	refused        map[string]*atomic.Uint64
	signInFailures atomic.Uint64 // wrong username or password, disabled account
}

func newCounters() *counters {
	c := &counters{refused: map[string]*atomic.Uint64{}}
	for code := range wire.Codes() {
		c.refused[code] = new(atomic.Uint64)
	}
	return c
}

// refuse counts an answered error by its code (a code wire does not know
// counts as internal: it is a bug, and the answer said 500).
func (c *counters) refuse(code string) {
	n, ok := c.refused[code]
	if !ok {
		n = c.refused[queue.EINTERNAL]
	}
	n.Add(1)
}

// Refusals returns how many requests the server refused (answered with an
// error) since it started, by error code; every code wire knows is there,
// zero or not.
func (s *Server) Refusals() map[string]uint64 {
	out := make(map[string]uint64, len(s.counts.refused))
	for code, n := range s.counts.refused {
		out[code] = n.Load()
	}
	return out
}

// SignInFailures returns how many sign-ins failed on a wrong username or
// password (or a disabled account) since the server started. Sign-ins
// refused by a lock count among the refusals (too_many_requests).
func (s *Server) SignInFailures() uint64 { return s.counts.signInFailures.Load() }
