// Package loadgen drives a running Langelis server from outside, over the
// network, as a hall at its busiest would: ticket takers, clerks calling
// the next ticket, wall displays and phones on the websocket. It measures
// what people notice: how fast tickets are issued, how long after a
// clerk's click each screen shows the call, whether any screen missed it,
// and what each connection costs the server in memory.
//
// `langelis loadtest` is its command line and `make bench` runs it on a
// fresh server. It issues real tickets and calls them: point it at a test
// server, never at a hall that is open.
//
// A run has phases, each optional:
//
//  1. static: GET of a small static file from every taker's connection,
//     the ceiling the issue rate is compared with;
//  2. issue: Takers connections issue Issue tickets as fast as the server
//     answers; the rate is reported per window of the growing queue;
//  3. keep: the run's own tickets past the first Keep are cancelled, so the
//     fan-out is measured at a realistic queue;
//  4. for each size in Screens: screens (whole-hall streams) are opened up
//     to that size, the phones (ticket streams) at the first size; the
//     server's memory per connection is read once they are idle; then the
//     clerks work their desks for Calls calls while Trickle tickets a
//     second are issued, and every call's delivery to every screen and
//     phone is timed from the start of its POST …/next.
//
// Connections are spread over several loopback source addresses
// (127.0.0.2, .3, …; Linux routes all of 127/8 to lo), so the server's
// per-address caps see a hall of many devices, not one.
package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Account is a clerk's sign-in.
type Account struct{ Username, Password string }

// Config says what to run. Zero values skip a phase or take the default
// noted.
type Config struct {
	URL      string    // the server's base URL, e.g. http://127.0.0.1:8080
	PID      int       // the server's process on this machine, for its memory and CPU; 0: not measured
	Accounts []Account // clerks' sign-ins; desk i+1 is worked by Accounts[i]
	Sources  int       // loopback source addresses to spread connections over (default 32)

	Takers     int           // connections issuing tickets (default 64)
	Static     time.Duration // how long to measure the static GET rate; 0: skip
	StaticPath string        // the static file (default /static/js/wire.js)
	Issue      int           // tickets to issue as fast as possible
	Window     int           // tickets per rate window (default 250)
	Keep       int           // cancel the run's tickets past the first Keep; <0: keep all

	Screens []int         // screen counts, measured in turn
	Phones  int           // phone status pages (ticket streams), each watching one of the run's waiting tickets
	Clerks  int           // clerks working desks (at most len(Accounts)); 0: all accounts
	Calls   int           // calls per screen count
	CallGap time.Duration // each clerk's pause after a call and start (default 1 s)
	Trickle float64       // tickets per second issued while the clerks call

	// Pprof is the server's profiler (serve --debug-addr), e.g.
	// http://127.0.0.1:6060: a heap profile is taken with the screens idle
	// and a CPU profile while the clerks call, into ProfileDir.
	Pprof      string
	ProfileDir string

	Settle time.Duration // idle time before reading the server's memory (default 3 s)
	Grace  time.Duration // how long deliveries may lag the last call (default 10 s)
	Out    io.Writer     // progress lines; nil: none
}

func (c *Config) defaults() {
	if c.Sources <= 0 {
		c.Sources = 32
	}
	if c.Takers <= 0 {
		c.Takers = 64
	}
	if c.StaticPath == "" {
		c.StaticPath = "/static/js/wire.js"
	}
	if c.Window <= 0 {
		c.Window = 250
	}
	if c.Clerks <= 0 || c.Clerks > len(c.Accounts) {
		c.Clerks = len(c.Accounts)
	}
	if c.CallGap <= 0 {
		c.CallGap = time.Second
	}
	if c.Settle <= 0 {
		c.Settle = 3 * time.Second
	}
	if c.Grace <= 0 {
		c.Grace = 10 * time.Second
	}
	if c.Out == nil {
		c.Out = io.Discard
	}
	if c.ProfileDir == "" {
		c.ProfileDir = "."
	}
	c.URL = strings.TrimRight(c.URL, "/")
}

// Result is what a run measured.
type Result struct {
	Started time.Time
	Load    string // the machine's load average when the run started
	CPUs    int

	Static *Rate        `json:",omitempty"`
	Issue  *IssueResult `json:",omitempty"`
	Fanout []Fanout     `json:",omitempty"`
}

// Rate is a count over a time.
type Rate struct {
	Count   int
	Errors  int
	Seconds float64
	PerSec  float64
}

// IssueResult is the issue phase.
type IssueResult struct {
	Rate
	Conns         int       // connections issuing
	WaitingBefore int       // waiting tickets when the phase began
	Latency       Latencies // per POST
	Windows       []Window  // the rate as the queue grew
	Codes         map[int]int
}

// Window is the issue rate over Window consecutive tickets.
type Window struct {
	Waiting int // waiting tickets when the window began
	PerSec  float64
}

// Latencies are percentiles in milliseconds.
type Latencies struct {
	N                  int
	P50, P90, P99, Max float64
}

// Fanout is one screen count's measurement.
type Fanout struct {
	Screens, Phones int
	Waiting         int // waiting tickets when the calls began
	// RSSPerConnKiB is the server's resident memory per open websocket:
	// (RSS with every screen and phone connected and idle − RSS before any)
	// / connections.
	RSSPerConnKiB float64
	// RSSMarginalKiB is the same from the previous screen count to this
	// one: what one more connection costs, without the fixed costs a first
	// thousand pays for.
	RSSMarginalKiB float64
	RSSMiB         float64
	Calls          int
	CallLatency    Latencies // POST …/next answered
	Screen         Delivery  // calls on the whole-hall streams
	Phone          Delivery  // calls on the ticket streams
	PhoneOwn       Latencies // a phone's own ticket shown called, from its call
	PhoneUpdates   int       // ticket messages the phones received
	Dropped        int       // connections the server closed during the calls
	ServerCPU      float64   // the server's CPU seconds per second during the calls (2 = both cores)
	LoadCPU        float64   // this generator's
	Seconds        float64
}

