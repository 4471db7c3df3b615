package webhook_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"langelis/app"
	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/webhook"
	"langelis/wire"
)

// receiver is a case system's endpoint: it verifies each delivery's
// signature, fails while told to, and keeps what it accepted.
type receiver struct {
	t      *testing.T
	secret string

	mu       sync.Mutex
	failing  bool
	attempts int // every request
	failed   int // answered 500
	badSig   int
	accepted []webhook.Envelope // in the order accepted, resends included
	bodies   []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts++
	if err := webhook.Verify(r.secret, req.Header.Get(webhook.HeaderSignature), req.Header.Get(webhook.HeaderTimestamp), body,
		time.Now(), 5*time.Minute); err != nil {
		r.badSig++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if r.failing {
		r.failed++
		http.Error(w, "the case system is down", http.StatusInternalServerError)
		return
	}
	var env webhook.Envelope
	if err := json.Unmarshal(body, &env); err != nil || req.Header.Get(webhook.HeaderID) != env.ID {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	r.accepted = append(r.accepted, env)
	r.bodies = append(r.bodies, string(body))
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) fail(on bool) {
	r.mu.Lock()
	r.failing = on
	r.mu.Unlock()
}

func (r *receiver) counts() (attempts, failed, accepted int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts, r.failed, len(r.accepted)
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 20 s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A case system that fails for a while, and a hall restarted in the
// middle, still gets every chosen event exactly once after dropping
// resends by id, in journal order, each signed; the hall never sends a
// ticket's token or priority group; the admin sees the failures.
func TestDeliveryThroughFailuresAndARestart(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Configure: func(c *app.Config) {
		c.Webhooks.MinBackoff, c.Webhooks.MaxBackoff = 5*time.Millisecond, 40*time.Millisecond
	}})
	s.AddUser("boss", queue.RoleAdmin)
	s.AddUser("clerk1", queue.RoleClerk)
	boss := s.Login("boss")
	rcv := &receiver{t: t, failing: true}
	hs := httptest.NewServer(rcv)
	defer hs.Close()

	var added wire.AddWebhookAnswer
	if code := s.JSON("POST", "/api/v1/admin/webhooks", boss, wire.AddWebhookRequest{URL: hs.URL + "/in?token=abc",
		Kinds: []string{"finished", "issued", "called"}}, &added); code != http.StatusCreated {
		t.Fatalf("add: %d", code)
	}
	rcv.mu.Lock()
	rcv.secret = added.Secret
	rcv.mu.Unlock()
	if len(added.Secret) < 32 || added.Webhook.SecretHint != "…"+added.Secret[len(added.Secret)-4:] {
		t.Fatalf("secret %q hint %q", added.Secret, added.Webhook.SecretHint)
	}
	if strings.Join(added.Webhook.Kinds, ",") != "issued,called,finished" {
		t.Fatalf("kinds %v", added.Webhook.Kinds)
	}

	var tokens []string
	issue := func(svc string) {
		var tk wire.Ticket
		if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": svc, "priority": "elderly"}, &tk); code != 201 {
			t.Fatalf("issue: %d", code)
		}
		tokens = append(tokens, tk.ID)
	}
	clerk := s.Login("clerk1")
	desk := func(action string) {
		if code := s.JSON("POST", "/api/v1/desks/1/"+action, clerk, nil, nil); code != 200 {
			t.Fatalf("desk %s: %d", action, code)
		}
	}
	issue("A")
	issue("A")
	desk("open")
	desk("next")

	// Failing: the admin sees the attempts and the error, and the backlog.
	waitFor(t, "failed attempts", func() bool { _, f, _ := rcv.counts(); return f >= 3 })
	var list []wire.Webhook
	s.JSON("GET", "/api/v1/admin/webhooks", boss, nil, &list)
	if len(list) != 1 || list[0].Attempts < 1 || !strings.Contains(list[0].LastError, "500") || list[0].Backlog == 0 || list[0].Sent != 0 {
		t.Fatalf("status while failing: %+v", list)
	}

	// It accepts for a while, then fails again: the hall is restarted
	// while a delivery is being retried.
	rcv.fail(false)
	waitFor(t, "3 accepted", func() bool { _, _, a := rcv.counts(); return a >= 3 })
	rcv.fail(true)
	_, before, _ := rcv.counts()
	desk("start")
	desk("finish")
	waitFor(t, "a failure after the switch", func() bool { _, f, _ := rcv.counts(); return f > before })
	s.Restart()
	clerk = s.Login("clerk1")
	issue("B")
	desk("next")
	desk("start")
	desk("finish")
	rcv.fail(false)

	// What the case system must end with: the journal's chosen events
	// after the hook was added, in order.
	evs, err := s.Store.Events(0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	es, _ := s.Store.Epochs()
	var want []string
	for _, ev := range evs {
		if webhook.KindOf(ev.Type) != "" {
			want = append(want, fmt.Sprintf("hall/%s/%d %s %s", es[len(es)-1].ID, ev.Seq, webhook.KindOf(ev.Type), ev.Ticket.Number))
		}
	}
	if len(want) != 7 { // 3 issued, 2 called, 2 finished
		t.Fatalf("the journal holds %d chosen events, want 7: %v", len(want), want)
	}
	waitFor(t, "every event", func() bool {
		rcv.mu.Lock()
		defer rcv.mu.Unlock()
		seen := map[string]bool{}
		for _, e := range rcv.accepted {
			seen[e.ID] = true
		}
		return len(seen) >= len(want)
	})
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	var got []string
	seen := map[string]bool{}
	dups := 0
	for _, e := range rcv.accepted {
		if seen[e.ID] {
			dups++
			continue
		}
		seen[e.ID] = true
		got = append(got, fmt.Sprintf("%s %s %s", e.ID, e.Kind, e.Ticket.Number))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the case system got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A graceful restart wrote the cursor: nothing accepted was sent again.
	if dups != 0 {
		t.Errorf("%d accepted deliveries were sent again after the restart", dups)
	}
	if rcv.badSig != 0 {
		t.Errorf("%d deliveries failed their signature", rcv.badSig)
	}
	for _, b := range rcv.bodies {
		for _, tok := range tokens {
			if strings.Contains(b, tok) {
				t.Fatalf("a delivery carries a ticket's token: %s", b)
			}
		}
		if strings.Contains(b, "elderly") || strings.Contains(b, "priority") || strings.Contains(b, "clerk1") {
			t.Fatalf("a delivery carries a priority group or a clerk: %s", b)
		}
	}
}
