package citynats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"langelis/city"
	"langelis/outbox"
	"langelis/queue"
	"langelis/store"
)

// LinkConfig configures a hall's link to the city.
type LinkConfig struct {
	Conn ConnConfig  // the city's NATS (ignored for the connection when Leaf is set)
	Leaf *LeafConfig // run an embedded leaf node and reach the city through it
	Hall string      // the hall's id: one token of the subject
	URL  string      // the hall's public address, for "take a ticket there"

	StatusEvery time.Duration // how often the live status goes out; 5 s when zero
	Batch       int           // events per publishing round; 256 when zero
	Logger      *slog.Logger
	RealClock   queue.Clock // real time for the link's own timers; the system clock when nil
}

// consumerName is the city link's outbox consumer.
const consumerName = "city"

// Link is a hall's running link to the city. It never blocks the hall:
// its goroutines read the store and the engine like any other reader,
// and a cut link only lets the outbox's backlog grow.
type Link struct {
	cfg  LinkConfig
	log  *slog.Logger
	st   *store.Store
	eng  *queue.Engine
	ob   *outbox.Outbox
	leaf *server.Server
	nc   *nats.Conn
	js   jetstream.JetStream

	started time.Time

	mu     sync.Mutex
	epochs []city.Epoch
	sent   uint64 // published and acknowledged by JetStream, not yet by the centre
	gen    uint64 // bumped by every rewind, so a round in flight does not move sent past it
	// roundAt is when the latest publishing round was acknowledged by
	// JetStream (real time): a centre that has read the whole stream
	// well after it and still lacks those events never got them.
	roundAt time.Time
	gapAt   time.Time // the latest resend for a gap the centre reported

	kick      chan struct{}
	positions chan city.Position
	cancel    context.CancelFunc
	wg        sync.WaitGroup

	published atomic.Uint64 // messages JetStream acknowledged, for the figures
	failures  atomic.Uint64
}

// LinkStats is what the link knows of itself.
type LinkStats struct {
	Connected bool
	Last      uint64 // the journal's last seq
	Sent      uint64 // published up to here
	Acked     uint64 // the centre holds up to here
	Epoch     string
	Published uint64 // messages JetStream took since start (resends included)
	Failures  uint64 // publishing rounds that failed
}

