package server_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/queue"
	"langelis/server"
	"langelis/wire"
)

// longTests says whether the long variants run (CI sets it, .ci/run).
func longTests() bool { return os.Getenv("LANGELIS_LONG_TESTS") != "" }

// from dials from a loopback address of its own (Linux routes all of
// 127/8 to lo), as a phone behind another address would.
func from(ip string) *net.Dialer {
	return &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 30 * time.Second}
}

// hungUp reports whether err is the server ending the connection: a
// close, or a reset when it closed with bytes of ours unread.
func hungUp(err error) bool {
	return err == io.EOF || errors.Is(err, syscall.ECONNRESET)
}

// openWS opens a websocket from ip; it returns the connection, or the
// refusal's status and error body.
func openWS(s *ts, ip, token string) (*websocket.Conn, int, wire.ErrorBody) {
	d := &websocket.Dialer{NetDialContext: from(ip).DialContext, HandshakeTimeout: 30 * time.Second}
	h := http.Header{"Accept-Language": {"en"}} // the refusals are read in English
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
	c, resp, err := d.Dial("ws"+strings.TrimPrefix(s.URL, "http")+"/api/v1/ws?protocol=2", h)
	var body wire.ErrorBody
	if err != nil {
		if resp == nil {
			return nil, 0, body
		}
		json.NewDecoder(resp.Body).Decode(&body)
		return nil, resp.StatusCode, body
	}
	return c, 101, body
}

