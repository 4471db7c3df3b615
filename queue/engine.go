package queue

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"langelis/priority"
)

// Journal makes events durable. The store implements it; the domain only
// knows that Append returns after the events are on disk.
type Journal interface {
	// Append writes events atomically and durably, in order.
	Append(events []Event) error
	// Recover returns the events of the latest business day in the
	// journal, oldest first, and the highest sequence number written.
	Recover() (events []Event, lastSeq uint64, err error)
}

// Publisher hears committed events, in commit order. It must not block.
type Publisher func(events []Event)

// Engine owns the office's queue. Every command passes through one
// goroutine; the commands that arrive while a commit is on disk are applied
// together and committed in one write (group commit), and each caller is
// answered only after its events are durable (DESIGN.md invariants 1-3).
type Engine struct {
	office   *Office                // the running office, owned by the run goroutine
	shared   atomic.Pointer[Office] // the same, for Office() from any goroutine
	validate Validator
	clock    Clock
	journal  Journal
	policy   priority.LinePolicy
	log      *slog.Logger

	cmds chan *command
	quit chan struct{}
	done chan struct{}

	pubMu   sync.Mutex
	publish Publisher
	observe Publisher // Options.Observe

	st *State    // owned by the run goroutine
	bk bookState // the bookings, owned by the run goroutine (bookings.go)

	expected Expected // learned service times, owned by the run goroutine

	ckpt ckptTrack // what the next checkpoint holds, owned by the run goroutine

	stale bool // a failed commit could not be undone: rebuild before anything else

	snapCache struct { // the last snapshot, owned by the run goroutine
		ok    bool
		snap  Snapshot
		order []*Ticket // its waiting tickets in order
	}
	views viewCache // the last projections, owned by the run goroutine
	// forecast is the forward model's latest answer (SetForecast), owned
	// by the run goroutine.
	forecast *Forecast
	runBuf   runBuffers // the forward run's buffers, owned by the run goroutine

	pickCands   []priority.Candidate // pick's buffers, owned by the run goroutine
	pickTickets []*Ticket

	cutMu      sync.Mutex
	onCutoff   func(c *Cutoff)
	lastCutoff *Cutoff // the figure last announced, owned by the run goroutine

	cutoffDue       bool // committed changes not yet announced, owned by the run goroutine
	announceSkipped int  // batches since, owned by the run goroutine
}

// Options configure an Engine.
type Options struct {
	Clock   Clock
	Logger  *slog.Logger
	Policy  priority.LinePolicy // nil: the office's configured policy
	Publish Publisher
	// Observe also hears every committed event, after Publish: a model
	// beside the engine (package forecast) learns from them. It must not
	// block.
	Observe Publisher
	// Recent are the service times of recent days' finished services per
	// service letter, oldest first (ServiceTimes of their events): the
	// expected times start from them until today has enough of its own.
	Recent map[string][]time.Duration
	// Validate checks the office a configuration change proposes
	// (Reconfigure); nil checks it with Office.Validate.
	Validate Validator
	// CheckpointEvery is how many events pass between checkpoints of the
	// state, when the journal keeps them (Checkpointer): 0 means
	// CheckpointEvery, a negative number never.
	CheckpointEvery int
}

// maxBatch bounds one group commit so a flood cannot make one write huge.
const maxBatch = 512

type command struct {
	write bool
	fn    func(tx *Tx) (any, error)
	// post, when set, completes a write's answer once its batch is
	// committed (the ticket's place is read off the state after the batch).
	post func(res any, now time.Time) any
	res  any
	err  error
	done chan struct{}
}

// Tx is what a command sees while it runs: the state and a way to emit
// events. A command checks everything first and emits only when it will
// succeed, so a refused command changes nothing.
type Tx struct {
	e      *Engine
	now    time.Time
	events []Event
	config *pendingConfig // the batch's configuration changes (config.go)
}

// Now is the time the command runs at.
func (tx *Tx) Now() time.Time { return tx.now }

func (tx *Tx) emit(ev Event) Event {
	st := tx.e.st
	ev.Seq = st.seq + 1
	ev.At = tx.now
	if ev.Day == "" {
		ev.Day = st.day
	}
	st.Apply(ev)
	tx.e.bk.apply(ev)
	tx.events = append(tx.events, ev)
	return ev
}

