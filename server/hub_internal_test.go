package server

import (
	"io"
	"log/slog"
	"testing"

	"langelis/queue"
	"langelis/wire"
)

// An event of a type a client's protocol does not know reaches it as a
// noop with its seq, so its sequence has no gap and it misreads nothing;
// the clients that know the type get the event.
func TestHubSendsUnknownEventsAsNoop(t *testing.T) {
	h := NewHub(0, slog.New(slog.NewTextHandler(io.Discard, nil)), 0)
	defer h.Close()
	for _, c := range []struct {
		typ    queue.EventType
		client int
		want   string
	}{
		{queue.TicketIssued, 1, string(queue.TicketIssued)},
		{queue.TicketIssued, wire.Version, string(queue.TicketIssued)},
		{"ticket.teleported", wire.Version, wire.KindNoop}, // a type no version knows yet
		{queue.TicketCategory, 1, wire.KindNoop},           // hidden from the hall whatever the version
	} {
		e := h.encode(queue.Event{Seq: 7, Type: c.typ, Ticket: &queue.Ticket{Number: "A001", Status: queue.Waiting}})
		m, err := wire.Decode(e.msgFor(&wsClient{proto: c.client}).data)
		if err != nil || m.Type != c.want || m.Seq != 7 {
			t.Errorf("%s to protocol %d: %+v, %v; want %s", c.typ, c.client, m, err, c.want)
		}
	}
}
