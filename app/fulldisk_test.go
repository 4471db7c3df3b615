package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"langelis/app"
	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/store"
	"langelis/wire"
)

// smallDisk mounts a tmpfs of size bytes on a new folder, unmounted when
// the test ends (after the app on it is closed). It skips the test where
// mounting is not allowed.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root; the server's TestHealthReportsAFullDisk covers the health check with the store's fault hook")
	}
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v); the server's TestHealthReportsAFullDisk covers the health check with the store's fault hook", err)
	}
	t.Cleanup(func() {
		if err := unix.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

func freeOn(t *testing.T, dir string) int64 {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

// The disk fills up in the middle of the day, for real (a small tmpfs):
// /healthz answers 503 while tickets are still issued, before the first
// visitor is refused; then tickets are refused with 503 and nothing else
// changes; once space is freed the hall goes on with the next number, and
// after a restart every acknowledged ticket is there.
func TestFullDiskMidDay(t *testing.T) {
	disk := smallDisk(t, "3m")
	s := e2e.Start(t, e2e.Options{Office: hallOffice(), Configure: func(c *app.Config) {
		c.Path = filepath.Join(disk, store.FileName)
		c.Store.MinFree, c.Store.LowFree = 256<<10, 1<<20
		c.Server.IssueRate = -1 // the test's one address stands for a whole hall's kiosks
	}})
	health := func() (int, wire.Health) {
		var h wire.Health
		code := s.JSON("GET", "/healthz", "", nil, &h)
		return code, h
	}
	if code, h := health(); code != 200 || h.Status != "ok" {
		t.Fatalf("an empty 3 MB disk: %d %+v", code, h)
	}

	// Something else fills the disk up to 600 KB.
	filler := filepath.Join(disk, "filler")
	if err := os.WriteFile(filler, make([]byte, freeOn(t, disk)-600<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, h := health(); code != 200 || h.Status != "degraded" {
		t.Fatalf("600 KB left: %d %+v", code, h)
	}

	// The hall takes tickets until the disk refuses one.
	acked := map[string]string{} // id → number
	var last string
	firstUnhealthy, firstRefused := -1, -1
	for i := 0; i < 5000 && firstRefused < 0; i++ {
		var tk wire.Ticket
		switch code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "priority": "disability"}, &tk); code {
		case 201:
			acked[tk.ID], last = tk.Number, tk.Number
		case 503:
			firstRefused = i
		default:
			t.Fatalf("ticket %d: %d", i, code)
		}
		if code, _ := health(); code == 503 && firstUnhealthy < 0 {
			firstUnhealthy = i
		}
	}
	code, h := health()
	t.Logf("health said 503 after ticket %d, %d KB free; the first refused ticket was %d; %d acknowledged, the last %s",
		firstUnhealthy, (freeOn(t, disk))>>10, firstRefused, len(acked), last)
	if firstRefused < 0 {
		t.Fatal("the disk never filled up")
	}
	if firstUnhealthy < 0 || firstUnhealthy >= firstRefused {
		t.Fatalf("/healthz said 503 only at ticket %d, the first refusal was at %d: a monitor would hear it after the visitors", firstUnhealthy, firstRefused)
	}
	if code != 503 || h.Store.LastCommitOK || h.Store.LastError != "no space left on device" {
		t.Fatalf("after the refusal: %d %+v %+v", code, h, h.Store)
	}

	// Space is freed. Within a minute of real time a probe proves the disk
	// takes writes again, and the next ticket follows the last one.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	s.Real.Advance(time.Minute)
	if code, h := health(); code != 200 || h.Status != "ok" {
		t.Fatalf("after freeing the disk: %d %+v", code, h)
	}
	var tk wire.Ticket
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, &tk); code != 201 || tk.Number != next(last) {
		t.Fatalf("the next ticket: %d %s, want %s", code, tk.Number, next(last))
	}
	acked[tk.ID] = tk.Number

	s.Restart()
	for id, num := range acked {
		var got wire.Ticket
		if code := s.JSON("GET", "/api/v1/tickets/"+id, "", nil, &got); code != 200 || got.Number != num {
			t.Fatalf("acknowledged %s after the restart: %d %+v", num, code, got)
		}
	}
}

func next(number string) string {
	var n int
	fmt.Sscanf(number[1:], "%d", &n)
	return queue.FormatNumber(number[:1], n+1)
}

// hallOffice is open every day 08:00-20:00, with one service and desk.
func hallOffice() *queue.Office {
	o := &queue.Office{Name: "Salė", TimeZone: "Europe/Vilnius",
		Services: []queue.Service{{Letter: "A", Names: map[string]string{"lt": "Deklaravimas"}, TargetMinutes: 10}},
		Desks:    []queue.DeskDef{{Number: 1, Services: []string{"A"}}}}
	for d := range o.Hours.Week {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 20 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		panic(err)
	}
	return o
}
