// Package postgres keeps the city's centre's copy of every hall's journal
// in PostgreSQL (github.com/jackc/pgx/v5), for a city that wants the
// figures in a shared relational database next to its other registers;
// one machine needs only the default bbolt store (central.Bolt). It
// applies the same rules (central.Ingest), one transaction per batch.
//
// Tables (schema version 1; every name starts with langelis_):
//
//	langelis_meta      key → value (schema_version)
//	langelis_ledgers   hall → record (jsonb central.LedgerRecord)
//	langelis_events    (hall, seq) → day, type, at, number, service, status,
//	                   desk, and data: the event's JSON as the hall sent it
//	                   (bytea: its digest must not change)
//	langelis_users     username → data (jsonb queue.User)
//	langelis_sessions  token_hash → data (jsonb queue.Session), expires_at
//
// The typed columns of langelis_events are there for the city's own SQL:
// e.g. each hall's tickets issued a day is
//
//	SELECT hall, day, count(*) FROM langelis_events
//	 WHERE type = 'ticket.issued' GROUP BY hall, day;
package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"langelis/central"
	"langelis/city"
	"langelis/queue"
)

// SchemaVersion is the layout this build writes.
const SchemaVersion = 1

// migrations bring the database from version i to i+1. Append only.
var migrations = []string{
	// 0 → 1
	`CREATE TABLE langelis_ledgers (hall text PRIMARY KEY, record jsonb NOT NULL);
	 CREATE TABLE langelis_events (
	   hall text NOT NULL, seq bigint NOT NULL, day date NOT NULL, type text NOT NULL,
	   at timestamptz NOT NULL, number text, service text, status text, desk int,
	   data bytea NOT NULL, PRIMARY KEY (hall, seq));
	 CREATE INDEX langelis_events_day ON langelis_events (hall, day);
	 CREATE TABLE langelis_users (username text PRIMARY KEY, data jsonb NOT NULL);
	 CREATE TABLE langelis_sessions (token_hash text PRIMARY KEY, data jsonb NOT NULL, expires_at timestamptz NOT NULL);`,
}

// Store is the centre's store in PostgreSQL.
type Store struct {
	pool     *pgxpool.Pool
	counters central.Counters
}

var _ central.Store = (*Store)(nil)

// timeout bounds each call: a database that hangs must not hang the feed.
const timeout = 30 * time.Second

func ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), timeout)
}

