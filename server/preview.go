package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/singleflight"

	"langelis/queue"
	"langelis/wire"
)

// handlePreview serves GET /api/v1/tickets/preview?service=A&priority=none:
// where a new ticket would stand and whether it would be served today, so
// the kiosk can warn (or say it stopped issuing) before it issues.
//
// Anyone may ask, and each answer is a projection of the whole queue, so
// the answers are kept (previewCache): however many ask, the engine
// computes at most one preview per service and group for each state of the
// queue and second of the office clock.
func (s *Server) handlePreview(c echo.Context) error {
	svc := strings.ToUpper(strings.TrimSpace(c.QueryParam("service")))
	if svc == "" {
		return queue.E(queue.EINVALID, "err.preview.service")
	}
	cat, err := parsePriority(c.QueryParam("priority"))
	if err != nil {
		return err
	}
	now := s.clock.Now()
	p, err := s.previews.get(c.Request().Context(), s.seq.Load(), now, previewKey{svc, cat},
		func(ctx context.Context) (queue.Preview, error) { return s.engine.Preview(ctx, svc, cat) })
	if err != nil {
		return err
	}
	body := wire.Preview{Preview: p}
	if !p.Open {
		if next, ok := s.engine.Office().NextOpening(now); ok {
			body.NextOpening = &next
		}
	}
	return c.JSON(http.StatusOK, body)
}

type previewKey struct {
	service  string
	category queue.Category
}

// previewCache keeps the previews of one state of the queue (its sequence
// number) and one second of the office clock; a newer state or a later
// second starts it afresh. Only answers are kept, never errors, so the
// keys are the office's services times the priority groups. Askers of a
// preview that is being computed wait for that computation
// (golang.org/x/sync/singleflight) instead of starting their own.
type previewCache struct {
	mu       sync.Mutex // guards the fields below; never held while computing
	seq      uint64
	second   time.Time
	previews map[previewKey]queue.Preview

	flight   singleflight.Group
	computed atomic.Int64 // previews the engine computed, for PreviewsComputedForTest
}

func (pc *previewCache) get(ctx context.Context, seq uint64, now time.Time, k previewKey,
	compute func(context.Context) (queue.Preview, error)) (queue.Preview, error) {
	second := now.Truncate(time.Second)
	pc.mu.Lock()
	if pc.previews == nil || pc.seq != seq || !pc.second.Equal(second) {
		pc.seq, pc.second, pc.previews = seq, second, map[previewKey]queue.Preview{}
	}
	p, ok := pc.previews[k]
	pc.mu.Unlock()
	if ok {
		return p, nil
	}
	flight := fmt.Sprintf("%d/%d/%s/%s", seq, second.Unix(), k.service, k.category)
	v, err, _ := pc.flight.Do(flight, func() (any, error) {
		pc.computed.Add(1)
		// Shared by every asker: the first one leaving must not cancel it.
		p, err := compute(context.WithoutCancel(ctx))
		if err != nil {
			return p, err
		}
		pc.mu.Lock()
		if pc.seq == seq && pc.second.Equal(second) {
			pc.previews[k] = p
		}
		pc.mu.Unlock()
		return p, nil
	})
	return v.(queue.Preview), err
}

// PreviewsComputedForTest returns how many previews the engine has
// computed for GET /api/v1/tickets/preview.
func (s *Server) PreviewsComputedForTest() int64 { return s.previews.computed.Load() }

// published tells the hub the committed events, and notes the sequence
// number, which says whether a kept preview is still of the current queue.
func (s *Server) published(events []queue.Event) {
	if n := len(events); n > 0 {
		s.seq.Store(events[n-1].Seq)
	}
	s.hub.Publish(events)
}
