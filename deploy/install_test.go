// Package deploy holds the files that run Langelis for real (the systemd
// unit, the backup cron, the install and restore scripts, the kiosk and
// display autostarts, the Grafana dashboard) and the test that runs the
// README's "Install in a hall" steps with them into a temporary prefix.
package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"langelis/internal/e2e"
	"langelis/office"
)

// TestInstallInAHall follows the README's "Install in a hall" into a
// temporary prefix: install.sh, the unit's own command line (its paths
// under the prefix, its ports free ones), the first admin, a ticket, the
// cron's backup line, another ticket, restore.sh (refused while the server
// runs), and a start from the backup, which has the first ticket and not
// the second.
func TestInstallInAHall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	root := t.TempDir()
	bin := filepath.Join(t.TempDir(), "langelis")
	run(t, "..", nil, nil, "go", "build", "-o", bin, "./cmd/langelis")
	run(t, "..", nil, nil, "sh", "deploy/install.sh", "--prefix", root, "--binary", bin)
	for _, f := range []string{"usr/local/bin/langelis", "etc/langelis/office.yaml", "etc/systemd/system/langelis.service",
		"etc/cron.d/langelis-backup", "var/lib/langelis", "var/backups/langelis"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Fatalf("install.sh left no %s: %v", f, err)
		}
	}
	unit := read(t, filepath.Join(root, "etc/systemd/system/langelis.service"))
	cmdline := execStart(t, unit, root)
	o, err := office.Load(filepath.Join(root, "etc/langelis/office.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The office clock on a day the example office opens: the steps work
	// whatever today is.
	day := e2e.OpenDay(t, o).Format(time.DateOnly)
	cmdline = append(cmdline, "--clock", day+" 10:00")
	data := filepath.Join(root, "var/lib/langelis")

	// The first admin, before the office ever starts.
	pwd := bytes.NewBufferString("a-long-admin-password\n")
	run(t, root, pwd, nil, filepath.Join(root, "usr/local/bin/langelis"), "user", "add", "--data", data,
		"--password-stdin", "--role", "admin", "--name", "Office manager", "admin")
	srv := start(t, cmdline, data)
	var who struct{ Token string }
	if code := postJSON(t, srv.url+"/api/v1/session", `{"username":"admin","password":"a-long-admin-password"}`, &who); code != 200 {
		t.Fatalf("the first admin cannot sign in: %d", code)
	}
	first := issue(t, srv.url, o.Services[0].Letter)

	// The cron's line, as cron would run it (cron reads \% as %).
	backups := filepath.Join(root, "var/backups/langelis")
	env := []string{"PATH=" + filepath.Join(root, "usr/local/bin") + ":" + os.Getenv("PATH")}
	run(t, root, nil, env, "sh", "-c", cronCommand(t, read(t, filepath.Join(root, "etc/cron.d/langelis-backup")), root))
	made, _ := filepath.Glob(filepath.Join(backups, "langelis-*.db"))
	if len(made) != 1 {
		t.Fatalf("the backup line made %v in %s, want one langelis-DATE.db", made, backups)
	}
	second := issue(t, srv.url, o.Services[0].Letter)

	if out, err := exec.Command("sh", "../deploy/restore.sh", "--prefix", root, made[0]).CombinedOutput(); err == nil {
		t.Fatalf("restore.sh replaced the store under the running server: %s", out)
	} else if !strings.Contains(string(out), "systemctl stop langelis") {
		t.Errorf("restore.sh refused without saying to stop the server: %s", out)
	}
	srv.stop(t)
	run(t, "..", nil, nil, "sh", "deploy/restore.sh", "--prefix", root, made[0])
	srv = start(t, cmdline, data)
	defer srv.stop(t)
	if code := get(t, srv.url+"/api/v1/tickets/"+first); code != 200 {
		t.Errorf("after the restore, the ticket taken before the backup answers %d, want 200", code)
	}
	if code := get(t, srv.url+"/api/v1/tickets/"+second); code != 404 {
		t.Errorf("after the restore, the ticket taken after the backup answers %d, want 404", code)
	}
	kept, _ := filepath.Glob(filepath.Join(data, "langelis.db.before-restore-*"))
	if len(kept) != 1 {
		t.Errorf("restore.sh kept %v, want the replaced store beside it", kept)
	}
}

// TestUnitsVerify runs systemd-analyze verify on the service and the
// kiosk station's unit (their programs put where the test has them): any
// complaint, an unknown key included, fails.
func TestUnitsVerify(t *testing.T) {
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed (apt-get install systemd; .ci/run does)")
	}
	dir := t.TempDir()
	for _, u := range []struct{ file, program string }{
		{"langelis.service", "/usr/local/bin/langelis"},
		{"kiosk/langelis-station.service", "/usr/local/bin/kiosk"},
	} {
		text := strings.ReplaceAll(read(t, u.file), u.program, "/bin/true")
		path := filepath.Join(dir, filepath.Base(u.file))
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("systemd-analyze", "verify", "--man=no", path).CombinedOutput()
		if err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("systemd-analyze verify %s: %v\n%s", u.file, err, out)
		}
	}
	unit := read(t, "langelis.service")
	for _, want := range []string{"User=langelis", "StateDirectory=langelis", "Restart=on-failure", "LimitNOFILE=65536",
		"NoNewPrivileges=yes", "ProtectSystem=strict"} {
		if !strings.Contains(unit, "\n"+want+"\n") {
			t.Errorf("langelis.service lacks %s", want)
		}
	}
}