// Open connects to the database at dsn (postgres://user:pw@host/db) and
// brings its tables to this build's schema.
func Open(dsn string) (*Store, error) {
	c, cancel := ctx()
	defer cancel()
	pool, err := pgxpool.New(c, dsn)
	if err != nil {
		return nil, fmt.Errorf("central: PostgreSQL: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(c); err != nil {
		pool.Close()
		return nil, fmt.Errorf("central: PostgreSQL: %w", err)
	}
	return s, nil
}

func (s *Store) migrate(c context.Context) error {
	return pgx.BeginFunc(c, s.pool, func(tx pgx.Tx) error {
		// One centre migrates at a time.
		if _, err := tx.Exec(c, `SELECT pg_advisory_xact_lock(7413921)`); err != nil {
			return err
		}
		if _, err := tx.Exec(c, `CREATE TABLE IF NOT EXISTS langelis_meta (key text PRIMARY KEY, value text NOT NULL)`); err != nil {
			return err
		}
		var v int
		err := tx.QueryRow(c, `SELECT value::int FROM langelis_meta WHERE key = 'schema_version'`).Scan(&v)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if v > SchemaVersion {
			return fmt.Errorf("the database has schema version %d, newer than this program's %d; run a newer langelis", v, SchemaVersion)
		}
		for ; v < SchemaVersion; v++ {
			if _, err := tx.Exec(c, migrations[v]); err != nil {
				return fmt.Errorf("migration %d→%d: %w", v, v+1, err)
			}
		}
		_, err = tx.Exec(c, `INSERT INTO langelis_meta VALUES ('schema_version', $1)
			ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, fmt.Sprint(SchemaVersion))
		return err
	})
}

// Close closes the connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Stats returns the verdict counts since open.
func (s *Store) Stats() central.IngestStats { return s.counters.Stats() }

// Ingest applies msgs in one transaction (central.Ingest).
func (s *Store) Ingest(msgs []city.Message) ([]city.Position, []city.Verdict, error) {
	c, cancel := ctx()
	defer cancel()
	var ps []city.Position
	var vs []city.Verdict
	var st central.IngestStats
	err := pgx.BeginFunc(c, s.pool, func(tx pgx.Tx) error {
		t := &pgTx{c: c, tx: tx}
		var err error
		if ps, vs, st, err = central.Ingest(t, msgs); err != nil {
			return err
		}
		return t.flush()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("central: ingest: %w", err)
	}
	s.counters.Add(st)
	return ps, vs, nil
}

// pgTx is one transaction as central.Ingest needs it. Events taken are
// kept and written together (COPY) before anything reads them back and
// before the commit.
type pgTx struct {
	c       context.Context
	tx      pgx.Tx
	pending [][]any
}

var eventColumns = []string{"hall", "seq", "day", "type", "at", "number", "service", "status", "desk", "data"}

func (t *pgTx) flush() error {
	if len(t.pending) == 0 {
		return nil
	}
	_, err := t.tx.CopyFrom(t.c, pgx.Identifier{"langelis_events"}, eventColumns, pgx.CopyFromRows(t.pending))
	t.pending = t.pending[:0]
	return err
}

func (t *pgTx) Ledger(hall string) (*central.LedgerRecord, error) {
	if _, err := t.tx.Exec(t.c, `INSERT INTO langelis_ledgers VALUES ($1, '{}') ON CONFLICT DO NOTHING`, hall); err != nil {
		return nil, err
	}
	var data []byte
	if err := t.tx.QueryRow(t.c, `SELECT record FROM langelis_ledgers WHERE hall = $1 FOR UPDATE`, hall).Scan(&data); err != nil {
		return nil, err
	}
	rec := &central.LedgerRecord{}
	if err := json.Unmarshal(data, rec); err != nil {
		return nil, fmt.Errorf("the ledger of hall %s does not read: %w", hall, err)
	}
	return rec, nil
}

func (t *pgTx) PutLedger(hall string, rec *central.LedgerRecord) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(t.c, `UPDATE langelis_ledgers SET record = $2 WHERE hall = $1`, hall, data)
	return err
}

func (t *pgTx) PutEvent(hall string, seq uint64, day string, data []byte) error {
	var ev city.Event
	if err := json.Unmarshal(data, &ev); err != nil {
		return fmt.Errorf("hall %s event %d: %w", hall, seq, err)
	}
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return fmt.Errorf("hall %s event %d: day %q: %w", hall, seq, day, err)
	}
	var number, service, status *string
	var desk *int
	if tk := ev.Ticket; tk != nil {
		st := string(tk.Status)
		number, service, status = &tk.Number, &tk.Service, &st
		if tk.Desk != 0 {
			desk = &tk.Desk
		}
	}
	if ev.Desk != nil && desk == nil {
		desk = &ev.Desk.Number
	}
	t.pending = append(t.pending, []any{hall, int64(seq), d, string(ev.Type), ev.At, number, service, status, desk, data})
	return nil
}

func (t *pgTx) DropFrom(hall string, seq uint64) (uint64, error) {
	if err := t.flush(); err != nil {
		return 0, err
	}
	tag, err := t.tx.Exec(t.c, `DELETE FROM langelis_events WHERE hall = $1 AND seq >= $2`, hall, int64(seq))
	return uint64(tag.RowsAffected()), err
}

func (t *pgTx) EventAt(hall string, seq uint64) ([]byte, error) {
	if err := t.flush(); err != nil {
		return nil, err
	}
	var data []byte
	err := t.tx.QueryRow(t.c, `SELECT data FROM langelis_events WHERE hall = $1 AND seq = $2`, hall, int64(seq)).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return data, err
}

// Positions returns every hall's position.
func (s *Store) Positions() ([]city.Position, error) {
	halls, err := s.ledgers()
	if err != nil {
		return nil, err
	}
	var out []city.Position
	for _, h := range halls {
		out = append(out, city.Position{Hall: h.hall, Epoch: h.rec.Current(), Seq: h.rec.Last, Digest: h.rec.Digest})
	}
	return out, nil
}

type ledgerRow struct {
	hall string
	rec  central.LedgerRecord
}

func (s *Store) ledgers() ([]ledgerRow, error) {
	c, cancel := ctx()
	defer cancel()
	rows, err := s.pool.Query(c, `SELECT hall, record FROM langelis_ledgers ORDER BY hall`)
	if err != nil {
		return nil, err
	}
	var out []ledgerRow
	for rows.Next() {
		var r ledgerRow
		var data []byte
		if err := rows.Scan(&r.hall, &data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(data, &r.rec); err != nil {
			return nil, fmt.Errorf("the ledger of hall %s does not read: %w", r.hall, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Halls returns every hall the centre holds events of, by id.
func (s *Store) Halls() ([]central.HallRecord, error) {
	ls, err := s.ledgers()
	if err != nil {
		return nil, err
	}
	c, cancel := ctx()
	defer cancel()
	var out []central.HallRecord
	for _, l := range ls {
		h := central.HallRecord{ID: l.hall, Ledger: l.rec.Ledger, Updated: l.rec.Updated, RetentionDays: l.rec.RetentionDays}
		rows, err := s.pool.Query(c, `SELECT DISTINCT day FROM langelis_events WHERE hall = $1 ORDER BY day`, l.hall)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var d time.Time
			if err := rows.Scan(&d); err != nil {
				return nil, err
			}
			h.Days = append(h.Days, d.Format(time.DateOnly))
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// Events returns up to limit raw events of hall with seq > after.
func (s *Store) Events(hall string, after uint64, limit int) ([]central.RawEvent, error) {
	c, cancel := ctx()
	defer cancel()
	rows, err := s.pool.Query(c, `SELECT seq, data FROM langelis_events WHERE hall = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
		hall, int64(after), limit)
	if err != nil {
		return nil, err
	}
	var out []central.RawEvent
	for rows.Next() {
		var seq int64
		var data []byte
		if err := rows.Scan(&seq, &data); err != nil {
			return nil, err
		}
		out = append(out, central.RawEvent{Seq: uint64(seq), Data: data})
	}
	return out, rows.Err()
}

// DayEvents returns hall's events of one day, decoded, oldest first.
func (s *Store) DayEvents(hall, day string) ([]city.Event, error) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return nil, err
	}
	c, cancel := ctx()
	defer cancel()
	rows, err := s.pool.Query(c, `SELECT data FROM langelis_events WHERE hall = $1 AND day = $2 ORDER BY seq`, hall, d)
	if err != nil {
		return nil, err
	}
	var out []city.Event
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var ev city.Event
		if err := json.Unmarshal(data, &ev); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// SetRetention records a hall's retention, which the purge follows.
func (s *Store) SetRetention(hall string, days int) error {
	c, cancel := ctx()
	defer cancel()
	_, err := s.pool.Exec(c, `UPDATE langelis_ledgers SET record = jsonb_set(record, '{retention_days}', to_jsonb($2::int)) WHERE hall = $1`,
		hall, days)
	return err
}

// Purge deletes hall's days before keepFrom and returns how many went.
func (s *Store) Purge(hall, keepFrom string) (int, error) {
	d, err := time.Parse(time.DateOnly, keepFrom)
	if err != nil {
		return 0, err
	}
	c, cancel := ctx()
	defer cancel()
	var n int
	err = pgx.BeginFunc(c, s.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(c, `SELECT count(DISTINCT day) FROM langelis_events WHERE hall = $1 AND day < $2`, hall, d).Scan(&n); err != nil {
			return err
		}
		_, err := tx.Exec(c, `DELETE FROM langelis_events WHERE hall = $1 AND day < $2`, hall, d)
		return err
	})
	return n, err
}

// PutUser adds or replaces a staff account.
func (s *Store) PutUser(u queue.User) error {
	data, err := json.Marshal(u)
	if err != nil {
		return err
	}
	c, cancel := ctx()
	defer cancel()
	_, err = s.pool.Exec(c, `INSERT INTO langelis_users VALUES ($1, $2) ON CONFLICT (username) DO UPDATE SET data = EXCLUDED.data`,
		u.Username, data)
	return err
}

// User returns one staff account, or central.ErrNotFound.
func (s *Store) User(name string) (queue.User, error) {
	var u queue.User
	c, cancel := ctx()
	defer cancel()
	var data []byte
	err := s.pool.QueryRow(c, `SELECT data FROM langelis_users WHERE username = $1`, name).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return u, central.ErrNotFound
	}
	if err != nil {
		return u, err
	}
	return u, json.Unmarshal(data, &u)
}

