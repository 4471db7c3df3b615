package queue_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
	"langelis/store"
)

// The benchmarks run on a real bbolt file with fsync on every commit, the
// way the server runs. Compare tickets/s with BenchmarkBoltPutFsync, the
// ceiling one fsynced write per operation allows; group commit is what
// lets many callers go past it.

var callerCounts = []int{1, 8, 64}

// parallel runs op count times spread over n goroutines.
func parallel(b *testing.B, n, count int, op func(worker, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= count {
					return
				}
				op(w, i)
			}
		}(w)
	}
	wg.Wait()
}

func benchEngine(b *testing.B, desks int) (*queue.Engine, func()) {
	dir := b.TempDir()
	s, err := store.Open(filepath.Join(dir, "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	o := testOffice()
	o.Desks = nil
	for d := 1; d <= desks; d++ {
		o.Desks = append(o.Desks, queue.DeskDef{Number: d, Services: []string{"A"}})
	}
	clock := queue.NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, vilnius))
	eng, err := queue.NewEngine(o, s, queue.Options{Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	return eng, func() { eng.Close(); s.Close() }
}

func BenchmarkIssue(b *testing.B) {
	for _, n := range callerCounts {
		b.Run(fmt.Sprintf("callers=%d", n), func(b *testing.B) {
			eng, done := benchEngine(b, 1)
			defer done()
			b.ResetTimer()
			start := time.Now()
			parallel(b, n, b.N, func(_, _ int) {
				if _, err := eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{}); err != nil {
					b.Error(err)
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tickets/s")
		})
	}
}

// BenchmarkCallNext: each operation is a desk calling its next ticket
// (which also finishes the one it was serving) and starting it.
func BenchmarkCallNext(b *testing.B) {
	for _, n := range callerCounts {
		b.Run(fmt.Sprintf("desks=%d", n), func(b *testing.B) {
			eng, done := benchEngine(b, n)
			defer done()
			parallel(b, 64, b.N, func(_, _ int) {
				if _, err := eng.Issue(ctx, queue.IssueRequest{Service: "A"}, queue.Actor{}); err != nil {
					b.Error(err)
				}
			})
			for d := 1; d <= n; d++ {
				if _, err := eng.OpenDesk(ctx, d, clerk(d)); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			start := time.Now()
			parallel(b, n, b.N, func(w, _ int) {
				d := w + 1
				r, err := eng.Next(ctx, d, clerk(d))
				if err != nil || r.Ticket == nil {
					b.Errorf("next at %d: %v", d, err)
					return
				}
				if _, err := eng.Start(ctx, d, clerk(d)); err != nil {
					b.Error(err)
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
		})
	}
}

// BenchmarkBoltPutFsync is the ceiling: one bbolt transaction with one small
// put and its fsync per operation, with the same number of callers.
func BenchmarkBoltPutFsync(b *testing.B) {
	for _, n := range callerCounts {
		b.Run(fmt.Sprintf("callers=%d", n), func(b *testing.B) {
			db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("b")); return err })
			val := make([]byte, 400) // about one event
			b.ResetTimer()
			start := time.Now()
			parallel(b, n, b.N, func(_, i int) {
				var k [8]byte
				binary.BigEndian.PutUint64(k[:], uint64(i))
				if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("b")).Put(k[:], val) }); err != nil {
					b.Error(err)
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "puts/s")
		})
	}
}

// restartDay is a busy day on a real bbolt file: tickets issued, called,
// started and finished by 20 desks, about four events a ticket.
type restartDay struct {
	dir    string
	office *queue.Office
	clock  *queue.ManualClock
	events uint64
}

func buildRestartDay(b *testing.B, tickets int) *restartDay {
	dir := b.TempDir()
	d := &restartDay{dir: dir, office: testOffice(), clock: queue.NewManualClock(time.Date(2026, 11, 23, 8, 0, 0, 0, vilnius))}
	d.office.Desks = nil
	for n := 1; n <= 20; n++ {
		d.office.Desks = append(d.office.Desks, queue.DeskDef{Number: n, Services: []string{"A", "B", "C"}})
	}
	s, err := store.Open(filepath.Join(dir, store.FileName))
	if err != nil {
		b.Fatal(err)
	}
	eng, err := queue.NewEngine(d.office, s, queue.Options{Clock: d.clock})
	if err != nil {
		b.Fatal(err)
	}
	for n := 1; n <= 20; n++ {
		if _, err := eng.OpenDesk(ctx, n, clerk(n)); err != nil {
			b.Fatal(err)
		}
	}
	cats := []queue.Category{"", "", "", "", "", "", "", "", "elderly", "child"}
	for done := 0; done < tickets; done += 500 {
		parallel(b, 64, min(500, tickets-done), func(_, i int) {
			if _, err := eng.Issue(ctx, queue.IssueRequest{Service: string(rune('A' + i%3)), Category: cats[i%len(cats)]}, queue.Actor{User: "kiosk:1"}); err != nil {
				b.Error(err)
			}
		})
		d.clock.Advance(time.Minute)
		parallel(b, 20, 20, func(w, _ int) {
			for {
				r, err := eng.Next(ctx, w+1, clerk(w+1))
				if err != nil {
					b.Error(err)
				}
				if r.Ticket == nil {
					return
				}
				if _, err := eng.Start(ctx, w+1, clerk(w+1)); err != nil {
					b.Error(err)
				}
			}
		})
		d.clock.Advance(time.Minute)
	}
	snap, err := eng.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	d.events = snap.Seq
	eng.Close()
	s.Close()
	return d
}

// BenchmarkRestart is a server start on a day of 25,000 tickets (about
// 100,000 events; building it takes a while): open the store and bring the
// engine to the day's state and its first answer, from the checkpoint and
// the events after it, and, for comparison, by replaying the whole day. It
// reports the file's bytes per event (journal, checkpoint and free pages),
// the events' JSON alone, and how full bbolt keeps the journal's pages.
func BenchmarkRestart(b *testing.B) {
	d := buildRestartDay(b, 25000)
	path := filepath.Join(d.dir, store.FileName)
	for _, way := range []string{"checkpoint", "full-replay"} {
		b.Run(fmt.Sprintf("events=%d/%s", d.events, way), func(b *testing.B) {
			for b.Loop() {
				s, err := store.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				var j queue.Journal = s
				if way == "full-replay" {
					j = fullReplay{s}
				}
				eng, err := queue.NewEngine(d.office, j, queue.Options{Clock: d.clock})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := eng.Snapshot(ctx); err != nil { // serving: the first answer
					b.Fatal(err)
				}
				eng.Close()
				s.Close()
			}
			js := journalStats(b, path)
			b.ReportMetric(float64(js.file)/float64(d.events), "file-B/event")
			b.ReportMetric(float64(js.values)/float64(d.events), "json-B/event")
			b.ReportMetric(100*float64(js.leafInuse)/float64(js.leafAlloc), "journal-leaf-fill-%")
		})
	}
}

type jstats struct {
	file, values         int64
	leafInuse, leafAlloc int
}

// journalStats reads where a store file's bytes go.
func journalStats(b *testing.B, path string) jstats {
	var js jstats
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	js.file = fi.Size()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		eb := tx.Bucket([]byte("events"))
		st := eb.Stats()
		js.leafInuse, js.leafAlloc = st.LeafInuse, st.LeafAlloc
		return eb.ForEach(func(_, v []byte) error { js.values += int64(len(v)); return nil })
	})
	return js
}
