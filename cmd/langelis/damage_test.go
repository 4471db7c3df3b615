package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/store"
)

// A hall's data folder after a morning's work: the real server took
// tickets, refused some with reasons, and was stopped.
func workedDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	p := startProc(t, dir)
	tok := p.login(t, "clerk1")
	if code, _, err := p.post("/api/v1/desks/1/open", tok, nil); err != nil || code != 200 {
		t.Fatalf("open desk: %d %v", code, err)
	}
	for i := 0; i < 400; i++ {
		if code, body, err := p.post("/api/v1/tickets", "", map[string]string{"service": "A", "priority": "disability"}); err != nil || code != 201 {
			t.Fatalf("issue: %d %v %v", code, body, err)
		}
		if i%4 == 0 {
			p.post("/api/v1/desks/1/next", tok, nil)
			p.post("/api/v1/desks/1/start", tok, nil)
			p.post("/api/v1/desks/1/refuse", tok, map[string]string{"reason": "Neturi dokumento"})
		}
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.cmd.Wait()
	return dir
}

// pagesOf returns the ids of the file's pages of each type (leaf, branch,
// freelist), how many pages its meta says it has, their size, and the
// journal's last seq.
func pagesOf(t *testing.T, path string) (map[string][]int, int, int, uint64) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string][]int{}
	var hwm int
	var last uint64
	err = db.View(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket([]byte("events")).Cursor().Last()
		last = binary.BigEndian.Uint64(k)
		hwm = int(tx.Size()) / db.Info().PageSize
		for id := 2; id < hwm; id++ {
			info, err := tx.Page(id)
			if err != nil {
				return err
			}
			if info != nil {
				out[info.Type] = append(out[info.Type], id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, hwm, db.Info().PageSize, last
}

func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(to, e.Name()), string(data))
	}
	return to
}

// runServe runs `langelis serve` on dir and returns its exit error and
// what it wrote, killing it if it is still up after a few seconds (then it
// started serving).
func runServe(t *testing.T, dir string, extra ...string) (error, string, string) {
	t.Helper()
	args := append([]string{"serve", "--demo", "--clock", procClock, "--data", dir, "--addr", "127.0.0.1:0", "--log-level", "warn"}, extra...)
	cmd := exec.Command(buildBinary(t), args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err, stdout.String(), stderr.String()
	case <-time.After(10 * time.Second):
		cmd.Process.Signal(syscall.SIGTERM)
		<-done
		return nil, stdout.String(), stderr.String()
	}
}

// TestDamagedStoreIsRefusedClearly starts the real server on a data folder
// whose langelis.db was damaged in each way a disk or a person damages it.
// Each start must end at once with a message that names the file, the
// backup command and how to restore; never with a panic or a stack trace,
// and never by quietly starting an empty day (numbering would start again
// at A001 while the morning's paper tickets are out). The file is left as
// it was found.
func TestDamagedStoreIsRefusedClearly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	worked := workedDataDir(t)
	path := filepath.Join(worked, store.FileName)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pages, hwm, pageSize, lastSeq := pagesOf(t, path)
	t.Logf("%s: %d bytes, %d pages in use; %d leaf, %d branch, freelist %v", store.FileName, len(orig), hwm,
		len(pages["leaf"]), len(pages["branch"]), pages["freelist"])
	if len(pages["leaf"]) == 0 || len(pages["branch"]) == 0 || len(pages["freelist"]) == 0 {
		t.Fatalf("the worked file lacks a page kind the test damages: %v", pages)
	}
	// The journal's last record is written once, in its live page.
	lastRecord := bytes.Index(orig, []byte(fmt.Sprintf(`{"seq":%d,`, lastSeq)))
	if lastRecord < 0 {
		t.Fatalf("the last event %d is not in the file", lastSeq)
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewSource(seed))
	scramble := func(pgid int) func([]byte) []byte {
		return func(b []byte) []byte {
			rng.Read(b[pgid*pageSize : (pgid+1)*pageSize])
			return b
		}
	}
	for _, c := range []struct {
		name   string
		damage func([]byte) []byte // nil: remove the file
		gone   bool                // the store is empty or missing, not damaged
	}{
		{"truncated to half its pages", func(b []byte) []byte { return b[:hwm/2*pageSize] }, false},
		{"truncated to three pages", func(b []byte) []byte { return b[:3*pageSize] }, false},
		{"random bytes in a leaf page", scramble(pages["leaf"][len(pages["leaf"])/2]), false},
		{"random bytes in a branch page", scramble(pages["branch"][0]), false},
		{"random bytes in the freelist page", scramble(pages["freelist"][0]), false},
		{"a record overwritten inside its page", func(b []byte) []byte {
			copy(b[lastRecord+20:], "\x00garbage\x00")
			return b
		}, false},
		{"random bytes in both meta pages", func(b []byte) []byte { rng.Read(b[:2*pageSize]); return b }, false},
		{"empty (0 bytes)", func([]byte) []byte { return []byte{} }, true},
		{"missing", nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := copyDir(t, worked)
			path := filepath.Join(dir, store.FileName)
			if c.damage == nil {
				os.Remove(path)
			} else {
				writeFile(t, path, string(c.damage(append([]byte(nil), orig...))))
			}
			before := fileSum(path)
			err, stdout, stderr := runServe(t, dir)
			t.Logf("langelis serve said:\n%s", stderr)
			if err == nil {
				t.Fatalf("the server started on a store %s; it said: %s", c.name, stdout)
			}
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Fatalf("exit: %v, want status 1", err)
			}
			for _, bad := range []string{"panic", "goroutine ", "SIGSEGV", "SIGBUS", ".go:"} {
				if strings.Contains(stderr, bad) {
					t.Fatalf("the refusal shows %q (a crash, not a message)", bad)
				}
			}
			for _, want := range []string{path, "langelis backup", "Backup and restore"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("the message does not name %q", want)
				}
			}
			if c.gone {
				if !strings.Contains(stderr, "--new-store") {
					t.Errorf("the message about a missing or empty store does not offer --new-store")
				}
			}
			if fileSum(path) != before {
				t.Fatal("the refused start changed the file")
			}
		})
	}
}

// TestNewStoreIsTheOperatorsChoice: where a folder shows an office ran, an
// empty or missing store starts only with --new-store, and then from A001
// as the operator chose; a new folder needs no flag.
func TestNewStoreIsTheOperatorsChoice(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real server")
	}
	worked := workedDataDir(t)
	os.Remove(filepath.Join(worked, store.FileName))
	if err, _, _ := runServe(t, worked); err == nil {
		t.Fatal("started on a missing store in a folder where an office ran")
	}
	p := startProc(t, worked, "--new-store")
	if _, body, _ := p.post("/api/v1/tickets", "", map[string]string{"service": "A"}); body["number"] != "A001" {
		t.Fatalf("first ticket of the new store: %v", body)
	}
	fresh := t.TempDir()
	q := startProc(t, fresh)
	if _, body, _ := q.post("/api/v1/tickets", "", map[string]string{"service": "A"}); body["number"] != "A001" {
		t.Fatalf("first ticket in a new folder: %v", body)
	}
}

func fileSum(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprint("unreadable: ", err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(data))
}
