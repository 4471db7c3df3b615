package ticketpdf

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func need(t testing.TB, tools ...string) {
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

func sample(lang, service string) Ticket {
	at := time.Date(2026, 11, 23, 10, 4, 0, 0, time.UTC)
	est := at.Add(18 * time.Minute)
	ahead := 3
	return Ticket{Office: "Vilniaus klientų aptarnavimo salė", Number: "A012", Service: service, Lang: lang,
		IssuedAt: at, Ahead: &ahead, EstimateAt: &est, Priority: true, StatusURL: "http://hall.example:8080/t/Zq3xTOKENabc"}
}

// pdfText renders tk and returns what pdftotext reads back, and the PDF file.
func pdfText(t *testing.T, tk Ticket) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, tk); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ticket.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	// Long lines wrap on 80 mm paper: compare words, not layout.
	return strings.Join(strings.Fields(string(out)), " "), path
}

func TestTicketTextLithuanian(t *testing.T) {
	need(t, "pdftotext")
	text, _ := pdfText(t, sample("lt", "Gyvenamosios vietos deklaravimas ąčęėįšųūž"))
	for _, want := range []string{"A012", "Gyvenamosios vietos deklaravimas ąčęėįšųūž", "Prieš jus eilėje: 3 klientai",
		"apie 10:22", "2026-11-23 10:04", "Pirmenybė", "Vilniaus klientų aptarnavimo salė", "asmens duomenų"} {
		if !strings.Contains(text, want) {
			t.Errorf("the ticket lacks %q; pdftotext read:\n%s", want, text)
		}
	}
}

func TestTicketTextRussian(t *testing.T) {
	need(t, "pdftotext")
	tk := sample("ru", "Декларирование места жительства")
	tk.Priority = false
	text, _ := pdfText(t, tk)
	for _, want := range []string{"A012", "Декларирование места жительства", "Перед вами в очереди: 3 клиента", "около 10:22"} {
		if !strings.Contains(text, want) {
			t.Errorf("the ticket lacks %q; pdftotext read:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Приоритет") {
		t.Errorf("a ticket without priority carries the priority mark:\n%s", text)
	}
}

// The QR code must decode to the status page, or the visitor's phone opens nothing.
func TestTicketQRDecodes(t *testing.T) {
	need(t, "pdftoppm", "zbarimg")
	tk := sample("uk", "Декларування місця проживання")
	var buf bytes.Buffer
	if err := Render(&buf, tk); err != nil {
		t.Fatal(err)
	}
	got := DecodeQR(t, buf.Bytes())
	if got != tk.StatusURL {
		t.Fatalf("QR decodes to %q, want %q", got, tk.StatusURL)
	}
}

// DecodeQR rasterises a PDF with pdftoppm and reads its QR code with zbarimg.
func DecodeQR(t testing.TB, pdf []byte) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "t.pdf")
	os.WriteFile(path, pdf, 0o644)
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

// BenchmarkTicketPDF compares the embedded subset with the full DejaVu Sans
// (the straightforward way), which gofpdf parses for every document.
func BenchmarkTicketPDF(b *testing.B) {
	tk := sample("lt", "Gyvenamosios vietos deklaravimas")
	sub, err := SubsetFonts()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("subset", func(b *testing.B) {
		for b.Loop() {
			if err := RenderWith(io.Discard, tk, sub); err != nil {
				b.Fatal(err)
			}
		}
	})
	reg, err1 := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
	bold, err2 := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
	if err1 != nil || err2 != nil {
		b.Log("fonts-dejavu-core is not installed: no full-font comparison")
		return
	}
	b.Run("full-font", func(b *testing.B) {
		for b.Loop() {
			if err := RenderWith(io.Discard, tk, Fonts{Regular: reg, Bold: bold}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
