package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"langelis/queue"
)

var (
	stationOnce sync.Once
	stationBin  string
	stationErr  error
)

// stationProgram builds the kiosk station program (cmd/kiosk) once per
// test binary.
func stationProgram(t testing.TB) string {
	t.Helper()
	stationOnce.Do(func() {
		dir, err := os.MkdirTemp("", "langelis-station-")
		if err != nil {
			stationErr = err
			return
		}
		stationBin = filepath.Join(dir, "kiosk")
		if out, err := exec.Command("go", "build", "-o", stationBin, "langelis/cmd/kiosk").CombinedOutput(); err != nil {
			stationErr = &buildError{err, out}
		}
	})
	if stationErr != nil {
		t.Fatalf("build the kiosk station: %v", stationErr)
	}
	return stationBin
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string { return e.err.Error() + ": " + string(e.out) }

// Station runs the kiosk station program, the real one, for kiosk name
// (an account of role kiosk is made for it), with args as its flags:
// `--out DIR` writes each ticket's PDF there, `--print-cmd false` is a
// printer that fails. It returns once the server counts the station
// connected, and returns a function that stops it (as a crash or a
// pulled cable would, for the server), which also runs when the test ends.
func (s *Server) Station(t *testing.T, name string, args ...string) (stop func()) {
	t.Helper()
	bin := stationProgram(t)
	s.AddUser(name, queue.RoleKiosk)
	cmd := exec.Command(bin, append([]string{"--server", s.URL, "--user", name}, args...)...)
	cmd.Env = append(os.Environ(), "LANGELIS_KIOSK_PASSWORD=pw-"+name+"-secret")
	log := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the kiosk station: %v", err)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			_ = cmd.Wait()
			for deadline := time.Now().Add(10 * time.Second); s.Srv != nil && s.Srv.Hub().StationConnected(name); time.Sleep(20 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Errorf("the server still counts station %s connected after it stopped", name)
					return
				}
			}
		})
	}
	t.Cleanup(stop)
	for deadline := time.Now().Add(30 * time.Second); !s.Srv.Hub().StationConnected(name); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the kiosk station never connected:\n%s", log.String())
		}
	}
	return stop
}

// lockedBuffer is a log written by a process and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b = append(l.b, p...)
	return len(p), nil
}

func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return string(l.b) }