// StartLink starts the hall's link. It returns at once even when NATS is
// unreachable; it keeps trying.
func StartLink(cfg LinkConfig, st *store.Store, eng *queue.Engine) (*Link, error) {
	if !city.ValidHall(cfg.Hall) {
		return nil, fmt.Errorf("city link: hall id %q: use lower-case letters, digits and hyphens, e.g. --hall vilnius-centras", cfg.Hall)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.StatusEvery <= 0 {
		cfg.StatusEvery = 5 * time.Second
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 256
	}
	if cfg.RealClock == nil {
		cfg.RealClock = queue.SystemClock{}
	}
	if cfg.Conn.Name == "" {
		cfg.Conn.Name = "langelis hall " + cfg.Hall
	}
	l := &Link{cfg: cfg, log: cfg.Logger.With("hall", cfg.Hall), st: st, eng: eng, started: cfg.RealClock.Now(),
		kick: make(chan struct{}, 1), positions: make(chan city.Position, 64)}
	var err error
	if l.ob, err = outbox.Open(st, consumerName); err != nil {
		return nil, err
	}
	if err := l.loadEpochs(); err != nil {
		return nil, err
	}
	l.sent = l.ob.Acked()
	var extra []nats.Option
	if cfg.Leaf != nil {
		if l.leaf, err = StartLeaf(*cfg.Leaf); err != nil {
			return nil, fmt.Errorf("city link: %w", err)
		}
		cfg.Conn.URLs = l.leaf.ClientURL()
		cfg.Conn.Creds, cfg.Conn.NKeySeed, cfg.Conn.User, cfg.Conn.Password = "", "", "", ""
		cfg.Conn.TLSCA, cfg.Conn.TLSCert, cfg.Conn.TLSKey = "", "", ""
		extra = append(extra, nats.InProcessServer(l.leaf))
	}
	if l.nc, err = Dial(cfg.Conn, l.log, l.reconnected, extra...); err != nil {
		l.closeLeaf()
		return nil, fmt.Errorf("city link: %w", err)
	}
	if l.js, err = jetstream.New(l.nc, jetstream.WithPublishAsyncMaxPending(cfg.Batch*2)); err != nil {
		l.nc.Close()
		l.closeLeaf()
		return nil, fmt.Errorf("city link: %w", err)
	}
	if _, err := l.nc.Subscribe(city.PositionSubject(cfg.Hall), l.onPosition); err != nil {
		l.nc.Close()
		l.closeLeaf()
		return nil, fmt.Errorf("city link: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	for _, f := range []func(context.Context){l.publishLoop, l.positionLoop, l.statusLoop, l.hallsLoop, l.staffLoop, l.flushLoop} {
		l.wg.Add(1)
		go func() { defer l.wg.Done(); f(ctx) }()
	}
	return l, nil
}

// Close stops the link, writing its cursor.
func (l *Link) Close() error {
	l.cancel()
	l.wg.Wait()
	l.nc.Close()
	l.closeLeaf()
	return l.ob.Flush()
}

func (l *Link) closeLeaf() {
	if l.leaf != nil {
		l.leaf.Shutdown()
		l.leaf.WaitForShutdown()
	}
}

// Stats returns the link's figures.
func (l *Link) Stats() LinkStats {
	l.mu.Lock()
	sent, epoch := l.sent, l.epochs[len(l.epochs)-1].ID
	l.mu.Unlock()
	return LinkStats{Connected: l.nc.IsConnected(), Last: l.ob.Last(), Sent: sent, Acked: l.ob.Acked(),
		Epoch: epoch, Published: l.published.Load(), Failures: l.failures.Load()}
}

func (l *Link) loadEpochs() error {
	es, err := l.st.Epochs()
	if err != nil {
		return err
	}
	if len(es) == 0 {
		return errors.New("city link: the store has no epoch")
	}
	out := make([]city.Epoch, len(es))
	for i, e := range es {
		out[i] = city.Epoch{ID: e.ID, Base: e.Base}
	}
	l.mu.Lock()
	l.epochs = out
	l.mu.Unlock()
	return nil
}

// rewind makes the next round publish from after seq to.
func (l *Link) rewind(to uint64) {
	l.mu.Lock()
	if to < l.sent {
		l.sent = to
	}
	l.gen++
	l.mu.Unlock()
	l.poke()
}

func (l *Link) poke() {
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// reconnected: whatever JetStream acknowledged may not have reached the
// centre; resend from what the centre acknowledged.
func (l *Link) reconnected() { l.rewind(l.ob.Acked()) }

// publishLoop publishes the journal from the last sent seq, in order,
// waiting for each round's JetStream acknowledgements.
func (l *Link) publishLoop(ctx context.Context) {
	backoff := time.Second
	for ctx.Err() == nil {
		l.mu.Lock()
		from, gen, epochs := l.sent, l.gen, l.epochs
		l.mu.Unlock()
		last, next := l.st.Committed()
		if last <= from || !l.nc.IsConnected() {
			l.wait(ctx, next, time.Second)
			continue
		}
		upto, err := l.round(ctx, from, epochs)
		if err != nil {
			l.failures.Add(1)
			if ctx.Err() == nil {
				l.log.Debug("city link: publishing failed; resending from the centre's acknowledgement", "err", err, "retry_in", backoff)
				l.rewind(l.ob.Acked())
				l.wait(ctx, nil, backoff)
				backoff = min(backoff*2, 5*time.Second)
			}
			continue
		}
		backoff = time.Second
		l.mu.Lock()
		if l.gen == gen && upto > l.sent {
			l.sent = upto
		}
		l.roundAt = time.Now()
		l.mu.Unlock()
	}
}

// lostInStream is how long after a round JetStream acknowledged, a
// centre with nothing pending that still lacks the round's events is
// taken to have lost them (JetStream's disk sync is not per message).
const lostInStream = 5 * time.Second

// wait sleeps until next is closed, the link is poked, d passes, or ctx ends.
func (l *Link) wait(ctx context.Context, next <-chan struct{}, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-next:
	case <-l.kick:
	case <-t.C:
	case <-ctx.Done():
	}
}

// round publishes one batch of events after from and returns the last
// seq JetStream took.
func (l *Link) round(ctx context.Context, from uint64, epochs []city.Epoch) (uint64, error) {
	evs, err := l.st.Events(from, l.cfg.Batch)
	if err != nil || len(evs) == 0 {
		return from, err
	}
	subject := city.EventsSubject(l.cfg.Hall)
	futures := make([]jetstream.PubAckFuture, 0, len(evs))
	prev := from
	for _, ev := range evs {
		after := ev.Seq - 1
		if ev.Seq != prev+1 {
			after = 0 // the journal's start was purged before it was sent (city.Message.After)
		}
		prev = ev.Seq
		m, err := city.NewMessage(l.cfg.Hall, epochs, after, ev)
		if err != nil {
			return from, err
		}
		data, err := json.Marshal(m)
		if err != nil {
			return from, err
		}
		msg := nats.NewMsg(subject)
		msg.Data = data
		f, err := l.js.PublishMsgAsync(msg, jetstream.WithMsgID(city.MsgID(l.cfg.Hall, city.EpochOf(epochs, ev.Seq), ev.Seq)),
			jetstream.WithExpectStream(city.Stream))
		if err != nil {
			return from, err
		}
		futures = append(futures, f)
	}
	timeout := time.NewTimer(10 * time.Second)
	defer timeout.Stop()
	for _, f := range futures {
		select {
		case <-f.Ok():
			l.published.Add(1)
		case err := <-f.Err():
			return from, err
		case <-timeout.C:
			return from, errors.New("no acknowledgement from JetStream within 10 s")
		case <-ctx.Done():
			return from, ctx.Err()
		}
	}
	return evs[len(evs)-1].Seq, nil
}

// onPosition hands the centre's acknowledgement to positionLoop (NATS
// calls it on its own goroutine; a full channel drops it, the next
// position says as much).
func (l *Link) onPosition(m *nats.Msg) {
	var p city.Position
	if json.Unmarshal(m.Data, &p) != nil || p.Hall != l.cfg.Hall {
		return
	}
	select {
	case l.positions <- p:
	default:
	}
}

func (l *Link) positionLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case p := <-l.positions:
			if err := l.position(p); err != nil {
				l.log.Warn("city link: the centre's acknowledgement", "err", err)
			}
		}
	}
}

