package client

import (
	"testing"

	"langelis/queue"
	"langelis/wire"
)

// A side-band cutoff message changes the mirror's cutoff and nothing else:
// not its sequence, and not a mirror that has no snapshot yet.
func TestMirrorCutoffMessage(t *testing.T) {
	msg, err := wire.Decode([]byte(`{"seq":7,"type":"cutoff","cutoff":{"closing":"2026-03-02T17:00:00Z","count":3,"last":"A003","waiting":5,"notice":true}}`))
	if err != nil || msg.Type != wire.KindCutoff || msg.Event != nil || msg.Cutoff == nil || msg.Cutoff.Count != 3 {
		t.Fatalf("decoded %+v, %v", msg, err)
	}
	var m Mirror
	mustApply(t, &m, msg) // before any snapshot: nothing to attach it to
	if m.Ready() {
		t.Fatal("a cutoff made the mirror ready")
	}
	mustApply(t, &m, snapMsg(10, []queue.Ticket{*ticket("id1", "A001", queue.Waiting, 0)}, nil))
	mustApply(t, &m, msg)
	if s := m.Snapshot(); m.Seq() != 10 || s.Cutoff == nil || s.Cutoff.Count != 3 || s.Cutoff.Last != "A003" || !s.Cutoff.Notice {
		t.Fatalf("after the cutoff: seq %d cutoff %+v", m.Seq(), s.Cutoff)
	}
}
