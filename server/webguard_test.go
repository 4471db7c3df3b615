package server_test

import (
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"langelis/app"
	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/server"
	"langelis/wire"
)

// send makes one raw request and returns the answer with its body read.
func send(t *testing.T, c *http.Client, method, url string, hdr map[string]string, body string) (*http.Response, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Accept-Language", "en") // the messages below are read in English
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(data)
}

// A page on another port of the same host is the same site: the clerk's
// SameSite=Strict cookie goes with its requests. Such a page tries to pause
// the clerk's desk the way fetch(url, {method: "POST", mode: "no-cors",
// credentials: "include", body}) sends it (text/plain, Sec-Fetch-Site
// same-site), with no body, and as an old browser that sends only Origin.
// All are refused and the desk keeps working; the clerk's own page and a
// program with a bearer token are not.
func TestCrossSiteWritesAreRefused(t *testing.T) {
	s := newTS(t)
	tok := s.login("clerk1")
	s.must(tok, 1, "open", nil)
	pause := s.URL + "/api/v1/desks/1/pause"
	other := "http://" + strings.Replace(s.Addr, ":", ":1", 1) // another port, same host
	cookie := "langelis_session=" + tok
	attacks := []struct {
		name string
		hdr  map[string]string
		body string
	}{
		{"no-cors fetch", map[string]string{"Cookie": cookie, "Origin": other, "Sec-Fetch-Site": "same-site",
			"Sec-Fetch-Mode": "no-cors", "Content-Type": "text/plain;charset=UTF-8"}, `{"reason":"gotcha"}`},
		{"no-cors fetch without a body", map[string]string{"Cookie": cookie, "Origin": other, "Sec-Fetch-Site": "same-site",
			"Sec-Fetch-Mode": "no-cors"}, ""},
		{"another site", map[string]string{"Cookie": cookie, "Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, ""},
		{"an old browser: Origin only", map[string]string{"Cookie": cookie, "Origin": other}, ""},
		{"a sandboxed frame", map[string]string{"Cookie": cookie, "Origin": "null"}, ""},
	}
	for _, a := range attacks {
		resp, body := send(t, nil, "POST", pause, a.hdr, a.body)
		if resp.StatusCode != 403 || !strings.Contains(body, "came from another site") {
			t.Errorf("%s: %d %s; want 403", a.name, resp.StatusCode, body)
		}
	}
	if v := s.view(tok, 1); v.Desk.Status != queue.DeskOpen {
		t.Fatalf("after the attempts desk 1 is %s", v.Desk.Status)
	}
	// The clerk's own page, with its cookie.
	own := map[string]string{"Cookie": cookie, "Origin": s.URL, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}
	if resp, body := send(t, nil, "POST", pause, own, `{"reason":"lunch"}`); resp.StatusCode != 200 {
		t.Fatalf("the desk page's own pause: %d %s", resp.StatusCode, body)
	}
	// A program: a bearer token and no browser headers.
	if code, _, e := s.desk(tok, 1, "resume", nil); code != 200 {
		t.Fatalf("the keyboard program's resume: %d %+v", code, e)
	}
}

// A JSON endpoint takes a body only as application/json: 415 with its own
// code otherwise, also without the header. A request without a body needs
// no header.
func TestJSONBodiesMustSayJSON(t *testing.T) {
	s := newTS(t)
	for _, ct := range []string{"text/plain;charset=UTF-8", "application/x-www-form-urlencoded", ""} {
		hdr := map[string]string{}
		if ct != "" {
			hdr["Content-Type"] = ct
		}
		resp, body := send(t, nil, "POST", s.URL+"/api/v1/tickets", hdr, `{"service":"A"}`)
		if resp.StatusCode != 415 || !strings.Contains(body, `"code":"`+wire.CodeMediaType+`"`) ||
			!strings.Contains(body, "Content-Type: application/json") {
			t.Errorf("a body sent as %q: %d %s; want 415", ct, resp.StatusCode, body)
		}
	}
	tok := s.login("clerk1")
	resp, body := send(t, nil, "POST", s.URL+"/api/v1/desks/1/open", map[string]string{"Authorization": "Bearer " + tok}, "")
	if resp.StatusCode != 200 {
		t.Fatalf("a desk action without a body or a type: %d %s", resp.StatusCode, body)
	}
	var snap queue.PublicSnapshot
	if s.do("GET", "/api/v1/queue", "", nil, &snap); len(snap.Tickets) != 0 {
		t.Fatalf("the refused requests issued %d tickets", len(snap.Tickets))
	}
}

// Every answer (pages, scripts, the API, errors) carries the policy: only
// this server's scripts and styles, no framing, no sniffing, no Referer
// (a status page's address carries its ticket's token).
func TestSecurityHeaders(t *testing.T) {
	s := newTS(t)
	for _, path := range []string{"/", "/kiosk", "/t/abc", "/desk", "/static/js/kiosk.js", "/static/css/kiosk.css",
		"/api/v1/queue", "/api/v1/nope", "/nope"} {
		resp, _ := send(t, nil, "GET", s.URL+path, nil, "")
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") ||
			strings.Contains(csp, "unsafe-inline") || h.Get("X-Frame-Options") != "DENY" ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("GET %s (%d): CSP %q, X-Frame-Options %q, X-Content-Type-Options %q, Referrer-Policy %q", path,
				resp.StatusCode, csp, h.Get("X-Frame-Options"), h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
		}
	}
}

// The static folders do not list what is in them; their files are served.
func TestStaticFoldersAreNotListed(t *testing.T) {
	s := newTS(t)
	for _, path := range []string{"/static/js/", "/static/js", "/static/", "/static/css/", "/static/i18n/"} {
		if resp, body := send(t, nil, "GET", s.URL+path, nil, ""); resp.StatusCode != 404 || strings.Contains(body, "kiosk.js") {
			t.Errorf("GET %s: %d %.80s; want 404", path, resp.StatusCode, body)
		}
	}
	if resp, _ := send(t, nil, "GET", s.URL+"/static/js/kiosk.js", nil, ""); resp.StatusCode != 200 {
		t.Fatalf("GET /static/js/kiosk.js: %d", resp.StatusCode)
	}
}

// HEAD answers on every GET route with the GET's status and headers and
// no body; on a route without GET it is still 405.
func TestHeadOnGetRoutes(t *testing.T) {
	s := newTS(t)
	for _, path := range []string{"/", "/kiosk", "/api/v1/queue", "/api/v1/office", "/healthz", "/static/js/kiosk.js"} {
		resp, body := send(t, nil, "HEAD", s.URL+path, nil, "")
		if resp.StatusCode != 200 || body != "" || resp.Header.Get("Content-Type") == "" {
			t.Errorf("HEAD %s: %d, %d bytes, type %q", path, resp.StatusCode, len(body), resp.Header.Get("Content-Type"))
		}
	}
	if resp, _ := send(t, nil, "HEAD", s.URL+"/api/v1/tickets/nope", nil, ""); resp.StatusCode != 404 {
		t.Errorf("HEAD of an unknown ticket: %d", resp.StatusCode)
	}
	if resp, _ := send(t, nil, "HEAD", s.URL+"/api/v1/session/nope", nil, ""); resp.StatusCode != 404 {
		t.Errorf("HEAD of no route: %d", resp.StatusCode)
	}
}

// The session cookie is Secure when the browser reached the server over
// HTTPS: its own TLS, or a trusted proxy's X-Forwarded-Proto. Anyone
// else's X-Forwarded-Proto changes nothing.
func TestSessionCookieSecureOverHTTPS(t *testing.T) {
	_, loop, _ := net.ParseCIDR("127.0.0.0/8")
	cases := []struct {
		name    string
		proxies []*net.IPNet
		proto   string
		secure  bool
	}{
		{"plain HTTP", nil, "", false},
		{"a forged X-Forwarded-Proto", nil, "https", false},
		{"a trusted proxy's X-Forwarded-Proto", []*net.IPNet{loop}, "https", true},
	}
	for _, c := range cases {
		s := newTSWith(t, func(cfg *server.Config) { cfg.TrustedProxies = c.proxies })
		hdr := map[string]string{"Content-Type": "application/json"}
		if c.proto != "" {
			hdr["X-Forwarded-Proto"] = c.proto
		}
		resp, body := send(t, nil, "POST", s.URL+"/api/v1/session", hdr, `{"username":"clerk1","password":"password-clerk1"}`)
		if resp.StatusCode != 200 || len(resp.Cookies()) != 1 || resp.Cookies()[0].Secure != c.secure {
			t.Errorf("%s: %d %s, cookies %v; want Secure %v", c.name, resp.StatusCode, body, resp.Cookies(), c.secure)
		}
	}
	// The server's own TLS.
	s := newTS(t)
	tlsSrv := httptest.NewUnstartedServer(s.Srv.Handler())
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, body := send(t, client, "POST", tlsSrv.URL+"/api/v1/session", map[string]string{"Content-Type": "application/json"},
		`{"username":"clerk2","password":"password-clerk2"}`)
	if resp.StatusCode != 200 || len(resp.Cookies()) != 1 || !resp.Cookies()[0].Secure {
		t.Errorf("over TLS: %d %s, cookies %v; want Secure", resp.StatusCode, body, resp.Cookies())
	}
}

// Without --public-url a ticket's QR code points where the kiosk reached
// the server, but never at a Host or scheme a client made up: a forged
// Host falls back to the server's own address (and the log says so), a
// forged X-Forwarded-Proto is not believed, and a Host named by
// --allowed-host is used.
func TestTicketLinksIgnoreForgedHosts(t *testing.T) {
	e2e.NeedTools(t, "pdftoppm", "zbarimg")
	var log logBuffer
	s := newTSApp(t, func(c *app.Config) {
		logTo(&log)(c)
		c.Server.AllowedHosts = []string{"langelis.hall.example"}
	})
	tk := s.issue("A")
	pdfFor := func(hdr map[string]string) string {
		resp, body := send(t, nil, "GET", s.URL+tk.PDFURL, hdr, "")
		if resp.StatusCode != 200 {
			t.Fatalf("pdf: %d", resp.StatusCode)
		}
		return e2e.DecodeQR(t, []byte(body))
	}
	own := s.URL + "/t/" + tk.ID
	if got := pdfFor(map[string]string{"Host": "evil.example", "X-Forwarded-Proto": "https"}); got != own {
		t.Errorf("with Host evil.example and a forged X-Forwarded-Proto the QR code says %q, want %q", got, own)
	}
	if got := log.lines("does not answer at"); len(got) != 1 || !strings.Contains(got[0], "evil.example") {
		t.Errorf("the log has %v, want one line naming the forged host", got)
	}
	if got := pdfFor(map[string]string{"Host": "langelis.hall.example:8080"}); got != "http://langelis.hall.example:8080/t/"+tk.ID {
		t.Errorf("with an allowed host the QR code says %q", got)
	}
	if got := pdfFor(nil); got != own {
		t.Errorf("as the kiosk reached it, the QR code says %q, want %q", got, own)
	}
}
