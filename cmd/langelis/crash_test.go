package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the server once per test run.
var buildOnce sync.Once
var binPath string
var buildErr error

func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "langelis-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "langelis")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// proc is the server running as a real subprocess.
type proc struct {
	cmd       *exec.Cmd
	url       string
	passwords map[string]string
}

var (
	servingRe = regexp.MustCompile(`serving .* at (http://\S+)`)
	accountRe = regexp.MustCompile(`^\s+(\w+)\s+(\w+)\s+(demo-\S+)`)
)

// procClock is the office time every server process of this test run
// starts at: 10:00 on one office day (the demo opens every day). Without
// it a restart near closing time would find the office closed, and one
// across midnight would start a new day, whatever the code did.
var procClock = time.Now().In(mustVilnius()).Format(time.DateOnly) + " 10:00"

func mustVilnius() *time.Location {
	loc, err := time.LoadLocation("Europe/Vilnius")
	if err != nil {
		panic(err)
	}
	return loc
}

func startProc(t *testing.T, dataDir string, extra ...string) *proc {
	t.Helper()
	// The ticket takers on loopback stand for a whole hall's kiosks: no
	// per-kiosk rate, so a kill comes amid as many tickets as possible.
	args := []string{"serve", "--demo", "--clock", procClock, "--data", dataDir, "--addr", "127.0.0.1:0", "--log-level", "warn", "--issue-rate", "0"}
	cmd := exec.Command(buildBinary(t), append(args, extra...)...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, passwords: map[string]string{}}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	deadline := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for sc.Scan() {
		line := sc.Text()
		if m := accountRe.FindStringSubmatch(line); m != nil {
			p.passwords[m[2]] = m[3]
		}
		if m := servingRe.FindStringSubmatch(line); m != nil {
			p.url = m[1]
			go io.Copy(io.Discard, stdout)
			return p
		}
	}
	t.Fatal("the server did not say where it serves")
	return nil
}

func (p *proc) post(path, token string, body any) (int, map[string]any, error) {
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", p.url+path, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return doJSON(req)
}

func (p *proc) get(path, token string) (int, map[string]any, error) {
	req, _ := http.NewRequest("GET", p.url+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return doJSON(req)
}

var httpClient = &http.Client{Timeout: 10 * time.Second}

func doJSON(req *http.Request) (int, map[string]any, error) {
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	if len(data) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			return 0, nil, fmt.Errorf("%s: %w", data, err)
		}
	}
	return resp.StatusCode, out, nil
}

func (p *proc) login(t *testing.T, user string) string {
	t.Helper()
	code, body, err := p.post("/api/v1/session", "", map[string]string{"username": user, "password": p.passwords[user]})
	if err != nil || code != 200 {
		t.Fatalf("login %s: %d %v %v", user, code, body, err)
	}
	return body["token"].(string)
}

