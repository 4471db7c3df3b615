package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"langelis/queue"
)

// Kind names a websocket message: the "type" of its envelope. Events are
// named by their queue.EventType; the other kinds are below.
type Kind = string

// The message kinds that are not events.
const (
	// KindSnapshot carries the whole queue: the first message of a
	// connection unless ?since=N could be replayed, and at any time after.
	KindSnapshot Kind = "snapshot"
	// KindNoop stands for an event the client may not see (a category
	// change in the public stream) or does not know (one newer than its
	// protocol): it advances the sequence and carries nothing else.
	KindNoop Kind = "noop"
	// KindCutoff is the side message with the end-of-day figure, sent
	// whenever it changes.
	KindCutoff Kind = "cutoff"
	// KindPrintFailed is the side message of a kiosk station that could not
	// print a ticket: the kiosk's screen shows the ticket's QR code instead.
	KindPrintFailed Kind = "print_failed"
	// KindHello is the first message of a connection (protocol 2): the
	// version spoken and the keep-alive timings. It carries no seq.
	KindHello Kind = "hello"
	// KindPing is the keep-alive (protocol 2), sent every keep-alive
	// interval so that a page, which never sees websocket ping frames, can
	// tell a quiet hall from a dead connection. It carries no seq.
	KindPing Kind = "ping"
	// KindWatch is the one message a client sends on the ticket stream
	// (protocol 3): the first message after the hello, naming the ticket by
	// its token. The token travels inside the connection, never in the
	// URL, so it stays out of access logs and Referer headers.
	KindWatch Kind = "watch"
	// KindTicket is a ticket as its holder sees it (the body of GET
	// /api/v1/tickets/{id}): on the ticket stream (protocol 3), the first
	// message after the watch and then whenever its status, place or
	// estimate changes. It carries the seq of the state it was computed
	// from.
	KindTicket Kind = "ticket"
	// KindHours is the side message sent when the office opens or closes
	// by its clock (protocol 4): the moment passes without any event, and
	// a kiosk must stop issuing, or start, then, not at its next look.
	KindHours Kind = "hours"
)

// since is the protocol version that brought each message kind. A server
// sends a client nothing of a later version: an event becomes a noop, a
// side message is left out.
var since = map[Kind]int{
	KindSnapshot: 1, KindNoop: 1, KindCutoff: 1, KindPrintFailed: 1,
	KindHello: 2, KindPing: 2,
	KindWatch: 3, KindTicket: 3,
	KindHours: 4,

	string(queue.DayStarted): 1, string(queue.TicketIssued): 1, string(queue.TicketCalled): 1,
	string(queue.TicketRecalled): 1, string(queue.TicketStarted): 1, string(queue.TicketFinished): 1,
	string(queue.TicketNoShow): 1, string(queue.TicketReturned): 1, string(queue.TicketMoved): 1,
	string(queue.TicketRefused): 1, string(queue.TicketCancelled): 1, string(queue.TicketClosed): 1,
	string(queue.TicketCategory): 1, string(queue.EventDeskOpened): 1, string(queue.EventDeskClosed): 1,
	string(queue.EventDeskPaused): 1, string(queue.EventDeskResumed): 1, string(queue.EventDeskStay): 1,
	string(queue.EventOfficeChanged): 4, string(queue.ServicePaused): 4, string(queue.ServiceResumed): 4,
	string(queue.DisplayMessage): 4,
	string(queue.TicketRated):    5,
	string(queue.BookingMade):    5, string(queue.BookingMoved): 5, string(queue.BookingCancelled): 5,
	string(queue.BookingCheckedIn): 5, string(queue.BookingMissed): 5, string(queue.SlotClosed): 5,
	string(queue.SlotOpened): 5,
}

// side are the kinds that say something other than a change of the queue:
// they do not advance the sequence and are not replayed.
var side = map[Kind]bool{KindCutoff: true, KindPrintFailed: true, KindHello: true, KindPing: true, KindTicket: true, KindHours: true}

// nonEvents are the kinds that are not events, in the order Kinds lists them.
var nonEvents = []Kind{KindSnapshot, KindNoop, KindCutoff, KindPrintFailed, KindHello, KindPing, KindWatch, KindTicket, KindHours}

