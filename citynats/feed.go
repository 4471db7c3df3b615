package citynats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"langelis/city"
)

// Ingester is the centre's store as the feed needs it.
type Ingester interface {
	// Ingest stores what it takes of msgs durably (one transaction) and
	// returns the position of every hall the batch touched and the
	// verdict on each message.
	Ingest(msgs []city.Message) ([]city.Position, []city.Verdict, error)
	// Positions returns every hall's position, for the heartbeat.
	Positions() ([]city.Position, error)
}

// FeedConfig configures the centre's side of the link.
type FeedConfig struct {
	Conn     ConnConfig
	Replicas int           // the stream's replicas: 1 on one server, 3 on a cluster
	Batch    int           // messages per fetch and per store transaction; 512 when zero
	Every    time.Duration // the positions heartbeat; 5 s when zero
	Logger   *slog.Logger
	// Status hears every hall's live status.
	Status func(city.Status)
}

// Feed consumes every hall's stream into the centre's store.
type Feed struct {
	cfg    FeedConfig
	log    *slog.Logger
	store  Ingester
	nc     *nats.Conn
	js     jetstream.JetStream
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	pending uint64 // the stream's messages not yet read, as of the last fetch
	stats   FeedStats
	halls   []city.Hall
}

// FeedStats are the feed's figures since start.
type FeedStats struct {
	Messages uint64 // read from the stream
	Batches  uint64
	Pending  uint64
	Errors   uint64
}

// StartFeed connects the centre to NATS, makes sure the stream and the
// key-value bucket exist, and starts consuming. It returns once NATS
// answered; the centre cannot work without it, unlike a hall.
func StartFeed(ctx context.Context, cfg FeedConfig, store Ingester) (*Feed, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 512
	}
	if cfg.Every <= 0 {
		cfg.Every = 5 * time.Second
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = 1
	}
	if cfg.Conn.Name == "" {
		cfg.Conn.Name = "langelis central"
	}
	f := &Feed{cfg: cfg, log: cfg.Logger, store: store}
	var err error
	if f.nc, err = Dial(cfg.Conn, f.log, nil); err != nil {
		return nil, err
	}
	if f.js, err = jetstream.New(f.nc); err != nil {
		f.nc.Close()
		return nil, err
	}
	cons, err := f.setup(ctx)
	if err != nil {
		f.nc.Close()
		return nil, err
	}
	if _, err := f.nc.Subscribe(city.StatusSubjects, f.onStatus); err != nil {
		f.nc.Close()
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	f.cancel = cancel
	f.wg.Add(2)
	go func() { defer f.wg.Done(); f.consume(runCtx, cons) }()
	go func() { defer f.wg.Done(); f.heartbeat(runCtx) }()
	return f, nil
}

// setup creates (or updates) the stream, the centre's consumer and the
// bucket, retrying while NATS comes up.
func (f *Feed) setup(ctx context.Context) (jetstream.Consumer, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		cons, err := f.trySetup(ctx)
		if err == nil {
			return cons, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("NATS JetStream at %s: %w", f.cfg.Conn.URLs, err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func (f *Feed) trySetup(ctx context.Context) (jetstream.Consumer, error) {
	// Interest retention: a message leaves the stream once the centre
	// acknowledged it (after its own durable write); until then a hall's
	// backlog waits there or in the hall's own outbox.
	_, err := f.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: city.Stream, Subjects: []string{city.EventsSubjects},
		Storage: jetstream.FileStorage, Retention: jetstream.InterestPolicy, Replicas: f.cfg.Replicas,
		Duplicates: 2 * time.Minute, MaxMsgSize: 1 << 20})
	if err != nil {
		return nil, err
	}
	if _, err := f.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: city.Bucket, Replicas: f.cfg.Replicas, History: 5}); err != nil {
		return nil, err
	}
	// Explicit acknowledgements, one per message: acknowledging all up
	// to a message would also drop one delivered to a fetch that the
	// link's loss cut short, and one that came early (city.Early).
	return f.js.CreateOrUpdateConsumer(ctx, city.Stream, jetstream.ConsumerConfig{Durable: city.Consumer,
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: 10 * time.Second, MaxAckPending: 20000,
		DeliverPolicy: jetstream.DeliverAllPolicy})
}

// Close stops consuming.
func (f *Feed) Close() {
	f.cancel()
	f.wg.Wait()
	f.nc.Close()
}

// Stats returns the feed's figures.
func (f *Feed) Stats() FeedStats {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.stats
	s.Pending = f.pending
	return s
}

// Connected says whether the centre's NATS connection is up.
func (f *Feed) Connected() bool { return f.nc.IsConnected() }

