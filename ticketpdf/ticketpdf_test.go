package ticketpdf_test

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"langelis/internal/e2e"
	"langelis/ticketpdf"
)

func sample(lang, service string) ticketpdf.Ticket {
	at := time.Date(2026, 11, 23, 10, 4, 0, 0, time.UTC)
	est := at.Add(18 * time.Minute)
	ahead := 3
	return ticketpdf.Ticket{Office: "Vilniaus klientų aptarnavimo salė", Number: "A012", Service: service, Lang: lang,
		IssuedAt: at, Ahead: &ahead, EstimateAt: &est, Priority: true, StatusURL: "http://hall.example:8080/t/Zq3xTOKENabc"}
}

func render(t *testing.T, tk ticketpdf.Ticket) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ticketpdf.Render(&buf, tk); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestTicketTextLithuanian(t *testing.T) {
	text := e2e.PDFText(t, render(t, sample("lt", "Gyvenamosios vietos deklaravimas ąčęėįšųūž")))
	for _, want := range []string{"A012", "Gyvenamosios vietos deklaravimas ąčęėįšųūž", "Prieš jus eilėje: 3 klientai",
		"apie 10:22", "2026-11-23 10:04", "Pirmenybė", "Vilniaus klientų aptarnavimo salė", "asmens duomenų"} {
		if !strings.Contains(text, want) {
			t.Errorf("the ticket lacks %q; pdftotext read:\n%s", want, text)
		}
	}
	// The mark is neutral: no group is named (health or family data).
	for _, group := range []string{"vaiku", "nėščia", "negalią", "senyvo"} {
		if strings.Contains(text, group) {
			t.Errorf("the ticket names a priority group (%q):\n%s", group, text)
		}
	}
}

func TestTicketTextRussian(t *testing.T) {
	tk := sample("ru", "Декларирование места жительства")
	tk.Priority = false
	text := e2e.PDFText(t, render(t, tk))
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
	tk := sample("uk", "Декларування місця проживання")
	if got := e2e.DecodeQR(t, render(t, tk)); got != tk.StatusURL {
		t.Fatalf("QR decodes to %q, want %q", got, tk.StatusURL)
	}
}

// BenchmarkTicketPDF compares the code-page fonts prepared once (what
// Render uses) with gofpdf's UTF-8 fonts, which it parses for every
// document: the subset, and the full DejaVu Sans (the straightforward way).
func BenchmarkTicketPDF(b *testing.B) {
	tk := sample("lt", "Gyvenamosios vietos deklaravimas")
	sub, err := ticketpdf.SubsetFonts()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("codepages", func(b *testing.B) {
		for b.Loop() {
			if err := ticketpdf.Render(io.Discard, tk); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("utf8-subset", func(b *testing.B) {
		for b.Loop() {
			if err := ticketpdf.RenderUTF8(io.Discard, tk, sub); err != nil {
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
	b.Run("utf8-full-font", func(b *testing.B) {
		for b.Loop() {
			if err := ticketpdf.RenderUTF8(io.Discard, tk, ticketpdf.Fonts{Regular: reg, Bold: bold}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// With no desk open that can serve it, the ticket says so instead of a
// time nobody would keep, in each language.
func TestTicketSaysNoDeskInsteadOfATime(t *testing.T) {
	for lang, want := range map[string]string{
		"lt": "Šiuo metu šios paslaugos neaptarnauja nė vienas langelis.",
		"en": "No desk is serving this service right now.",
		"ru": "Сейчас эту услугу не обслуживает ни одно окно.",
		"pl": "Obecnie żadne okienko nie obsługuje tej usługi.",
		"uk": "Зараз цю послугу не обслуговує жодне віконце.",
	} {
		tk := sample(lang, "A")
		tk.NoDesk = true
		text := e2e.PDFText(t, render(t, tk))
		if !strings.Contains(text, want) || strings.Contains(text, "10:22") {
			t.Errorf("%s: the ticket reads %q; want %q and no time", lang, text, want)
		}
	}
}

// A Bulgarian ticket is set in Windows-1251 (the Cyrillic code page) and
// reads back as Bulgarian, ъ and ь included, with the Bulgarian plural.
func TestTicketTextBulgarian(t *testing.T) {
	tk := sample("bg", "Удостоверения за гражданско състояние")
	tk.Office = "Център за административно обслужване, район „Средец“"
	text := e2e.PDFText(t, render(t, tk))
	for _, want := range []string{"A012", "Удостоверения за гражданско състояние", "Център за административно обслужване",
		"„Средец“", "Пред Вас има 3 души", "около 10:22", "Предимство", "лични данни"} {
		if !strings.Contains(text, want) {
			t.Errorf("the ticket lacks %q; pdftotext read:\n%s", want, text)
		}
	}
}

// A ticket writes its day as its language does, as the pages do
// (i18n.Date): ISO in Lithuanian, the month in words in English,
// day.month.year in the Slavic languages.
func TestTicketDateInItsLanguage(t *testing.T) {
	for lang, want := range map[string]string{"lt": "2026-11-23 10:04", "en": "23 November 2026 10:04",
		"ru": "23.11.2026 10:04", "pl": "23.11.2026 10:04", "uk": "23.11.2026 10:04", "bg": "23.11.2026 10:04"} {
		text := e2e.PDFText(t, render(t, sample(lang, "A")))
		if !strings.Contains(text, want) {
			t.Errorf("%s: the ticket lacks %q; pdftotext read:\n%s", lang, want, text)
		}
	}
}
