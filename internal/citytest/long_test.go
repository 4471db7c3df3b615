package citytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"langelis/central"
	"langelis/city"
	"langelis/queue"
	"langelis/store"
)

// traffic drives a hall process as its visitors and clerks would: two
// kiosks taking tickets, a desk calling, starting and finishing. It keeps
// every acknowledged ticket number and the issue latencies by phase.
type traffic struct {
	p      *Proc
	client *http.Client

	mu       sync.Mutex
	phase    string
	latency  map[string][]time.Duration
	numbers  map[string]bool // acknowledged ticket numbers
	failures int

	stop chan struct{}
	wg   sync.WaitGroup
}

func startTraffic(t *testing.T, p *Proc) *traffic {
	t.Helper()
	tr := &traffic{p: p, client: &http.Client{Timeout: 10 * time.Second}, phase: "up",
		latency: map[string][]time.Duration{}, numbers: map[string]bool{}, stop: make(chan struct{})}
	tr.run(t)
	return tr
}

func (tr *traffic) run(t *testing.T) {
	t.Helper()
	tr.stop = make(chan struct{})
	token, err := tr.p.Login(tr.client, "clerk1")
	if err != nil {
		t.Fatal(err)
	}
	tr.p.Post(tr.client, "/api/v1/desks/1/open", token, nil, nil)
	for k := 0; k < 2; k++ {
		tr.wg.Add(1)
		go func(k int) {
			defer tr.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-tr.stop:
					return
				case <-time.After(10 * time.Millisecond):
				}
				num, took, err := tr.p.Issue(tr.client, []string{"A", "B"}[(i+k)%2])
				tr.mu.Lock()
				if err != nil {
					tr.failures++
				} else {
					tr.numbers[num] = true
					tr.latency[tr.phase] = append(tr.latency[tr.phase], took)
				}
				tr.mu.Unlock()
			}
		}(k)
	}
	tr.wg.Add(1)
	go func() {
		defer tr.wg.Done()
		for {
			select {
			case <-tr.stop:
				return
			case <-time.After(30 * time.Millisecond):
			}
			if code, _ := tr.p.Post(tr.client, "/api/v1/desks/1/next", token, nil, nil); code == 200 {
				tr.p.Post(tr.client, "/api/v1/desks/1/start", token, nil, nil)
				tr.p.Post(tr.client, "/api/v1/desks/1/finish", token, nil, nil)
			}
		}
	}()
}

func (tr *traffic) setPhase(p string) {
	tr.mu.Lock()
	tr.phase = p
	tr.mu.Unlock()
}

func (tr *traffic) halt() {
	close(tr.stop)
	tr.wg.Wait()
}

// report is the issue latency per phase: n, p50, p99, max.
func (tr *traffic) report() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	var out []string
	for _, ph := range []string{"up", "cut", "back"} {
		ds := append([]time.Duration(nil), tr.latency[ph]...)
		if len(ds) == 0 {
			continue
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		q := func(f float64) time.Duration { return ds[int(f*float64(len(ds)-1))].Round(10 * time.Microsecond) }
		out = append(out, fmt.Sprintf("%s: n=%d p50=%s p99=%s max=%s", ph, len(ds), q(.5), q(.99), ds[len(ds)-1].Round(10*time.Microsecond)))
	}
	return strings.Join(out, "; ")
}

// checkConverged waits for the centre to hold every hall's journal,
// stops the halls, and compares each journal with the centre's copy; and
// every ticket a hall acknowledged must be in the centre's copy.
func checkConverged(t *testing.T, c *central.Central, procs []*Proc, trs []*traffic) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	for i, p := range procs {
		seq, err := p.Seq(client)
		if err != nil {
			t.Fatal(err)
		}
		took := Converged(t, c, p.ID, seq, 90*time.Second)
		t.Logf("%s: %d tickets acknowledged, %d requests failed; the centre reached seq %d %s after the traffic stopped; issue latency %s",
			p.ID, len(trs[i].numbers), trs[i].failures, seq, took.Round(time.Millisecond), trs[i].report())
	}
	for i, p := range procs {
		p.Stop()
		held := Held(t, c, p.ID)
		SameJournal(t, p.ID, Journal(t, filepath.Join(p.Data, store.FileName)), held)
		issued := map[string]bool{}
		for _, data := range held {
			var ev city.Event
			if json.Unmarshal(data, &ev) == nil && ev.Type == queue.TicketIssued && ev.Ticket != nil {
				if issued[ev.Ticket.Number] {
					t.Fatalf("%s: ticket %s issued twice in the centre's copy", p.ID, ev.Ticket.Number)
				}
				issued[ev.Ticket.Number] = true
			}
		}
		for num := range trs[i].numbers {
			if !issued[num] {
				t.Fatalf("%s: acknowledged ticket %s is not in the centre's copy", p.ID, num)
			}
		}
	}
}

