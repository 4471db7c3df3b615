// Package outbox follows the hall's journal for one consumer (the city
// link; later each webhook): it reads committed events from the store,
// outside the engine's commit path, woken by the store's commit signal,
// and keeps the consumer's cursor (the last seq it acknowledged) in the
// store's outbox bucket. One mechanism, a cursor per consumer.
//
// The engine never waits for a consumer: events are durable in the
// journal before anyone reads them here, a consumer that is slow or cut
// off only lets its backlog grow, and its acknowledgements are written
// with the next journal commit (store.SaveCursor), not in transactions of
// their own.
package outbox

import (
	"context"
	"fmt"
	"sync"
	"time"

	"langelis/queue"
	"langelis/store"
)

// Journal is what an outbox reads: the store.
type Journal interface {
	Events(after uint64, limit int) ([]queue.Event, error)
	Committed() (last uint64, next <-chan struct{})
	CursorOf(consumer string) (store.Cursor, error)
	SaveCursor(consumer string, seq uint64) error
	FlushCursors() error
}

// Outbox is one consumer's follower of the journal.
type Outbox struct {
	name string
	j    Journal

	mu    sync.Mutex
	acked uint64
}

// Open starts following the journal for consumer from its saved cursor.
func Open(j Journal, consumer string) (*Outbox, error) {
	if !store.ValidConsumer(consumer) {
		return nil, fmt.Errorf("outbox: consumer name %q: use lower-case letters, digits and . _ : -", consumer)
	}
	c, err := j.CursorOf(consumer)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return &Outbox{name: consumer, j: j, acked: c.Seq}, nil
}

// Name is the consumer's name.
func (o *Outbox) Name() string { return o.name }

// Acked is the last seq the consumer acknowledged.
func (o *Outbox) Acked() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.acked
}

// Ack records that the consumer holds every event up to seq. The cursor
// may go back (the consumer lost what it held and wants it again); the
// saved one only moves forward, and a resend after a restart is dropped
// by the consumer.
func (o *Outbox) Ack(seq uint64) error {
	o.mu.Lock()
	o.acked = seq
	o.mu.Unlock()
	return o.j.SaveCursor(o.name, seq)
}

// Next returns up to limit events after seq after, waiting until there
// is at least one or ctx ends. When the first event's seq is not
// after+1, the events between were purged (retention) before the
// consumer had them.
func (o *Outbox) Next(ctx context.Context, after uint64, limit int) ([]queue.Event, error) {
	for {
		last, next := o.j.Committed()
		if last > after {
			evs, err := o.j.Events(after, limit)
			if err != nil || len(evs) > 0 {
				return evs, err
			}
		}
		select {
		case <-next:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Last is the journal's last committed seq.
func (o *Outbox) Last() uint64 {
	last, _ := o.j.Committed()
	return last
}

// Backlog is what the consumer has not acknowledged.
type Backlog struct {
	Count  uint64    // events after the cursor
	Oldest time.Time // the oldest one's time (office clock); zero when none
}

// Backlog reads the consumer's backlog: the count, and the time of the
// oldest unacknowledged event (one read of the journal).
func (o *Outbox) Backlog() (Backlog, error) {
	acked := o.Acked()
	last := o.Last()
	if last <= acked {
		return Backlog{}, nil
	}
	b := Backlog{Count: last - acked}
	evs, err := o.j.Events(acked, 1)
	if err != nil {
		return b, err
	}
	if len(evs) > 0 {
		b.Oldest = evs[0].At
	}
	return b, nil
}

// Flush writes the cursor if no journal commit has carried it yet; the
// consumer calls it every few seconds and when it stops.
func (o *Outbox) Flush() error { return o.j.FlushCursors() }
