package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"langelis/wire"
)

// receipt is a call heard on a connection.
type receipt struct {
	key uint32
	at  time.Time
}

// conn is one screen or phone. Its reader is the only writer of its fields
// until the run reads them under mu.
type conn struct {
	ws     *websocket.Conn
	phone  bool
	number uint32 // a phone's own ticket

	mu      sync.Mutex
	heard   []receipt
	own     time.Time // when a phone's own ticket was shown no longer waiting (called, or already started)
	updates int       // ticket messages
	closed  bool
}

// dial opens connection i: a whole-hall stream, or a phone's ticket
// stream watching t.
func (r *run) dial(ctx context.Context, i int, phone *issued) (*conn, error) {
	d := &websocket.Dialer{NetDialContext: r.dialer(i).DialContext, HandshakeTimeout: 60 * time.Second,
		ReadBufferSize: 1024, WriteBufferSize: 256}
	u := "ws" + strings.TrimPrefix(r.cfg.URL, "http") + fmt.Sprintf("/api/v1/ws?%s=%d", wire.ProtocolParam, wire.Version)
	if phone != nil {
		u += "&" + wire.StreamParam + "=" + wire.StreamTicket
	}
	ws, resp, err := d.DialContext(ctx, u, nil)
	if err != nil {
		if resp != nil {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			return nil, fmt.Errorf("%w: %s %s", err, resp.Status, bytes.TrimSpace(b))
		}
		return nil, err
	}
	c := &conn{ws: ws, phone: phone != nil}
	if phone != nil {
		c.number = numberKey([]byte(phone.Number))
		if err := ws.WriteJSON(wire.Watch{Type: wire.KindWatch, Ticket: phone.ID}); err != nil {
			ws.Close()
			return nil, err
		}
	}
	go c.read()
	return c, nil
}

// read notes the calls heard, and a phone's own ticket shown called. It
// looks at the first bytes of each message only: the generator must not
// spend more per message than a screen's browser would let it.
func (c *conn) read() {
	head := make([]byte, 512)
	for {
		_, rd, err := c.ws.NextReader()
		if err != nil {
			c.mu.Lock()
			c.closed = true
			c.mu.Unlock()
			return
		}
		n, _ := io.ReadFull(rd, head)
		m := head[:n]
		now := time.Now()
		switch field(m, "type") {
		case "ticket.called":
			c.mu.Lock()
			c.heard = append(c.heard, receipt{key: numberKey([]byte(field(m, "number"))), at: now})
			c.mu.Unlock()
		case wire.KindTicket:
			c.mu.Lock()
			c.updates++
			if st := field(m, "status"); st != "waiting" && st != "" && c.own.IsZero() {
				c.own = now
			}
			c.mu.Unlock()
		}
	}
}

// field finds "name":"value" in m and returns value ("" when absent).
func field(m []byte, name string) string {
	k := `"` + name + `":"`
	i := bytes.Index(m, []byte(k))
	if i < 0 {
		return ""
	}
	v := m[i+len(k):]
	j := bytes.IndexByte(v, '"')
	if j < 0 {
		return ""
	}
	return string(v[:j])
}

// open opens n connections (screens, or phones watching tickets) with 64
// dialing at once.
func (r *run) open(ctx context.Context, from, n int, phones []issued) ([]*conn, error) {
	out := make([]*conn, n)
	var next atomic.Int64
	var firstErr atomic.Value
	var failed atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				var p *issued
				if phones != nil {
					p = &phones[i]
				}
				c, err := r.dial(ctx, from+i, p)
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				out[i] = c
			}
		}()
	}
	wg.Wait()
	var ok []*conn
	for _, c := range out {
		if c != nil {
			ok = append(ok, c)
		}
	}
	if f := failed.Load(); f > 0 {
		return ok, fmt.Errorf("loadgen: %d of %d connections failed, the first: %v", f, n, firstErr.Load())
	}
	return ok, ctx.Err()
}

