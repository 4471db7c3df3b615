package queue_test

import (
	"bytes"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/priority"
	"langelis/queue"
	"langelis/store"
)

// spyJournal is the store, noting what each recovery read.
type spyJournal struct {
	*store.Store
	fromCheckpoint bool
	replayed       int
}

func (j *spyJournal) RecoverCheckpoint() (*queue.Checkpoint, []queue.Event, uint64, error) {
	cp, evs, last, err := j.Store.RecoverCheckpoint()
	j.fromCheckpoint, j.replayed = cp != nil, len(evs)
	return cp, evs, last, err
}

// fullReplay is the store as a plain Journal: the engine replays the whole
// day, as it did before checkpoints.
type fullReplay struct{ s *store.Store }

func (j fullReplay) Append(evs []queue.Event) error          { return j.s.Append(evs) }
func (j fullReplay) Recover() ([]queue.Event, uint64, error) { return j.s.Recover() }

// ckEnv is a day on a real bbolt file with checkpoints every few events.
type ckEnv struct {
	t     *testing.T
	o     *queue.Office
	clock *queue.ManualClock
	s     *store.Store
	spy   *spyJournal
	eng   *queue.Engine
	every int
}

func newCkEnv(t *testing.T, every int) *ckEnv {
	s, err := store.Open(filepath.Join(t.TempDir(), "ck.db"))
	if err != nil {
		t.Fatal(err)
	}
	e := &ckEnv{t: t, o: testOffice(), clock: queue.NewManualClock(time.Date(2026, 11, 23, 8, 30, 0, 0, vilnius)), s: s, every: every}
	e.start()
	t.Cleanup(func() { e.eng.Close(); s.Close() })
	return e
}

// start opens the engine on the store, from its checkpoint.
func (e *ckEnv) start() {
	e.spy = &spyJournal{Store: e.s}
	eng, err := queue.NewEngine(e.o, e.spy, queue.Options{Clock: e.clock, CheckpointEvery: e.every})
	if err != nil {
		e.t.Fatal(err)
	}
	e.eng = eng
}

// restartBothWays stops the engine, then rebuilds its state once from the
// checkpoint and once by replaying the day in full, and fails unless the
// two are the same and equal the state the engine had.
func (e *ckEnv) restartBothWays(at string) {
	e.t.Helper()
	want := queue.StateJSONForTest(e.eng)
	e.eng.Close()
	full, err := queue.NewEngine(e.o, fullReplay{e.s}, queue.Options{Clock: e.clock})
	if err != nil {
		e.t.Fatal(err)
	}
	replayed, replayedJSON := queue.StateForTest(full), queue.StateJSONForTest(full)
	full.Close()
	e.start()
	if got := queue.StateForTest(e.eng); !reflect.DeepEqual(got, replayed) {
		e.t.Fatalf("%s: checkpoint + %d events differ from a full replay:\n%s", at, e.spy.replayed, diff(queue.StateJSONForTest(e.eng), replayedJSON))
	}
	if replayedJSON != want {
		e.t.Fatalf("%s: a restart differs from the running engine:\n%s", at, diff(replayedJSON, want))
	}
}

// diff shows where two long strings part.
func diff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-300)
	return fmt.Sprintf("got  …%.600s\nwant …%.600s", got[from:], want[from:])
}

// step takes one random step of a busy day.
func (e *ckEnv) step(r *rand.Rand, ids *[]string) {
	n := 1 + r.Intn(4)
	c := clerk(n)
	switch k := r.Intn(20); {
	case k < 6:
		cat := priority.None
		if r.Intn(4) == 0 {
			cat = priority.Categories[r.Intn(4)]
		}
		if tk, err := e.eng.Issue(ctx, queue.IssueRequest{Service: string(rune('A' + r.Intn(3))), Category: cat}, queue.Actor{User: "v"}); err == nil {
			*ids = append(*ids, tk.ID)
		}
	case k < 7:
		e.eng.OpenDesk(ctx, n, c)
	case k < 10:
		e.eng.Next(ctx, n, c)
	case k < 12:
		e.eng.Start(ctx, n, c)
	case k < 13:
		e.eng.Finish(ctx, n, c)
	case k < 14:
		e.eng.Transfer(ctx, n, "", 1+r.Intn(4), c)
	case k < 15:
		if _, err := e.eng.Pause(ctx, n, "coffee", c); err != nil {
			e.eng.Resume(ctx, n, c)
		}
	case k < 16 && len(*ids) > 0:
		e.eng.Cancel(ctx, (*ids)[r.Intn(len(*ids))], queue.Actor{User: "v"})
	case k < 17 && len(*ids) > 0:
		e.eng.SetCategory(ctx, (*ids)[r.Intn(len(*ids))], priority.Elderly, c)
	case k < 18:
		e.eng.Recall(ctx, n, c)
	default:
		e.clock.Advance(time.Duration(r.Intn(300)) * time.Second)
	}
}

