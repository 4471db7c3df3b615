package wire

import (
	"fmt"
	"strconv"

	"langelis/queue"
)

// Version is the websocket protocol this tree speaks.
//
//   - 1: the stream before versions existed: snapshot, events, noop,
//     cutoff and print_failed; kept alive by websocket ping frames only.
//   - 2: a hello first (the version spoken and the keep-alive timings), and
//     a ping message every keep-alive interval, which page JavaScript can
//     see (it never sees ping frames).
//   - 3: the ticket stream (?stream=ticket): a phone's status page names
//     its ticket in a first watch message and hears only that ticket's
//     state (ticket messages), the calls and the cutoff, instead of every
//     event of the hall.
//   - 4: office.changed, the event of a configuration change made while
//     the hall works (a service or desk added, changed or retired, new
//     hours): its desk, when it has one, is a desk added or changed, or
//     retired (status "retired": forget it); without one, read GET
//     /api/v1/office again. Older clients get a noop and see the change
//     at their next reconnection or reload.
//     Also in 4: the hours message: the server says when the office opens or
//     closes by its clock, so a kiosk switches at the moment, not at its
//     next look at the hours.
//   - 5: the booking events (booking.made, booking.moved,
//     booking.cancelled, booking.checked_in, booking.missed, slot.closed,
//     slot.opened), staff only: the desk page lists the next booked
//     visits from them. The hall's stream never carries them.
//     Also in 5: ticket.rated, a visitor's answer to the question after
//     service (staff streams only, without the answer: the hall and the
//     ticket's own stream never hear it). Older clients get a noop.
//
// A change a client of the previous version would misread (a new message
// kind, a new event type, a field whose meaning changes) takes a new
// version; Since says which version brought each kind.
const Version = 5

// MinVersion is the oldest protocol the server still speaks. A client that
// states an older one is refused with CodeProtocol.
const MinVersion = 1

// ProtocolParam is the query parameter of GET /api/v1/ws in which a client
// states the newest protocol it speaks: /api/v1/ws?protocol=2. A client
// that states none is taken to speak version 1 (pages and station programs
// from before versions).
const ProtocolParam = "protocol"

// StreamParam is the query parameter of GET /api/v1/ws that chooses a
// filtered stream (protocol 3): /api/v1/ws?protocol=3&stream=ticket.
// Without it a client hears the whole hall (snapshot and every event).
const StreamParam = "stream"

// StreamTicket is the ticket stream: after the hello the client sends a
// Watch with its ticket's token, then hears a TicketState whenever its
// ticket's status, place or estimate changes (or the cutoff, where its
// page shows it), and the hall's calls (ticket.called and ticket.recalled,
// public view). Its messages carry seqs but do not form a gapless
// sequence, and there is no resync by ?since: a client that reconnects
// gets its ticket afresh.
const StreamTicket = "ticket"

// CloseUnknownTicket is the websocket close code with which the server ends
// a ticket stream whose watch message names no ticket it knows (a wrong
// token, or a ticket purged with its day). The client must not reconnect.
const CloseUnknownTicket = 4404

// ProtocolHeader is the response header of the websocket handshake that
// says which version the server will speak on the connection.
const ProtocolHeader = "Langelis-Protocol"

// CodeProtocol is the error code of a websocket request whose protocol the
// server no longer speaks (status 400): the station program must be
// updated.
const CodeProtocol = "unsupported_protocol"

// Negotiate returns the version a server speaks to a client that states
// param (the ProtocolParam value, "" when absent): the client's own, or the
// server's newest when the client is newer (a newer client still speaks the
// older versions). It refuses, with a message for whoever runs the
// station, a version older than MinVersion or a value that is no number.
func Negotiate(param string) (int, error) {
	if param == "" {
		return 1, nil
	}
	v, err := strconv.Atoi(param)
	if err != nil {
		return 0, queue.E(queue.EINVALID, "err.ws.protocol_number", "param", ProtocolParam, "version", Version)
	}
	if v < MinVersion {
		return 0, queue.E(CodeProtocol, "err.ws.protocol_old", "version", v, "min", MinVersion, "max", Version)
	}
	return min(v, Version), nil
}

// CheckServer is what a client does with the version the server answered
// (the ProtocolHeader value, "" when absent: a server from before
// versions, which speaks 1): it returns that version, or an error naming
// both when the client, which needs at least need, cannot follow it.
func CheckServer(header string, need int) (int, error) {
	v := 1
	if header != "" {
		n, err := strconv.Atoi(header)
		if err != nil || n < 1 {
			return 0, fmt.Errorf("wire: the server answered protocol %q, which is no version", header)
		}
		v = n
	}
	if v > Version {
		return 0, fmt.Errorf("wire: the server speaks protocol %d, newer than this program's %d", v, Version)
	}
	if v < need {
		return 0, fmt.Errorf("wire: the server speaks websocket protocol %d; this program needs %d or later: update the server", v, need)
	}
	return v, nil
}
