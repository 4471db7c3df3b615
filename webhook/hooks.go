package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"langelis/outbox"
	"langelis/queue"
	"langelis/store"
	"langelis/wire"
)

// Config configures the webhooks.
type Config struct {
	Store *store.Store
	// Hall names the hall in the envelopes' ids: the city link's hall id
	// when the hall has one; "hall" when empty.
	Hall   string
	Clock  queue.Clock // the office clock, for the audit's changes; the system clock when nil
	Logger *slog.Logger
	// MinBackoff is the first wait after a failed delivery (1 s when
	// zero); each failure doubles it up to MaxBackoff (5 min when zero).
	MinBackoff, MaxBackoff time.Duration
	Timeout                time.Duration // one delivery's timeout; 10 s when zero
}

// Hooks runs every configured hook.
type Hooks struct {
	cfg    Config
	log    *slog.Logger
	client *http.Client

	mu      sync.Mutex
	runners map[string]*runner
	closed  bool

	stopFlush context.CancelFunc
	flushDone chan struct{}
}

// Start loads the configured hooks and starts delivering to each.
func Start(cfg Config) (*Hooks, error) {
	if cfg.Store == nil {
		return nil, errors.New("webhook: a store is required")
	}
	if cfg.Hall == "" {
		cfg.Hall = "hall"
	}
	if cfg.Clock == nil {
		cfg.Clock = queue.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Minute
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	h := &Hooks{cfg: cfg, log: cfg.Logger, runners: map[string]*runner{},
		// A redirect is not followed: a POST turned into a GET elsewhere
		// would be taken for a delivery.
		client: &http.Client{Timeout: cfg.Timeout, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}}
	list, err := cfg.Store.Webhooks()
	if err != nil {
		return nil, err
	}
	for _, hk := range list {
		if err := h.start(hk); err != nil {
			h.Close()
			return nil, err
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.stopFlush, h.flushDone = cancel, make(chan struct{})
	go h.flushLoop(ctx)
	return h, nil
}

func consumer(id string) string { return "webhook:" + id }

func (h *Hooks) start(hk store.Webhook) error {
	ob, err := outbox.Open(h.cfg.Store, consumer(hk.ID))
	if err != nil {
		return err
	}
	r := newRunner(h, hk, ob)
	h.mu.Lock()
	h.runners[hk.ID] = r
	h.mu.Unlock()
	r.start()
	return nil
}

// Close stops every delivery and writes the cursors.
func (h *Hooks) Close() error {
	h.mu.Lock()
	h.closed = true
	rs := make([]*runner, 0, len(h.runners))
	for _, r := range h.runners {
		rs = append(rs, r)
	}
	h.mu.Unlock()
	for _, r := range rs {
		r.stop()
	}
	if h.stopFlush != nil {
		h.stopFlush()
		<-h.flushDone
	}
	return h.cfg.Store.FlushCursors()
}

// flushLoop writes the cursors every few seconds when no journal commit
// has carried them.
func (h *Hooks) flushLoop(ctx context.Context) {
	defer close(h.flushDone)
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := h.cfg.Store.FlushCursors(); err != nil {
				h.log.Warn("webhook: writing the cursors", "err", err)
			}
		}
	}
}

// List returns every hook with its status, by id.
func (h *Hooks) List() []wire.Webhook {
	h.mu.Lock()
	rs := make([]*runner, 0, len(h.runners))
	for _, r := range h.runners {
		rs = append(rs, r)
	}
	h.mu.Unlock()
	out := make([]wire.Webhook, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.status())
	}
	slices.SortFunc(out, func(a, b wire.Webhook) int {
		if len(a.ID) != len(b.ID) {
			return len(a.ID) - len(b.ID)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// maxURL bounds a hook's address.
const maxURL = 2000

// checkURL refuses what is not an absolute http(s) address.
func checkURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > maxURL {
		return "", queue.E(queue.EINVALID, "err.webhook.url", "url", queue.Clip(raw))
	}
	return raw, nil
}

// checkKinds refuses an empty or unknown choice of kinds.
func checkKinds(ks []string) ([]string, error) {
	var out []string
	for _, k := range ks {
		if !slices.Contains(Kinds(), Kind(k)) {
			return nil, queue.E(queue.EINVALID, "err.webhook.kind", "kind", queue.Clip(k))
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return nil, queue.E(queue.EINVALID, "err.webhook.no_kind")
	}
	// In the kinds' own order, whatever order they were given in.
	slices.SortFunc(out, func(a, b string) int {
		return slices.Index(Kinds(), Kind(a)) - slices.Index(Kinds(), Kind(b))
	})
	return out, nil
}

// Secret bounds.
const (
	minSecret = 16
	maxSecret = 200
)

func newSecret() string {
	var b [32]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// shown is what the audit keeps of a hook: its address without a query
// or user info (either may hold a receiver's token) and its kinds.
func shown(u string, kinds []string) json.RawMessage {
	if p, err := url.Parse(u); err == nil {
		p.User, p.RawQuery, p.Fragment = nil, "", ""
		u = p.String()
	}
	return queue.ChangeJSON(map[string]any{"url": u, "kinds": kinds})
}

// Add configures a new hook, which receives the events committed after
// now, and starts delivering to it. It answers the hook and its secret.
func (h *Hooks) Add(req wire.AddWebhookRequest, actor string) (wire.Webhook, string, error) {
	u, err := checkURL(req.URL)
	if err != nil {
		return wire.Webhook{}, "", err
	}
	ks, err := checkKinds(req.Kinds)
	if err != nil {
		return wire.Webhook{}, "", err
	}
	secret := strings.TrimSpace(req.Secret)
	if secret == "" {
		secret = newSecret()
	} else if n := len(secret); n < minSecret || n > maxSecret {
		return wire.Webhook{}, "", queue.E(queue.EINVALID, "err.webhook.secret", "min", minSecret, "max", maxSecret)
	}
	now := h.cfg.Clock.Now()
	last, _ := h.cfg.Store.Committed()
	hk, err := h.cfg.Store.AddWebhook(store.Webhook{URL: u, Secret: secret, Kinds: ks, From: last,
		Created: now.UTC().Format(time.RFC3339)},
		queue.Change{At: now, Actor: actor, Kind: "webhook.added", New: shown(u, ks), Effective: queue.EffectiveNow})
	if err != nil {
		return wire.Webhook{}, "", err
	}
	h.mu.Lock()
	closed := h.closed
	h.mu.Unlock()
	if !closed {
		if err := h.start(hk); err != nil {
			return wire.Webhook{}, "", err
		}
	}
	h.log.Info("webhook: added", "id", hk.ID, "kinds", ks, "by", actor)
	h.mu.Lock()
	r := h.runners[hk.ID]
	h.mu.Unlock()
	if r == nil {
		return wire.Webhook{ID: hk.ID, URL: u, Kinds: ks}, secret, nil
	}
	return r.status(), secret, nil
}

// Remove stops a hook and deletes it with its cursor.
func (h *Hooks) Remove(id, actor string) error {
	h.mu.Lock()
	r := h.runners[id]
	delete(h.runners, id)
	h.mu.Unlock()
	if r == nil {
		return queue.E(queue.ENOTFOUND, "err.webhook.unknown", "id", queue.Clip(id))
	}
	r.stop()
	err := h.cfg.Store.RemoveWebhook(id, consumer(id), queue.Change{At: h.cfg.Clock.Now(), Actor: actor, Kind: "webhook.removed",
		Subject: "webhook " + id, Old: shown(r.hook.URL, r.hook.Kinds), Effective: queue.EffectiveNow})
	if errors.Is(err, store.ErrNotFound) {
		return queue.E(queue.ENOTFOUND, "err.webhook.unknown", "id", queue.Clip(id))
	}
	if err == nil {
		h.log.Info("webhook: removed", "id", id, "by", actor)
	}
	return err
}

// Test sends the hook one signed test envelope now (kind "test", outside
// the journal's order and its cursor) and says how it was answered.
func (h *Hooks) Test(ctx context.Context, id string) (wire.WebhookTest, error) {
	h.mu.Lock()
	r := h.runners[id]
	h.mu.Unlock()
	if r == nil {
		return wire.WebhookTest{}, queue.E(queue.ENOTFOUND, "err.webhook.unknown", "id", queue.Clip(id))
	}
	env := Envelope{ID: h.cfg.Hall + "/test/" + newSecret()[:16], Kind: "test", Type: "webhook.test", At: h.cfg.Clock.Now(),
		Day: "", Hall: h.cfg.Hall}
	start := time.Now()
	status, err := h.post(ctx, r.hook, env)
	out := wire.WebhookTest{OK: err == nil, Status: status, Millis: time.Since(start).Milliseconds()}
	if err != nil {
		out.Error = err.Error()
	}
	return out, nil
}
