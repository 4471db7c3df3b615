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

	"langelis/server"
	"langelis/wire"
)

// signInFrom signs in through a trusted proxy that says the client is at
// addr, and returns the status, the error and the Retry-After header.
func (s *ts) signInFrom(addr, user, pw string) (int, wire.ErrorBody, string) {
	s.t.Helper()
	body, _ := json.Marshal(map[string]string{"username": user, "password": pw})
	req, _ := http.NewRequest("POST", s.URL+"/api/v1/session", bytes.NewReader(body))
	req.Header.Set("Accept-Language", "en") // the messages below are read in English
	req.Header.Set("Content-Type", "application/json")
	if addr != "" {
		req.Header.Set("X-Forwarded-For", addr)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var e wire.ErrorBody
	json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e, resp.Header.Get("Retry-After")
}

// behindProxy is the test server with loopback as a trusted proxy, so a
// test can play clients at many addresses through X-Forwarded-For.
func behindProxy(t *testing.T, set func(*server.Config)) *ts {
	_, loop, _ := net.ParseCIDR("127.0.0.0/8")
	return newTSWith(t, func(c *server.Config) {
		c.TrustedProxies = []*net.IPNet{loop}
		if set != nil {
			set(c)
		}
	})
}

// A hundred guesses at once from one address: the lock (5) holds while the
// first guesses are still being hashed, because each attempt counts itself
// before bcrypt runs. Before, all hundred were checked.
func TestConcurrentGuessesAreCounted(t *testing.T) {
	s := newTS(t)
	before := s.Srv.BcryptChecksForTest()
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	start := make(chan struct{})
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			code, _, _ := s.signInFrom("", "clerk1", fmt.Sprintf("guess-%03d", i))
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	checked := s.Srv.BcryptChecksForTest() - before
	t.Logf("100 concurrent guesses: %v; %d checked with bcrypt", codes, checked)
	if codes[401] != 5 || codes[429] != 95 || checked != 5 {
		t.Fatalf("100 concurrent guesses: answers %v, %d checked; want 5 checked (401) and 95 refused (429)", codes, checked)
	}
}

// An unknown username and a disabled account cost one bcrypt check, as a
// wrong password does, and a disabled account answers exactly as a wrong
// password whether its password is right or not: no answer and no delay
// tells a guesser which usernames exist or that a password was right.
func TestSignInAnswersTellNothing(t *testing.T) {
	s := newTS(t)
	u, _ := s.Store.User("clerk3")
	u.Disabled = true
	s.Store.PutUser(u)
	cases := []struct{ name, user, pw string }{
		{"wrong password", "clerk1", "not-the-password"},
		{"unknown username", "nobody-here", "not-the-password"},
		{"disabled, wrong password", "clerk3", "not-the-password"},
		{"disabled, right password", "clerk3", "password-clerk3"},
	}
	var first wire.ErrorBody
	for i, c := range cases {
		before := s.Srv.BcryptChecksForTest()
		code, e, _ := s.signInFrom("", c.user, c.pw)
		if n := s.Srv.BcryptChecksForTest() - before; n != 1 {
			t.Errorf("%s: %d bcrypt checks, want 1 like every other sign-in", c.name, n)
		}
		if i == 0 {
			first = e
		}
		if code != 401 || e != first {
			t.Errorf("%s: %d %+v; want 401 %+v like a wrong password", c.name, code, e, first)
		}
	}
}

// While every bcrypt slot is busy (a burst of sign-ins), another sign-in
// waits a bounded time and is then told to try again (503, Retry-After),
// the hall's tickets are still issued, and the refused attempt does not
// count as a failure.
func TestSignInWaitsForABcryptSlot(t *testing.T) {
	s := newTSWith(t, func(c *server.Config) { c.SignInSlots = 1; c.SignInWait = 50 * time.Millisecond })
	release := s.Srv.HoldSignInSlotsForTest()
	for range 6 {
		code, e, retry := s.signInFrom("", "clerk1", "password-clerk1")
		if code != 503 || e.Error.Code != "unavailable" || !strings.Contains(e.Error.Message, "busy with other sign-ins") || retry == "" {
			t.Fatalf("sign-in with every slot busy: %d %+v Retry-After %q", code, e, retry)
		}
	}
	s.issue("A")
	release()
	if code, e, _ := s.signInFrom("", "clerk1", "password-clerk1"); code != 200 {
		t.Fatalf("after the burst: %d %+v; the busy answers must not count as failures", code, e)
	}
}

// Guesses at one account from many addresses (each below the per-address
// limits) lock the account, but not for the clerk at an address where
// the account has signed in before.
func TestPerAccountLimit(t *testing.T) {
	s := behindProxy(t, nil)
	if code, e, _ := s.signInFrom("10.0.0.7", "clerk1", "password-clerk1"); code != 200 {
		t.Fatalf("the clerk's own sign-in: %d %+v", code, e)
	}
	for i := 0; i < 30; i++ {
		if code, _, _ := s.signInFrom(fmt.Sprintf("203.0.113.%d", i), "clerk1", "guess-guess"); code != 401 {
			t.Fatalf("guess %d from a fresh address: %d", i+1, code)
		}
	}
	code, e, _ := s.signInFrom("198.51.100.9", "clerk1", "password-clerk1")
	if code != 429 || !strings.Contains(e.Error.Message, "for this account") {
		t.Fatalf("the right password from a new address after 30 guesses from 30 addresses: %d %+v; want the account locked", code, e)
	}
	if code, e, _ := s.signInFrom("10.0.0.7", "clerk1", "password-clerk1"); code != 200 {
		t.Fatalf("the clerk at their usual address: %d %+v", code, e)
	}
	// The lock ends with its hour of real time.
	s.Real.Advance(time.Hour + time.Second)
	if code, e, _ := s.signInFrom("198.51.100.9", "clerk1", "password-clerk1"); code != 200 {
		t.Fatalf("after the hour: %d %+v", code, e)
	}
}

// Clerks behind one NAT share its address with whoever else is there: a
// guest's guesses at other usernames lock the address, but not for a clerk
// who has signed in from it before.
func TestOneAddressDoesNotLockOutItsClerks(t *testing.T) {
	s := newTS(t)
	s.login("clerk1")
	for i := 0; i < 20; i++ {
		if code, _, _ := s.signInFrom("", fmt.Sprintf("guest%d", i), "guess-guess"); code != 401 {
			t.Fatalf("guess %d: %d", i+1, code)
		}
	}
	if code, _, _ := s.signInFrom("", "guest99", "guess-guess"); code != 429 {
		t.Fatalf("the 21st guess from the address: %d, want 429", code)
	}
	if code, e, _ := s.signInFrom("", "clerk1", "password-clerk1"); code != 200 {
		t.Fatalf("a clerk who signed in here before: %d %+v; want signed in", code, e)
	}
}