// NewEngine recovers the state from the journal and starts the engine.
func NewEngine(o *Office, j Journal, opt Options) (*Engine, error) {
	if opt.Clock == nil {
		opt.Clock = SystemClock{}
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	p := opt.Policy
	if p == nil {
		var err error
		p, err = priority.New(o.PrioritySettings())
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
	}
	e := &Engine{office: o, clock: opt.Clock, journal: j, policy: p, log: opt.Logger,
		cmds: make(chan *command, maxBatch), quit: make(chan struct{}), done: make(chan struct{}),
		publish: opt.Publish, observe: opt.Observe, expected: newExpected(o, opt.Recent)}
	e.shared.Store(o)
	e.validate = opt.Validate
	if e.validate == nil {
		e.validate = func(o *Office) (*Office, error) {
			o.ApplyDefaults()
			if err := o.Validate(); err != nil {
				return nil, E(EINVALID, "err.config.invalid", "why", err.Error())
			}
			return o, nil
		}
	}
	e.ckpt.every = opt.CheckpointEvery
	if e.ckpt.every == 0 {
		e.ckpt.every = CheckpointEvery
	}
	if err := e.recover(); err != nil {
		return nil, err
	}
	go e.run()
	return e, nil
}

// PrioritySettings converts the office settings for the priority package.
func (o *Office) PrioritySettings() priority.Settings {
	return priority.Settings{Policy: o.Priority.Policy, MaxStreak: o.Priority.MaxStreak,
		MaxWait:   time.Duration(o.Priority.MaxWaitMinutes * float64(time.Minute)),
		HeadStart: time.Duration(o.Priority.HeadStartMinutes * float64(time.Minute)),
		Ratio:     o.Priority.Ratio, AgingFactor: o.Priority.AgingFactor}
}

func (e *Engine) recover() error {
	var cp *Checkpoint
	var events []Event
	var last uint64
	var err error
	if cj, ok := e.journal.(Checkpointer); ok && e.ckpt.every > 0 {
		cp, events, last, err = cj.RecoverCheckpoint()
	} else {
		events, last, err = e.journal.Recover()
	}
	if err != nil {
		return fmt.Errorf("queue: recover: %w", err)
	}
	// The recent days' samples (Options.Recent at start, and the days that
	// rolled over since) carry over; today's are learned again below, or
	// come from the checkpoint.
	st := NewState(e.office)
	x := newExpected(e.office, e.expected.recent)
	if cp != nil {
		st = restore(e.office, cp)
		for svc, ds := range cp.Samples {
			x.today[svc] = append([]time.Duration(nil), ds...)
		}
	}
	e.ckpt.restart(cp, events)
	for _, ev := range events {
		st.Apply(ev)
		x.observe(ev)
	}
	st.seq = last
	e.bk.dayOf = e.dayOf
	if err := e.bk.load(e.journal, st.day); err != nil {
		return fmt.Errorf("queue: recover bookings: %w", err)
	}
	e.st = st
	e.snapCache.ok = false
	e.views.forget()
	e.expected = x
	e.stale = false
	return nil
}

// SetPublisher sets who hears committed events; the server wires its hub
// after the engine exists.
func (e *Engine) SetPublisher(p Publisher) {
	e.pubMu.Lock()
	e.publish = p
	e.pubMu.Unlock()
}

// Office returns the running office definition. A configuration change
// (Reconfigure) replaces it by a new one; the one returned never changes.
func (e *Engine) Office() *Office { return e.shared.Load() }

// Clock returns the engine's clock.
func (e *Engine) Clock() Clock { return e.clock }

// Policy returns the call-order policy.
func (e *Engine) Policy() priority.Policy { return e.policy }

// Close stops the engine after the commands already taken are answered.
func (e *Engine) Close() error {
	select {
	case <-e.quit:
	default:
		close(e.quit)
	}
	<-e.done
	return nil
}

// ErrClosed is returned for commands sent after Close.
var ErrClosed = E(EUNAVAILABLE, "err.shutting_down")

func (e *Engine) do(ctx context.Context, write bool, fn func(tx *Tx) (any, error)) (any, error) {
	return e.send(ctx, &command{write: write, fn: fn, done: make(chan struct{})})
}

// doPost runs the write fn and, once it is committed, completes its answer
// with post.
func (e *Engine) doPost(ctx context.Context, fn func(tx *Tx) (any, error), post func(res any, now time.Time) any) (any, error) {
	return e.send(ctx, &command{write: true, fn: fn, post: post, done: make(chan struct{})})
}

func (e *Engine) send(ctx context.Context, c *command) (any, error) {
	select {
	case e.cmds <- c:
	case <-e.quit:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Once taken, a command is always answered: waiting here even when ctx
	// ends keeps "answered" and "committed" the same thing.
	select {
	case <-c.done:
		return c.res, c.err
	case <-e.done:
		select {
		case <-c.done:
			return c.res, c.err
		default:
			return nil, ErrClosed
		}
	}
}

func (e *Engine) run() {
	defer close(e.done)
	batch := make([]*command, 0, maxBatch)
	for {
		select {
		case <-e.quit:
			// Answer what is already queued, then stop.
			batch = batch[:0]
			for {
				select {
				case c := <-e.cmds:
					batch = append(batch, c)
					if len(batch) == maxBatch {
						e.process(batch)
						batch = batch[:0]
					}
				default:
					if len(batch) > 0 {
						e.process(batch)
					}
					return
				}
			}
		case c := <-e.cmds:
			batch = append(batch[:0], c)
		drain:
			for len(batch) < maxBatch {
				select {
				case c := <-e.cmds:
					batch = append(batch, c)
				default:
					break drain
				}
			}
			e.process(batch)
			e.announceCutoff(len(e.cmds) > 0)
		}
	}
}

// process applies a batch: writes first, one commit, then reads, so a read
// never sees an uncommitted change.
func (e *Engine) process(batch []*command) {
	if e.stale {
		if err := e.recover(); err != nil {
			for _, c := range batch {
				c.res, c.err = nil, E(EUNAVAILABLE, "err.store.read")
				close(c.done)
			}
			return
		}
	}
	tx := &Tx{e: e, now: e.clock.Now()}
	var reads []*command
	broken := false
	for _, c := range batch {
		if !c.write {
			reads = append(reads, c)
			continue
		}
		e.rollover(tx)
		before := len(tx.events)
		c.res, c.err = c.fn(tx)
		if c.err != nil && len(tx.events) != before {
			// A command emitted and then failed: a bug. Nothing of this
			// batch is committed and the state is rebuilt from the journal.
			e.log.Error("queue: command failed after emitting events", "err", c.err)
			broken = true
		}
	}
	if broken {
		e.undoConfig(tx)
		e.failBatch(batch, E(EINTERNAL, "err.internal.nothing_changed"))
		return
	}
	if len(tx.events) > 0 {
		commit := e.commit
		if tx.config != nil {
			commit = func(evs []Event) error { return e.commitConfig(evs, tx.config) }
		}
		if err := commit(tx.events); err != nil {
			e.undoConfig(tx)
			e.log.Error("queue: commit failed", "err", err, "events", len(tx.events))
			e.failBatch(batch, E(EUNAVAILABLE, "err.store.save"))
			return
		}
		for _, ev := range tx.events {
			e.expected.observe(ev)
		}
		e.pubMu.Lock()
		pub := e.publish
		e.pubMu.Unlock()
		if pub != nil {
			pub(tx.events)
		}
		if e.observe != nil {
			e.observe(tx.events)
		}
	}
	for _, c := range batch {
		if c.write {
			if c.err == nil && c.post != nil {
				c.res = c.post(c.res, tx.now)
			}
			close(c.done)
		}
	}
	if len(reads) < len(batch) {
		e.cutoffDue = true
	}
	for _, c := range reads {
		c.res, c.err = c.fn(tx)
		close(c.done)
	}
}

func (e *Engine) failBatch(batch []*command, err error) {
	if rerr := e.recover(); rerr != nil {
		// The state still holds the refused changes: nothing may read or
		// build on it until a rebuild succeeds (see process).
		e.stale = true
		e.log.Error("queue: state could not be rebuilt after a failed commit", "err", rerr)
		for _, c := range batch {
			c.res, c.err = nil, err
			close(c.done)
		}
		return
	}
	for _, c := range batch {
		if c.write {
			c.res, c.err = nil, err
			close(c.done)
		}
	}
	tx := &Tx{e: e, now: e.clock.Now()}
	for _, c := range batch {
		if !c.write {
			c.res, c.err = c.fn(tx)
			close(c.done)
		}
	}
}

// rollover starts a new business day when the calendar day in the office
// time zone has changed: the old day's active tickets are closed as not
// served, and numbering restarts.
func (e *Engine) rollover(tx *Tx) {
	today := e.office.Day(tx.now)
	if e.st.day == today {
		return
	}
	if e.st.day != "" && e.st.day > today {
		return // the clock went back across midnight; keep the later day
	}
	e.closeActive(tx, "system", "day ended")
	e.settlePast(tx, today)
	tx.emit(Event{Type: DayStarted, Day: today, Actor: "system"}) // the bookings settled before today leave memory
}

// dayOf is the office day of t, by the running office.
func (e *Engine) dayOf(t time.Time) string { return e.office.Day(t) }

// closeActive closes every active ticket of the current day as not served.
func (e *Engine) closeActive(tx *Tx, actor, reason string) int {
	n := 0
	for _, t := range e.st.active() {
		nt := *t
		nt.Status = Closed
		nt.EndedAt = tx.now
		if d, ok := e.st.desks[t.Desk]; ok && d.Ticket == t.ID && t.Status != Waiting {
			nd := *d
			nd.Ticket, nd.TicketNumber = "", ""
			tx.emit(Event{Type: TicketClosed, Actor: actor, Reason: reason, Ticket: &nt, Desk: &nd})
		} else {
			tx.emit(Event{Type: TicketClosed, Actor: actor, Reason: reason, Ticket: &nt})
		}
		n++
	}
	return n
}

// Tick lets time-driven rules run (day rollover, day end); the server
// calls it every few seconds.
func (e *Engine) Tick(ctx context.Context) error {
	_, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		e.dayEnd(tx)
		e.markMissed(tx)
		return nil, nil
	})
	return err
}

