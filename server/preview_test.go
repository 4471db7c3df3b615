package server_test

import (
	"sync"
	"testing"
	"time"

	"langelis/wire"
)

// Anyone may ask for a preview, and each is a projection of the whole
// queue: two hundred anonymous askers cost the engine one projection per
// service and group, until the queue changes or the office clock moves on,
// and what they are told is still right.
func TestPreviewsAreComputedOncePerState(t *testing.T) {
	s := newTS(t)
	for range 5 {
		s.issue("A")
	}
	before := s.Srv.PreviewsComputedForTest()
	var wg sync.WaitGroup
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var p wire.Preview
			if code := s.do("GET", "/api/v1/tickets/preview?service=A", "", nil, &p); code != 200 || p.Ahead != 5 {
				t.Errorf("preview: %d, %d ahead; want 200, 5 ahead", code, p.Ahead)
			}
		}()
	}
	wg.Wait()
	if n := s.Srv.PreviewsComputedForTest() - before; n != 1 {
		t.Fatalf("200 previews of one state made the engine compute %d; want 1", n)
	}
	var p wire.Preview
	s.do("GET", "/api/v1/tickets/preview?service=A&priority=elderly", "", nil, &p)
	s.do("GET", "/api/v1/tickets/preview?service=B", "", nil, &p)
	if n := s.Srv.PreviewsComputedForTest() - before; n != 3 {
		t.Fatalf("another group and another service: %d computed in all, want 3", n)
	}
	// A new ticket is a new state: the next preview sees it.
	s.issue("A")
	if s.do("GET", "/api/v1/tickets/preview?service=A", "", nil, &p); p.Ahead != 6 {
		t.Fatalf("after a sixth ticket the preview says %d ahead", p.Ahead)
	}
	// So is a later second of the office clock: estimates move with it.
	est := p.EstimateAt
	s.Clock.Advance(time.Minute)
	if s.do("GET", "/api/v1/tickets/preview?service=A", "", nil, &p); !p.EstimateAt.After(est) {
		t.Fatalf("a minute later the estimate is still %v", p.EstimateAt)
	}
	if n := s.Srv.PreviewsComputedForTest() - before; n != 5 {
		t.Fatalf("%d computed in all, want 5", n)
	}
}
