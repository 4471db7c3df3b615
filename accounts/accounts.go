// Package accounts holds the rules for staff accounts: who may be added,
// how a password is reset (a one-time password the person must change at
// their first sign-in), disabling and enabling. The server's /admin/people
// and the `langelis user` command (with the server stopped) both go through
// it, so both refuse the same things with the same keyed messages, and both
// record each change in the store's change log without a password or a
// hash in it.
package accounts

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"langelis/password"
	"langelis/queue"
	"langelis/store"
)

// Actor names who made a change in the change log: a username, or "cli"
// for the local command run by whoever may read the data folder.
const ActorCLI = "cli"

// NewUser is an account to add. An empty Password gives the account a
// one-time password that must be changed at the first sign-in.
type NewUser struct {
	Username string
	Name     string
	Role     queue.Role
	Password string
}

// Service changes accounts in one store, on the office clock for the
// change log and real time for the accounts' own timestamps.
type Service struct {
	Store *store.Store
	Clock queue.Clock // the office clock: when a change is recorded
}

// ValidUsername reports whether s may name an account: 3 to 32 letters,
// digits, dots, dashes or underscores (it appears in logs and URLs).
func ValidUsername(s string) bool {
	if len(s) < 3 || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// MaxName is the longest display name, in characters.
const MaxName = 60

// checkPassword refuses a password bcrypt would refuse, with a keyed
// message.
func checkPassword(pw string) error {
	if utf8.RuneCountInString(pw) < password.MinLength {
		return queue.E(queue.EINVALID, "err.user.password_short", "n", password.MinLength)
	}
	if len(pw) > 72 {
		return queue.E(queue.EINVALID, "err.user.password_long")
	}
	return nil
}

// OneTimePassword returns a fresh random password of 12 characters from an
// alphabet without look-alikes (no 0/O, 1/l/I), easy to read aloud or copy
// from a screen.
func OneTimePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	var b strings.Builder
	for i := 0; i < 12; i++ {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic("accounts: no randomness: " + err.Error())
		}
		b.WriteByte(alphabet[n.Int64()])
	}
	return b.String()
}

// view is an account as the change log shows it: never a hash.
type view struct {
	Name     string     `json:"name"`
	Role     queue.Role `json:"role"`
	Disabled bool       `json:"disabled"`
}

func raw(v any) json.RawMessage {
	data, _ := json.Marshal(v)
	return data
}

// RecordChange appends c to the change log with old and new as JSON: for
// the server's other changes of the running hall.
func (a *Service) RecordChange(c queue.Change, old, new any) error {
	if old != nil {
		c.Old = raw(old)
	}
	if new != nil {
		c.New = raw(new)
	}
	_, err := a.Store.AppendChange(c)
	return err
}

// Record appends one account change to the change log: never a password or
// a hash in old or new.
func (a *Service) Record(actor, kind, username string, old, new any) error {
	return a.RecordChange(queue.Change{At: a.Clock.Now(), Actor: actor, Kind: kind, Subject: "user " + username,
		Effective: queue.EffectiveNow}, old, new)
}

func (a *Service) user(username string) (queue.User, error) {
	u, err := a.Store.User(username)
	if errors.Is(err, store.ErrNotFound) {
		return u, queue.E(queue.ENOTFOUND, "err.user.unknown", "username", queue.Clip(username))
	}
	return u, err
}

