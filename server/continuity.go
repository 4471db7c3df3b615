package server

import (
	"context"

	"langelis/queue"
)

// CloseOrphanDesks closes every open desk whose clerk can no longer act (no
// valid session left: it expired, or they signed out everywhere; or the
// account was disabled), so that service goes on without them: a called
// ticket goes back to the queue with its place kept, and so does a ticket in
// service (ForceClose). Package app runs it every few seconds of real time,
// and it runs after each sign-out, so a desk is never held for long by
// nobody.
func (s *Server) CloseOrphanDesks(ctx context.Context) {
	desks, err := s.engine.Desks(ctx)
	if err != nil {
		s.log.Warn("server: desks for session check", "err", err)
		return
	}
	var signedIn map[string]bool // read once, and only when a desk is open
	for _, d := range desks {
		if d.Status == queue.DeskClosed || d.Clerk == "" {
			continue
		}
		if signedIn == nil {
			if signedIn, err = s.store.SignedIn(s.real.Now()); err != nil {
				s.log.Warn("server: sessions for desk check", "err", err)
				return
			}
		}
		if signedIn[d.Clerk] {
			// Accounts are disabled with the server stopped, so a desk held
			// across that restart closes on the first tick.
			if u, err := s.store.User(d.Clerk); err == nil && !u.Disabled {
				continue
			}
		}
		if _, err := s.engine.ForceClose(ctx, d.Number, queue.Actor{User: "system"}); err != nil {
			s.log.Warn("server: close desk of ended session", "desk", d.Number, "err", err)
			continue
		}
		s.log.Info("server: desk closed, its clerk's session ended", "desk", d.Number, "clerk", d.Clerk)
	}
}
