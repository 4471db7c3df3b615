package store_test

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/store"
)

// A month of a busy hall: 31 days of 2,000 tickets, written once per run
// (it takes a few seconds), about 180 MB.
var (
	monthOnce sync.Once
	monthDir  string
	monthErr  error
)

const monthDays, monthTickets = 31, 2000

var monthFirst = time.Date(2026, 10, 1, 0, 0, 0, 0, vilnius)

func month(b *testing.B) string {
	monthOnce.Do(func() {
		if monthDir, monthErr = os.MkdirTemp("", "langelis-month"); monthErr != nil {
			return
		}
		s, err := store.Open(filepath.Join(monthDir, store.FileName))
		if err != nil {
			monthErr = err
			return
		}
		writeDays(b, s, monthFirst, monthDays, monthTickets)
		monthErr = s.Close()
	})
	if monthErr != nil {
		b.Fatal(monthErr)
	}
	return filepath.Join(monthDir, store.FileName)
}

func copyFile(b *testing.B, from, to string) {
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkOpenCheck is the check every start makes of a month's file
// (every page read, bbolt's consistency check), with the file in the
// page cache: what a store's Open costs, against bbolt's Open alone.
func BenchmarkOpenCheck(b *testing.B) {
	path := month(b)
	fi, _ := os.Stat(path)
	b.Run("bbolt-open", func(b *testing.B) {
		for b.Loop() {
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				b.Fatal(err)
			}
			db.Close()
		}
	})
	b.Run("store-open-checked", func(b *testing.B) {
		for b.Loop() {
			s, err := store.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
		b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
	})
}

// BenchmarkPurgeCompact is the nightly purge of the day past a 30-day
// retention from a month's file, with the compaction that wipes it: how
// long it takes, and how much smaller the file gets.
func BenchmarkPurgeCompact(b *testing.B) {
	path := month(b)
	keepFrom := monthFirst.AddDate(0, 0, 1).Format(time.DateOnly)
	work := filepath.Join(b.TempDir(), store.FileName)
	var before, after int64
	for b.Loop() {
		b.StopTimer()
		copyFile(b, path, work)
		s, err := store.Open(work)
		if err != nil {
			b.Fatal(err)
		}
		fi, _ := os.Stat(work)
		before = fi.Size()
		b.StartTimer()
		if n, err := s.Purge(keepFrom); err != nil || n != 1 {
			b.Fatalf("purge: %d %v", n, err)
		}
		b.StopTimer()
		fi, _ = os.Stat(work)
		after = fi.Size()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(before)/(1<<20), "before-MB")
	b.ReportMetric(float64(after)/(1<<20), "after-MB")
}

// TestMain removes the month's file the benchmarks wrote.
func TestMain(m *testing.M) {
	code := m.Run()
	if monthDir != "" {
		os.RemoveAll(monthDir)
	}
	os.Exit(code)
}
