// Package pgtest starts a throwaway PostgreSQL cluster for a test, from
// Debian's postgresql package: initdb into a temporary folder, pg_ctl on a
// free loopback port, stopped and removed when the test ends. initdb
// refuses to run as root, so under root (CI) the cluster runs as the
// unprivileged user nobody (runuser).
package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
)

// bin finds a PostgreSQL program: Debian keeps them in
// /usr/lib/postgresql/VERSION/bin, outside PATH.
func bin(name string) string {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	sort.Strings(matches)
	if len(matches) > 0 {
		return matches[len(matches)-1]
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return ""
}

// Start runs a new cluster and returns a connection string for its
// superuser. Without PostgreSQL the test is skipped, except in CI
// (CI=true), where .ci/run installs it and its absence is a failure.
func Start(t testing.TB) string {
	t.Helper()
	initdb, pgctl := bin("initdb"), bin("pg_ctl")
	if initdb == "" || pgctl == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("PostgreSQL is not installed; .ci/run must install Debian's postgresql")
		}
		t.Skip("PostgreSQL is not installed (apt-get install postgresql); skipping")
	}
	dir, err := os.MkdirTemp("", "langelis-pg-")
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	as := func(args ...string) *exec.Cmd { return exec.Command(args[0], args[1:]...) }
	if os.Getuid() == 0 {
		nobody, err := user.Lookup("nobody")
		if err != nil {
			t.Fatal(err)
		}
		uid, _ := strconv.Atoi(nobody.Uid)
		gid, _ := strconv.Atoi(nobody.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		as = func(args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", "nobody", "--"}, args...)...)
		}
	}
	run := func(args ...string) {
		t.Helper()
		cmd := as(args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+dir, "LC_ALL=C.UTF-8")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, out)
		}
	}
	run(initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
	port := freePort(t)
	run(pgctl, "-D", data, "-w", "-l", filepath.Join(dir, "log"), "-o",
		fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", port, dir), "start")
	t.Cleanup(func() {
		cmd := as(pgctl, "-D", data, "-m", "immediate", "-w", "stop")
		cmd.Dir = dir
		cmd.Run()
		os.RemoveAll(dir)
	})
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