// dayEnd closes the waiting tickets once the day-end time after closing has
// passed, and the desks still open or paused then, with the tickets they
// hold, so that no call of the day stays on the display overnight
// (DESIGN.md "End of day"). A desk opened after the day end (Since not
// before it) is someone's deliberate late work and stays open.
func (e *Engine) dayEnd(tx *Tx) {
	end, ok := e.dayEndAt(tx.now)
	if !ok || tx.now.Before(end) {
		return
	}
	system := Actor{User: "system"}
	for _, t := range append([]*Ticket(nil), e.st.waiting()...) { // emitting changes the line
		nt := *t
		nt.Status = Closed
		nt.EndedAt = tx.now
		tx.emit(Event{Type: TicketClosed, Actor: system.User, Reason: "office closed", Ticket: &nt})
	}
	for _, d := range e.st.sortedDesks() {
		if d.Status == DeskClosed || !d.Since.Before(end) {
			continue
		}
		if t := e.held(d); t != nil {
			nt := *t
			nt.Status, nt.EndedAt = Closed, tx.now
			tx.ticketDesk(TicketClosed, system, "office closed", nt, d, false)
		}
		nd := *e.st.desks[d.Number]
		nd.Status, nd.Clerk, nd.ClerkName, nd.PauseReason, nd.Since = DeskClosed, "", "", "", tx.now
		nd.StayUntil = time.Time{}
		tx.emit(Event{Type: EventDeskClosed, Actor: system.User, Reason: "office closed", Desk: &nd})
	}
}

// dayEndAt is when the waiting tickets of t's day are closed: DayEndMinutes
// after closing, or when the last clerk who stays leaves, if later.
func (e *Engine) dayEndAt(t time.Time) (time.Time, bool) {
	closing, ok := e.office.Closing(t)
	if !ok {
		return time.Time{}, false
	}
	end := closing.Add(time.Duration(e.office.DayEndMinutes) * time.Minute)
	if last, _ := e.lastCallFor(t); last.After(end) {
		end = last
	}
	return end, true
}