// position applies the centre's acknowledgement (city.Acknowledged).
func (l *Link) position(p city.Position) error {
	l.mu.Lock()
	epochs := l.epochs
	l.mu.Unlock()
	last := l.ob.Last()
	ack, err := city.Acknowledged(epochs, last, p, l.digestAt)
	if err != nil {
		return err
	}
	switch {
	case ack.Fork:
		e, err := l.st.NewEpoch(1, "the city's centre holds another history of this journal")
		if err != nil {
			return err
		}
		l.log.Warn("city link: the centre holds events this journal does not have (was it put back from a copy?); a new epoch resends the whole journal",
			"centre_epoch", p.Epoch, "centre_seq", p.Seq, "journal_last", last, "new_epoch", e.ID)
		if err := l.loadEpochs(); err != nil {
			return err
		}
		if err := l.ob.Ack(0); err != nil {
			return err
		}
		l.rewind(0)
	case ack.Valid:
		prev := l.ob.Acked()
		if err := l.ob.Ack(ack.Seq); err != nil {
			return err
		}
		l.mu.Lock()
		lost := p.Pending == 0 && ack.Seq < l.sent && time.Since(l.roundAt) > lostInStream
		gap := p.Gap && time.Since(l.gapAt) > time.Second
		if gap {
			l.gapAt = time.Now()
		}
		if ack.Seq >= prev && !lost {
			l.sent = max(l.sent, ack.Seq)
		}
		l.mu.Unlock()
		if ack.Seq < prev || lost || gap {
			if lost {
				l.log.Debug("city link: the centre has read the whole stream without some events JetStream took; resending them",
					"centre_seq", ack.Seq)
			}
			l.rewind(ack.Seq)
		}
	}
	if ack.Behind && last > 0 {
		l.rewind(last - 1)
	}
	return nil
}