// Delivery is how a call reached the screens: from the start of the clerk's
// POST …/next to the screen's receipt.
type Delivery struct {
	Latencies
	// Spread is from the call's first arrival on any connection: the
	// fan-out's own part, without the commit before it.
	Spread   Latencies
	Expected int // calls × connections
	Missing  int
}

// run is one run's shared state.
type run struct {
	cfg     Config
	res     *Result
	office  office
	mu      sync.Mutex
	tickets []issued // this run's tickets, in issue order
}

type issued struct {
	ID, Number, Service string
}

type office struct {
	Services []struct {
		Letter string `json:"letter"`
	} `json:"services"`
	Desks []struct {
		Number   int      `json:"number"`
		Services []string `json:"services"`
	} `json:"desks"`
}

// Run drives the server as cfg says and returns what it measured.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg.defaults()
	r := &run{cfg: cfg, res: &Result{Started: time.Now(), CPUs: runtime.NumCPU(), Load: loadAvg()}}
	if err := r.getJSON(ctx, "/api/v1/office", &r.office); err != nil {
		return nil, fmt.Errorf("loadgen: the server at %s: %w", cfg.URL, err)
	}
	if len(r.office.Services) == 0 {
		return nil, errors.New("loadgen: the office has no services")
	}
	r.logf("load average %s on %d CPUs", r.res.Load, r.res.CPUs)
	if cfg.Static > 0 {
		st, err := r.static(ctx)
		if err != nil {
			return r.res, err
		}
		r.res.Static = st
	}
	if cfg.Issue > 0 {
		ir, err := r.issuePhase(ctx)
		if err != nil {
			return r.res, err
		}
		r.res.Issue = ir
	}
	if cfg.Keep >= 0 {
		if err := r.keep(ctx, cfg.Keep); err != nil {
			return r.res, err
		}
	}
	if len(cfg.Screens) > 0 || cfg.Phones > 0 {
		if err := r.fanoutPhases(ctx); err != nil {
			return r.res, err
		}
	}
	return r.res, nil
}

func (r *run) logf(format string, args ...any) {
	fmt.Fprintf(r.cfg.Out, "loadtest: "+format+"\n", args...)
}

// loopback reports whether the server is on an IPv4 loopback address, where
// connections can come from many source addresses.
func (r *run) loopback() bool {
	u, err := url.Parse(r.cfg.URL)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.To4() != nil && ip.IsLoopback() && runtime.GOOS == "linux"
}

// dialer returns the dialer of connection i: from 127.0.0.(2 + i mod
// Sources) when the server is on loopback.
func (r *run) dialer(i int) *net.Dialer {
	d := &net.Dialer{Timeout: 30 * time.Second}
	if r.loopback() && r.cfg.Sources > 1 {
		d.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+i%r.cfg.Sources))}
	}
	return d
}

// client is an HTTP client whose one kept-alive connection comes from
// source i.
func (r *run) client(i int) *http.Client {
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		DialContext: r.dialer(i).DialContext, MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1}}
}

var shared = &http.Client{Timeout: 60 * time.Second}

func (r *run) getJSON(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.cfg.URL+path, nil)
	if err != nil {
		return err
	}
	resp, err := shared.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// waiting returns the number of waiting tickets.
func (r *run) waiting(ctx context.Context) int {
	var q struct {
		Waiting map[string]int `json:"waiting"`
	}
	if err := r.getJSON(ctx, "/api/v1/queue", &q); err != nil {
		return -1
	}
	n := 0
	for _, w := range q.Waiting {
		n += w
	}
	return n
}

// loadAvg is the machine's load average, as /proc/loadavg says it.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// procStatus reads the server's resident memory in KiB.
func rssKiB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			var kb float64
			fmt.Sscanf(strings.TrimPrefix(line, "VmRSS:"), "%f", &kb)
			return kb
		}
	}
	return 0
}

// cpuSeconds is the CPU time the server's process has used.
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	// The command name may hold spaces: the fields start after its ')'.
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	var utime, stime float64
	fmt.Sscanf(f[11], "%f", &utime)
	fmt.Sscanf(f[12], "%f", &stime)
	return (utime + stime) / 100 // USER_HZ is 100 on Linux
}

// profile saves the server's profile at path (under /debug/pprof/) into
// file in ProfileDir; it logs rather than fails.
func (r *run) profile(ctx context.Context, path, file string) {
	if r.cfg.Pprof == "" {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(r.cfg.Pprof, "/")+"/debug/pprof/"+path, nil)
	if err != nil {
		return
	}
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		r.logf("profile %s: %v", path, err)
		return
	}
	defer resp.Body.Close()
	out := filepath.Join(r.cfg.ProfileDir, file)
	f, err := os.Create(out)
	if err != nil {
		r.logf("profile %s: %v", path, err)
		return
	}
	defer f.Close()
	if _, err := io.Copy(f, resp.Body); err != nil {
		r.logf("profile %s: %v", path, err)
		return
	}
	r.logf("profile: %s", out)
}
