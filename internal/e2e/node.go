package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// Node runs node with args and stdin and returns what it writes to
// stdout: the pages' modules tested outside a browser (plain unit tests,
// not page tests). Without node the test is skipped, except in CI, where
// .ci/run installs it and a missing one fails. A failing run fails the
// test with node's output.
func Node(t testing.TB, stdin []byte, args ...string) []byte {
	t.Helper()
	path, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is not installed; .ci/run must install Debian's nodejs")
		}
		t.Skip("node is not installed (apt-get install nodejs); skipping the test of the pages' JavaScript")
	}
	cmd := exec.Command(path, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %v: %v\n%s%s", args, err, out.Bytes(), errb.Bytes())
	}
	return out.Bytes()
}