// digestAt is the Digest of the hall's own event at seq, as the link
// sends it; "" when the journal no longer has it.
func (l *Link) digestAt(seq uint64) (string, error) {
	evs, err := l.st.Events(seq-1, 1)
	if err != nil || len(evs) == 0 || evs[0].Seq != seq {
		return "", err
	}
	m, err := city.NewMessage(l.cfg.Hall, nil, 0, evs[0])
	if err != nil {
		return "", err
	}
	return city.Digest(m.Event), nil
}

// flushLoop writes the cursor every few seconds when no commit has.
func (l *Link) flushLoop(ctx context.Context) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	logged := time.Time{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := l.ob.Flush(); err != nil {
			l.log.Warn("city link: writing the cursor", "err", err)
		}
		// The backlog, in the log: a growing one says the link is cut.
		b, err := l.ob.Backlog()
		if err != nil {
			continue
		}
		now := l.eng.Clock().Now()
		switch age := now.Sub(b.Oldest); {
		case b.Count > 0 && age > time.Minute && time.Since(logged) > time.Minute:
			l.log.Warn("city link: events wait for the centre", "backlog", b.Count, "oldest_age", age.Round(time.Second),
				"connected", l.nc.IsConnected())
			logged = time.Now()
		case b.Count == 0 && !logged.IsZero():
			l.log.Info("city link: the centre has every event again")
			logged = time.Time{}
		}
	}
}

// watchLoop keeps watching key (a NATS subject pattern) in the city's
// key-value bucket, handing each entry to apply, and starts the watch
// again 5 s after it fails or the link is down. A watch starts with every
// key's latest value, so a hall cut off catches up when the link returns.
// apply's error ends the watch (it is retried); what reads wrongly is
// apply's to log and skip.
func (l *Link) watchLoop(ctx context.Context, what, key string, apply func(jetstream.KeyValueEntry) error) {
	for ctx.Err() == nil {
		if err := l.watchKey(ctx, key, apply); err != nil && ctx.Err() == nil {
			l.log.Debug("city link: "+what, "err", err)
		}
		l.wait(ctx, nil, 5*time.Second)
	}
}

func (l *Link) watchKey(ctx context.Context, key string, apply func(jetstream.KeyValueEntry) error) error {
	if !l.nc.IsConnected() {
		return nil
	}
	kv, err := l.js.KeyValue(ctx, city.Bucket)
	if err != nil {
		return err
	}
	w, err := kv.Watch(ctx, key)
	if err != nil {
		return err
	}
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-w.Updates():
			if !ok {
				return errors.New("the watch ended")
			}
			if e == nil {
				continue // every key's latest value has come
			}
			if err := apply(e); err != nil {
				return err
			}
		}
	}
}

// hallsLoop keeps the centre's list of halls in the store, from the
// city's key-value bucket, as it changes.
func (l *Link) hallsLoop(ctx context.Context) {
	l.watchLoop(ctx, "list of halls", city.KeyHalls, l.applyHalls)
}

func (l *Link) applyHalls(e jetstream.KeyValueEntry) error {
	if e.Operation() != jetstream.KeyValuePut {
		return nil
	}
	var halls []city.Hall
	if err := json.Unmarshal(e.Value(), &halls); err != nil {
		l.log.Warn("city link: the centre's list of halls does not read", "err", err)
		return nil
	}
	return l.st.SaveCityHalls(e.Value())
}
