package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"langelis/app"
	"langelis/queue"
	"langelis/server"
	"langelis/wire"
)

// issueFrom takes a ticket as a client at addr (through the trusted proxy
// of behindProxy; "" for the connection's own address), with token.
func (s *ts) issueFrom(addr, token string, body map[string]string) (int, wire.Ticket, wire.ErrorBody) {
	s.t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/tickets", bytes.NewReader(data))
	req.Header.Set("Accept-Language", "en") // the messages below are read in English
	req.Header.Set("Content-Type", "application/json")
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw := new(bytes.Buffer)
	raw.ReadFrom(resp.Body)
	var tk wire.Ticket
	var e wire.ErrorBody
	if resp.StatusCode == 201 {
		json.Unmarshal(raw.Bytes(), &tk)
	} else {
		json.Unmarshal(raw.Bytes(), &e)
	}
	return resp.StatusCode, tk, e
}

// A kiosk computer takes at most a minute's worth of tickets (60) at once,
// then one a second: more than a person at a touch screen can take, far
// less than a script. A signed-in account has its own allowance, wherever
// it is. The flood shows in the log once, not once per refusal.
func TestKioskAndAccountIssueRate(t *testing.T) {
	var log logBuffer
	s := newTSApp(t, logTo(&log))
	tok := s.login("clerk1")
	for i := 0; i < 60; i++ {
		if code, _, e := s.issueFrom("", "", map[string]string{"service": "A", "kiosk": "k1"}); code != 201 {
			t.Fatalf("kiosk ticket %d: %d %+v", i+1, code, e)
		}
	}
	for range 3 {
		code, _, e := s.issueFrom("", "", map[string]string{"service": "A", "kiosk": "k2"}) // another name, same computer
		if code != 429 || !strings.Contains(e.Error.Message, "faster than any visitor could") {
			t.Fatalf("the 61st ticket within a minute: %d %+v", code, e)
		}
	}
	if got := log.lines("taking them faster than a person can"); len(got) != 1 {
		t.Fatalf("the log has %d flood alarms, want 1:\n%s", len(got), strings.Join(got, "\n"))
	}
	// The clerk's account is not the kiosk.
	for i := 0; i < 60; i++ {
		if code, _, e := s.issueFrom("", tok, map[string]string{"service": "B"}); code != 201 {
			t.Fatalf("clerk's ticket %d: %d %+v", i+1, code, e)
		}
	}
	if code, _, _ := s.issueFrom("", tok, map[string]string{"service": "B"}); code != 429 {
		t.Fatalf("the clerk's 61st ticket within a minute: %d, want 429", code)
	}
	s.Real.Advance(time.Second)
	if code, _, e := s.issueFrom("", "", map[string]string{"service": "A"}); code != 201 {
		t.Fatalf("a second later: %d %+v", code, e)
	}
	if code, _, _ := s.issueFrom("", "", map[string]string{"service": "A"}); code != 429 {
		t.Fatalf("the second ticket of that second: %d, want 429", code)
	}
}

// A refused ticket does not use up the kiosk's allowance.
func TestRefusedKioskTicketsDoNotCount(t *testing.T) {
	s := newTS(t)
	for i := 0; i < 70; i++ {
		if code, _, _ := s.issueFrom("", "", map[string]string{"service": "Z"}); code != 400 {
			t.Fatalf("unknown service: %d", code)
		}
	}
	if code, _, e := s.issueFrom("", "", map[string]string{"service": "A"}); code != 201 {
		t.Fatalf("a kiosk ticket after refused ones: %d %+v", code, e)
	}
}

// Twenty phone tickets per address in ten minutes, also when fifty phones
// behind it ask at the same instant: the check and the count are one step.
func TestPhoneBurstKeepsTheLimit(t *testing.T) {
	_, kiosks, _ := net.ParseCIDR("10.9.0.0/24") // loopback is a phone
	s := newTSWith(t, func(c *server.Config) { c.KioskNets = []*net.IPNet{kiosks} })
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	start := make(chan struct{})
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			code, _, _ := s.issueFrom("", "", map[string]string{"service": []string{"A", "B"}[i%2]})
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	t.Logf("50 phones at once behind one address: %v", codes)
	if codes[201] != 20 || codes[429] != 30 {
		t.Fatalf("50 phones at once behind one address: %v; want 20 issued and 30 refused", codes)
	}
}

