package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"langelis/outbox"
	"langelis/store"
	"langelis/wire"
)

// batch is how many events one read of the journal takes.
const batch = 64

// runner delivers one hook's events, one at a time, in journal order.
type runner struct {
	h    *Hooks
	hook store.Webhook
	ob   *outbox.Outbox

	cancel context.CancelFunc
	done   chan struct{}

	mu       sync.Mutex
	pos      uint64 // the last event handled (delivered, or not of the hook's kinds)
	sent     uint64
	okAt     time.Time
	lastErr  string
	errAt    time.Time
	attempts int
	nextTry  time.Time
}

func newRunner(h *Hooks, hk store.Webhook, ob *outbox.Outbox) *runner {
	return &runner{h: h, hook: hk, ob: ob, pos: max(ob.Acked(), hk.From), done: make(chan struct{})}
}

func (r *runner) start() {
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { defer close(r.done); r.run(ctx) }()
}

func (r *runner) stop() {
	if r.cancel != nil {
		r.cancel()
		<-r.done
	}
}

func (r *runner) wants(k Kind) bool { return k != "" && slices.Contains(r.hook.Kinds, string(k)) }

// run follows the journal from the hook's position until ctx ends.
func (r *runner) run(ctx context.Context) {
	log := r.h.log.With("webhook", r.hook.ID)
	r.mu.Lock()
	pos := r.pos
	r.mu.Unlock()
	for ctx.Err() == nil {
		evs, err := r.ob.Next(ctx, pos, batch)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("webhook: reading the journal", "err", err)
				sleep(ctx, time.Second)
			}
			continue
		}
		epochs, err := r.h.cfg.Store.Epochs()
		if err != nil {
			log.Warn("webhook: reading the epochs", "err", err)
			sleep(ctx, time.Second)
			continue
		}
		if len(evs) > 0 && evs[0].Seq != pos+1 {
			log.Warn("webhook: events purged (retention) before they were sent", "from", pos+1, "to", evs[0].Seq-1)
		}
		for _, ev := range evs {
			if r.wants(KindOf(ev.Type)) {
				if !r.deliver(ctx, NewEnvelope(r.h.cfg.Hall, epochOf(epochs, ev.Seq), ev)) {
					return // stopped: the cursor stays before this event
				}
			}
			pos = ev.Seq
			r.mu.Lock()
			r.pos = pos
			r.mu.Unlock()
			// Written with the next journal commit (or the flush):
			// lost by a crash, it costs a resend the receiver drops by id.
			if err := r.ob.Ack(pos); err != nil {
				log.Warn("webhook: the cursor", "err", err)
			}
		}
	}
}

// epochOf is the epoch seq belongs to: the last whose base is at most seq.
func epochOf(es []store.Epoch, seq uint64) string {
	id := ""
	for _, e := range es {
		if e.Base <= seq {
			id = e.ID
		}
	}
	return id
}

// deliver sends env until the receiver takes it (true) or ctx ends
// (false), waiting longer after each failure.
func (r *runner) deliver(ctx context.Context, env Envelope) bool {
	wait := r.h.cfg.MinBackoff
	for {
		_, err := r.h.post(ctx, r.hook, env)
		// Stamped on the office clock, as every admin page shows time;
		// the waits between tries are real time (the receiver's and the
		// network's), so NextTry is the office's now plus the wait.
		now := r.h.cfg.Clock.Now()
		r.mu.Lock()
		if err == nil {
			r.sent++
			r.okAt, r.attempts, r.nextTry = now, 0, time.Time{}
			r.mu.Unlock()
			return true
		}
		if ctx.Err() != nil {
			r.mu.Unlock()
			return false
		}
		r.attempts++
		r.lastErr, r.errAt, r.nextTry = fmt.Sprintf("%s: %v", env.label(), err), now, now.Add(wait)
		attempts := r.attempts
		r.mu.Unlock()
		if attempts == 1 || attempts%10 == 0 {
			r.h.log.Warn("webhook: delivery failed; retrying", "webhook", r.hook.ID, "id", env.ID, "attempts", attempts,
				"retry_in", wait, "err", err)
		}
		if !sleep(ctx, wait) {
			return false
		}
		wait = min(wait*2, r.h.cfg.MaxBackoff)
	}
}

// sleep waits d, or until ctx ends (false).
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// post sends one envelope, signed; a 2xx answer is success.
func (h *Hooks) post(ctx context.Context, hk store.Webhook, env Envelope) (int, error) {
	body, err := json.Marshal(env)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hk.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := time.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Langelis-Webhook/1")
	req.Header.Set(HeaderTimestamp, fmt.Sprint(ts))
	req.Header.Set(HeaderSignature, Sign(hk.Secret, ts, body))
	req.Header.Set(HeaderID, env.ID)
	req.Header.Set(HeaderKind, string(env.Kind))
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}

// status is the hook as the admin page shows it.
func (r *runner) status() wire.Webhook {
	last := r.ob.Last()
	r.mu.Lock()
	defer r.mu.Unlock()
	hint := r.hook.Secret
	if len(hint) > 4 {
		hint = "…" + hint[len(hint)-4:]
	}
	created, _ := time.Parse(time.RFC3339, r.hook.Created)
	w := wire.Webhook{ID: r.hook.ID, URL: r.hook.URL, Kinds: slices.Clone(r.hook.Kinds), SecretHint: hint, Created: created,
		Delivered: r.pos, Sent: r.sent, LastSuccess: r.okAt, LastError: r.lastErr, LastErrorAt: r.errAt,
		Attempts: r.attempts, NextTry: r.nextTry}
	if last > r.pos {
		w.Backlog = last - r.pos
	}
	return w
}
