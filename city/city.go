// Package city is the link between the halls and the city's centre, as a
// protocol defined once: the subjects and message ids on NATS JetStream,
// the messages (a hall's events, stripped of personal data; its live
// status; the centre's acknowledgements; the list of halls), and the rules
// both ends follow so that the centre's copy of each hall's journal
// converges to that journal exactly, however often the link drops, a hall
// is killed mid-publish or a hall's journal is restored from a backup.
// The hall's side (citynats.Link) and the centre's (package central)
// both import it; it knows nothing of NATS or bbolt.
//
// Each hall is the authority for its queue. Its committed events leave
// through the outbox (package outbox) in journal order, each as one
// message on the subject langelis.hall.HALL.events with the id
// HALL/EPOCH/SEQ (the epoch changes when the journal is restored from a
// copy; store.Epoch). The centre writes what it receives to its own store
// and only then acknowledges it with a Position on
// langelis.central.position.HALL; the hall's outbox cursor moves only on
// those, so JetStream's acknowledgement (and its disk sync interval) is
// never taken as durability. The hall resends from its cursor whenever
// it reconnects; the centre drops what it already has by epoch and seq
// (Ledger), since JetStream's duplicate window is only minutes.
package city

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"langelis/queue"
)

// The NATS names.
const (
	// Stream is the JetStream stream holding every hall's events.
	Stream = "LANGELIS_HALLS"
	// EventsSubjects is the stream's subjects: one subject per hall.
	EventsSubjects = "langelis.hall.*.events"
	// StatusSubjects carry the halls' live status (plain NATS: the next
	// one replaces a lost one).
	StatusSubjects = "langelis.hall.*.status"
	// Bucket is the key-value bucket the centre writes down the wire.
	Bucket = "LANGELIS_CITY"
	// KeyHalls holds the list of halls (a JSON []Hall).
	KeyHalls = "halls"
	// Consumer is the centre's durable consumer on Stream.
	Consumer = "central"
)

// EventsSubject is the subject of hall's events.
func EventsSubject(hall string) string { return "langelis.hall." + hall + ".events" }

// StatusSubject is the subject of hall's live status.
func StatusSubject(hall string) string { return "langelis.hall." + hall + ".status" }

// PositionSubject is where the centre acknowledges hall's events.
func PositionSubject(hall string) string { return "langelis.central.position." + hall }

// MsgID is the message id of one event: HALL/EPOCH/SEQ. JetStream drops a
// repeat within its duplicate window by it; the centre by Ledger after.
func MsgID(hall, epoch string, seq uint64) string { return fmt.Sprintf("%s/%s/%d", hall, epoch, seq) }

var hallRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// ValidHall reports whether id can name a hall: lower-case letters,
// digits and hyphens (it is one token of a NATS subject).
func ValidHall(id string) bool { return hallRe.MatchString(id) }

// Epoch is one stretch of a hall's journal history (store.Epoch).
type Epoch struct {
	ID   string `json:"id"`
	Base uint64 `json:"base"` // its first seq
}

// Message carries one committed event of a hall.
type Message struct {
	Hall string `json:"hall"`
	// Epochs is the hall's journal history, oldest first; the event
	// belongs to the last epoch whose Base is at most its seq.
	Epochs []Epoch `json:"epochs"`
	// After is the seq of the hall's event before this one: Seq-1, unless
	// the events between were purged (retention) before they were sent.
	After uint64 `json:"after"`
	Seq   uint64 `json:"seq"` // the event's seq
	// Event is the encoded Event, kept by the centre as it came: the
	// Digest of these bytes is the same at both ends.
	Event json.RawMessage `json:"event"`
}

// EpochOf returns the epoch of seq in es.
func EpochOf(es []Epoch, seq uint64) string {
	id := ""
	for _, e := range es {
		if e.Base <= seq {
			id = e.ID
		}
	}
	return id
}

// Event is a committed event as the centre keeps it: the ticket's number
// (unique in the hall's day), never its token; no priority group, no
// clerk, no free text. A priority change becomes a "noop", as it does for
// the hall's public screens, so the seqs keep no gap.
type Event struct {
	Seq    uint64          `json:"seq"`
	Type   queue.EventType `json:"type"`
	At     time.Time       `json:"at"`
	Day    string          `json:"day"`
	Ticket *Ticket         `json:"ticket,omitempty"`
	Desk   *Desk           `json:"desk,omitempty"`
}

// Noop is the type of an event the centre has no business knowing.
const Noop queue.EventType = "noop"

