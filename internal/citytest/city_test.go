package citytest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"langelis/app"
	"langelis/central"
	"langelis/central/postgres"
	"langelis/citynats"
	"langelis/internal/e2e"
	"langelis/internal/pgtest"
	"langelis/password"
	"langelis/queue"
)

// long skips a test unless LANGELIS_LONG_TESTS is set (CI sets it).
func long(t *testing.T) {
	t.Helper()
	if os.Getenv("LANGELIS_LONG_TESTS") == "" {
		t.Skip("a long test of the city link: set LANGELIS_LONG_TESTS=1 (make test-city)")
	}
}

// startHall runs a hall in-process linked to url.
func startHall(t *testing.T, id, url string) *e2e.Server {
	return e2e.Start(t, e2e.Options{Configure: func(cfg *app.Config) {
		cfg.City = &citynats.LinkConfig{Hall: id, URL: "https://" + id + ".example", Conn: citynats.ConnConfig{URLs: url},
			StatusEvery: 200 * time.Millisecond}
	}})
}

// TestCityLink: a hall's events reach the centre as they are in its
// journal, without a token or a priority group; the centre shows the hall
// to residents with the way to its /take, and to signed-in staff only;
// the list of halls comes down the wire into the hall's store.
func TestCityLink(t *testing.T) {
	hub := StartHub(t)
	linkTest(t, hub, StartCentral(t, hub.URL))
}

// TestCityLinkOnPostgres: the same with the centre's copy in PostgreSQL
// (a real throwaway cluster).
func TestCityLinkOnPostgres(t *testing.T) {
	dsn := pgtest.Start(t)
	pg, err := postgres.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	hub := StartHub(t)
	linkTest(t, hub, StartCentral(t, hub.URL, pg))
}

func linkTest(t *testing.T, hub *Hub, c *central.Central) {
	hall := startHall(t, "zirmunai", hub.URL)
	ctx := context.Background()
	kiosk := queue.Actor{User: "kiosk:test"}
	var tokens []string
	for i, svc := range []string{"A", "A", "B"} {
		r := queue.IssueRequest{Service: svc, Lang: "lt", Channel: queue.ChannelKiosk}
		if i == 1 {
			r.Category = "pregnant"
		}
		tk, err := hall.Engine.Issue(ctx, r, kiosk)
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, tk.ID)
	}
	clerk := queue.Actor{User: "clerk1", Name: "Jonas Jonaitis"}
	if _, err := hall.Engine.OpenDesk(ctx, 1, clerk); err != nil {
		t.Fatal(err)
	}
	if _, err := hall.Engine.Next(ctx, 1, clerk); err != nil {
		t.Fatal(err)
	}
	last, _ := hall.Store.Committed()
	Converged(t, c, "zirmunai", last, 20*time.Second)
	held := Held(t, c, "zirmunai")
	SameJournal(t, "zirmunai", JournalOf(t, hall.Store), held)
	for seq, data := range held {
		for _, secret := range append(tokens, "pregnant", "Jonas", "clerk1", `"priority"`) {
			if bytes.Contains(data, []byte(secret)) {
				t.Fatalf("the centre holds %q in event %d: %s", secret, seq, data)
			}
		}
	}

	// Residents see the hall once its status came, with its /take. Wait
	// for the status after the call: A and B one waiting each. A status
	// sent after the first issue (A one, B none) or before the call (A
	// two) is not it; under load such a status comes late.
	var halls struct{ Halls []central.PublicHall }
	waitFor(t, func() bool {
		halls.Halls = nil
		return get(t, c.URL()+"/api/v1/halls", "", &halls) == 200 && len(halls.Halls) == 1 &&
			len(halls.Halls[0].Services) > 1 && halls.Halls[0].Services[0].Waiting == 1 && halls.Halls[0].Services[1].Waiting == 1
	})
	h := halls.Halls[0]
	if h.ID != "zirmunai" || h.TakeURL != "https://zirmunai.example/take" || !h.Live || len(h.Services) == 0 || h.Services[0].Waiting != 1 {
		t.Fatalf("/api/v1/halls: %+v", h)
	}

	// The city view is for signed-in staff.
	if code := get(t, c.URL()+"/api/v1/city", "", nil); code != http.StatusUnauthorized {
		t.Fatalf("/api/v1/city without signing in: %d", code)
	}
	hash, _ := password.Hash("secret-city-pw")
	c.Store.PutUser(queue.User{Username: "rasa", Name: "Rasa", Role: queue.RoleAdmin, PasswordHash: hash})
	token := signIn(t, c.URL(), "rasa", "secret-city-pw")
	var view struct{ Halls []central.CityHall }
	if code := get(t, c.URL()+"/api/v1/city", token, &view); code != 200 || len(view.Halls) != 1 {
		t.Fatalf("/api/v1/city: %d %+v", code, view)
	}
	v := view.Halls[0]
	if v.Link != "up" || v.Held != last || v.Today.Issued != 3 || v.Today.Called != 1 || v.DesksOpen != 1 || v.Waiting != 2 {
		t.Fatalf("the city view of the hall: %+v", v)
	}

	// Down the wire: the list of halls, kept in the hall's store.
	waitFor(t, func() bool {
		data, err := hall.Store.CityHalls()
		return err == nil && strings.Contains(string(data), `"id":"zirmunai"`)
	})
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for start := time.Now(); !ok(); time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 20*time.Second {
			t.Fatal("waited 20 s in vain")
		}
	}
}

func get(t *testing.T, url, token string, out any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == 200 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func signIn(t *testing.T, base, user, pw string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": user, "password": pw})
	resp, err := http.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&out) != nil {
		t.Fatalf("sign in: %s", resp.Status)
	}
	return out.Token
}

// A hall starts and serves with the city's NATS down, and the centre gets
// everything once NATS is there.
func TestCityHallStartsWithoutTheCentre(t *testing.T) {
	hub := StartHub(t)
	hub.Stop()
	hall := startHall(t, "naujamiestis", hub.URL)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if _, err := hall.Engine.Issue(ctx, queue.IssueRequest{Service: "A", Lang: "lt", Channel: queue.ChannelKiosk}, queue.Actor{User: "kiosk:k"}); err != nil {
			t.Fatalf("a hall without its link refused a ticket: %v", err)
		}
	}
	var snap struct{ Seq uint64 }
	if code := hall.JSON("GET", "/api/v1/queue", "", nil, &snap); code != 200 || snap.Seq == 0 {
		t.Fatalf("the hall's queue without its link: %d %+v", code, snap)
	}
	hub.Restart()
	c := StartCentral(t, hub.URL)
	last, _ := hall.Store.Committed()
	Converged(t, c, "naujamiestis", last, 30*time.Second)
	SameJournal(t, "naujamiestis", JournalOf(t, hall.Store), Held(t, c, "naujamiestis"))
}
