// Package webhook sends the hall's committed events to the URLs an admin
// configured, so that a case system can follow: each hook is a URL, a
// signing secret and the event kinds it takes (Kinds). Delivery reads
// the journal through the same outbox as the city link (package outbox),
// one consumer per hook ("webhook:ID"), so a hook that is down only lets
// its backlog grow and a restart resends from its durable cursor.
//
// Each event is one POST of a JSON Envelope, in journal order, one at a
// time: the next is sent only after the receiver answered 2xx to the one
// before, so a hook never skips ahead. A failure (no answer, a non-2xx
// status, a redirect) is retried with exponential backoff on real time,
// capped. The envelope's id is hall/epoch/seq, like the city link's
// message id: a receiver drops a resend (after a restart, the cursor is
// written with the next commit) by it.
//
// The request carries X-Langelis-Timestamp (Unix seconds) and
// X-Langelis-Signature: sha256=HEX, the HMAC-SHA256 with the hook's
// secret of "TIMESTAMP.BODY", so a receiver knows the hall sent it and
// can refuse an old request replayed (Verify).
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"time"

	"langelis/queue"
)

// Kind is what a hook chooses to receive.
type Kind string

// The kinds and the journal events each stands for. A kind is one line
// here. "complaint" is not offered: complaints are kept in their own
// bucket (package feedback), not in the journal hooks read.
var kinds = []struct {
	kind  Kind
	types []queue.EventType
}{
	{"issued", []queue.EventType{queue.TicketIssued}},
	{"called", []queue.EventType{queue.TicketCalled, queue.TicketRecalled}},
	{"finished", []queue.EventType{queue.TicketFinished}},
	{"feedback", []queue.EventType{queue.TicketRated}},
}

// Kinds lists the kinds a hook may choose, in order.
func Kinds() []Kind {
	out := make([]Kind, len(kinds))
	for i, k := range kinds {
		out[i] = k.kind
	}
	return out
}

// KindOf returns the kind of an event type, "" when no hook takes it.
func KindOf(t queue.EventType) Kind {
	for _, k := range kinds {
		if slices.Contains(k.types, t) {
			return k.kind
		}
	}
	return ""
}

// Envelope is the body of one delivery.
type Envelope struct {
	ID   string          `json:"id"` // hall/epoch/seq: the same event always has the same id
	Kind Kind            `json:"kind"`
	Type queue.EventType `json:"type"` // the journal's event type
	At   time.Time       `json:"at"`   // when it happened (the office clock)
	Day  string          `json:"day"`
	Hall string          `json:"hall"`
	Seq  uint64          `json:"seq"`
	// Ticket is the event's ticket as a case system may see it.
	Ticket *Ticket `json:"ticket,omitempty"`
	// Rating is a feedback delivery's answer: the face (1-5) and where it
	// was given. Never the comment: free text is purged with the journal
	// and must not outlive it in another system.
	Rating *Rating `json:"rating,omitempty"`
}

// Rating is what leaves the hall of an answer after service.
type Rating struct {
	Face int    `json:"face"`
	Via  string `json:"via"`
}

// Ticket is what leaves the hall of a ticket: its number (unique in the
// hall's day), service, state, desk and times. Never its token (it opens
// the visitor's status page and cancels the ticket), never its priority
// group: that is health or family data (DESIGN.md invariant 6), and a
// case system follows a matter, not a person's circumstances; the hall's
// own reports keep it. No clerk either (staff data).
type Ticket struct {
	Number    string        `json:"number"`
	Service   string        `json:"service"`
	Status    queue.Status  `json:"status"`
	Channel   queue.Channel `json:"channel,omitempty"`
	Lang      string        `json:"lang,omitempty"`
	Desk      int           `json:"desk,omitempty"`
	Recalls   int           `json:"recalls,omitempty"`
	IssuedAt  time.Time     `json:"issued_at"`
	CalledAt  time.Time     `json:"called_at,omitzero"`
	StartedAt time.Time     `json:"started_at,omitzero"`
	EndedAt   time.Time     `json:"ended_at,omitzero"`
}

// EventID is an event's id: hall/epoch/seq.
func EventID(hall, epoch string, seq uint64) string { return fmt.Sprintf("%s/%s/%d", hall, epoch, seq) }

// NewEnvelope strips ev to what a hook receives.
func NewEnvelope(hall, epoch string, ev queue.Event) Envelope {
	e := Envelope{ID: EventID(hall, epoch, ev.Seq), Kind: KindOf(ev.Type), Type: ev.Type, At: ev.At, Day: ev.Day,
		Hall: hall, Seq: ev.Seq}
	if t := ev.Ticket; t != nil {
		e.Ticket = &Ticket{Number: t.Number, Service: t.Service, Status: t.Status, Channel: t.Channel, Lang: t.Lang,
			Desk: t.Desk, Recalls: t.Recalls, IssuedAt: t.IssuedAt, CalledAt: t.CalledAt, StartedAt: t.StartedAt, EndedAt: t.EndedAt}
	}
	if r := ev.Rating; r != nil {
		e.Rating = &Rating{Face: r.Face, Via: r.Via}
	}
	return e
}

// The request's headers.
const (
	HeaderSignature = "X-Langelis-Signature"
	HeaderTimestamp = "X-Langelis-Timestamp"
	HeaderID        = "X-Langelis-Id"
	HeaderKind      = "X-Langelis-Kind"
)

// Sign returns the signature header's value for body sent at ts.
func Sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a delivery as a receiver would: the signature over the
// timestamp and body, and a timestamp within tolerance of now (zero: not
// checked).
func Verify(secret, signature, timestamp string, body []byte, now time.Time, tolerance time.Duration) error {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("webhook: timestamp %q: %w", timestamp, err)
	}
	if !hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signature)) {
		return fmt.Errorf("webhook: the signature does not match")
	}
	if d := now.Sub(time.Unix(ts, 0)); tolerance > 0 && (d > tolerance || d < -tolerance) {
		return fmt.Errorf("webhook: timestamp %s is %s away from now", timestamp, d.Round(time.Second))
	}
	return nil
}

// label names the event as the admin knows it, its kind and its ticket's
// number ("issued A001"), for the last-error line: the id (hall/epoch/seq)
// means nothing on the page.
func (e Envelope) label() string {
	if e.Ticket != nil && e.Ticket.Number != "" {
		return string(e.Kind) + " " + e.Ticket.Number
	}
	return string(e.Kind)
}
