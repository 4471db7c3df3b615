package app_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"langelis/app"
	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/wire"
)

// The hourly purge runs while the hall takes tickets: the purged day's
// tokens and refusal reasons are gone from the bytes of the file and of a
// backup downloaded right after it, and every ticket acknowledged while
// the store compacted itself is there, before and after a restart.
func TestPurgeWhileServing(t *testing.T) {
	o := hallOffice()
	o.RetentionDays = 1
	s := e2e.Start(t, e2e.Options{Office: o, Configure: func(c *app.Config) {
		c.Store.MinFree, c.Store.LowFree = 1, 1
		c.Server.IssueRate = -1 // the test's one address stands for a whole hall's kiosks
	}})
	s.AddUser("rasa", queue.RoleAdmin)
	s.AddUser("jonas", queue.RoleClerk)
	clerk := s.Login("jonas")
	if code := s.JSON("POST", "/api/v1/desks/1/open", clerk, nil, nil); code != 200 {
		t.Fatalf("open desk: %d", code)
	}
	issue := func(priority string) (wire.Ticket, int) {
		var tk wire.Ticket
		code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "priority": priority}, &tk)
		return tk, code
	}

	// Day one: tickets with a disability priority, some refused with a
	// reason that names the visitor's situation.
	var gone []string
	for i := 0; i < 200; i++ {
		tk, code := issue("disability")
		if code != 201 {
			t.Fatalf("day one, ticket %d: %d", i, code)
		}
		gone = append(gone, tk.ID)
		if i%4 == 0 {
			s.JSON("POST", "/api/v1/desks/1/next", clerk, nil, nil)
			s.JSON("POST", "/api/v1/desks/1/start", clerk, nil, nil)
			reason := fmt.Sprintf("Neturi negalios pažymėjimo %s", tk.ID[:10])
			if code := s.JSON("POST", "/api/v1/desks/1/refuse", clerk, map[string]string{"reason": reason}, nil); code != 200 {
				t.Fatalf("refuse: %d", code)
			}
			gone = append(gone, reason)
		}
	}
	// Day two, kept: retention is one day.
	s.Clock.Set(s.At("10:00").AddDate(0, 0, 1))
	var kept []string
	for i := 0; i < 10; i++ {
		tk, _ := issue("")
		kept = append(kept, tk.ID)
	}
	if found := foundIn(t, s.Path, gone); len(found) != len(gone) {
		t.Fatalf("before the purge only %d of day one's %d secrets are in the file: the test proves nothing", len(found), len(gone))
	}

	// Day three: kiosks issue while the clock passes the hour and the
	// purge removes day one and compacts the file.
	var mu sync.Mutex
	acked := map[string]string{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for k := 0; k < 4; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var tk wire.Ticket
				if code := e2e.Do(t, s.URL, "POST", "/api/v1/tickets", "", map[string]string{"service": "A", "priority": "elderly"}, &tk); code == 201 {
					mu.Lock()
					acked[tk.ID] = tk.Number
					mu.Unlock()
				}
			}
		}()
	}
	s.Clock.Set(s.At("10:00").AddDate(0, 0, 2))
	close(stop)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no ticket was issued around the purge")
	}

	inFile := foundIn(t, s.Path, gone)
	backup := download(t, s.URL+"/api/v1/admin/backup", s.Login("rasa"))
	inBackup := foundInBytes(backup, gone)
	t.Logf("of day one's %d secrets, after the purge the file holds %d, a backup %d", len(gone), len(inFile), len(inBackup))
	if len(inFile) > 0 || len(inBackup) > 0 {
		t.Fatalf("after the purge day one's secrets are still readable, e.g. %q", append(inFile, inBackup...)[0])
	}
	if found := foundIn(t, s.Path, kept); len(found) != len(kept) {
		t.Fatalf("the purge took %d of day two's %d tickets with it", len(kept)-len(found), len(kept))
	}
	for i := 0; i < 20; i++ { // the hall goes on
		if tk, code := issue(""); code != 201 {
			t.Fatalf("a ticket after the purge: %d", code)
		} else {
			acked[tk.ID] = tk.Number
		}
	}
	// Some were issued on day two, before the clock moved: the journal of
	// every kept day must hold each acknowledged ticket.
	check := func(when string) {
		issued := map[string]string{}
		days, err := s.Store.Days()
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range days {
			evs, err := s.Store.DayEvents(d)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				if e.Type == queue.TicketIssued {
					issued[e.Ticket.ID] = e.Ticket.Number
				}
			}
		}
		for id, num := range acked {
			if issued[id] != num {
				t.Fatalf("%s: acknowledged %s is not in the journal", when, num)
			}
		}
	}
	check("after the purge")
	s.Restart()
	check("after a restart")
	t.Logf("%d tickets acknowledged around the purge and after it", len(acked))
}

func foundIn(t *testing.T, path string, secrets []string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return foundInBytes(raw, secrets)
}

func foundInBytes(raw []byte, secrets []string) []string {
	var found []string
	for _, x := range secrets {
		if bytes.Contains(raw, []byte(x)) {
			found = append(found, x)
		}
	}
	return found
}

func download(t *testing.T, url, token string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("download %s: %d %v %s", url, resp.StatusCode, err, strings.TrimSpace(string(data[:min(len(data), 200)])))
	}
	return data
}
