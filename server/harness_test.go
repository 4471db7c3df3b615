package server_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"langelis/app"
	"langelis/i18n"
	"langelis/internal/e2e"
	"langelis/password"
	"langelis/queue"
	"langelis/server"
	"langelis/wire"
)

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

// ts is the real stack (package app: a bbolt file, the engine, the server
// on a loopback port, the time-driven work) with the office clock at 10:00
// on the office's next open day, as e2e.Start opens it, plus three clerks.
type ts struct {
	*e2e.Server
	t   testing.TB
	Eng *queue.Engine
}

func newTS(t testing.TB) *ts { t.Helper(); return newTSWith(t, nil) }

// newTSWith is newTS with the server's configuration changed by set.
func newTSWith(t testing.TB, set func(*server.Config)) *ts {
	t.Helper()
	return newTSApp(t, func(c *app.Config) {
		if set != nil {
			set(&c.Server)
		}
	})
}

// newTSApp is newTS with the app's configuration (office, logger, server)
// changed by set.
func newTSApp(t testing.TB, set func(*app.Config)) *ts {
	t.Helper()
	es := e2e.Start(t, e2e.Options{Office: testOffice(), Configure: set})
	s := &ts{Server: es, t: t, Eng: es.Engine}
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

// logBuffer is a log a test reads while the server writes it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the log's lines that contain s.
func (b *logBuffer) lines(s string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, l := range strings.Split(b.buf.String(), "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return out
}

// logTo sends the app's warnings to b.
func logTo(b *logBuffer) func(*app.Config) {
	return func(c *app.Config) {
		c.Logger = slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
}

// english is err's message as the server writes it in English.
func english(err error) string {
	var qe *queue.Error
	if !errors.As(err, &qe) {
		return ""
	}
	return i18n.T("en", qe.Key, qe.Args...)
}
