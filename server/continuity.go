package server

import (
	"context"

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
		if d.Status == queue.DeskClosed || d.Clerk == "" || s.store.HasSession(d.Clerk, now) {
			continue
		}
		if _, err := s.engine.ForceClose(ctx, d.Number, queue.Actor{User: "system"}); err != nil {
			s.log.Warn("server: close desk of ended session", "desk", d.Number, "err", err)
			continue
		}
		s.log.Info("server: desk closed, its clerk's session ended", "desk", d.Number, "clerk", d.Clerk)
	}
}
