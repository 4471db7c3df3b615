package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// static measures GET of a small static file from every taker's connection.
func (r *run) static(ctx context.Context) (*Rate, error) {
	r.logf("static: GET %s from %d connections for %v", r.cfg.StaticPath, r.cfg.Takers, r.cfg.Static)
	var n, errs atomic.Int64
	end := time.Now().Add(r.cfg.Static)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < r.cfg.Takers; i++ {
		wg.Add(1)
		go func(c *http.Client) {
			defer wg.Done()
			for time.Now().Before(end) && ctx.Err() == nil {
				resp, err := c.Get(r.cfg.URL + r.cfg.StaticPath)
				if err != nil {
					errs.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs.Add(1)
					continue
				}
				n.Add(1)
			}
		}(r.client(i))
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	st := &Rate{Count: int(n.Load()), Errors: int(errs.Load()), Seconds: secs, PerSec: float64(n.Load()) / secs}
	r.logf("static: %.0f/s (%d, %d errors)", st.PerSec, st.Count, st.Errors)
	return st, ctx.Err()
}

// issueOne takes one ticket of service.
func (r *run) issueOne(ctx context.Context, c *http.Client, service string) (issued, int, error) {
	body := []byte(`{"service":"` + service + `"}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.cfg.URL+"/api/v1/tickets", bytes.NewReader(body))
	if err != nil {
		return issued{}, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return issued{}, 0, err
	}
	defer resp.Body.Close()
	var t issued
	if resp.StatusCode != http.StatusCreated {
		io.Copy(io.Discard, resp.Body)
		return t, resp.StatusCode, nil
	}
	var b struct {
		ID, Number, Service string
	}
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
		return t, resp.StatusCode, err
	}
	t = issued{ID: b.ID, Number: b.Number, Service: b.Service}
	r.mu.Lock()
	r.tickets = append(r.tickets, t)
	r.mu.Unlock()
	return t, resp.StatusCode, nil
}

// service is the service of the i-th ticket: round the office's services,
// so that every desk has work.
func (r *run) service(i int) string {
	return r.office.Services[i%len(r.office.Services)].Letter
}

// issuePhase issues cfg.Issue tickets from cfg.Takers connections.
func (r *run) issuePhase(ctx context.Context) (*IssueResult, error) {
	before := r.waiting(ctx)
	r.logf("issue: %d tickets from %d connections (%d waiting before)", r.cfg.Issue, r.cfg.Takers, before)
	type done struct {
		at  time.Duration // since the phase began
		lat time.Duration
	}
	var (
		next  atomic.Int64
		mu    sync.Mutex
		dones []done
		codes = map[int]int{}
		errs  int
	)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < r.cfg.Takers; w++ {
		wg.Add(1)
		go func(c *http.Client) {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= r.cfg.Issue {
					return
				}
				t0 := time.Now()
				_, code, err := r.issueOne(ctx, c, r.service(i))
				lat := time.Since(t0)
				mu.Lock()
				if err != nil {
					errs++
				} else {
					codes[code]++
					if code == http.StatusCreated {
						dones = append(dones, done{at: time.Since(start), lat: lat})
					}
				}
				mu.Unlock()
			}
		}(r.client(w))
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	sort.Slice(dones, func(i, j int) bool { return dones[i].at < dones[j].at })
	lats := make([]time.Duration, len(dones))
	for i, d := range dones {
		lats[i] = d.lat
	}
	ir := &IssueResult{Rate: Rate{Count: len(dones), Errors: r.cfg.Issue - len(dones), Seconds: secs,
		PerSec: float64(len(dones)) / secs}, Conns: r.cfg.Takers, WaitingBefore: before, Latency: percentiles(lats), Codes: codes}
	// The rate over each window of W tickets, by when they were answered.
	W := r.cfg.Window
	for s := 0; s+W <= len(dones); s += W {
		from := time.Duration(0)
		if s > 0 {
			from = dones[s-1].at
		}
		span := (dones[s+W-1].at - from).Seconds()
		ir.Windows = append(ir.Windows, Window{Waiting: max(before, 0) + s, PerSec: float64(W) / span})
	}
	r.logf("issue: %.0f/s over %d tickets; latency p50 %.1f ms, p99 %.1f ms; codes %v", ir.PerSec, ir.Count, ir.Latency.P50, ir.Latency.P99, codes)
	return ir, ctx.Err()
}

// keep cancels the run's tickets past the first n, so the fan-out is
// measured at a queue of a realistic length.
func (r *run) keep(ctx context.Context, n int) error {
	r.mu.Lock()
	if n >= len(r.tickets) {
		r.mu.Unlock()
		return nil
	}
	drop := append([]issued(nil), r.tickets[n:]...)
	r.tickets = r.tickets[:n]
	r.mu.Unlock()
	r.logf("keep: cancelling %d tickets, keeping %d", len(drop), n)
	var next atomic.Int64
	var failed atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < r.cfg.Takers; w++ {
		wg.Add(1)
		go func(c *http.Client) {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(drop) {
					return
				}
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, r.cfg.URL+"/api/v1/tickets/"+drop[i].ID+"/cancel", nil)
				resp, err := c.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
			}
		}(r.client(w))
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		r.logf("keep: %d cancellations failed", f)
	}
	return ctx.Err()
}

// clerk is one signed-in clerk at one desk.
type clerk struct {
	desk  int
	token string
	c     *http.Client
}

// desk sends a desk action; it returns the status and the ticket's number
// from the answer.
func (r *run) desk(ctx context.Context, k *clerk, action string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/api/v1/desks/%d/%s", r.cfg.URL, k.desk, action), bytes.NewReader([]byte("{}")))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+k.token)
	resp, err := k.c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var b struct {
		Ticket *struct{ Number string }  `json:"ticket"`
		Error  *struct{ Message string } `json:"error"`
	}
	data, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(data, &b)
	if b.Error != nil {
		return resp.StatusCode, "", fmt.Errorf("desk %d %s: %d %s", k.desk, action, resp.StatusCode, b.Error.Message)
	}
	if b.Ticket != nil {
		return resp.StatusCode, b.Ticket.Number, nil
	}
	return resp.StatusCode, "", nil
}

// signIn signs the clerks in and opens their desks.
func (r *run) signIn(ctx context.Context) ([]*clerk, error) {
	var ks []*clerk
	for i := 0; i < r.cfg.Clerks && i < len(r.office.Desks); i++ {
		a := r.cfg.Accounts[i]
		body, _ := json.Marshal(map[string]string{"username": a.Username, "password": a.Password})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, r.cfg.URL+"/api/v1/session", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := shared.Do(req)
		if err != nil {
			return nil, err
		}
		var s struct{ Token string }
		json.NewDecoder(resp.Body).Decode(&s)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || s.Token == "" {
			return nil, fmt.Errorf("loadgen: signing in %s: %s", a.Username, resp.Status)
		}
		k := &clerk{desk: r.office.Desks[i].Number, token: s.Token, c: r.client(1000 + i)}
		if code, _, err := r.desk(ctx, k, "open"); err != nil || code != http.StatusOK {
			return nil, fmt.Errorf("loadgen: %s opening desk %d: %v", a.Username, k.desk, err)
		}
		ks = append(ks, k)
	}
	if len(ks) == 0 {
		return nil, fmt.Errorf("loadgen: no clerk could sign in (give --accounts)")
	}
	return ks, nil
}

// call is one call of a ticket: when its POST …/next began.
type call struct {
	key   uint32
	start time.Time
	lat   time.Duration // until the answer
}

// work has the clerks call n tickets in all: next, start, a pause. A desk
// that still holds a called ticket from before starts it first.
func (r *run) work(ctx context.Context, ks []*clerk, n int) []call {
	var mu sync.Mutex
	var calls []call
	var left atomic.Int64
	left.Store(int64(n))
	var wg sync.WaitGroup
	for _, k := range ks {
		wg.Add(1)
		go func(k *clerk) {
			defer wg.Done()
			for left.Add(-1) >= 0 && ctx.Err() == nil {
				t0 := time.Now()
				code, number, err := r.desk(ctx, k, "next")
				lat := time.Since(t0)
				if code == http.StatusConflict { // a ticket still called here
					r.desk(ctx, k, "start")
					left.Add(1)
					continue
				}
				if err != nil || code == http.StatusNoContent {
					if err != nil {
						r.logf("clerk at desk %d: %v", k.desk, err)
					}
					return // nobody waits for this desk any more
				}
				mu.Lock()
				calls = append(calls, call{key: numberKey([]byte(number)), start: t0, lat: lat})
				mu.Unlock()
				r.desk(ctx, k, "start")
				select {
				case <-time.After(r.cfg.CallGap):
				case <-ctx.Done():
				}
			}
		}(k)
	}
	wg.Wait()
	return calls
}

// trickle issues tickets at rate per second until stop.
func (r *run) trickle(ctx context.Context, rate float64, stop <-chan struct{}) {
	if rate <= 0 {
		return
	}
	c := r.client(2000)
	t := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-t.C:
			r.issueOne(ctx, c, r.service(i))
		case <-stop:
			return
		case <-ctx.Done():
			return
		}
	}
}

// numberKey packs a ticket number ("A012") into a key: its letter and its
// serial.
func numberKey(n []byte) uint32 {
	if len(n) < 2 {
		return 0
	}
	var serial uint32
	for _, c := range n[1:] {
		if c < '0' || c > '9' {
			return 0
		}
		serial = serial*10 + uint32(c-'0')
	}
	return uint32(n[0])<<24 | serial
}
