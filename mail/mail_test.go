package mail_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"langelis/internal/smtptest"
	"langelis/mail"
)

// A message with a calendar file reaches a real SMTP server (a local one)
// with its text in UTF-8 and the file attached.
func TestSendWithCalendarFile(t *testing.T) {
	srv := smtptest.Start(t)
	s := &mail.Sender{Addr: srv.Addr, From: "salė@example.lt"}
	err := s.Send(mail.Message{To: "jonas@example.lt", Subject: "Jūsų rezervacija", Text: "Kodas ABCD-EFGH, 09:30.",
		ICS: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.Arrived():
	case <-time.After(5 * time.Second):
		t.Fatal("no message arrived")
	}
	m := srv.Messages()[0]
	if len(m.To) != 1 || m.To[0] != "jonas@example.lt" || !strings.Contains(m.Data, "Subject: =?utf-8?q?J=C5=AB") ||
		!strings.Contains(m.Data, "text/calendar") || !strings.Contains(m.Data, base64.StdEncoding.EncodeToString([]byte("Kodas ABCD-EFGH, 09:30."))) {
		t.Fatalf("message: %+v", m)
	}
	if err := s.Send(mail.Message{To: "x@example.lt\r\nBcc: all@example.lt", Subject: "s", Text: "t"}); err == nil {
		t.Fatal("a line break in the address was sent")
	}
}