// Since returns the protocol version that brought kind, 0 for a kind this
// tree does not know.
func Since(kind Kind) int { return since[kind] }

// Knows reports whether a client speaking version v understands kind.
func Knows(v int, kind Kind) bool {
	s := since[kind]
	return s != 0 && s <= v
}

// IsSide reports whether kind is a side message: it carries the seq of the
// last event sent (or none), does not advance the sequence, and a client
// that misses it loses nothing durable.
func IsSide(kind Kind) bool { return side[kind] }

// Kinds returns every message kind of version v: the event types, then the
// others.
func Kinds(v int) []Kind {
	var out []Kind
	for _, t := range queue.EventTypes {
		if Knows(v, string(t)) {
			out = append(out, string(t))
		}
	}
	for _, k := range nonEvents {
		if Knows(v, k) {
			out = append(out, k)
		}
	}
	return out
}

// Hello opens a protocol-2 connection.
type Hello struct {
	Type     Kind `json:"type"`     // KindHello
	Protocol int  `json:"protocol"` // the version spoken on this connection
	// KeepAliveMS is how often the server sends a ping message (and a
	// ping frame), in milliseconds.
	KeepAliveMS int64 `json:"keepalive_ms"`
	// OfflineAfterMS is how long a client may hear nothing before it takes
	// the connection for dead and reconnects: OfflineAfter(keep-alive).
	OfflineAfterMS int64 `json:"offline_after_ms"`
}

// Ping is the keep-alive message: {"type":"ping"}.
type Ping struct {
	Type Kind `json:"type"` // KindPing
}

// Watch is the message a client sends first on the ticket stream:
// {"type": "watch", "ticket": TOKEN}.
type Watch struct {
	Type   Kind   `json:"type"`   // KindWatch
	Ticket string `json:"ticket"` // the ticket's token (its ID)
}

// TicketState is the ticket stream's view of the watched ticket, with the
// hall's cutoff its page words its end-of-day notice from. The ticket
// stream carries no cutoff messages of its own: a new TicketState comes
// when the ticket changes, and when the cutoff changes in a way its page
// shows (the notice is due or has just ended, or the ticket is beyond the
// cutoff).
type TicketState struct {
	Seq    uint64        `json:"seq"`
	Type   Kind          `json:"type"` // KindTicket
	Ticket Ticket        `json:"ticket"`
	Cutoff *queue.Cutoff `json:"cutoff"` // nil on a day the office does not close
}

// Snapshot is the snapshot message. Its Snapshot is a queue.Snapshot for
// staff and a queue.PublicSnapshot for the others.
type Snapshot struct {
	Seq      uint64 `json:"seq"`
	Type     Kind   `json:"type"` // KindSnapshot
	Snapshot any    `json:"snapshot"`
}

// Noop stands for an event the client may not see or does not know.
type Noop struct {
	Seq  uint64 `json:"seq"`
	Type Kind   `json:"type"` // KindNoop
}

// Side is a side message: the hub stamps it with the seq of the last event
// it sent, so a client never hears one computed from events it has not
// seen yet.
type Side interface {
	// Stamp sets the seq and the type and returns the message to encode.
	Stamp(seq uint64) any
	// Kind is the message's kind.
	Kind() Kind
}

// Cutoff is the side message with the end-of-day figure; Cutoff is nil on
// a day the office does not close.
type Cutoff struct {
	Seq    uint64        `json:"seq"`
	Type   Kind          `json:"type"` // KindCutoff
	Cutoff *queue.Cutoff `json:"cutoff"`
}

// Stamp implements Side.
func (m Cutoff) Stamp(seq uint64) any { m.Seq, m.Type = seq, KindCutoff; return m }

// Kind implements Side.
func (Cutoff) Kind() Kind { return KindCutoff }

// PrintFailed is the side message of a failed print at a kiosk. It names
// the ticket by number only: every screen in the hall hears it.
type PrintFailed struct {
	Seq    uint64 `json:"seq"`
	Type   Kind   `json:"type"` // KindPrintFailed
	Kiosk  string `json:"kiosk"`
	Number string `json:"number"`
}

// Stamp implements Side.
func (m PrintFailed) Stamp(seq uint64) any { m.Seq, m.Type = seq, KindPrintFailed; return m }