// TestCityConvergesThroughACutLink: three hall processes (the third
// through its own leaf node) take and call tickets while the city's NATS
// is stopped and started again; every hall keeps serving through the
// outage, and afterwards the centre holds exactly each hall's journal.
func TestCityConvergesThroughACutLink(t *testing.T) {
	long(t)
	hub := StartHub(t)
	c := StartCentral(t, hub.URL)
	dir := t.TempDir()
	procs := []*Proc{
		StartProc(t, "hall-a", filepath.Join(dir, "a"), "--nats", hub.URL),
		StartProc(t, "hall-b", filepath.Join(dir, "b"), "--nats", hub.URL),
		StartProc(t, "hall-c", filepath.Join(dir, "c"), "--nats", hub.Leaf, "--nats-leaf"),
	}
	var trs []*traffic
	for _, p := range procs {
		trs = append(trs, startTraffic(t, p))
	}
	time.Sleep(2 * time.Second)
	hub.Stop()
	for _, tr := range trs {
		tr.setPhase("cut")
	}
	t.Log("NATS stopped: every link is cut")
	time.Sleep(4 * time.Second)
	before := backlogs(t, procs)
	hub.Restart()
	for _, tr := range trs {
		tr.setPhase("back")
	}
	t.Logf("NATS back; the halls' journals ran to %v during the outage", before)
	time.Sleep(2 * time.Second)
	for _, tr := range trs {
		tr.halt()
	}
	checkConverged(t, c, procs, trs)
	st := c.Store.Stats()
	t.Logf("centre: took %d events, dropped %d it had, %d early, %d stale", st.Taken, st.Had, st.Early, st.Stale)
}

// TestCityHallKilledMidPublish: a hall process is killed with SIGKILL
// while it takes tickets and publishes them, and started again on the
// same files; the centre ends with exactly its journal, every
// acknowledged ticket included, and the other halls' too.
func TestCityHallKilledMidPublish(t *testing.T) {
	long(t)
	hub := StartHub(t)
	c := StartCentral(t, hub.URL)
	dir := t.TempDir()
	procs := []*Proc{
		StartProc(t, "hall-a", filepath.Join(dir, "a"), "--nats", hub.URL),
		StartProc(t, "hall-b", filepath.Join(dir, "b"), "--nats", hub.URL),
		StartProc(t, "hall-c", filepath.Join(dir, "c"), "--nats", hub.Leaf, "--nats-leaf"),
	}
	var trs []*traffic
	for _, p := range procs {
		trs = append(trs, startTraffic(t, p))
	}
	for round := 0; round < 3; round++ {
		time.Sleep(time.Duration(700+300*round) * time.Millisecond)
		victim := procs[round%len(procs)]
		victim.Cmd.Process.Signal(syscall.SIGKILL)
		victim.Cmd.Wait()
		trs[round%len(procs)].halt()
		t.Logf("round %d: killed %s mid-publish", round, victim.ID)
		victim.Start()
		trs[round%len(procs)].run(t)
	}
	time.Sleep(time.Second)
	for _, tr := range trs {
		tr.halt()
	}
	checkConverged(t, c, procs, trs)
}

// backlogs are the halls' last seqs now.
func backlogs(t *testing.T, procs []*Proc) map[string]uint64 {
	out := map[string]uint64{}
	client := &http.Client{Timeout: 5 * time.Second}
	for _, p := range procs {
		seq, err := p.Seq(client)
		if err != nil {
			t.Fatal(err)
		}
		out[p.ID] = seq
	}
	return out
}