// The hall's server under a flood: phones past the caps, idle kept-alive
// connections and slow request bodies. Phones are refused with a 503 that
// says which cap they met, the clerk's and the display's screens still
// connect, the clerk can still call the next ticket, and the timeouts drop
// what does not behave like a browser. The clerk's latency is reported,
// not asserted (timings are for the load generator).
func TestConnectionCapsKeepTheDeskWorking(t *testing.T) {
	lim := server.Limits{MaxConns: 160, MaxWebsockets: 100, StaffWebsockets: 20, WebsocketsPerAddr: 30,
		ReadTimeout: time.Second, IdleTimeout: time.Second, WriteTimeout: 5 * time.Second}
	idle, slow := 40, 40
	if longTests() { // thousands, as the attack in issue 11 had
		lim = server.Limits{MaxConns: 5200, MaxWebsockets: 3000, StaffWebsockets: 300, WebsocketsPerAddr: 1000,
			ReadTimeout: 2 * time.Second, IdleTimeout: 2 * time.Second, WriteTimeout: 5 * time.Second}
		idle, slow = 1500, 1500
		// Both ends of every connection are in this process.
		var r syscall.Rlimit
		if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err == nil && r.Cur < uint64(2*lim.MaxConns+1000) {
			t.Skipf("the long variant holds %d connections, both ends in this process; the open-file limit is %d", lim.MaxConns, r.Cur)
		}
	}
	phoneShare := lim.MaxWebsockets - lim.StaffWebsockets
	s := newTSWith(t, func(c *server.Config) {
		c.Limits = lim
		// The display sits on the station network; loopback's other
		// addresses stand for the guest Wi-Fi.
		_, stations, _ := net.ParseCIDR("127.0.0.200/32")
		c.KioskNets = []*net.IPNet{stations}
	})
	for i := 0; i < 3; i++ {
		s.issue("A")
	}
	tok := s.login("clerk1")
	if code := s.do("POST", "/api/v1/desks/1/open", tok, nil, nil); code != 200 {
		t.Fatalf("open: %d", code)
	}
	var mu sync.Mutex
	var held []*websocket.Conn
	t.Cleanup(func() {
		for _, c := range held {
			c.Close()
		}
	})
	// Phones, one address after another, until each address is refused.
	refusals := map[string]int{}
	opened := 0
	for a := 2; opened < phoneShare; a++ {
		ip := fmt.Sprintf("127.0.0.%d", a)
		for {
			c, code, body := openWS(s, ip, "")
			if c == nil {
				if code != http.StatusServiceUnavailable || body.Error.Code != queue.EUNAVAILABLE {
					t.Fatalf("phone %d from %s refused with %d %+v, want 503", opened+1, ip, code, body)
				}
				refusals[body.Error.Message]++
				break
			}
			held = append(held, c)
			opened++
		}
	}
	// The next phone, from a fresh address, meets the phones' share.
	if c, code, body := openWS(s, "127.0.0.250", ""); c != nil || code != 503 || !strings.Contains(body.Error.Message, "kept for them") {
		t.Fatalf("a phone past the phones' share: %d %+v", code, body)
	}
	perAddr := 0
	for msg, n := range refusals {
		if strings.Contains(msg, "one address") {
			perAddr += n
		}
	}
	if opened != phoneShare || perAddr == 0 {
		t.Fatalf("%d phones held (want %d), refusals %v", opened, phoneShare, refusals)
	}
	// The clerk's screen, from an address full of phones, and the display.
	for _, who := range []struct{ ip, token string }{{"127.0.0.2", tok}, {"127.0.0.200", ""}} {
		c, code, body := openWS(s, who.ip, who.token)
		if c == nil {
			t.Fatalf("%s (signed in: %v) refused with %d %+v", who.ip, who.token != "", code, body)
		}
		held = append(held, c)
	}
	callNext := func() (time.Duration, int) {
		cl := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/desks/1/next", strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		start := time.Now()
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatalf("the clerk's next: %v", err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(start), resp.StatusCode
	}
	capped, code := callNext()
	if code != 200 {
		t.Fatalf("the clerk's next with the websocket caps reached: %d", code)
	}
	s.do("POST", "/api/v1/desks/1/start", tok, nil, nil)

	// Now fill the REST API's reserve and more: idle kept-alive
	// connections and request bodies sent a byte at a time.
	dropped := make(chan string, idle+slow)
	var wg sync.WaitGroup
	addr := strings.TrimPrefix(s.URL, "http://")
	for i := 0; i < idle+slow; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			kind := "idle"
			if i >= idle {
				kind = "slow"
			}
			c, err := from(fmt.Sprintf("127.0.1.%d", i%250+1)).Dial("tcp", addr)
			if err != nil {
				dropped <- kind + " (not connected: " + err.Error() + ")"
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(60 * time.Second))
			if kind == "idle" {
				fmt.Fprintf(c, "GET /api/v1/office HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
				resp, err := http.ReadResponse(bufio.NewReader(c), nil)
				if err != nil {
					dropped <- "idle (no answer: " + err.Error() + ")"
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				// Kept alive, saying nothing: the server must hang up.
				if _, err := c.Read(make([]byte, 1)); hungUp(err) {
					dropped <- kind
				} else {
					dropped <- fmt.Sprintf("idle (not dropped: %v)", err)
				}
				return
			}
			fmt.Fprintf(c, "POST /api/v1/tickets HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{", addr)
			gone := make(chan struct{})
			go func() { // a byte now and then, never the whole body
				defer close(gone)
				for {
					time.Sleep(200 * time.Millisecond)
					if _, err := c.Write([]byte(" ")); err != nil {
						return
					}
				}
			}()
			_, err = io.Copy(io.Discard, c) // whatever it answers, then the end
			c.Close()
			<-gone
			if err == nil || hungUp(err) {
				dropped <- kind
			} else {
				dropped <- fmt.Sprintf("slow (not dropped: %v)", err)
			}
		}(i)
	}
	time.Sleep(200 * time.Millisecond) // let them connect and take their slots
	full, code := callNext()
	if code != 200 {
		t.Fatalf("the clerk's next with the listener full: %d", code)
	}
	wg.Wait()
	close(dropped)
	counts := map[string]int{}
	for d := range dropped {
		counts[d]++
	}
	if counts["idle"] != idle || counts["slow"] != slow {
		t.Fatalf("dropped by the server: %v; want all %d idle and %d slow", counts, idle, slow)
	}
	// A phone that leaves gives its slot back.
	mu.Lock()
	held[0].Close()
	mu.Unlock()
	var again *websocket.Conn
	for deadline := time.Now().Add(10 * time.Second); again == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		again, _, _ = openWS(s, "127.0.0.250", "")
	}
	if again == nil {
		t.Fatal("a phone's slot was not given back when it left")
	}
	held = append(held, again)
	t.Logf("held %d phone websockets (%d refusals: %v), the clerk's and the display's; "+
		"the clerk's next took %v with the websocket caps reached, %v with %d idle and %d slow connections on top (listener cap %d, timeouts %v)",
		opened, len(refusals), refusals, capped.Round(time.Microsecond), full.Round(time.Microsecond), idle, slow, lim.MaxConns, lim.IdleTimeout)
}
