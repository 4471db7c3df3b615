package client

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/wire"
)

var speaks2 = http.Header{wire.ProtocolHeader: {"2"}}

// protoQ is the query a client of this tree states: the newest protocol.
var protoQ = wire.ProtocolParam + "=" + strconv.Itoa(wire.Version)

// A protocol-2 stream: the hello and the pings stay inside Subscribe, the
// side messages reach the handler as what they are (a print_failed is no
// event: the client once decoded it as one and skipped it only because its
// seq was not new), and the mirror follows the events.
func TestSubscribeSideMessages(t *testing.T) {
	sc := newScriptAt(t, speaks2, func(n int, conn *websocket.Conn) {
		send(conn, `{"type":"hello","protocol":2,"keepalive_ms":25000,"offline_after_ms":62500}`, rawSnap(5), `{"type":"ping"}`,
			`{"seq":5,"type":"print_failed","kiosk":"kiosk1","number":"A012"}`, rawIssued(6, 1),
			`{"seq":6,"type":"cutoff","cutoff":{"count":1,"last":"A001","waiting":1,"notice":true}}`, `{"type":"ping"}`, rawIssued(7, 2))
		hold(conn)
	})
	var mu sync.Mutex
	var got []string
	var m Mirror
	subscribe(t, New(sc.url, WithLogger(quiet)), func(msg Message) error {
		mu.Lock()
		switch {
		case msg.PrintFailed != nil:
			got = append(got, msg.Type+":"+msg.PrintFailed.Kiosk+":"+msg.PrintFailed.Number)
		default:
			got = append(got, msg.Type)
		}
		mu.Unlock()
		return m.Apply(msg)
	}, fast(0))
	waitFor(t, "event 7", func() bool { return m.Seq() == 7 })
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(got, " ") != "snapshot print_failed:kiosk1:A012 ticket.issued cutoff ticket.issued" {
		t.Fatalf("handled %v", got)
	}
	if s := m.Snapshot(); s.Cutoff == nil || s.Cutoff.Last != "A001" || len(s.Tickets) != 2 {
		t.Fatalf("mirror %+v", s)
	}
	if q := sc.conns(); len(q) != 1 || q[0] != protoQ {
		t.Fatalf("connections %q", q)
	}
}

// What this program cannot follow ends Subscribe with an error that says
// so, instead of a reconnect loop or a guess: a server that no longer
// speaks its protocol, one that says it speaks a newer one than it asked
// for, and one that sends a message kind nobody defined.
func TestSubscribeRefusesWhatItCannotRead(t *testing.T) {
	refuse := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":{"code":"unsupported_protocol","message":"This program speaks websocket protocol 2; this server speaks 3 to 4. Update the program."}}`))
	}
	for _, c := range []struct {
		name string
		sc   func(t *testing.T) *script
		ok   func(err error) bool
	}{
		{"refused", func(t *testing.T) *script { return newScriptAt(t, nil, nil, refuse) },
			func(err error) bool {
				var ae *APIError
				return errors.As(err, &ae) && ae.Code == wire.CodeProtocol && strings.Contains(ae.Message, "Update the program")
			}},
		{"newer server", func(t *testing.T) *script {
			return newScriptAt(t, http.Header{wire.ProtocolHeader: {"9"}}, func(int, *websocket.Conn) {})
		}, func(err error) bool { return err != nil && strings.Contains(err.Error(), "protocol 9") }},
		{"unknown kind", func(t *testing.T) *script {
			return newScriptAt(t, speaks2, func(n int, conn *websocket.Conn) {
				send(conn, rawSnap(5), `{"seq":6,"type":"ticket.teleported","ticket":{"number":"A001"}}`)
				hold(conn)
			})
		}, func(err error) bool { return errors.Is(err, wire.ErrUnknownKind) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := c.sc(t)
			var m Mirror
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			err := New(sc.url, WithLogger(quiet)).Subscribe(ctx, m.Apply, fast(0))
			if !c.ok(err) || ctx.Err() != nil {
				t.Fatalf("Subscribe = %v", err)
			}
			if q := sc.conns(); len(q) != 1 {
				t.Fatalf("%d connections: it tried again", len(q))
			}
			if m.Seq() > 5 {
				t.Fatalf("the mirror took what it cannot read: seq %d", m.Seq())
			}
		})
	}
}
