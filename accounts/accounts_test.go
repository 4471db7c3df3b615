package accounts_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"langelis/accounts"
	"langelis/password"
	"langelis/queue"
	"langelis/store"
)

func init() { password.Cost = bcrypt.MinCost }

func open(t *testing.T) (*accounts.Service, *store.Store) {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &accounts.Service{Store: s, Clock: queue.NewManualClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))}, s
}

func code(err error) string {
	var qe *queue.Error
	if errors.As(err, &qe) {
		return qe.Key
	}
	return ""
}

// The rules, and a change log that names who did what without a
// password or a hash.
func TestAccounts(t *testing.T) {
	a, s := open(t)
	u, oneTime, err := a.Add(accounts.NewUser{Username: "ona", Name: " Ona O ", Role: queue.RoleClerk}, "boss")
	if err != nil || oneTime == "" || !u.MustChangePassword || u.Name != "Ona O" {
		t.Fatalf("add with a one-time password: %+v %q %v", u, oneTime, err)
	}
	for _, bad := range []struct {
		nu   accounts.NewUser
		want string
	}{
		{accounts.NewUser{Username: "ona", Password: "long-enough"}, "err.user.exists"},
		{accounts.NewUser{Username: "o"}, "err.user.username"},
		{accounts.NewUser{Username: "ona ona"}, "err.user.username"},
		{accounts.NewUser{Username: "petras", Role: "boss"}, "err.user.role"},
		{accounts.NewUser{Username: "petras", Password: "short"}, "err.user.password_short"},
		{accounts.NewUser{Username: "petras", Name: strings.Repeat("n", 61)}, "err.user.name"},
	} {
		if _, _, err := a.Add(bad.nu, "boss"); code(err) != bad.want {
			t.Errorf("%+v: %v, want %s", bad.nu, err, bad.want)
		}
	}
	if err := a.ChangeOwn("ona", "wrong-password", "onas-own-pw"); code(err) != "err.user.current_wrong" {
		t.Fatalf("change with a wrong current password: %v", err)
	}
	if err := a.ChangeOwn("ona", oneTime, oneTime); code(err) != "err.user.password_same" {
		t.Fatalf("the same password again: %v", err)
	}
	if err := a.ChangeOwn("ona", oneTime, "onas-own-pw"); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.User("ona"); u.MustChangePassword || !password.Check(u.PasswordHash, "onas-own-pw") {
		t.Fatalf("after the change: %+v", u)
	}
	now := time.Now()
	if err := s.PutSession("tok", queue.Session{Username: "ona", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetDisabled("ona", true, "boss"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session("tok"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the disabled account's session: %v", err)
	}
	if _, err := a.SetDisabled("ona", true, "boss"); err != nil { // already so: nothing recorded
		t.Fatal(err)
	}
	if _, err := a.SetDisabled("nobody", true, "boss"); code(err) != "err.user.unknown" {
		t.Fatalf("disable an unknown account: %v", err)
	}
	again, err := a.ResetPassword("ona", "", "cli")
	if err != nil || again == "" || again == oneTime {
		t.Fatalf("reset: %q %v", again, err)
	}
	changes, err := s.Changes(store.ChangeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		got = append(got, c.Actor+" "+c.Kind+" "+c.Subject)
		for _, secret := range []string{oneTime, again, "onas-own-pw", "$2a$"} {
			if strings.Contains(string(c.Old)+string(c.New), secret) {
				t.Fatalf("a secret in the change log: %+v", c)
			}
		}
	}
	want := "boss user.added user ona|ona user.password_changed user ona|boss user.disabled user ona|cli user.password_reset user ona"
	if strings.Join(got, "|") != want {
		t.Fatalf("change log:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.ReplaceAll(want, "|", "\n"))
	}
}
