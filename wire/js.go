package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"langelis/queue"
)

// JSPath is where the pages' copy of the contract lives in the repository,
// relative to its root. The pages import it from /static/js/wire.js.
const JSPath = "assets/web/js/wire.js"

// JavaScript returns the pages' copy of the contract: the protocol version,
// the message kinds, the error codes and the timings, as an ES module. The
// file at JSPath must be exactly this (a test in this package checks it;
// `go test ./wire -run JavaScript -update` writes it).
func JavaScript() []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated from package wire by `go test ./wire -run JavaScript -update`. DO NOT EDIT.\n")
	b.WriteString("// The websocket contract as the pages use it; docs/api.md describes it in words.\n\n")
	fmt.Fprintf(&b, "/** The websocket protocol the pages speak: GET /api/v1/ws?%s=%d. */\n", ProtocolParam, Version)
	fmt.Fprintf(&b, "export const PROTOCOL = %d;\nexport const PROTOCOL_PARAM = %s;\n\n", Version, js(ProtocolParam))
	b.WriteString("/** Filtered streams: GET /api/v1/ws?stream=ticket (protocol 3), opened by a watch message. */\n")
	fmt.Fprintf(&b, "export const STREAM_PARAM = %s;\n", js(StreamParam))
	fmt.Fprintf(&b, "export const STREAM = Object.freeze({ TICKET: %s });\n", js(StreamTicket))
	b.WriteString("/** The close code of a ticket stream whose ticket the server does not know: do not reconnect. */\n")
	fmt.Fprintf(&b, "export const CLOSE_UNKNOWN_TICKET = %d;\n\n", CloseUnknownTicket)

	b.WriteString("/** Message kinds that are not events. */\n")
	b.WriteString("export const KIND = Object.freeze({\n")
	for _, k := range nonEvents {
		fmt.Fprintf(&b, "  %s: %s,\n", strings.ToUpper(k), js(k))
	}
	b.WriteString("});\n\n")

	b.WriteString("/** Event types (queue.EventTypes). */\n")
	b.WriteString("export const EVENT = Object.freeze({\n")
	for _, t := range queue.EventTypes {
		name := strings.ToUpper(strings.NewReplacer(".", "_").Replace(string(t)))
		fmt.Fprintf(&b, "  %s: %s,\n", name, js(string(t)))
	}
	b.WriteString("});\n\n")

	b.WriteString("/** Every message kind of this protocol. */\n")
	fmt.Fprintf(&b, "export const KINDS = new Set(%s);\n\n", js(Kinds(Version)))

	var sides []Kind
	for _, k := range Kinds(Version) {
		if IsSide(k) {
			sides = append(sides, k)
		}
	}
	b.WriteString("/** Side messages: they do not advance the sequence and are not replayed. */\n")
	fmt.Fprintf(&b, "export const SIDE_KINDS = new Set(%s);\n\n", js(sides))

	codes := Codes()
	names := make([]string, 0, len(codes))
	for c := range codes {
		names = append(names, c)
	}
	slices.Sort(names)
	b.WriteString("/** Error codes ({\"error\": {\"code\", \"message\"}}) and their HTTP statuses. */\n")
	b.WriteString("export const CODE_STATUS = Object.freeze({\n")
	for _, c := range names {
		fmt.Fprintf(&b, "  %s: %d,\n", c, codes[c])
	}
	b.WriteString("});\n\n")

	b.WriteString("/** Timings in milliseconds. The keep-alive and the offline threshold are\n")
	b.WriteString(" * defaults: the hello message gives the server's own. */\n")
	fmt.Fprintf(&b, "export const KEEPALIVE_MS = %d;\n", KeepAlive.Milliseconds())
	fmt.Fprintf(&b, "export const OFFLINE_AFTER_MS = %d;\n", OfflineAfter(KeepAlive).Milliseconds())
	fmt.Fprintf(&b, "export const RECONNECT_MIN_MS = %d;\n", ReconnectMin.Milliseconds())
	fmt.Fprintf(&b, "export const RECONNECT_MAX_MS = %d;\n\n", ReconnectMax.Milliseconds())

	b.WriteString("/** The probabilities of a call today that the pages act on (served_today_probability;\n")
	b.WriteString(" * the kiosk's preview action follows WARN_BELOW and STOP_BELOW on the server). */\n")
	fmt.Fprintf(&b, "export const TODAY = Object.freeze({ LIKELY_FROM: %s, UNLIKELY_BELOW: %s, WARN_BELOW: %s, STOP_BELOW: %s });\n",
		js(queue.LikelyFrom), js(queue.UnlikelyBelow), js(queue.WarnBelow), js(queue.StopBelow))
	return b.Bytes()
}

func js(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
