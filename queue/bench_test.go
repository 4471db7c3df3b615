package queue_test

import (
	"encoding/binary"
	"fmt"
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