// IPv6 gives a subscriber a whole /64: its phone tickets count together,
// whatever the last 64 bits say. Another /64 is another network.
func TestPhoneLimitPerIPv6Network(t *testing.T) {
	s := behindProxy(t, nil)
	for i := 0; i < 20; i++ {
		addr := fmt.Sprintf("2001:db8:5:7::%x", i+1)
		if code, _, e := s.issueFrom(addr, "", map[string]string{"service": "A"}); code != 201 {
			t.Fatalf("phone %d in 2001:db8:5:7::/64: %d %+v", i+1, code, e)
		}
	}
	code, _, e := s.issueFrom("2001:db8:5:7:aaaa:bbbb:cccc:dddd", "", map[string]string{"service": "A"})
	if code != 429 || e.Error.Code != queue.ETOOMANY {
		t.Fatalf("the 21st phone of the /64 from a new address: %d %+v", code, e)
	}
	if code, _, e := s.issueFrom("2001:db8:5:8::1", "", map[string]string{"service": "A"}); code != 201 {
		t.Fatalf("a phone in the next /64: %d %+v", code, e)
	}
	if code, _, e := s.issueFrom("192.0.2.1", "", map[string]string{"service": "A"}); code != 201 {
		t.Fatalf("an IPv4 phone: %d %+v", code, e)
	}
}

// A service's daily cap (the office file's daily_cap) refuses the tickets
// past it for every channel, signed-in accounts too, says so with its own
// code, and the log hears of it.
func TestDailyCapOverHTTP(t *testing.T) {
	var log logBuffer
	s := newTSApp(t, func(c *app.Config) {
		logTo(&log)(c)
		c.Office.Services[1].DailyCap = 2 // B
	})
	tok := s.login("clerk1")
	s.issue("B")
	s.issue("B")
	for _, who := range []string{"", tok} {
		code, _, e := s.issueFrom("", who, map[string]string{"service": "B"})
		if code != 409 || e.Error.Code != queue.EDAILYCAP || !strings.Contains(e.Error.Message, "have run out (2 a day)") {
			t.Fatalf("the third B ticket: %d %+v", code, e)
		}
	}
	if a := s.issue("A"); a.Number != "A001" {
		t.Fatalf("service A: %s", a.Number)
	}
	if got := log.lines("daily cap is reached"); len(got) != 1 {
		t.Fatalf("the log has %d daily-cap alarms, want 1", len(got))
	}
}

// A kiosk station's account issues only for its own kiosk: naming another
// would make that kiosk's station print its tickets.
func TestKioskAccountNamesOnlyItsOwnKiosk(t *testing.T) {
	_, kiosks, _ := net.ParseCIDR("10.9.0.0/24") // the account is trusted for its sign-in, not its address
	s := newTSWith(t, func(c *server.Config) { c.KioskNets = []*net.IPNet{kiosks} })
	s.addUser("kiosk1", queue.RoleKiosk)
	tok := s.login("kiosk1")
	code, _, e := s.issueFrom("", tok, map[string]string{"service": "A", "kiosk": "kiosk2"})
	if code != 403 || !strings.Contains(e.Error.Message, "its own kiosk (signed in as kiosk1)") {
		t.Fatalf("kiosk1 naming kiosk2: %d %+v", code, e)
	}
	for _, named := range []string{"kiosk1", ""} {
		if code, _, e := s.issueFrom("", tok, map[string]string{"service": "A", "kiosk": named}); code != 201 {
			t.Fatalf("kiosk1 naming %q: %d %+v", named, code, e)
		}
	}
	var snap queue.Snapshot
	s.do("GET", "/api/v1/queue", s.login("clerk1"), nil, &snap)
	if len(snap.Tickets) != 2 {
		t.Fatalf("%d tickets, want 2", len(snap.Tickets))
	}
	for _, tk := range snap.Tickets {
		if tk.Kiosk != "kiosk1" || tk.Channel != queue.ChannelKiosk {
			t.Fatalf("ticket %s: kiosk %q channel %q; want kiosk1's", tk.Number, tk.Kiosk, tk.Channel)
		}
	}
}
