package citynats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"langelis/city"
	"langelis/store"
)

// Staff who work in several halls: the centre keeps their accounts in the
// city's key-value bucket (city.StaffAccount under staff.USERNAME); each
// hall watches it and keeps those that name it among its own accounts,
// marking them as the centre's (store.CityStaff). A revoked or removed
// account is disabled at the hall, which ends its sign-ins there at once;
// a hall cut off learns of it when the link returns (the watch starts
// with every key's latest value). An account the hall made itself is
// never touched: a name the centre sends that the hall already has is
// left alone, and logged.

// staffLoop keeps the centre's staff accounts.
func (l *Link) staffLoop(ctx context.Context) {
	l.watchLoop(ctx, "staff accounts", city.KeyStaff+">", l.staffEntry)
}

// staffEntry reads one entry of the watch: a put carries the account, a
// delete or purge removes it (the zero account).
func (l *Link) staffEntry(e jetstream.KeyValueEntry) error {
	name := strings.TrimPrefix(e.Key(), city.KeyStaff)
	var a city.StaffAccount
	if e.Operation() == jetstream.KeyValuePut {
		if err := json.Unmarshal(e.Value(), &a); err != nil || a.User.Username != name {
			l.log.Warn("city link: a staff account from the centre does not read", "key", e.Key(), "err", err)
			return nil
		}
	}
	return l.applyStaff(name, a)
}

// applyStaff makes the hall's account name what a says: kept and enabled
// when it works here, disabled when revoked, removed or moved away.
func (l *Link) applyStaff(name string, a city.StaffAccount) error {
	managed, err := l.st.CityStaff()
	if err != nil {
		return err
	}
	ours := slices.Contains(managed, name)
	local, err := l.st.User(name)
	switch {
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	case err == nil && !ours:
		if a.In(l.cfg.Hall) {
			l.log.Warn("city link: the centre sends an account this hall already has as its own; the hall's is kept", "username", name)
		}
		return nil
	}
	works := a.In(l.cfg.Hall) && !a.User.Disabled && a.User.Username == name
	if !works {
		if ours && !local.Disabled {
			local.Disabled = true
			l.log.Info("city link: a staff account the centre revoked is disabled here", "username", name)
			return l.st.PutUser(local)
		}
		return nil
	}
	u := a.User
	if !local.CreatedAt.IsZero() {
		u.CreatedAt = local.CreatedAt
	}
	if err := l.st.PutUser(u); err != nil {
		return err
	}
	if !ours {
		return l.st.SaveCityStaff(append(managed, name))
	}
	return nil
}

// StaffConn is the centre's side of the staff accounts: a connection to
// the city's NATS, for `langelis central staff`.
type StaffConn struct {
	nc *nats.Conn
	kv jetstream.KeyValue
}

// OpenStaff connects to NATS and opens (creating) the city's bucket.
func OpenStaff(ctx context.Context, c ConnConfig) (*StaffConn, error) {
	nc, err := Dial(c, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: city.Bucket, History: 5})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("NATS JetStream at %s: %w", c.URLs, err)
	}
	return &StaffConn{nc: nc, kv: kv}, nil
}

// Close closes the connection.
func (s *StaffConn) Close() { s.nc.Close() }

// Put stores a staff account for the halls.
func (s *StaffConn) Put(ctx context.Context, a city.StaffAccount) error {
	if a.User.Username == "" || !validKey(a.User.Username) {
		return fmt.Errorf("staff account %q: a username of letters, digits, dot, dash or underscore", a.User.Username)
	}
	a.Updated = time.Now().UTC()
	data, err := json.Marshal(a)
	if err != nil {
		return err
	}
	_, err = s.kv.Put(ctx, city.KeyStaff+a.User.Username, data)
	return err
}

// Get returns one staff account.
func (s *StaffConn) Get(ctx context.Context, username string) (city.StaffAccount, error) {
	var a city.StaffAccount
	e, err := s.kv.Get(ctx, city.KeyStaff+username)
	if err != nil {
		return a, err
	}
	return a, json.Unmarshal(e.Value(), &a)
}

// List returns every staff account.
func (s *StaffConn) List(ctx context.Context) ([]city.StaffAccount, error) {
	keys, err := s.kv.ListKeys(ctx, jetstream.MetaOnly())
	if err != nil {
		return nil, err
	}
	var out []city.StaffAccount
	for k := range keys.Keys() {
		if !strings.HasPrefix(k, city.KeyStaff) {
			continue
		}
		a, err := s.Get(ctx, strings.TrimPrefix(k, city.KeyStaff))
		if err == nil {
			out = append(out, a)
		}
	}
	return out, nil
}

func validKey(name string) bool {
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
