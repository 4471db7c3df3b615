package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"langelis/internal/e2e"
	"langelis/password"
	"langelis/queue"
	"langelis/server"
	"langelis/store"
	"langelis/wire"
)

func init() { password.Cost = bcrypt.MinCost }

var vilnius, _ = time.LoadLocation("Europe/Vilnius")

func testOffice() *queue.Office {
	o := &queue.Office{Name: "Testas", TimeZone: "Europe/Vilnius",
		Services: []queue.Service{
			{Letter: "A", Names: map[string]string{"lt": "Deklaravimas", "ru": "Декларирование"}, TargetMinutes: 10},
			{Letter: "B", Names: map[string]string{"lt": "Išmokos"}, TargetMinutes: 5},
		},
		Desks: []queue.DeskDef{{Number: 1, Services: []string{"A", "B"}}, {Number: 2, Services: []string{"A", "B"}}, {Number: 3, Services: []string{"B"}}},
	}
	for d := 0; d < 7; d++ {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 20 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		panic(err)
	}
	return o
}

// ts is a real server on a loopback port over a real bbolt file.
type ts struct {
	t     testing.TB
	URL   string
	Clock *queue.ManualClock
	Store *store.Store
	Eng   *queue.Engine
	Srv   *server.Server
}

func newTS(t testing.TB) *ts { t.Helper(); return newTSWith(t, nil) }

// newTSWith is newTS with the server's configuration changed by set.
func newTSWith(t testing.TB, set func(*server.Config)) *ts {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	clock := queue.NewManualClock(time.Date(2026, 11, 23, 10, 0, 0, 0, vilnius))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	eng, err := queue.NewEngine(testOffice(), st, queue.Options{Clock: clock, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.Config{Engine: eng, Store: st, Logger: log}
	if set != nil {
		set(&cfg)
	}
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	s := &ts{t: t, URL: "http://" + ln.Addr().String(), Clock: clock, Store: st, Eng: eng, Srv: srv}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		eng.Close()
		st.Close()
	})
	for i := 1; i <= 3; i++ {
		s.addUser("clerk"+string(rune('0'+i)), queue.RoleClerk)
	}
	return s
}

func (s *ts) addUser(name string, role queue.Role) {
	h, err := password.Hash("password-" + name)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.Store.PutUser(queue.User{Username: name, Name: "Name of " + name, Role: role, PasswordHash: h}); err != nil {
		s.t.Fatal(err)
	}
}

// login signs name in and returns the bearer token.
func (s *ts) login(name string) string {
	s.t.Helper()
	var r wire.Session
	if code := s.do("POST", "/api/v1/session", "", map[string]string{"username": name, "password": "password-" + name}, &r); code != 200 {
		s.t.Fatalf("login %s: %d", name, code)
	}
	return r.Token
}

// do sends a request and decodes the answer into out; it returns the status.
func (s *ts) do(method, path, token string, body any, out any) int {
	s.t.Helper()
	return e2e.Do(s.t, s.URL, method, path, token, body, out)
}

func (s *ts) issue(service string) wire.Ticket {
	s.t.Helper()
	var r wire.Ticket
	if code := s.do("POST", "/api/v1/tickets", "", map[string]string{"service": service}, &r); code != 201 {
		s.t.Fatalf("issue %s: %d", service, code)
	}
	return r
}

func timeIn(seconds int) time.Time { return time.Now().Add(time.Duration(seconds) * time.Second) }
