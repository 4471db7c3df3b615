package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// NeedTools skips the test when a Debian tool it drives is missing, except
// in CI (CI=true), where .ci/run installs them and a missing one fails.
func NeedTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed; .ci/run must install it", tool)
			}
			t.Skipf("%s is not installed (Debian: poppler-utils, zbar-tools); skipping", tool)
		}
	}
}

// PDFText returns the words pdftotext reads from a PDF, joined by single
// spaces: text wraps on an 80 mm ticket, so tests compare words, not layout.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	NeedTools(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "ticket.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// DecodeQR rasterises a PDF with pdftoppm and returns what zbarimg reads
// from its QR code, as a phone's camera would.
func DecodeQR(t testing.TB, pdf []byte) string {
	t.Helper()
	NeedTools(t, "pdftoppm", "zbarimg")
	dir := t.TempDir()
	path := filepath.Join(dir, "t.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "200", "-png", "-singlefile", path, filepath.Join(dir, "t")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	// zbarimg says unrelated things (D-Bus) on stderr: read stdout only.
	out, err := exec.Command("zbarimg", "--quiet", "--raw", filepath.Join(dir, "t.png")).Output()
	if err != nil {
		t.Fatalf("zbarimg found no code: %v", err)
	}
	return strings.TrimSpace(string(out))
}