// Ticket is what the centre keeps of a ticket.
type Ticket struct {
	Number     string        `json:"number"`
	Service    string        `json:"service"`
	Status     queue.Status  `json:"status"`
	Channel    queue.Channel `json:"channel,omitempty"`
	Lang       string        `json:"lang,omitempty"`
	Desk       int           `json:"desk,omitempty"`
	TargetDesk int           `json:"target_desk,omitempty"`
	Recalls    int           `json:"recalls,omitempty"`
	IssuedAt   time.Time     `json:"issued_at"`
	QueuedAt   time.Time     `json:"queued_at"`
	CalledAt   time.Time     `json:"called_at,omitzero"`
	StartedAt  time.Time     `json:"started_at,omitzero"`
	EndedAt    time.Time     `json:"ended_at,omitzero"`
}

// Desk is what the centre keeps of a desk: no clerk, no pause reason.
type Desk struct {
	Number   int              `json:"number"`
	Status   queue.DeskStatus `json:"status"`
	Services []string         `json:"services,omitempty"`
	Since    time.Time        `json:"since,omitzero"`
}

// FromQueue strips a hall's event to what leaves the hall.
func FromQueue(ev queue.Event) Event {
	out := Event{Seq: ev.Seq, Type: ev.Type, At: ev.At, Day: ev.Day}
	// A category change is a visitor's health or family; an answer after
	// service may carry a comment: neither leaves the hall.
	if ev.Type == queue.TicketCategory || ev.Type == queue.TicketRated {
		out.Type = Noop
		return out
	}
	if t := ev.Ticket; t != nil {
		out.Ticket = &Ticket{Number: t.Number, Service: t.Service, Status: t.Status, Channel: t.Channel,
			Lang: t.Lang, Desk: t.Desk, TargetDesk: t.TargetDesk, Recalls: t.Recalls, IssuedAt: t.IssuedAt,
			QueuedAt: t.QueuedAt, CalledAt: t.CalledAt, StartedAt: t.StartedAt, EndedAt: t.EndedAt}
	}
	if d := ev.Desk; d != nil {
		out.Desk = &Desk{Number: d.Number, Status: d.Status, Services: d.Services, Since: d.Since}
	}
	return out
}

// NewMessage encodes ev of hall for the link.
func NewMessage(hall string, epochs []Epoch, after uint64, ev queue.Event) (Message, error) {
	data, err := json.Marshal(FromQueue(ev))
	if err != nil {
		return Message{}, fmt.Errorf("city: %w", err)
	}
	return Message{Hall: hall, Epochs: epochs, After: after, Seq: ev.Seq, Event: data}, nil
}

// Digest fingerprints an event's encoded form, as the centre stored it:
// a Position names the event it ends at by seq and digest, so a hall
// whose journal went back in time by other means than a restore it
// could notice (a virtual machine's snapshot) sees that the centre's
// event at that seq is not its own.
func Digest(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:8])
}

// Position is the centre's acknowledgement to one hall: it holds that
// hall's journal, durably, up to Seq of Epoch, the event there having
// Digest.
type Position struct {
	Hall   string `json:"hall"`
	Epoch  string `json:"epoch"`
	Seq    uint64 `json:"seq"`
	Digest string `json:"digest,omitempty"`
	// Pending is how many messages of the stream (every hall's) the
	// centre has not read yet. A position with none pending and a seq
	// below what JetStream took from the hall means JetStream lost those
	// messages (its disk sync is not per message): the hall resends.
	Pending uint64 `json:"pending"`
	// Gap says the centre has received events of this hall after one it
	// lacks (verdict Early): the hall resends from Seq+1. Those events
	// are not acknowledged to JetStream either, which delivers them
	// again until the gap is filled.
	Gap bool      `json:"gap,omitempty"`
	At  time.Time `json:"at"` // the centre's real time
}

// Hall is one entry of the list of halls the centre sends down the wire.
type Hall struct {
	ID      string            `json:"id"`
	Name    string            `json:"name"`
	Names   map[string]string `json:"names,omitempty"`
	URL     string            `json:"url,omitempty"` // where visitors reach the hall: its /take is there
	Updated time.Time         `json:"updated"`
}

// KeyStaff prefixes the keys of staff accounts in Bucket: staff.USERNAME.
const KeyStaff = "staff."

// StaffAccount is an account of someone who works in several halls,
// kept by the centre in Bucket and sent down the wire: each hall it
// names keeps it among its own accounts. Disabled revokes it; a hall cut
// off applies a revocation when its link returns.
type StaffAccount struct {
	User    queue.User `json:"user"`  // with its bcrypt hash, never the password
	Halls   []string   `json:"halls"` // the halls it works in; "*" for every hall
	Updated time.Time  `json:"updated"`
}

// In says whether the account works in hall.
func (a StaffAccount) In(hall string) bool {
	for _, h := range a.Halls {
		if h == "*" || h == hall {
			return true
		}
	}
	return false
}
