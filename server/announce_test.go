package server_test

import (
	"encoding/binary"
	"io"
	"net/http"
	"os/exec"
	"testing"

	"langelis/announce"
	"langelis/internal/e2e"
	"langelis/wire"
)

// The demo office speaks Lithuanian, then English; both sentences come with
// audio addresses that answer with a WAV file whose sizes are right.
func TestAnnounceSpeech(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	var a announce.Announcement
	if code := s.JSON("GET", "/api/v1/announce?number=A012&desk=3", "", nil, &a); code != 200 {
		t.Fatalf("announce: %d", code)
	}
	if len(a.Items) != 2 || a.Items[0].Lang != "lt" || a.Items[0].Text != "Bilietas A dvylika, langelis trys." ||
		a.Items[1].Lang != "en" || a.Items[1].Text != "Ticket A 12, desk 3." {
		t.Fatalf("announcement %+v", a)
	}
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		if a.Speech || a.Items[0].Audio != "" {
			t.Fatalf("speech offered without espeak-ng: %+v", a)
		}
		if code := s.JSON("GET", "/api/v1/announce/speech.wav?number=A012&desk=3&lang=lt", "", nil, nil); code != 503 {
			t.Fatalf("speech without espeak-ng: %d, want 503", code)
		}
		t.Skip("espeak-ng is not installed; checked the 503 fallback only")
	}
	if !a.Speech || a.Items[0].Audio == "" {
		t.Fatalf("espeak-ng is installed but no audio is offered: %+v", a)
	}
	resp, err := http.Get(s.URL + a.Items[0].Audio)
	if err != nil {
		t.Fatal(err)
	}
	wav, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/wav" {
		t.Fatalf("speech: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if len(wav) < 44+22050*2 || string(wav[0:4]) != "RIFF" || string(wav[8:12]) != "WAVE" ||
		int(binary.LittleEndian.Uint32(wav[4:])) != len(wav)-8 {
		t.Fatalf("not a whole WAV file of a sentence: %d bytes, % x", len(wav), wav[:min(len(wav), 44)])
	}
}

func TestAnnounceRefusesBadCalls(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	for _, q := range []string{"number=A012", "number=A012&desk=0", "number=A012&desk=x", "number=a12&desk=1",
		"number=A012;rm&desk=1", "number=A012&desk=1000"} {
		var e wire.ErrorBody
		if code := s.JSON("GET", "/api/v1/announce?"+q, "", nil, &e); code != 400 || e.Error.Code != "invalid" || e.Error.Message == "" {
			t.Errorf("%s: %d %+v", q, code, e)
		}
	}
	// A busy day's five-digit number is read as a number, in words.
	var a announce.Announcement
	if code := s.JSON("GET", "/api/v1/announce?number=A12345&desk=3", "", nil, &a); code != 200 || len(a.Items) == 0 ||
		a.Items[0].Text != "Bilietas A dvylika tūkstančių trys šimtai keturiasdešimt penki, langelis trys." {
		t.Errorf("A12345: %d %+v", code, a)
	}
	// Only the languages the hall is spoken to in: no voice to order at will.
	var e wire.ErrorBody
	if code := s.JSON("GET", "/api/v1/announce/speech.wav?number=A012&desk=3&lang=ru", "", nil, &e); code != 400 {
		t.Errorf("lang=ru in an lt+en office: %d %+v", code, e)
	}
}
