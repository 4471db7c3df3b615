package central

import (
	"encoding/json"
	"errors"
	"sync"
	"time"

	"langelis/city"
	"langelis/queue"
)

// Store is where the centre keeps what it holds: Bolt (the default, one
// file) or PostgreSQL (package central/postgres), for a city that wants
// the figures in a shared relational database. Both apply the same rules
// (Ingest) in one transaction per batch.
type Store interface {
	// Ingest stores what it takes of msgs durably and returns the
	// positions of the halls touched and the verdict on each message.
	Ingest(msgs []city.Message) ([]city.Position, []city.Verdict, error)
	Positions() ([]city.Position, error)
	Halls() ([]HallRecord, error)
	Events(hall string, after uint64, limit int) ([]RawEvent, error)
	DayEvents(hall, day string) ([]city.Event, error)
	SetRetention(hall string, days int) error
	Purge(hall, keepFrom string) (int, error)
	Stats() IngestStats

	PutUser(u queue.User) error
	User(name string) (queue.User, error)
	Users() ([]queue.User, error)
	PutSession(token string, ss queue.Session) error
	Session(token string, now time.Time) (queue.Session, error)
	DeleteSession(token string) error
	ExpireSessions(now time.Time) error

	Close() error
}

// ErrNotFound says a user or session is not there.
var ErrNotFound = errors.New("central: not found")

// LedgerRecord is what the centre keeps per hall beside its events.
type LedgerRecord struct {
	city.Ledger
	Digest        string    `json:"digest,omitempty"` // of the event at Last
	RetentionDays int       `json:"retention_days,omitempty"`
	Updated       time.Time `json:"updated"` // real time of the last event taken
}

// HallRecord is what the centre holds of one hall's journal.
type HallRecord struct {
	ID            string
	Ledger        city.Ledger
	Updated       time.Time // real time of the last event taken
	RetentionDays int
	Days          []string // the days held, oldest first
}

// RawEvent is one held event as the hall sent it.
type RawEvent struct {
	Seq  uint64
	Data []byte
}

// IngestStats count the verdicts on what the feed brought.
type IngestStats struct {
	Taken, Had, Early, Stale uint64 // city.Verdict
	Dropped                  uint64 // events dropped when a hall's history changed
}

// Counters add up IngestStats across batches.
type Counters struct {
	mu sync.Mutex
	s  IngestStats
}

// Add counts one batch.
func (c *Counters) Add(st IngestStats) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Taken += st.Taken
	c.s.Had += st.Had
	c.s.Early += st.Early
	c.s.Stale += st.Stale
	c.s.Dropped += st.Dropped
}

// Stats returns the sums.
func (c *Counters) Stats() IngestStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s
}

// IngestTx is one store transaction as Ingest needs it.
type IngestTx interface {
	Ledger(hall string) (*LedgerRecord, error) // a zero record for a new hall
	PutLedger(hall string, rec *LedgerRecord) error
	// PutEvent stores an event taken, noting the first seq of its day.
	PutEvent(hall string, seq uint64, day string, data []byte) error
	// DropFrom deletes hall's events from seq on, and the days starting
	// there; it returns how many events went.
	DropFrom(hall string, seq uint64) (uint64, error)
	EventAt(hall string, seq uint64) ([]byte, error) // nil when not held
}

// Ingest decides msgs (city.Ledger.Decide) inside tx: the one rule both
// stores follow. It returns the positions of the halls touched (Gap set
// where a message came early), the verdict on each message, and counts.
func Ingest(tx IngestTx, msgs []city.Message) ([]city.Position, []city.Verdict, IngestStats, error) {
	var st IngestStats
	verdicts := make([]city.Verdict, len(msgs))
	gap := map[string]bool{}
	recs := map[string]*LedgerRecord{}
	var order []string
	now := time.Now().UTC()
	for i, m := range msgs {
		rec, ok := recs[m.Hall]
		if !ok {
			var err error
			if rec, err = tx.Ledger(m.Hall); err != nil {
				return nil, nil, st, err
			}
			recs[m.Hall] = rec
			order = append(order, m.Hall)
		}
		v, drop := rec.Decide(m)
		verdicts[i] = v
		if drop > 0 {
			n, err := tx.DropFrom(m.Hall, drop)
			if err != nil {
				return nil, nil, st, err
			}
			st.Dropped += n
			rec.Digest = ""
			d, err := tx.EventAt(m.Hall, rec.Last)
			if err != nil {
				return nil, nil, st, err
			}
			if d != nil {
				rec.Digest = city.Digest(d)
			}
		}
		switch v {
		case city.Take:
			st.Taken++
			var day struct {
				Day string `json:"day"`
			}
			json.Unmarshal(m.Event, &day)
			if err := tx.PutEvent(m.Hall, m.Seq, day.Day, m.Event); err != nil {
				return nil, nil, st, err
			}
			rec.Digest, rec.Updated = city.Digest(m.Event), now
		case city.Have:
			st.Had++
		case city.Early:
			st.Early++
			gap[m.Hall] = true
		case city.Stale:
			st.Stale++
		}
	}
	var out []city.Position
	for _, hall := range order {
		rec := recs[hall]
		if err := tx.PutLedger(hall, rec); err != nil {
			return nil, nil, st, err
		}
		out = append(out, city.Position{Hall: hall, Epoch: rec.Current(), Seq: rec.Last, Digest: rec.Digest, Gap: gap[hall]})
	}
	return out, verdicts, st, nil
}