// A restart from the checkpoint rebuilds exactly the state a replay of
// the whole journal does, at every point of a busy day, across the night
// into the next day, and while the checkpoint is a few events behind.
func TestCheckpointRestartEqualsFullReplay(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		e := newCkEnv(t, 7)
		r := rand.New(rand.NewSource(seed))
		var ids []string
		for i := range 600 {
			e.step(r, &ids)
			if i == 300 { // the night: a new day, new numbers, a full checkpoint
				e.clock.Set(time.Date(2026, 11, 24, 8, 0, 0, 0, vilnius))
				ids = nil
			}
			if i%37 == 36 {
				e.restartBothWays(fmt.Sprintf("seed %d step %d", seed, i))
				// Once a day has a few dozen events it has a checkpoint,
				// the second day's too.
				if !e.spy.fromCheckpoint && i > 100 {
					t.Fatalf("seed %d step %d: the restart replayed the whole day", seed, i)
				}
				if e.spy.replayed >= 7+4 && e.spy.fromCheckpoint {
					t.Fatalf("seed %d step %d: %d events replayed after the checkpoint, want fewer than a checkpoint's span", seed, i, e.spy.replayed)
				}
			}
		}
	}
}

// A checkpoint of another format (an older program's, or a damaged one,
// or with a ticket record it cannot read) is ignored: the day is replayed
// in full, the state is right, and the next checkpoint replaces it and
// every ticket record.
func TestCheckpointOfAnotherVersionIsIgnored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	clock := queue.NewManualClock(time.Date(2026, 11, 23, 9, 0, 0, 0, vilnius))
	o := testOffice()
	eng, err := queue.NewEngine(o, s, queue.Options{Clock: clock, CheckpointEvery: 3})
	if err != nil {
		t.Fatal(err)
	}
	var first queue.Ticket
	for i := range 5 {
		tk, err := eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{User: "v"})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = tk
		}
	}
	want := queue.StateJSONForTest(eng)
	eng.Close()
	s.Close()
	type tamper func(head []byte, tickets *bolt.Bucket) ([]byte, error)
	for name, change := range map[string]tamper{
		"an older format": func(head []byte, _ *bolt.Bucket) ([]byte, error) {
			return bytes.Replace(head, []byte(`"version":1,`), []byte(`"version":0,`), 1), nil
		},
		"a damaged head": func(head []byte, _ *bolt.Bucket) ([]byte, error) { return head[:len(head)/2], nil },
		"a ticket record of an older format": func(head []byte, tickets *bolt.Bucket) ([]byte, error) {
			return head, tickets.Put([]byte(first.ID), []byte(`{"id":"old"}`))
		},
	} {
		head := name
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bolt.Tx) error {
			ck := tx.Bucket([]byte("checkpoint"))
			h := ck.Get([]byte("head"))
			if !bytes.Contains(h, []byte(`"version":1,`)) {
				return fmt.Errorf("no checkpoint to tamper with: %s", h)
			}
			nh, err := change(append([]byte(nil), h...), ck.Bucket([]byte("tickets")))
			if err != nil {
				return err
			}
			return ck.Put([]byte("head"), nh)
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if s, err = store.Open(path); err != nil {
			t.Fatal(err)
		}
		spy := &spyJournal{Store: s}
		eng, err := queue.NewEngine(o, spy, queue.Options{Clock: clock, CheckpointEvery: 3})
		if err != nil {
			t.Fatal(err)
		}
		if got := queue.StateJSONForTest(eng); spy.fromCheckpoint || got != want {
			t.Fatalf("head %s: from a checkpoint %v; state:\n%s", head, spy.fromCheckpoint, diff(got, want))
		}
		// Three more events: a fresh checkpoint, with every ticket rewritten.
		for range 3 {
			if _, err := eng.Issue(ctx, queue.IssueRequest{Service: "B"}, queue.Actor{User: "v"}); err != nil {
				t.Fatal(err)
			}
		}
		want = queue.StateJSONForTest(eng)
		eng.Close()
		spy = &spyJournal{Store: s}
		if eng, err = queue.NewEngine(o, spy, queue.Options{Clock: clock, CheckpointEvery: 3}); err != nil {
			t.Fatal(err)
		}
		if got := queue.StateJSONForTest(eng); !spy.fromCheckpoint || got != want {
			t.Fatalf("head %s, after a new checkpoint: from a checkpoint %v; state:\n%s", head, spy.fromCheckpoint, diff(got, want))
		}
		if tk, err := eng.Ticket(ctx, first.ID); err != nil || tk.Number != "A001" {
			t.Fatalf("the first ticket after the new checkpoint: %+v %v", tk, err)
		}
		eng.Close()
		s.Close()
	}
}