// Add creates an account. It answers the one-time password when nu gave
// none (shown once: only its hash is kept).
func (a *Service) Add(nu NewUser, actor string) (queue.User, string, error) {
	nu.Username = strings.TrimSpace(nu.Username)
	nu.Name = strings.TrimSpace(nu.Name)
	if !ValidUsername(nu.Username) {
		return queue.User{}, "", queue.E(queue.EINVALID, "err.user.username")
	}
	if nu.Role == "" {
		nu.Role = queue.RoleClerk
	}
	if !queue.ValidRole(nu.Role) {
		return queue.User{}, "", queue.E(queue.EINVALID, "err.user.role", "role", queue.Clip(string(nu.Role)))
	}
	if utf8.RuneCountInString(nu.Name) > MaxName {
		return queue.User{}, "", queue.E(queue.EINVALID, "err.user.name", "n", MaxName)
	}
	if nu.Name == "" {
		nu.Name = nu.Username
	}
	oneTime := ""
	if nu.Password == "" {
		oneTime = OneTimePassword()
		nu.Password = oneTime
	} else if err := checkPassword(nu.Password); err != nil {
		return queue.User{}, "", err
	}
	if _, err := a.Store.User(nu.Username); err == nil {
		return queue.User{}, "", queue.E(queue.ECONFLICT, "err.user.exists", "username", nu.Username)
	} else if !errors.Is(err, store.ErrNotFound) {
		return queue.User{}, "", err
	}
	h, err := password.Hash(nu.Password)
	if err != nil {
		return queue.User{}, "", err
	}
	u := queue.User{Username: nu.Username, Name: nu.Name, Role: nu.Role, PasswordHash: h,
		MustChangePassword: oneTime != "", CreatedAt: time.Now()}
	if err := a.Store.PutUser(u); err != nil {
		return queue.User{}, "", err
	}
	return u, oneTime, a.Record(actor, "user.added", u.Username, nil, view{u.Name, u.Role, false})
}

// SetDisabled disables or enables an account. Disabling ends every one of
// its sessions at once; the server then closes the desks they held.
func (a *Service) SetDisabled(username string, disabled bool, actor string) (queue.User, error) {
	u, err := a.user(username)
	if err != nil {
		return u, err
	}
	if u.Disabled == disabled {
		return u, nil // already so: nothing changes, nothing is recorded
	}
	old := view{u.Name, u.Role, u.Disabled}
	u.Disabled = disabled
	if err := a.Store.PutUser(u); err != nil {
		return u, err
	}
	kind := "user.enabled"
	if disabled {
		kind = "user.disabled"
		if _, err := a.Store.DeleteSessionsOf(username); err != nil {
			return u, err
		}
	}
	return u, a.Record(actor, kind, username, old, view{u.Name, u.Role, u.Disabled})
}

// ResetPassword gives an account a new password. With pw empty it is a
// one-time password, answered here once, that must be changed at the next
// sign-in; the account's sessions end either way.
func (a *Service) ResetPassword(username, pw, actor string) (string, error) {
	u, err := a.user(username)
	if err != nil {
		return "", err
	}
	oneTime := ""
	if pw == "" {
		oneTime = OneTimePassword()
		pw = oneTime
	} else if err := checkPassword(pw); err != nil {
		return "", err
	}
	if u.PasswordHash, err = password.Hash(pw); err != nil {
		return "", err
	}
	u.MustChangePassword = oneTime != ""
	if err := a.Store.PutUser(u); err != nil {
		return "", err
	}
	if _, err := a.Store.DeleteSessionsOf(username); err != nil {
		return "", err
	}
	return oneTime, a.Record(actor, "user.password_reset", username, nil, map[string]bool{"must_change": u.MustChangePassword})
}

// ChangeOwn changes a person's own password: the current one must be
// right, the new one acceptable and different. It ends the must-change
// state of a one-time password.
func (a *Service) ChangeOwn(username, current, next string) error {
	u, err := a.user(username)
	if err != nil {
		return err
	}
	if !password.Check(u.PasswordHash, current) {
		return queue.E(queue.EINVALID, "err.user.current_wrong")
	}
	if err := checkPassword(next); err != nil {
		return err
	}
	if next == current {
		return queue.E(queue.EINVALID, "err.user.password_same")
	}
	if u.PasswordHash, err = password.Hash(next); err != nil {
		return err
	}
	u.MustChangePassword = false
	if err := a.Store.PutUser(u); err != nil {
		return err
	}
	return a.Record(username, "user.password_changed", username, nil, nil)
}