// fanoutPhases opens the screens size by size and measures each.
func (r *run) fanoutPhases(ctx context.Context) error {
	var ks []*clerk
	if len(r.cfg.Accounts) > 0 {
		var err error
		if ks, err = r.signIn(ctx); err != nil {
			return err
		}
	}
	var screens, phones []*conn
	defer func() {
		for _, c := range append(screens, phones...) {
			c.ws.Close()
		}
	}()
	time.Sleep(r.cfg.Settle)
	base := rssKiB(r.cfg.PID)
	sizes := r.cfg.Screens
	if len(sizes) == 0 {
		sizes = []int{0}
	}
	for si, size := range sizes {
		if add := size - len(screens); add > 0 {
			r.logf("fan-out: opening %d screens (to %d)", add, size)
			cs, err := r.open(ctx, len(screens), add, nil)
			screens = append(screens, cs...)
			if err != nil {
				return err
			}
		}
		if si == 0 && r.cfg.Phones > 0 {
			ts, err := r.phoneTickets(ctx)
			if err != nil {
				return err
			}
			r.logf("fan-out: opening %d phones", len(ts))
			cs, err := r.open(ctx, 100000, len(ts), ts)
			phones = append(phones, cs...)
			if err != nil {
				return err
			}
		}
		time.Sleep(r.cfg.Settle)
		f := Fanout{Screens: len(screens), Phones: len(phones), Waiting: r.waiting(ctx)}
		r.profile(ctx, "heap", fmt.Sprintf("heap-%d.pprof", len(screens)))
		if r.cfg.PID > 0 {
			rss := rssKiB(r.cfg.PID)
			f.RSSMiB = rss / 1024
			if n := len(screens) + len(phones); n > 0 {
				f.RSSPerConnKiB = (rss - base) / float64(n)
			}
			if k := len(r.res.Fanout); k > 0 {
				prev := r.res.Fanout[k-1]
				if dn := len(screens) + len(phones) - prev.Screens - prev.Phones; dn > 0 {
					f.RSSMarginalKiB = (rss - prev.RSSMiB*1024) / float64(dn)
				}
			}
		}
		if len(ks) > 0 && r.cfg.Calls > 0 {
			r.measureCalls(ctx, ks, screens, phones, &f)
		}
		r.res.Fanout = append(r.res.Fanout, f)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// phoneTickets returns the tickets the phones watch: the run's waiting
// ones, spread over the queue (so some are called while the clerks work),
// issuing more when there are too few.
func (r *run) phoneTickets(ctx context.Context) ([]issued, error) {
	r.mu.Lock()
	have := len(r.tickets)
	r.mu.Unlock()
	if need := r.cfg.Phones - have; need > 0 {
		c := r.client(3000)
		for i := 0; i < need; i++ {
			if _, code, err := r.issueOne(ctx, c, r.service(i)); err != nil || code != 201 {
				return nil, fmt.Errorf("loadgen: a ticket for a phone: %d %v", code, err)
			}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]issued, r.cfg.Phones)
	for i := range out {
		out[i] = r.tickets[i*len(r.tickets)/len(out)]
	}
	return out, nil
}

// measureCalls has the clerks call, then times every call's delivery to
// every screen and phone.
func (r *run) measureCalls(ctx context.Context, ks []*clerk, screens, phones []*conn, f *Fanout) {
	for _, c := range append(screens, phones...) {
		c.mu.Lock()
		c.heard = c.heard[:0]
		c.mu.Unlock()
	}
	r.logf("fan-out: %d clerks call %d tickets before %d screens and %d phones (%d waiting)", len(ks), r.cfg.Calls, len(screens), len(phones), f.Waiting)
	stop := make(chan struct{})
	go r.trickle(ctx, r.cfg.Trickle, stop)
	profiled := make(chan struct{})
	go func() {
		defer close(profiled)
		// As long as the calls should take, between 5 and 60 seconds.
		secs := (r.cfg.Calls + len(ks) - 1) / len(ks) * int(r.cfg.CallGap/time.Second)
		r.profile(ctx, fmt.Sprintf("profile?seconds=%d", min(max(secs, 5), 60)), fmt.Sprintf("cpu-%d.pprof", len(screens)))
	}()
	defer func() { <-profiled }()
	cpu0, self0, t0 := cpuSeconds(r.cfg.PID), selfCPU(), time.Now()
	calls := r.work(ctx, ks, r.cfg.Calls)
	close(stop)
	// Wait for the deliveries, up to Grace after the last call: every
	// call on every connection, and the called phones' own tickets.
	want := len(calls) * (len(screens) + len(phones))
	called := map[uint32]bool{}
	for _, c := range calls {
		called[c.key] = true
	}
	for deadline := time.Now().Add(r.cfg.Grace); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if heard(screens)+heard(phones) >= want && ownHeard(phones, called) {
			break
		}
	}
	secs := time.Since(t0).Seconds()
	f.Seconds = secs
	if r.cfg.PID > 0 {
		f.ServerCPU = (cpuSeconds(r.cfg.PID) - cpu0) / secs
	}
	f.LoadCPU = (selfCPU() - self0) / secs
	f.Calls = len(calls)
	lats := make([]time.Duration, len(calls))
	byKey := make(map[uint32]call, len(calls))
	for i, c := range calls {
		lats[i] = c.lat
		byKey[c.key] = c
	}
	f.CallLatency = percentiles(lats)
	f.Screen = deliveries(screens, byKey)
	f.Phone = deliveries(phones, byKey)
	var own []time.Duration
	for _, p := range phones {
		p.mu.Lock()
		if c, ok := byKey[p.number]; ok && !p.own.IsZero() {
			own = append(own, p.own.Sub(c.start))
		}
		f.PhoneUpdates += p.updates
		p.mu.Unlock()
	}
	f.PhoneOwn = percentiles(own)
	for _, c := range append(screens, phones...) {
		c.mu.Lock()
		if c.closed {
			f.Dropped++
		}
		c.mu.Unlock()
	}
	r.logf("fan-out: %d screens: call→screen p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d of %d missing; phones p99 %.1f ms, %d missing; server %.2f CPU, generator %.2f CPU",
		len(screens), f.Screen.P50, f.Screen.P99, f.Screen.Max, f.Screen.Missing, f.Screen.Expected, f.Phone.P99, f.Phone.Missing, f.ServerCPU, f.LoadCPU)
}

// ownHeard reports whether every phone whose ticket was called has been
// told so by its own ticket message.
func ownHeard(phones []*conn, called map[uint32]bool) bool {
	for _, p := range phones {
		p.mu.Lock()
		waiting := called[p.number] && p.own.IsZero()
		p.mu.Unlock()
		if waiting {
			return false
		}
	}
	return true
}

// heard counts the calls heard so far.
func heard(cs []*conn) int {
	n := 0
	for _, c := range cs {
		c.mu.Lock()
		n += len(c.heard)
		c.mu.Unlock()
	}
	return n
}

// deliveries times each call's arrival on each connection: from the start
// of its POST, and from its first arrival anywhere (the fan-out's own
// part, without the commit before it).
func deliveries(cs []*conn, calls map[uint32]call) Delivery {
	var lats, spread []time.Duration
	first := map[uint32]time.Time{}
	for _, c := range cs {
		c.mu.Lock()
		for _, h := range c.heard {
			if k, ok := calls[h.key]; ok {
				lats = append(lats, h.at.Sub(k.start))
				if f, seen := first[h.key]; !seen || h.at.Before(f) {
					first[h.key] = h.at
				}
			}
		}
		c.mu.Unlock()
	}
	for _, c := range cs {
		c.mu.Lock()
		for _, h := range c.heard {
			if f, ok := first[h.key]; ok {
				spread = append(spread, h.at.Sub(f))
			}
		}
		c.mu.Unlock()
	}
	d := Delivery{Latencies: percentiles(lats), Spread: percentiles(spread), Expected: len(calls) * len(cs)}
	d.Missing = d.Expected - len(lats)
	return d
}
