package city

import "slices"

// Ledger is what the centre knows of one hall's journal: the history it
// follows and the seq up to which it holds that journal without a gap.
// Decide applies the rules that make the centre's copy converge to the
// hall's journal whatever arrives twice, late, or from a history the hall
// has left.
type Ledger struct {
	Epochs []Epoch `json:"epochs"`
	Last   uint64  `json:"last"`
	// Missed are seqs the hall purged (retention) before they reached
	// the centre: a link down for longer than the hall keeps its days.
	Missed []Span `json:"missed,omitempty"`
}

// Span is a range of seqs, both ends included.
type Span struct {
	From uint64 `json:"from"`
	To   uint64 `json:"to"`
}

// Verdict says what the centre does with a message.
type Verdict int

// The verdicts.
const (
	Take  Verdict = iota // the next event of the hall's journal: store it
	Have                 // already held: drop it (a resend or a redelivery)
	Early                // an event after one not yet held: drop it; the hall resends in order
	Stale                // from a history the hall has since left: drop it
)

func (v Verdict) String() string {
	return [...]string{"take", "have", "early", "stale"}[v]
}

// Decide applies m to the ledger. It returns the verdict and, when the
// hall's history changed under what the centre holds (a journal restored
// from a copy), the seq from which the centre's copy must be dropped
// (0: nothing to drop). The caller stores the ledger with the outcome.
func (l *Ledger) Decide(m Message) (v Verdict, dropFrom uint64) {
	if !sameEpochs(l.Epochs, m.Epochs) {
		fork := ForkPoint(l.Epochs, m.Epochs)
		switch {
		case len(l.Epochs) == 0 || Newer(m.Epochs, l.Epochs):
			if l.Last >= fork {
				dropFrom, l.Last = fork, fork-1
				l.Missed = trimSpans(l.Missed, fork)
			}
			l.Epochs = slices.Clone(m.Epochs)
		case m.Seq >= fork:
			return Stale, 0
		}
	}
	s := m.Seq
	switch {
	case s <= l.Last:
		return Have, dropFrom
	case m.After <= l.Last:
		if l.Last+1 < s {
			l.Missed = append(l.Missed, Span{l.Last + 1, s - 1})
		}
		l.Last = s
		return Take, dropFrom
	}
	return Early, dropFrom
}

// Current is the epoch the ledger follows now.
func (l *Ledger) Current() string {
	if len(l.Epochs) == 0 {
		return ""
	}
	return l.Epochs[len(l.Epochs)-1].ID
}

func sameEpochs(a, b []Epoch) bool { return slices.Equal(a, b) }

// Newer reports whether history a is newer than b: its latest epoch began
// later (epoch ids are time-ordered, store.Epoch).
func Newer(a, b []Epoch) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(b) == 0 && len(a) > 0
	}
	return a[len(a)-1].ID > b[len(b)-1].ID
}

// ForkPoint is the first seq at which histories a and b may differ: the
// smallest base among the epochs from their first difference on (a hall
// that forks over its whole journal starts an epoch at base 1, so bases
// need not grow). Identical histories never differ.
func ForkPoint(a, b []Epoch) uint64 {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	f := ^uint64(0)
	for _, e := range a[i:] {
		f = min(f, e.Base)
	}
	for _, e := range b[i:] {
		f = min(f, e.Base)
	}
	return f
}

// trimSpans keeps the parts of spans before seq from.
func trimSpans(spans []Span, from uint64) []Span {
	var out []Span
	for _, s := range spans {
		if s.From >= from {
			continue
		}
		s.To = min(s.To, from-1)
		out = append(out, s)
	}
	return out
}

// Ack is what a hall makes of the centre's Position.
type Ack struct {
	// Valid says the position is of the hall's own history: the centre
	// holds the hall's journal up to Seq, and the hall's cursor goes
	// there, back as well as forward (back: the centre dropped events, or
	// its store was put back from a copy; the hall resends from there).
	Valid bool
	Seq   uint64
	// Fork says the centre holds another history of the hall's journal
	// than the hall's own, which the hall's epochs cannot tell apart (its
	// journal went back by means it could not see, like a virtual
	// machine's snapshot): the hall starts a new epoch over its whole
	// journal and resends it all. The centre then drops what it held of
	// the hall and takes the journal again: rare, and certainly right.
	Fork bool
	// Behind says the centre still follows an older history of the
	// hall's journal (a restored copy's new epoch has not reached it):
	// the hall resends its last event, whose message carries its epochs,
	// even when it has nothing new to send.
	Behind bool
}

// Acknowledged reads the centre's position p against the hall's own
// epochs (oldest first) and last seq. digestAt returns the Digest of the
// hall's own event at a seq ("" when it is no longer in the journal).
func Acknowledged(own []Epoch, last uint64, p Position, digestAt func(uint64) (string, error)) (Ack, error) {
	if len(own) == 0 || p.Epoch == "" {
		return Ack{}, nil
	}
	i := slices.IndexFunc(own, func(e Epoch) bool { return e.ID == p.Epoch })
	cur := len(own) - 1
	switch {
	case i < 0:
		// A history this journal never had: newer than ours means the
		// centre took it from a journal we were before going back.
		if p.Epoch > own[cur].ID {
			return Ack{Fork: true}, nil
		}
		return Ack{Behind: true}, nil
	case i == cur && p.Seq > last:
		return Ack{Fork: true}, nil
	case i < cur && p.Seq >= own[i+1].Base:
		// The centre has not yet seen our newer epoch; it drops those.
		return Ack{Behind: true}, nil
	}
	if p.Digest != "" && p.Seq > 0 {
		d, err := digestAt(p.Seq)
		if err != nil {
			return Ack{}, err
		}
		if d != "" && d != p.Digest {
			return Ack{Fork: true}, nil
		}
	}
	return Ack{Valid: true, Seq: p.Seq, Behind: i < cur}, nil
}