// TestCrashLosesNothingAcknowledged kills the server with SIGKILL in the
// middle of concurrent issuing and calling, restarts it on the same file,
// and checks every acknowledged ticket and call is there.
func TestCrashLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	data := t.TempDir()
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d", seed)
	for round := 0; round < 3; round++ {
		p := startProc(t, data)
		var tokens []string
		for d := 1; d <= 3; d++ {
			tok := p.login(t, fmt.Sprintf("clerk%d", d))
			if code, body, err := p.post(fmt.Sprintf("/api/v1/desks/%d/open", d), tok, nil); err != nil || code != 200 {
				t.Fatalf("open desk %d: %d %v %v", d, code, body, err)
			}
			tokens = append(tokens, tok)
		}
		var mu sync.Mutex
		issued := map[string]string{} // id → number, acknowledged
		called := map[string]int{}    // id → desk, acknowledged
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					svc := []string{"A", "B"}[(g+i)%2]
					code, body, err := p.post("/api/v1/tickets", "", map[string]string{"service": svc})
					if err != nil {
						return // killed
					}
					if code == 201 {
						mu.Lock()
						issued[body["id"].(string)] = body["number"].(string)
						mu.Unlock()
					}
				}
			}(g)
		}
		for d := 1; d <= 3; d++ {
			wg.Add(1)
			go func(d int) {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					code, body, err := p.post(fmt.Sprintf("/api/v1/desks/%d/next", d), tokens[d-1], nil)
					if err != nil {
						return
					}
					if code == 200 {
						tk := body["ticket"].(map[string]any)
						mu.Lock()
						called[tk["id"].(string)] = d
						mu.Unlock()
						if _, _, err := p.post(fmt.Sprintf("/api/v1/desks/%d/start", d), tokens[d-1], nil); err != nil {
							return
						}
					}
				}
			}(d)
		}
		time.Sleep(time.Duration(150+rng.Intn(600)) * time.Millisecond)
		p.cmd.Process.Signal(syscall.SIGKILL)
		p.cmd.Wait()
		close(stop)
		wg.Wait()
		t.Logf("round %d: killed after %d acknowledged tickets and %d acknowledged calls", round, len(issued), len(called))
		if len(issued) == 0 {
			t.Fatal("no ticket was acknowledged before the kill; the test proves nothing")
		}

		p = startProc(t, data)
		admin := p.login(t, "clerk1")
		numbers := map[string]string{}
		maxSerial := map[string]int{}
		for id, num := range issued {
			code, body, err := p.get("/api/v1/tickets/"+id, "")
			if err != nil || code != 200 {
				t.Fatalf("acknowledged ticket %s (%s) is gone after the crash: %d %v", num, id, code, err)
			}
			if body["number"] != num {
				t.Fatalf("ticket %s came back as %v", num, body["number"])
			}
			if other, dup := numbers[num]; dup {
				t.Fatalf("number %s used twice (%s and %s)", num, other, id)
			}
			numbers[num] = id
			var serial int
			fmt.Sscanf(num[1:], "%d", &serial)
			if serial > maxSerial[num[:1]] {
				maxSerial[num[:1]] = serial
			}
			if d, ok := called[id]; ok && body["status"] == "waiting" {
				t.Fatalf("%s was called at desk %d (acknowledged) but is waiting after the crash", num, d)
			}
		}
		// No ticket is held by two desks, and each desk's ticket agrees.
		code, snap, err := p.get("/api/v1/queue", admin)
		if err != nil || code != 200 {
			t.Fatalf("queue: %d %v", code, err)
		}
		held := map[string]bool{}
		for _, d := range snap["desks"].([]any) {
			dm := d.(map[string]any)
			if id, _ := dm["ticket"].(string); id != "" {
				if held[id] {
					t.Fatalf("ticket %s is held by two desks", id)
				}
				held[id] = true
			}
		}
		// The next numbers continue after every acknowledged one.
		for _, svc := range []string{"A", "B"} {
			code, body, _ := p.post("/api/v1/tickets", "", map[string]string{"service": svc})
			if code != 201 {
				t.Fatalf("issue after restart: %d", code)
			}
			var serial int
			fmt.Sscanf(body["number"].(string)[1:], "%d", &serial)
			if serial <= maxSerial[svc] {
				t.Fatalf("after the crash %s was issued again (last acknowledged %s%03d)", body["number"], svc, maxSerial[svc])
			}
		}
		// Close the desks so the next round's clerks can open them.
		for d := 1; d <= 3; d++ {
			tok := p.login(t, fmt.Sprintf("clerk%d", d))
			p.post(fmt.Sprintf("/api/v1/desks/%d/close", d), tok, map[string]string{"ticket": "finish"})
		}
		p.cmd.Process.Signal(syscall.SIGTERM)
		p.cmd.Wait()
	}
}

// TestDoneWhen is the acceptance run: two tickets, kill -9, restart,
// both still there and the next is A003.
func TestDoneWhen(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real server")
	}
	data := t.TempDir()
	p := startProc(t, data)
	for _, want := range []string{"A001", "A002"} {
		code, body, err := p.post("/api/v1/tickets", "", map[string]string{"service": "A"})
		if err != nil || code != 201 || body["number"] != want {
			t.Fatalf("issue: %d %v %v, want %s", code, body, err, want)
		}
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
	p = startProc(t, data)
	_, snap, err := p.get("/api/v1/queue", "")
	if err != nil {
		t.Fatal(err)
	}
	var nums []string
	for _, tk := range snap["tickets"].([]any) {
		nums = append(nums, tk.(map[string]any)["number"].(string))
	}
	if strings.Join(nums, ",") != "A001,A002" {
		t.Fatalf("after kill -9 the queue has %v", nums)
	}
	if _, body, _ := p.post("/api/v1/tickets", "", map[string]string{"service": "A"}); body["number"] != "A003" {
		t.Fatalf("next ticket %v, want A003", body["number"])
	}
}
