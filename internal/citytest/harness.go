// Package citytest runs the city link for real in tests: an embedded NATS
// server with JetStream (the nats-server Go module), the centre
// in-process, and halls either in-process (package app) or as real
// `langelis serve` processes, which a test can kill with SIGKILL. It
// compares the centre's copy of each hall's journal with the journal
// itself, event by event.
package citytest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"langelis/central"
	"langelis/city"
	"langelis/citynats"
	"langelis/store"
)

// Hub is the city's NATS for a test, which the test can stop (a cut link)
// and start again on the same ports and files.
type Hub struct {
	t   testing.TB
	cfg citynats.HubConfig
	*citynats.Hub
	URL, Leaf string
}

// StartHub starts NATS with JetStream on loopback.
func StartHub(t testing.TB) *Hub {
	t.Helper()
	h := &Hub{t: t, cfg: citynats.HubConfig{Listen: "127.0.0.1:0", LeafListen: "127.0.0.1:0", StoreDir: t.TempDir()}}
	h.start()
	h.URL, h.Leaf = h.ClientURL(), h.LeafURL()
	// The same ports when it comes back.
	h.cfg.Listen = h.Addr().String()
	h.cfg.LeafListen = h.Leaf[len("nats-leaf://"):]
	t.Cleanup(h.Stop)
	return h
}

func (h *Hub) start() {
	h.t.Helper()
	var err error
	for i := 0; i < 50; i++ {
		if h.Hub, err = citynats.StartHub(h.cfg); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond) // the old port may take a moment
	}
	h.t.Fatal(err)
}

// Stop shuts NATS down: every hall's link is cut.
func (h *Hub) Stop() {
	if h.Hub != nil {
		h.Hub.Close()
		h.Hub = nil
	}
}

// Restart brings NATS back on the same ports and JetStream files.
func (h *Hub) Restart() {
	h.Stop()
	h.start()
}

// StartCentral runs the centre in-process against url, on its default
// bbolt store, or on store when given.
func StartCentral(t testing.TB, url string, store ...central.Store) *central.Central {
	t.Helper()
	cfg := central.Config{Data: t.TempDir(), NATS: citynats.ConnConfig{URLs: url}, Logger: Logger(), Every: time.Second}
	if len(store) > 0 {
		cfg.Store = store[0]
	}
	c, err := central.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Logger logs warnings when the test is verbose, else nothing.
func Logger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// Journal reads a hall's whole journal from its store file (the hall
// stopped), as the link sends it: seq → the event's bytes.
func Journal(t testing.TB, path string) map[uint64][]byte {
	t.Helper()
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	return JournalOf(t, s)
}

// JournalOf reads an open store's journal, as Journal.
func JournalOf(t testing.TB, s *store.Store) map[uint64][]byte {
	t.Helper()
	out := map[uint64][]byte{}
	for after := uint64(0); ; {
		evs, err := s.Events(after, 4096)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			return out
		}
		for _, ev := range evs {
			m, err := city.NewMessage("x", nil, 0, ev)
			if err != nil {
				t.Fatal(err)
			}
			out[ev.Seq] = m.Event
		}
		after = evs[len(evs)-1].Seq
	}
}

// Held reads what the centre holds of hall: seq → bytes.
func Held(t testing.TB, c *central.Central, hall string) map[uint64][]byte {
	t.Helper()
	out := map[uint64][]byte{}
	for after := uint64(0); ; {
		evs, err := c.Store.Events(hall, after, 4096)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			return out
		}
		for _, ev := range evs {
			out[ev.Seq] = ev.Data
		}
		after = evs[len(evs)-1].Seq
	}
}

// SameJournal fails the test unless the centre holds exactly the hall's
// journal: every event, byte for byte, and nothing else.
func SameJournal(t testing.TB, hall string, journal, held map[uint64][]byte) {
	t.Helper()
	var missing, differ, extra []uint64
	for seq, data := range journal {
		h, ok := held[seq]
		switch {
		case !ok:
			missing = append(missing, seq)
		case !bytes.Equal(h, data):
			differ = append(differ, seq)
		}
	}
	for seq := range held {
		if _, ok := journal[seq]; !ok {
			extra = append(extra, seq)
		}
	}
	if len(missing)+len(differ)+len(extra) > 0 {
		sort.Slice(missing, func(i, j int) bool { return missing[i] < missing[j] })
		t.Fatalf("hall %s: the centre's copy is not the journal (%d events): missing %d %v, different %d %v, extra %d %v",
			hall, len(journal), len(missing), head(missing), len(differ), head(differ), len(extra), head(extra))
	}
}

func head(s []uint64) []uint64 { return s[:min(len(s), 10)] }

