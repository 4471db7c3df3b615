// Package wire is the public contract of a Langelis server in one place,
// as tailscale's derp package is for its protocol: the server encodes with
// it, the Go client (package client, and through it the station programs)
// decodes with it, and a test checks the pages' JavaScript against it.
//
// It holds:
//
//   - the websocket protocol: its version and how a client states it
//     (version.go), the envelope and every message kind (messages.go), and
//     the keep-alive timings (keepalive.go);
//   - the request and response bodies of the REST API (bodies.go);
//   - the error codes' HTTP statuses, in both directions (errors.go);
//   - the JavaScript module the pages import these from (js.go, written to
//     assets/web/js/wire.js).
//
// The domain types a body carries (a queue.Snapshot, a queue.Ticket, a
// queue.DeskResult) stay in package queue; wire names them and adds the
// envelopes around them. docs/api.md describes the same contract in words.
package wire
