package city

import (
	"fmt"
	"maps"
	"math/rand"
	"os"
	"slices"
	"testing"
)

// simHall is a hall's journal as the ledger's rules see it: events by
// seq, its epochs, the centre's acknowledgement, and its backups.
type simHall struct {
	epochs  []Epoch
	journal map[uint64]string
	last    uint64
	acked   uint64
	sent    uint64
	purged  uint64 // retention: seqs below it are gone, and stay gone after a restore
	backups []simBackup
}

type simBackup struct {
	epochs  []Epoch
	journal map[uint64]string
	last    uint64
	acked   uint64
}

type simCentral struct {
	ledger Ledger
	copy   map[uint64]string
}

// TestLedgerConverges runs a hall and the centre through random
// histories: events appended, messages lost, repeated and resent, the
// link reset, days purged, backups restored (older and newer ones, each
// noticed by the store's marker: a new epoch). At the end, with the link
// whole, the centre's copy must be the hall's journal exactly.
func TestLedgerConverges(t *testing.T) {
	for seed := int64(1); seed <= 2000; seed++ {
		if v := os.Getenv("TRACE"); v != "" && fmt.Sprint(seed) != v { // TRACE=SEED logs one run
			continue
		}
		rng := rand.New(rand.NewSource(seed))
		ids := 0
		newEpoch := func(base uint64) Epoch { ids++; return Epoch{ID: fmt.Sprintf("e%06d", ids), Base: base} }
		h := &simHall{epochs: []Epoch{newEpoch(1)}, journal: map[uint64]string{}}
		c := &simCentral{copy: map[uint64]string{}}
		var stream []Message
		var position func()
		deliver := func(lossy bool) {
			for len(stream) > 0 {
				m := stream[0]
				stream = stream[1:]
				if lossy && rng.Intn(8) == 0 {
					continue // JetStream lost it (not yet synced to disk)
				}
				if lossy && rng.Intn(8) == 0 {
					stream = append(stream, m) // redelivered later
				}
				v, drop := c.ledger.Decide(m)
				if os.Getenv("TRACE") != "" {
					t.Logf("central %d: %v drop %d last %d", m.Seq, v, drop, c.ledger.Last)
				}
				if drop > 0 {
					for s := range c.copy {
						if s >= drop {
							delete(c.copy, s)
						}
					}
				}
				if v == Take {
					c.copy[m.Seq] = string(m.Event)
				}
				position()
			}
		}
		position = func() {
			// The centre acknowledges what it holds.
			p := Position{Epoch: c.ledger.Current(), Seq: c.ledger.Last}
			if d, ok := c.copy[p.Seq]; ok {
				p.Digest = Digest([]byte(d))
			}
			ack, err := Acknowledged(h.epochs, h.last, p, func(s uint64) (string, error) {
				if d, ok := h.journal[s]; ok {
					return Digest([]byte(d)), nil
				}
				return "", nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if os.Getenv("TRACE") != "" {
				t.Logf("pos %+v -> %+v (acked %d)", p, ack, h.acked)
			}
			switch {
			case ack.Fork:
				h.epochs = append(slices.Clone(h.epochs), newEpoch(1))
				h.acked, h.sent = 0, 0
			case ack.Valid:
				if ack.Seq < h.acked {
					h.sent = ack.Seq // the centre went back: resend from there
				}
				h.acked = ack.Seq
				h.sent = max(h.sent, h.acked)
			}
			if ack.Behind && h.last > 0 {
				h.sent = min(h.sent, h.last-1)
			}
		}
		publish := func() {
			prev := h.sent
			for s := h.sent + 1; s <= h.last; s++ {
				d, ok := h.journal[s]
				if !ok {
					continue
				}
				after := s - 1
				if s != prev+1 {
					after = 0 // a purged prefix (see Message.After)
				}
				m := Message{Epochs: slices.Clone(h.epochs), After: after, Seq: s, Event: []byte(d)}
				if os.Getenv("TRACE") != "" {
					t.Logf("pub %d after %d epochs %v", s, after, h.epochs)
				}
				stream = append(stream, m)
				prev = s
			}
			h.sent = h.last
		}
		for step := 0; step < 60; step++ {
			switch r := rng.Intn(20); {
			case r < 8:
				for n := rng.Intn(5) + 1; n > 0; n-- {
					h.last++
					h.journal[h.last] = fmt.Sprintf("%s/%d/%d", EpochOf(h.epochs, h.last), h.last, rng.Int())
				}
			case r < 12:
				publish()
			case r < 15:
				deliver(true)
			case r == 15:
				h.sent = h.acked // reconnect: resend from the cursor
			case r == 16:
				h.backups = append(h.backups, simBackup{slices.Clone(h.epochs), maps.Clone(h.journal), h.last, h.acked})
			case r == 17 && len(h.backups) > 0:
				if os.Getenv("TRACE") != "" {
					t.Logf("restore: epochs %v last %d acked %d", h.epochs, h.last, h.acked)
				}
				b := h.backups[rng.Intn(len(h.backups))]
				h.epochs, h.journal, h.last, h.acked = slices.Clone(b.epochs), maps.Clone(b.journal), b.last, b.acked
				for s := range h.journal {
					if s < h.purged && s != h.last {
						delete(h.journal, s) // the purge at start
					}
				}
				// A copy put back: the store's marker tells, a new epoch.
				h.epochs = append(h.epochs, newEpoch(h.last+1))
				h.sent = h.acked
			case r == 18 && h.last > 2:
				cut := uint64(rng.Intn(int(h.last-1))) + 1
				h.purged = max(h.purged, cut)
				for s := range h.journal {
					if s < cut {
						delete(h.journal, s)
					}
				}
			}
		}
		if h.last == 0 {
			// A hall's journal is never empty for long: its day starts.
			h.last++
			h.journal[1] = EpochOf(h.epochs, 1) + "/1/day"
		}
		// The link comes back whole: resend from the cursor until the
		// centre has everything.
		for round := 0; round < 5; round++ {
			position() // the centre's heartbeat
			h.sent = min(h.sent, h.acked)
			publish()
			deliver(false)
			if c.ledger.Last == h.last && h.acked == h.last && c.ledger.Current() == h.epochs[len(h.epochs)-1].ID {
				break
			}
		}
		// Below the purge horizon (retention) the centre purges too; a
		// restored copy's very last event may come back there, kept so
		// the seqs never restart, and the centre need not have it.
		for s, d := range h.journal {
			if s >= h.purged && c.copy[s] != d {
				t.Fatalf("seed %d: seq %d: the centre has %q, the hall %q", seed, s, c.copy[s], d)
			}
		}
		first := h.last
		for s := range h.journal {
			first = min(first, s)
		}
		for s := range c.copy {
			if _, ok := h.journal[s]; !ok && s >= max(first, h.purged) {
				t.Fatalf("seed %d: the centre holds seq %d (%q) that the hall's journal does not", seed, s, c.copy[s])
			}
		}
		if c.ledger.Last != h.last || h.acked != h.last {
			t.Fatalf("seed %d: centre at %d, hall at %d acknowledged %d", seed, c.ledger.Last, h.last, h.acked)
		}
	}
}

// A journal put back unnoticed (a machine's snapshot with the marker
// beside it) keeps its epoch; the centre's position then names a seq past
// the hall's last, or an event that is not the hall's at that seq, and
// the hall forks over its whole journal, which the centre takes again.
func TestUnnoticedRollbackForks(t *testing.T) {
	own := []Epoch{{"e1", 1}}
	mine := func(s uint64) (string, error) { return Digest([]byte(fmt.Sprint("mine", s))), nil }
	for _, c := range []struct {
		p    Position
		want Ack
	}{
		{Position{Epoch: "e1", Seq: 40}, Ack{Fork: true}},                  // the centre has more than the hall
		{Position{Epoch: "e1", Seq: 20, Digest: "other"}, Ack{Fork: true}}, // another event at 20
		{Position{Epoch: "e1", Seq: 20, Digest: Digest([]byte("mine20"))}, Ack{Valid: true, Seq: 20}},
		{Position{Epoch: "e0", Seq: 20}, Ack{Behind: true}}, // an older history: resend the last
		{Position{Epoch: "e2", Seq: 20}, Ack{Fork: true}},   // a newer one the hall never had
	} {
		got, err := Acknowledged(own, 30, c.p, mine)
		if err != nil || got != c.want {
			t.Errorf("Acknowledged(%+v) = %+v %v, want %+v", c.p, got, err, c.want)
		}
	}
	// The fork: a new epoch at base 1 over the whole journal; the centre
	// drops what it held and takes the journal again.
	l := Ledger{Epochs: own, Last: 40}
	forked := append(own, Epoch{"e3", 1})
	v, drop := l.Decide(Message{Epochs: forked, After: 0, Seq: 1})
	if v != Take || drop != 1 || l.Last != 1 {
		t.Fatalf("the fork: %v, drop from %d, last %d", v, drop, l.Last)
	}
}

func TestForkPoint(t *testing.T) {
	e1, e2, e3 := Epoch{"e1", 1}, Epoch{"e2", 3001}, Epoch{"e3", 2501}
	for _, c := range []struct {
		a, b []Epoch
		want uint64
	}{
		{[]Epoch{e1}, []Epoch{e1}, ^uint64(0)},
		{[]Epoch{e1}, []Epoch{e1, e2}, 3001},
		{[]Epoch{e1, e2}, []Epoch{e1, e3}, 2501},
		{[]Epoch{e1, e3}, []Epoch{e1, e2}, 2501},
	} {
		if got := ForkPoint(c.a, c.b); got != c.want {
			t.Errorf("ForkPoint(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// After a restore, a message still in the stream from the history the
// hall left is dropped past the fork, and taken before it (where both
// histories are the same journal).
func TestLedgerDropsTheLeftHistory(t *testing.T) {
	old := []Epoch{{"e1", 1}}
	restored := []Epoch{{"e1", 1}, {"e2", 6}}
	l := Ledger{Epochs: old, Last: 3}
	if v, _ := l.Decide(Message{Epochs: restored, After: 3, Seq: 4}); v != Take {
		t.Fatalf("the restored history's 4: %v", v)
	}
	if v, _ := l.Decide(Message{Epochs: old, After: 4, Seq: 5}); v != Take {
		t.Fatalf("the old history's 5, before the fork: %v", v)
	}
	if v, _ := l.Decide(Message{Epochs: old, After: 5, Seq: 6}); v != Stale {
		t.Fatalf("the old history's 6, past the fork: %v", v)
	}
	if v, _ := l.Decide(Message{Epochs: restored, After: 5, Seq: 6}); v != Take || l.Last != 6 {
		t.Fatalf("the restored history's 6: %v, last %d", v, l.Last)
	}
}