// TestAutostartFiles: the kiosk and display entries are valid desktop
// files that start Chromium in kiosk mode on their page.
func TestAutostartFiles(t *testing.T) {
	for file, page := range map[string]string{"kiosk/langelis-kiosk.desktop": "/kiosk?kiosk=", "kiosk/langelis-display.desktop": "/display"} {
		text := read(t, file)
		if !strings.Contains(text, "Exec=chromium --kiosk ") || !strings.Contains(text, page) {
			t.Errorf("%s does not start Chromium in kiosk mode on %s", file, page)
		}
		if _, err := exec.LookPath("desktop-file-validate"); err == nil {
			if out, err := exec.Command("desktop-file-validate", file).CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
				t.Errorf("desktop-file-validate %s: %v\n%s", file, err, out)
			}
		}
	}
}

// execStart is the unit's ExecStart with its paths under root and its
// listen addresses free loopback ports.
func execStart(t *testing.T, unit, root string) []string {
	t.Helper()
	for _, line := range strings.Split(unit, "\n") {
		if cmd, ok := strings.CutPrefix(line, "ExecStart="); ok {
			args := strings.Fields(cmd)
			for i, a := range args {
				switch {
				case strings.HasPrefix(a, "/"):
					args[i] = filepath.Join(root, a)
				case i > 0 && (args[i-1] == "--addr" || args[i-1] == "--metrics-addr"):
					args[i] = "127.0.0.1:0"
				}
			}
			return args
		}
	}
	t.Fatal("the unit has no ExecStart")
	return nil
}

// cronCommand is the backup line's command, its paths under root.
func cronCommand(t *testing.T, tab, root string) string {
	t.Helper()
	for _, line := range strings.Split(tab, "\n") {
		f := strings.Fields(line)
		if len(f) < 7 || strings.HasPrefix(line, "#") || strings.Contains(f[0], "=") {
			continue
		}
		cmd := strings.Join(f[6:], " ")
		cmd = strings.ReplaceAll(cmd, `\%`, "%")
		for _, p := range []string{"/var/lib/langelis", "/var/backups/langelis"} {
			cmd = strings.ReplaceAll(cmd, p, filepath.Join(root, p))
		}
		if f[5] != "langelis" {
			t.Errorf("the backup runs as %s, want the service's user langelis", f[5])
		}
		return cmd
	}
	t.Fatal("the cron file has no job")
	return ""
}

type server struct {
	cmd  *exec.Cmd
	url  string
	logs *bytes.Buffer
}

// start runs the server and waits for its note in the data folder.
func start(t *testing.T, args []string, data string) *server {
	t.Helper()
	info := filepath.Join(data, "server.json")
	s := &server{cmd: exec.Command(args[0], args[1:]...), logs: &bytes.Buffer{}}
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var note struct {
			URL string `json:"url"`
			PID int    `json:"pid"`
		}
		if b, err := os.ReadFile(info); err == nil && json.Unmarshal(b, &note) == nil && note.PID == s.cmd.Process.Pid {
			s.url = note.URL
			return s
		}
	}
	s.cmd.Process.Kill()
	t.Fatalf("the server did not start: %s", s.logs)
	return nil
}

func (s *server) stop(t *testing.T) {
	t.Helper()
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	if err := s.cmd.Wait(); err != nil {
		t.Errorf("the server stopped with %v: %s", err, s.logs)
	}
}

func issue(t *testing.T, base, service string) string {
	t.Helper()
	var tk struct{ ID string }
	if code := postJSON(t, base+"/api/v1/tickets", fmt.Sprintf(`{"service":%q}`, service), &tk); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	return tk.ID
}

// postJSON posts body and decodes the answer into out; it returns the status.
func postJSON(t *testing.T, url, body string, out any) int {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("POST %s: %d %v", url, resp.StatusCode, err)
	}
	return resp.StatusCode
}

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// run runs a command in dir, with stdin and env added to the test's own
// environment when given, and fails the test when it fails.
func run(t *testing.T, dir string, stdin *bytes.Buffer, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