// Converged waits until the centre holds hall's journal up to last.
func Converged(t testing.TB, c *central.Central, hall string, last uint64, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		halls, err := c.Store.Halls()
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range halls {
			if h.ID == hall && h.Ledger.Last >= last {
				return time.Since(start)
			}
		}
		if time.Since(start) > within {
			t.Fatalf("hall %s: the centre did not reach seq %d within %s (halls %+v)", hall, last, within, halls)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The hall as a real process.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// Binary builds cmd/langelis once per test run.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "langelis-city-bin")
		if err != nil {
			buildErr = err
			return
		}
		_, here, _, _ := runtime.Caller(0)
		binPath = filepath.Join(dir, "langelis")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/langelis")
		cmd.Dir = filepath.Join(filepath.Dir(here), "..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// Proc is a hall served by a real `langelis serve` process.
type Proc struct {
	t    testing.TB
	ID   string
	Data string
	Args []string
	Cmd  *exec.Cmd
	URL  string
	// Passwords are the demo accounts' passwords of the latest start.
	Passwords map[string]string
}

var (
	servingRe = regexp.MustCompile(`serving .* at (http://\S+)`)
	accountRe = regexp.MustCompile(`^\s+(\w+)\s+(\w+)\s+(demo-\S+)`)
)

// Clock is the office time every hall process starts at: 10:00 today
// (the demo office opens every day), so a test runs at any hour.
var Clock = func() string {
	loc, err := time.LoadLocation("Europe/Vilnius")
	if err != nil {
		panic(err)
	}
	return time.Now().In(loc).Format(time.DateOnly) + " 10:00"
}()

// StartProc starts hall id as a process with the city flags in link.
func StartProc(t testing.TB, id, data string, link ...string) *Proc {
	t.Helper()
	args := append([]string{"serve", "--demo", "--clock", Clock, "--data", data, "--addr", "127.0.0.1:0",
		"--log-level", "warn", "--issue-rate", "0", "--hall", id}, link...)
	p := &Proc{t: t, ID: id, Data: data, Args: args}
	p.Start()
	t.Cleanup(func() { p.Cmd.Process.Kill(); p.Cmd.Wait() })
	return p
}

// Start (again) runs the process and waits until it serves.
func (p *Proc) Start() {
	p.t.Helper()
	cmd := exec.Command(Binary(p.t), p.Args...)
	stdout, _ := cmd.StdoutPipe()
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	p.Cmd = cmd
	p.Passwords = map[string]string{}
	sc := bufio.NewScanner(stdout)
	deadline := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for sc.Scan() {
		if m := accountRe.FindStringSubmatch(sc.Text()); m != nil {
			p.Passwords[m[2]] = m[3]
		}
		if m := servingRe.FindStringSubmatch(sc.Text()); m != nil {
			p.URL = m[1]
			go io.Copy(io.Discard, stdout)
			return
		}
	}
	p.t.Fatalf("hall %s did not say where it serves", p.ID)
}

// Stop ends the process gracefully (SIGTERM) and waits.
func (p *Proc) Stop() {
	p.Cmd.Process.Signal(os.Interrupt)
	p.Cmd.Wait()
}

// Issue takes a ticket; it returns the number, or "" when the hall did not
// answer 201.
func (p *Proc) Issue(client *http.Client, service string) (string, time.Duration, error) {
	start := time.Now()
	resp, err := client.Post(p.URL+"/api/v1/tickets", "application/json", bytes.NewReader([]byte(`{"service":"`+service+`"}`)))
	took := time.Since(start)
	if err != nil {
		return "", took, err
	}
	defer resp.Body.Close()
	var out struct{ Number string }
	if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&out) != nil {
		return "", took, fmt.Errorf("issue: %s", resp.Status)
	}
	return out.Number, took, nil
}

// Seq is the hall's last committed seq, from its public snapshot.
func (p *Proc) Seq(client *http.Client) (uint64, error) {
	resp, err := client.Get(p.URL + "/api/v1/queue")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var out struct{ Seq uint64 }
	err = json.NewDecoder(resp.Body).Decode(&out)
	return out.Seq, err
}

// Post sends a JSON body with a bearer token and decodes the answer.
func (p *Proc) Post(client *http.Client, path, token string, body, out any) (int, error) {
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", p.URL+path, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode/100 == 2 {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode, nil
}

// Login signs a demo account in and returns its token.
func (p *Proc) Login(client *http.Client, user string) (string, error) {
	var out struct{ Token string }
	code, err := p.Post(client, "/api/v1/session", "", map[string]string{"username": user, "password": p.Passwords[user]}, &out)
	if err == nil && code != 200 {
		err = fmt.Errorf("login %s: %d", user, code)
	}
	return out.Token, err
}
