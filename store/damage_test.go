package store_test

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"testing"
	"time"

	"langelis/store"
)

// A page damaged under a running store (a failing disk, another program
// writing into the file) makes the reads that meet it fail with a
// *DamagedError that names the file, never a panic; and the next start
// refuses the file.
func TestDamageUnderAnOpenStoreIsAnError(t *testing.T) {
	s := openTestStore(t)
	path := s.Path()
	first := time.Date(2026, 10, 1, 0, 0, 0, 0, vilnius)
	sec := writeDays(t, s, first, 3, 200)
	day2 := first.AddDate(0, 0, 1).Format(time.DateOnly)

	// Scramble every page that holds day two's first event: its live
	// page is among them.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const pageSize = 4096
	mark := sec[day2].events[0][:bytes.IndexByte(sec[day2].events[0], ',')+1]
	rng := rand.New(rand.NewSource(1))
	scrambled := 0
	for at := 0; ; {
		i := bytes.Index(raw[at:], mark)
		if i < 0 {
			break
		}
		page := make([]byte, pageSize)
		rng.Read(page)
		if _, err := f.WriteAt(page, int64((at+i)/pageSize*pageSize)); err != nil {
			t.Fatal(err)
		}
		scrambled++
		at = (at+i)/pageSize*pageSize + pageSize
	}
	if scrambled == 0 {
		t.Fatalf("day two's first event %s is not in the file", mark)
	}

	_, err = s.DayEvents(day2)
	var de *store.DamagedError
	if !errors.As(err, &de) || de.Path != path {
		t.Fatalf("reading the damaged day: %v, want a *store.DamagedError naming %s", err, path)
	}
	t.Logf("%d pages scrambled; reading the day: %v", scrambled, err)
	// The whole journal reads to the same kind of error, whatever page
	// the search meets.
	if _, err := s.Events(0, 1<<20); !errors.As(err, &de) {
		t.Fatalf("reading the whole journal: %v", err)
	}
	// And the next start refuses the file.
	s.Close()
	if _, err := store.Open(path); !errors.As(err, &de) {
		t.Fatalf("opening the damaged file: %v", err)
	}
}
