// Package mail sends e-mail through the SMTP server an office configures
// (langelis serve --smtp-addr): the one outside technology for messages to
// visitors. Nothing in Langelis needs it to work; a booking's link and its
// calendar file carry every change, and a message is a courtesy on top.
package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"net/smtp"
	"strings"
	"time"
)

// Sender sends through one SMTP server.
type Sender struct {
	Addr     string // host:port
	From     string // the sender's address
	Username string // empty: no authentication
	Password string
}

// Message is one e-mail: a plain text and, optionally, a calendar file.
type Message struct {
	To      string
	Subject string
	Text    string
	ICS     []byte // attached as text/calendar when not empty
}

// Send sends m. It refuses a recipient or subject with a line break, so
// nothing a visitor typed can add a header.
func (s *Sender) Send(m Message) error {
	if strings.ContainsAny(m.To, "\r\n") || strings.ContainsAny(m.Subject, "\r\n") || strings.ContainsAny(s.From, "\r\n") {
		return fmt.Errorf("mail: a line break in an address or the subject")
	}
	var auth smtp.Auth
	if s.Username != "" {
		host := s.Addr
		if i := strings.LastIndex(host, ":"); i >= 0 {
			host = host[:i]
		}
		auth = smtp.PlainAuth("", s.Username, s.Password, host)
	}
	if err := smtp.SendMail(s.Addr, auth, s.From, []string{m.To}, compose(s.From, m)); err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	return nil
}

// compose writes the message as MIME: a UTF-8 text, and the calendar file
// as a second part.
func compose(from string, m Message) []byte {
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", from)
	h("To", m.To)
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", time.Now().Format(time.RFC1123Z))
	h("MIME-Version", "1.0")
	text := base64Lines([]byte(m.Text))
	if len(m.ICS) == 0 {
		h("Content-Type", `text/plain; charset="utf-8"`)
		h("Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n" + text)
		return b.Bytes()
	}
	var r [12]byte
	_, _ = rand.Read(r[:])
	boundary := "langelis-" + hex.EncodeToString(r[:])
	h("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
	fmt.Fprintf(&b, "\r\n--%s\r\nContent-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s", boundary, text)
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/calendar; charset=\"utf-8\"; method=PUBLISH\r\nContent-Disposition: attachment; filename=\"booking.ics\"\r\nContent-Transfer-Encoding: base64\r\n\r\n%s", boundary, base64Lines(m.ICS))
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes()
}

// base64Lines encodes data in lines of 76 characters (RFC 2045).
func base64Lines(data []byte) string {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.String()
}
