package citytest

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"langelis/app"
	"langelis/citynats"
	"langelis/internal/e2e"
	"langelis/office"
	"langelis/queue"
)

// measuredHall is a hall in-process whose link can be left out (the link
// is down) and put back.
type measuredHall struct {
	id    string
	path  string
	clock *queue.ManualClock
	app   *app.App
}

func (h *measuredHall) open(t *testing.T, natsURL string) {
	t.Helper()
	// The office clock runs here hours ahead of real time; the
	// forecaster's cadence is real time, so it takes no more CPU for it.
	cfg := app.Config{Office: office.Demo(), Path: h.path, Clock: h.clock, Logger: Logger()}
	if natsURL != "" {
		cfg.City = &citynats.LinkConfig{Hall: h.id, URL: "https://" + h.id + ".example", Conn: citynats.ConnConfig{URLs: natsURL}}
	}
	a, err := app.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.app = a
}

func (h *measuredHall) close() { h.app.Close() }

// busy runs d of a busy hall's office time through the engine as fast as
// it goes: a visitor every `every`, five desks calling, starting and
// finishing; it returns the events written.
func (h *measuredHall) busy(t *testing.T, d, every time.Duration) uint64 {
	t.Helper()
	ctx := context.Background()
	e := h.app.Engine
	before, _ := h.app.Store.Committed()
	clerks := map[int]queue.Actor{}
	for d := 1; d <= 5; d++ {
		clerks[d] = queue.Actor{User: fmt.Sprintf("clerk%d", d), Name: "Clerk"}
		e.OpenDesk(ctx, d, clerks[d])
	}
	services := []string{"A", "B", "C", "D", "A"}
	for at := time.Duration(0); at < d; at += every {
		h.clock.Advance(every)
		if _, err := e.Issue(ctx, queue.IssueRequest{Service: services[int(at/every)%len(services)], Lang: "lt", Channel: queue.ChannelKiosk},
			queue.Actor{User: "kiosk:k1"}); err != nil {
			t.Fatal(err)
		}
		desk := 1 + int(at/every)%5
		e.Finish(ctx, desk, clerks[desk])
		if _, err := e.Next(ctx, desk, clerks[desk]); err == nil {
			e.Start(ctx, desk, clerks[desk])
		}
	}
	after, _ := h.app.Store.Committed()
	return after - before
}

// TestCityCatchUpMeasured measures, on this machine, how fast the centre
// catches up after a 10-minute outage with three busy halls, and how
// many events a second it ingests from a long backlog. It logs the
// figures docs/city.md quotes; it asserts only that the centre ends
// with each journal exactly.
func TestCityCatchUpMeasured(t *testing.T) {
	long(t)
	hub := StartHub(t)
	c := StartCentral(t, hub.URL)
	dir := t.TempDir()
	var halls []*measuredHall
	for _, id := range []string{"hall-a", "hall-b", "hall-c"} {
		o := office.Demo()
		day := e2e.OpenDay(t, o)
		h := &measuredHall{id: id, path: filepath.Join(dir, id, "langelis.db"),
			clock: queue.NewManualClock(time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, day.Location()))}
		h.open(t, hub.URL)
		halls = append(halls, h)
	}
	// The link up: an hour of ordinary traffic reaches the centre.
	each(halls, func(h *measuredHall) { h.busy(t, time.Hour, 20*time.Second) })
	for _, h := range halls {
		last, _ := h.app.Store.Committed()
		Converged(t, c, h.id, last, time.Minute)
	}
	for _, run := range []struct {
		name        string
		outage      time.Duration
		every       time.Duration // a visitor every
		description string
	}{
		{"10 minutes, busy", 10 * time.Minute, 2 * time.Second, "a visitor every 2 s in each hall (1,800 an hour, beyond the busiest hall)"},
		{"2 hours, busy", 2 * time.Hour, 2 * time.Second, "the same for two hours"},
	} {
		// The link goes down: the halls run without it.
		each(halls, func(h *measuredHall) { h.close(); h.open(t, "") })
		var mu sync.Mutex
		var backlog uint64
		genStart := time.Now()
		each(halls, func(h *measuredHall) {
			n := h.busy(t, run.outage, run.every)
			mu.Lock()
			backlog += n
			mu.Unlock()
		})
		gen := time.Since(genStart)
		// The link comes back.
		taken := c.Store.Stats().Taken
		start := time.Now()
		each(halls, func(h *measuredHall) { h.close(); h.open(t, hub.URL) })
		var slowest time.Duration
		for _, h := range halls {
			last, _ := h.app.Store.Committed()
			Converged(t, c, h.id, last, 10*time.Minute)
			slowest = max(slowest, time.Since(start))
		}
		got := c.Store.Stats().Taken - taken
		t.Logf("outage of %s, %s: %d events waited in the three halls (written in %s); the centre had them all %s after the link came back: %.0f events/s",
			run.outage, run.description, backlog, gen.Round(time.Millisecond), slowest.Round(time.Millisecond), float64(got)/slowest.Seconds())
	}
	for _, h := range halls {
		SameJournal(t, h.id, JournalOf(t, h.app.Store), Held(t, c, h.id))
		h.close()
	}
}

// each runs f on every hall at once.
func each(halls []*measuredHall, f func(h *measuredHall)) {
	var wg sync.WaitGroup
	for _, h := range halls {
		wg.Add(1)
		go func() { defer wg.Done(); f(h) }()
	}
	wg.Wait()
}
