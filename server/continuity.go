package server

import (
	"context"
	"time"

	"langelis/queue"
)

// closeOrphanDesks closes every open desk whose clerk no longer has a valid
// session (it expired, or they signed out everywhere), so that service goes
// on without them: a called ticket goes back to the queue with its place
// kept, and so does a ticket in service (ForceClose). It runs on every tick
// and after each sign-out, so a desk is never held for long by nobody.
func (s *Server) closeOrphanDesks(ctx context.Context) {
	desks, err := s.engine.Desks(ctx)
	if err != nil {
		s.log.Warn("server: desks for session check", "err", err)
		return
	}
	now := s.clock.Now()
	for _, d := range desks {
		if d.Status == queue.DeskClosed || d.Clerk == "" || s.clerkPresent(d.Clerk, now) {
			continue
		}
		if _, err := s.engine.ForceClose(ctx, d.Number, queue.Actor{User: "system"}); err != nil {
			s.log.Warn("server: close desk of ended session", "desk", d.Number, "err", err)
			continue
		}
		s.log.Info("server: desk closed, its clerk's session ended", "desk", d.Number, "clerk", d.Clerk)
	}
}

// clerkPresent reports whether username can still act: a valid session on
// an account that is not disabled (accounts are disabled with the server
// stopped, so a desk held across that restart closes on the first tick).
func (s *Server) clerkPresent(username string, now time.Time) bool {
	if !s.store.HasSession(username, now) {
		return false
	}
	u, err := s.store.User(username)
	return err == nil && !u.Disabled
}