// Kind implements Side.
func (PrintFailed) Kind() Kind { return KindPrintFailed }

// Hours is the side message of the office opening or closing by its clock:
// what GET /api/v1/office says about today at that moment.
type Hours struct {
	Seq         uint64           `json:"seq"`
	Type        Kind             `json:"type"` // KindHours
	Now         time.Time        `json:"now"`  // the office clock at the change
	OpenNow     bool             `json:"open_now"`
	NextOpening *time.Time       `json:"next_opening,omitempty"` // nil when the office never opens again
	Today       []queue.Interval `json:"today"`                  // today's opening intervals
}

// Stamp implements Side.
func (m Hours) Stamp(seq uint64) any { m.Seq, m.Type = seq, KindHours; return m }

// Kind implements Side.
func (Hours) Kind() Kind { return KindHours }

// Message is one decoded websocket message. Type says which field is set:
// Snapshot for KindSnapshot; Event for an event and for KindNoop (an event
// with nothing in it, which only advances the sequence); Cutoff for
// KindCutoff (nil also on a day the office does not close); PrintFailed,
// Hello, Ticket and Hours for theirs; nothing for KindPing. Staff connections get full
// events; the others get the public view decoded into the same types, so
// tickets carry no ID and no category.
type Message struct {
	Seq         uint64
	Type        Kind
	Snapshot    *queue.Snapshot
	Event       *queue.Event
	Cutoff      *queue.Cutoff
	PrintFailed *PrintFailed
	Hello       *Hello
	Ticket      *Ticket // KindTicket: the watched ticket (and Cutoff the hall's cutoff)
	Hours       *Hours
}

// Side reports whether m is a side message (see IsSide).
func (m Message) Side() bool { return IsSide(m.Type) }

// ErrUnknownKind is wrapped by Decode's error for a message kind this tree
// does not know. A server that negotiated the version never sends one, so
// it means a server that breaks the contract; the message is refused
// rather than guessed at.
var ErrUnknownKind = errors.New("unknown message kind")

// Decode reads one websocket message.
func Decode(data []byte) (Message, error) {
	var head struct {
		Seq      uint64          `json:"seq"`
		Type     Kind            `json:"type"`
		Snapshot json.RawMessage `json:"snapshot"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Message{}, fmt.Errorf("wire: unreadable message: %w", err)
	}
	m := Message{Seq: head.Seq, Type: head.Type}
	if head.Type == "" {
		return Message{}, errors.New("wire: message without a type")
	}
	if Since(head.Type) == 0 {
		return Message{}, fmt.Errorf("wire: message %q: %w", head.Type, ErrUnknownKind)
	}
	var err error
	switch head.Type {
	case KindSnapshot:
		if len(head.Snapshot) == 0 || string(head.Snapshot) == "null" {
			return Message{}, errors.New("wire: snapshot message without a snapshot")
		}
		m.Snapshot = new(queue.Snapshot)
		if err = json.Unmarshal(head.Snapshot, m.Snapshot); err == nil {
			if m.Seq == 0 {
				m.Seq = m.Snapshot.Seq
			}
			m.Snapshot.Seq = m.Seq
		}
	case KindCutoff:
		var c Cutoff
		err = json.Unmarshal(data, &c)
		m.Cutoff = c.Cutoff
	case KindPrintFailed:
		m.PrintFailed = new(PrintFailed)
		err = json.Unmarshal(data, m.PrintFailed)
	case KindHello:
		m.Hello = new(Hello)
		err = json.Unmarshal(data, m.Hello)
	case KindTicket:
		var ts TicketState
		err = json.Unmarshal(data, &ts)
		m.Ticket, m.Cutoff = &ts.Ticket, ts.Cutoff
	case KindHours:
		m.Hours = new(Hours)
		err = json.Unmarshal(data, m.Hours)
	case KindWatch:
		return Message{}, errors.New("wire: a watch message goes from a client to the server")
	case KindPing:
	default: // an event, or a noop
		m.Event = new(queue.Event)
		err = json.Unmarshal(data, m.Event)
	}
	if err != nil {
		return Message{}, fmt.Errorf("wire: unreadable %s message: %w", head.Type, err)
	}
	return m, nil
}