func (f *Feed) consume(ctx context.Context, cons jetstream.Consumer) {
	for ctx.Err() == nil {
		batch, err := cons.Fetch(f.cfg.Batch, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			f.fail(ctx, "fetch", err)
			continue
		}
		var raw []jetstream.Msg
		for m := range batch.Messages() {
			raw = append(raw, m)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && len(raw) == 0 {
			f.fail(ctx, "fetch", err)
			continue
		}
		if len(raw) == 0 {
			f.mu.Lock()
			f.pending = 0
			f.mu.Unlock()
			continue
		}
		if err := f.ingest(raw); err != nil {
			// Not acknowledged: JetStream delivers them again.
			f.fail(ctx, "store", err)
		}
	}
}

func (f *Feed) fail(ctx context.Context, what string, err error) {
	f.mu.Lock()
	f.stats.Errors++
	f.mu.Unlock()
	if ctx.Err() == nil {
		f.log.Warn("central: "+what, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// earlyRetries is how many times an early message is delivered again
// before the centre gives up on it (the hall resends it anyway).
const earlyRetries = 30

// ingest stores one fetched batch, then acknowledges it to JetStream and
// to the halls: each message once decided (taken, held already, or of a
// history the hall left); an early one is handed back, to be delivered
// again after the hall resent the events before it.
func (f *Feed) ingest(raw []jetstream.Msg) error {
	msgs := make([]city.Message, 0, len(raw))
	keep := make([]jetstream.Msg, 0, len(raw))
	for _, m := range raw {
		var cm city.Message
		if err := json.Unmarshal(m.Data(), &cm); err != nil || !city.ValidHall(cm.Hall) || cm.Seq == 0 {
			f.log.Warn("central: a message on the stream does not read; dropped", "subject", m.Subject(), "err", err)
			m.Term()
			continue
		}
		msgs = append(msgs, cm)
		keep = append(keep, m)
	}
	positions, verdicts, err := f.store.Ingest(msgs)
	if err != nil {
		return err
	}
	for i, m := range keep {
		if verdicts[i] != city.Early {
			m.Ack()
			continue
		}
		md, err := m.Metadata()
		switch {
		case err == nil && md.NumDelivered >= earlyRetries:
			m.Term()
		case err == nil:
			// Later each time: the missing event is behind it in the
			// stream, or waits out a cut fetch's AckWait.
			m.NakWithDelay(time.Duration(min(md.NumDelivered, 10)) * time.Second)
		default:
			m.NakWithDelay(time.Second)
		}
	}
	var pending uint64
	if md, err := raw[len(raw)-1].Metadata(); err == nil {
		pending = md.NumPending
	}
	f.mu.Lock()
	f.pending = pending
	f.stats.Messages += uint64(len(raw))
	f.stats.Batches++
	f.mu.Unlock()
	f.publishPositions(positions, pending)
	return nil
}

func (f *Feed) publishPositions(ps []city.Position, pending uint64) {
	now := time.Now().UTC()
	for _, p := range ps {
		p.Pending, p.At = pending, now
		data, err := json.Marshal(p)
		if err != nil {
			continue
		}
		f.nc.Publish(city.PositionSubject(p.Hall), data)
	}
}

// heartbeat sends every hall's position every few seconds, so a hall
// that reconnects, or whose events JetStream lost, hears where the centre
// stands without waiting for its next event.
func (f *Feed) heartbeat(ctx context.Context) {
	t := time.NewTicker(f.cfg.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ps, err := f.store.Positions()
		if err != nil {
			f.log.Warn("central: positions", "err", err)
			continue
		}
		f.mu.Lock()
		pending := f.pending
		f.mu.Unlock()
		f.publishPositions(ps, pending)
	}
}

func (f *Feed) onStatus(m *nats.Msg) {
	var s city.Status
	if err := json.Unmarshal(m.Data, &s); err != nil || !city.ValidHall(s.Hall) || m.Subject != city.StatusSubject(s.Hall) {
		return
	}
	if f.cfg.Status != nil {
		f.cfg.Status(s)
	}
}

// PublishHalls puts the list of halls in the bucket the halls watch, when
// it changed.
func (f *Feed) PublishHalls(ctx context.Context, halls []city.Hall) error {
	f.mu.Lock()
	same := slices.EqualFunc(halls, f.halls, func(a, b city.Hall) bool {
		return a.ID == b.ID && a.Name == b.Name && a.URL == b.URL
	})
	f.mu.Unlock()
	if same {
		return nil
	}
	kv, err := f.js.KeyValue(ctx, city.Bucket)
	if err != nil {
		return err
	}
	data, err := json.Marshal(halls)
	if err != nil {
		return err
	}
	if _, err := kv.Put(ctx, city.KeyHalls, data); err != nil {
		return err
	}
	f.mu.Lock()
	f.halls = slices.Clone(halls)
	f.mu.Unlock()
	return nil
}
