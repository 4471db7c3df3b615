package e2e_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"langelis/internal/e2e"
	"langelis/wire"
)

// issued is a ticket as POST /api/v1/tickets answers it.
type issued = wire.Ticket

func get(t *testing.T, url string) ([]byte, *http.Response) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, data)
	}
	return data, resp
}

// The printed ticket as the visitor holds it: their number, their service in
// their language with its own letters, and a code that opens the status page.
func TestTicketPDFOverHTTP(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	var lt, ru issued
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "B", "lang": "lt", "kiosk": "kiosk1"}, &lt); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "lang": "ru"}, &ru); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	pdf, resp := get(t, s.URL+lt.PDFURL)
	if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Fatalf("content type %q", ct)
	}
	text := e2e.PDFText(t, pdf)
	for _, want := range []string{lt.Number, "Socialinės išmokos", "Langelis demo: Vilniaus klientų aptarnavimo salė"} {
		if !strings.Contains(text, want) {
			t.Errorf("Lithuanian ticket lacks %q:\n%s", want, text)
		}
	}
	if got := e2e.DecodeQR(t, pdf); got != s.URL+"/t/"+lt.ID {
		t.Errorf("QR decodes to %q, want the status page %q", got, s.URL+"/t/"+lt.ID)
	}
	pdf, _ = get(t, s.URL+ru.PDFURL)
	text = e2e.PDFText(t, pdf)
	for _, want := range []string{ru.Number, "Декларирование места жительства", "Перед вами в очереди никого нет"} {
		if !strings.Contains(text, want) {
			t.Errorf("Russian ticket lacks %q:\n%s", want, text)
		}
	}
	svg, resp := get(t, s.URL+"/api/v1/tickets/"+lt.ID+"/qr.svg")
	if resp.Header.Get("Content-Type") != "image/svg+xml" || !bytes.HasPrefix(svg, []byte("<svg")) {
		t.Errorf("qr.svg: %s %.40s", resp.Header.Get("Content-Type"), svg)
	}
}

func phoneIssue(t *testing.T, hc *http.Client, url, service string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"service": service, "lang": "lt", "channel": "phone"})
	resp, err := hc.Post(url+"/api/v1/tickets", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// One phone holds one active ticket per service; a second is refused with a
// message that names the ticket it already has.
func TestFloodGuardOneActiveTicketPerPhone(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	jar, _ := cookiejar.New(nil)
	phone := &http.Client{Jar: jar}
	code, body := phoneIssue(t, phone, s.URL, "A")
	if code != 201 {
		t.Fatalf("first phone ticket: %d %s", code, body)
	}
	var first issued
	json.Unmarshal([]byte(body), &first)
	code, body = phoneIssue(t, phone, s.URL, "A")
	if code != 429 || !strings.Contains(body, "too_many") || !strings.Contains(body, first.Number) {
		t.Fatalf("second active ticket: %d %s, want 429 naming %s", code, body, first.Number)
	}
	if code, body = phoneIssue(t, phone, s.URL, "B"); code != 201 {
		t.Fatalf("another service: %d %s", code, body)
	}
	if code := s.JSON("POST", "/api/v1/tickets/"+first.ID+"/cancel", "", nil, nil); code != 200 {
		t.Fatalf("cancel: %d", code)
	}
	if code, body = phoneIssue(t, phone, s.URL, "A"); code != 201 {
		t.Fatalf("after giving the place up: %d %s", code, body)
	}
}

// Past the per-address limit every phone behind that address is refused,
// with a message that points to the kiosk.
func TestFloodGuardPerAddress(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	for i := 0; i < 20; i++ { // each request is a new phone: no cookie jar
		if code, body := phoneIssue(t, http.DefaultClient, s.URL, "A"); code != 201 {
			t.Fatalf("phone ticket %d: %d %s", i+1, code, body)
		}
	}
	code, body := phoneIssue(t, http.DefaultClient, s.URL, "A")
	if code != 429 || !strings.Contains(body, "kiosku") {
		t.Fatalf("over the limit: %d %s, want 429 with a message", code, body)
	}
	// The kiosk in the hall is not limited.
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "kiosk": "kiosk1"}, nil); code != 201 {
		t.Fatalf("kiosk ticket: %d", code)
	}
}