// Users lists the staff accounts.
func (s *Store) Users() ([]queue.User, error) {
	c, cancel := ctx()
	defer cancel()
	rows, err := s.pool.Query(c, `SELECT data FROM langelis_users ORDER BY username`)
	if err != nil {
		return nil, err
	}
	var out []queue.User
	for rows.Next() {
		var data []byte
		var u queue.User
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(data, &u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// PutSession keeps a sign-in by the hash of its token.
func (s *Store) PutSession(token string, ss queue.Session) error {
	data, err := json.Marshal(ss)
	if err != nil {
		return err
	}
	c, cancel := ctx()
	defer cancel()
	_, err = s.pool.Exec(c, `INSERT INTO langelis_sessions VALUES ($1, $2, $3) ON CONFLICT (token_hash) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at`,
		tokenHash(token), data, ss.ExpiresAt)
	return err
}

// Session returns the sign-in of token, or central.ErrNotFound (also when
// expired at now).
func (s *Store) Session(token string, now time.Time) (queue.Session, error) {
	var ss queue.Session
	c, cancel := ctx()
	defer cancel()
	var data []byte
	err := s.pool.QueryRow(c, `SELECT data FROM langelis_sessions WHERE token_hash = $1`, tokenHash(token)).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return ss, central.ErrNotFound
	}
	if err != nil {
		return ss, err
	}
	if err := json.Unmarshal(data, &ss); err != nil {
		return ss, err
	}
	if !now.Before(ss.ExpiresAt) {
		return ss, central.ErrNotFound
	}
	return ss, nil
}

// DeleteSession ends a sign-in.
func (s *Store) DeleteSession(token string) error {
	c, cancel := ctx()
	defer cancel()
	_, err := s.pool.Exec(c, `DELETE FROM langelis_sessions WHERE token_hash = $1`, tokenHash(token))
	return err
}

// ExpireSessions deletes the sign-ins expired at now.
func (s *Store) ExpireSessions(now time.Time) error {
	c, cancel := ctx()
	defer cancel()
	_, err := s.pool.Exec(c, `DELETE FROM langelis_sessions WHERE expires_at <= $1`, now)
	return err
}
