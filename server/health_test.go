package server_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"langelis/wire"
)

// commitsOf reads how many write transactions the bbolt file at path has
// committed: the larger txid of its two meta pages (bbolt's file format:
// a 16-byte page header, then the meta with the page size at 8 and the
// txid at 48; little-endian on the machines we run on).
func commitsOf(t *testing.T, path string) uint64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b [72]byte
	if _, err := f.ReadAt(b[:], 0); err != nil {
		t.Fatal(err)
	}
	pageSize := int64(binary.LittleEndian.Uint32(b[24:]))
	tx0 := binary.LittleEndian.Uint64(b[64:])
	if _, err := f.ReadAt(b[:], pageSize); err != nil {
		t.Fatal(err)
	}
	return max(tx0, binary.LittleEndian.Uint64(b[64:]))
}

// A flood of health probes writes nothing to the store while the office
// commits, and at most one heartbeat a minute when it does not: probes
// cost the hall no fsync.
func TestHealthProbesDoNotWrite(t *testing.T) {
	s := newTS(t)
	s.issue("A") // a real commit just now
	before := commitsOf(t, s.Path)
	probe := func() {
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					if code := s.do("GET", "/healthz", "", nil, nil); code != 200 {
						t.Errorf("healthz: %d", code)
					}
				}
			}()
		}
		wg.Wait()
	}
	probe()
	if got := commitsOf(t, s.Path); got != before {
		t.Fatalf("160 probes wrote %d transactions to the store", got-before)
	}
	s.Real.Advance(2 * time.Minute) // an idle office: one heartbeat proves the disk
	probe()
	if got := commitsOf(t, s.Path); got != before+1 {
		t.Fatalf("160 probes after an idle while wrote %d transactions, want the one heartbeat", got-before)
	}
}

// When the disk stops taking commits, the hall's ticket is refused and
// /healthz says so with 503 and the reason, and 200 again once a commit
// reaches the disk; with little room left it says 503 before any commit
// fails, so a monitor hears of it before a visitor does.
func TestHealthReportsAFullDisk(t *testing.T) {
	s := newTS(t)
	s.Store.FreeSpaceForTest(100 << 30) // whatever this machine's disk has
	s.issue("A")
	var h wire.Health
	if code := s.do("GET", "/healthz", "", nil, &h); code != 200 || h.Status != "ok" || h.Store == nil ||
		!h.Store.LastCommitOK || h.Store.LastCommitAt == nil || h.Store.Schema == 0 || h.Store.FreeBytes == 0 {
		t.Fatalf("healthy: %d %+v %+v", code, h, h.Store)
	}

	s.Store.FailCommitsForTest(fmt.Errorf("write %s: %w", s.Path, syscall.ENOSPC))
	if code := s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, nil); code != 503 {
		t.Fatalf("a ticket on a full disk: %d, want 503", code)
	}
	h = wire.Health{}
	if code := s.do("GET", "/healthz", "", nil, &h); code != 503 || h.Status != "unavailable" || h.Store.LastCommitOK ||
		h.Store.LastError != "no space left on device" || len(h.Problems) == 0 {
		t.Fatalf("after the refused ticket: %d %+v %+v", code, h, h.Store)
	}
	s.Store.FailCommitsForTest(nil)
	s.issue("A")
	if code := s.do("GET", "/healthz", "", nil, &h); code != 200 || h.Status != "ok" {
		t.Fatalf("after a ticket reached the disk again: %d %+v", code, h)
	}

	s.Store.FreeSpaceForTest(40 << 10)
	s.issue("A") // it still fits
	if code := s.do("GET", "/healthz", "", nil, &h); code != 503 || h.Status != "unavailable" || h.Store.FreeBytes != 40<<10 || !h.Store.LastCommitOK {
		t.Fatalf("40 KB left: %d %+v %+v", code, h, h.Store)
	}
	s.Store.FreeSpaceForTest(int64(h.Store.MinFreeBytes) + 1)
	if code := s.do("GET", "/healthz", "", nil, &h); code != 200 || h.Status != "degraded" {
		t.Fatalf("just above the minimum: %d %+v", code, h)
	}
}
