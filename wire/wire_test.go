package wire_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"langelis/queue"
	"langelis/wire"
)

var update = flag.Bool("update", false, "write the pages' copy of the contract ("+wire.JSPath+")")

// The pages import their copy of the contract from wire.js, which must be
// what this package generates: a change to a kind, a code or a timing that
// was not carried to the pages fails here.
func TestJavaScript(t *testing.T) {
	path := filepath.Join("..", filepath.FromSlash(wire.JSPath))
	want := wire.JavaScript()
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from package wire; run `go test ./wire -run JavaScript -update`", wire.JSPath)
	}
}

// Every event type the engine emits has a protocol version; one without
// would reach every client as a noop.
func TestEveryEventTypeHasAVersion(t *testing.T) {
	for _, typ := range queue.EventTypes {
		if wire.Since(string(typ)) == 0 {
			t.Errorf("event type %s has no protocol version in wire", typ)
		}
		if wire.IsSide(string(typ)) {
			t.Errorf("event type %s is marked as a side message", typ)
		}
	}
	for _, k := range wire.Kinds(wire.Version) {
		if wire.Since(k) > wire.Version {
			t.Errorf("%s is newer than the protocol", k)
		}
	}
	if wire.Knows(1, wire.KindHello) || wire.Knows(1, wire.KindPing) || !wire.Knows(1, wire.KindPrintFailed) {
		t.Error("protocol 1 is the stream from before versions: no hello and no ping, but print_failed")
	}
}

func TestNegotiate(t *testing.T) {
	for _, c := range []struct {
		param string
		want  int
		code  string
	}{
		{"", 1, ""}, // a station or page from before versions
		{"1", 1, ""},
		{"2", 2, ""},
		{"3", 3, ""},
		{"4", 4, ""},
		{"5", wire.Version, ""}, // a newer station: it still speaks ours
		{"0", 0, wire.CodeProtocol},
		{"-4", 0, wire.CodeProtocol},
		{"two", 0, queue.EINVALID},
	} {
		v, err := wire.Negotiate(c.param)
		if v != c.want || queue.ErrorCode(err) != c.code {
			t.Errorf("Negotiate(%q) = %d, %v; want %d, code %q", c.param, v, err, c.want, c.code)
		}
		if qe, ok := err.(*queue.Error); err != nil && (!ok || qe.Key == "") {
			t.Errorf("Negotiate(%q): an error without a message", c.param)
		}
	}
}

func TestCheckServer(t *testing.T) {
	if v, err := wire.CheckServer("", 1); v != 1 || err != nil {
		t.Errorf("a server from before versions: %d, %v", v, err)
	}
	if v, err := wire.CheckServer("2", 1); v != 2 || err != nil {
		t.Errorf("protocol 2: %d, %v", v, err)
	}
	for _, c := range []struct {
		header string
		need   int
	}{{"", 2}, {"1", 2}, {"99", 1}, {"x", 1}, {"0", 1}} {
		if _, err := wire.CheckServer(c.header, c.need); err == nil {
			t.Errorf("CheckServer(%q, %d) accepted", c.header, c.need)
		}
	}
}

// Each kind decodes into its own field; a kind nobody knows is refused,
// never taken for an event.
func TestDecode(t *testing.T) {
	for _, c := range []struct {
		raw  string
		kind string
		ok   func(m wire.Message) bool
	}{
		{`{"type":"hello","protocol":2,"keepalive_ms":25000,"offline_after_ms":62500}`, wire.KindHello,
			func(m wire.Message) bool {
				return m.Hello != nil && m.Hello.Protocol == 2 && m.Event == nil && m.Side()
			}},
		{`{"type":"ping"}`, wire.KindPing, func(m wire.Message) bool { return m.Event == nil && m.Side() }},
		{`{"seq":7,"type":"snapshot","snapshot":{"seq":7,"day":"2026-03-02","tickets":[],"desks":[],"waiting":{},"calls":[]}}`, wire.KindSnapshot,
			func(m wire.Message) bool { return m.Snapshot != nil && m.Snapshot.Seq == 7 && !m.Side() }},
		{`{"seq":8,"type":"ticket.issued","day":"2026-03-02","ticket":{"number":"A001","service":"A","status":"waiting"}}`, "ticket.issued",
			func(m wire.Message) bool { return m.Event != nil && m.Event.Ticket.Number == "A001" && !m.Side() }},
		{`{"seq":9,"type":"noop"}`, wire.KindNoop, func(m wire.Message) bool { return m.Event != nil && m.Seq == 9 && !m.Side() }},
		{`{"seq":9,"type":"cutoff","cutoff":{"count":3,"last":"A003","waiting":5,"notice":true}}`, wire.KindCutoff,
			func(m wire.Message) bool { return m.Cutoff != nil && m.Cutoff.Count == 3 && m.Event == nil && m.Side() }},
		{`{"seq":9,"type":"cutoff","cutoff":null}`, wire.KindCutoff, func(m wire.Message) bool { return m.Cutoff == nil && m.Side() }},
		{`{"seq":9,"type":"hours","now":"2026-03-02T17:00:00+02:00","open_now":false,"next_opening":"2026-03-03T08:00:00+02:00","today":[]}`, wire.KindHours,
			func(m wire.Message) bool {
				return m.Hours != nil && !m.Hours.OpenNow && m.Hours.NextOpening.Hour() == 8 && m.Event == nil && m.Side()
			}},
		// The Go client used to take this for an event and skip it only
		// because its seq was not new.
		{`{"seq":9,"type":"print_failed","kiosk":"kiosk1","number":"A012"}`, wire.KindPrintFailed,
			func(m wire.Message) bool {
				return m.PrintFailed != nil && m.PrintFailed.Kiosk == "kiosk1" && m.PrintFailed.Number == "A012" && m.Event == nil && m.Side()
			}},
		{`{"seq":9,"type":"ticket","ticket":{"id":"tok","number":"A004","status":"waiting","ahead":3},"cutoff":{"count":3,"notice":true}}`, wire.KindTicket,
			func(m wire.Message) bool {
				return m.Ticket != nil && m.Ticket.Number == "A004" && *m.Ticket.Ahead == 3 && m.Cutoff.Notice && m.Event == nil && m.Side()
			}},
	} {
		m, err := wire.Decode([]byte(c.raw))
		if err != nil || m.Type != c.kind || !c.ok(m) {
			t.Errorf("Decode(%s) = %+v, %v", c.raw, m, err)
		}
	}
	for _, bad := range []string{`{"seq":9,"type":"teleport"}`, `{"seq":9,"type":"ticket.teleported","ticket":{}}`} {
		if _, err := wire.Decode([]byte(bad)); !errors.Is(err, wire.ErrUnknownKind) {
			t.Errorf("Decode(%s): %v, want ErrUnknownKind", bad, err)
		}
	}
	for _, bad := range []string{``, `[]`, `{"seq":1}`, `{"type":"watch","ticket":"tok"}`, `{"type":"snapshot","seq":1}`, `{"type":"ticket.issued","seq":"x"}`} {
		if _, err := wire.Decode([]byte(bad)); err == nil || errors.Is(err, wire.ErrUnknownKind) {
			t.Errorf("Decode(%s): %v, want an unreadable message", bad, err)
		}
	}
}

// Side messages go out stamped with the hub's seq and their own kind.
func TestSideStamp(t *testing.T) {
	for _, s := range []wire.Side{wire.Cutoff{}, wire.PrintFailed{Kiosk: "k", Number: "A001"}} {
		m, err := wire.Decode(mustJSON(t, s.Stamp(41)))
		if err != nil || m.Seq != 41 || m.Type != s.Kind() || !m.Side() {
			t.Errorf("%T stamped: %+v, %v", s, m, err)
		}
	}
}

// Every code has a status, and an answer with only a status gets back a
// code with that status.
func TestErrorStatuses(t *testing.T) {
	want := map[string]int{queue.EINVALID: 400, queue.EUNAUTHORIZED: 401, queue.EFORBIDDEN: 403, queue.ENOTFOUND: 404,
		queue.ECONFLICT: 409, queue.ECLOSED: 409, queue.EBEYOND: 409, queue.EDAILYCAP: 409, queue.EEARLY: 409, queue.ELATE: 409, queue.ETOOMANY: 429,
		queue.EUNAVAILABLE: 503, queue.EINTERNAL: 500, wire.CodeProtocol: 400, wire.CodeMediaType: 415}
	codes := wire.Codes()
	if len(codes) != len(want) {
		t.Errorf("codes %v, want %v", codes, want)
	}
	for code, status := range want {
		if got := wire.Status(code); got != status || codes[code] != status {
			t.Errorf("Status(%s) = %d, want %d", code, got, status)
		}
		if back := wire.CodeFor(status); wire.Status(back) != status {
			t.Errorf("CodeFor(%d) = %s, whose status is %d", status, back, wire.Status(back))
		}
	}
	if wire.Status("made_up") != http.StatusInternalServerError || wire.CodeFor(418) != queue.EINTERNAL {
		t.Error("unknown codes and statuses are internal errors")
	}
	if wire.CodeFor(http.StatusBadGateway) != queue.EUNAVAILABLE {
		t.Error("a proxy's 502 means the server is unavailable")
	}
}

func TestOfflineAfter(t *testing.T) {
	h := wire.NewHello(2, 200*time.Millisecond)
	if h.Type != wire.KindHello || h.KeepAliveMS != 200 || h.OfflineAfterMS != 500 {
		t.Errorf("hello %+v", h)
	}
	if wire.OfflineAfter(wire.KeepAlive) <= 2*wire.KeepAlive {
		t.Error("a client must wait out two missed keep-alives")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The pages speak the contract: every message kind and error code their
// JavaScript compares against is one wire defines, they tell errors apart
// by code rather than by a status of their own mapping, and the websocket's
// timings come from wire.js, not from numbers in live.js.
func TestPagesSpeakTheContract(t *testing.T) {
	dir := filepath.Join("..", filepath.FromSlash(filepath.Dir(wire.JSPath)))
	files, err := filepath.Glob(filepath.Join(dir, "*.js"))
	if err != nil || len(files) < 5 {
		t.Fatalf("the pages' scripts in %s: %v %v", dir, files, err)
	}
	kinds := map[string]bool{}
	for _, k := range wire.Kinds(wire.Version) {
		kinds[k] = true
	}
	codes := wire.Codes()
	kindRe := regexp.MustCompile(`type\s*[!=]==?\s*"([^"]*)"|"([^"]*)"\s*[!=]==?\s*[\w.?]*type\b`)
	codeRe := regexp.MustCompile(`code\s*[!=]==?\s*"([^"]*)"|"([^"]*)"\s*[!=]==?\s*[\w.?]*code\b`)
	statusRe := regexp.MustCompile(`status\s*[!=<>]==?\s*(4\d\d)\b`)
	checked := 0
	for _, f := range files {
		if filepath.Base(f) == "wire.js" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src, name := string(b), filepath.Base(f)
		for _, m := range kindRe.FindAllStringSubmatch(src, -1) {
			k := m[1] + m[2]
			checked++
			if !kinds[k] {
				t.Errorf("%s compares a message type with %q, which is not a kind of protocol %d", name, k, wire.Version)
			}
		}
		for _, m := range codeRe.FindAllStringSubmatch(src, -1) {
			c := m[1] + m[2]
			checked++
			if _, ok := codes[c]; !ok {
				t.Errorf("%s compares an error code with %q, which wire does not define", name, c)
			}
		}
		for _, m := range statusRe.FindAllStringSubmatch(src, -1) {
			t.Errorf("%s tells an error by its status %s; compare error.code with wire's codes", name, m[1])
		}
	}
	if checked < 8 {
		t.Fatalf("only %d comparisons found: the scan no longer sees the pages' code", checked)
	}
	// One websocket helper: live.js. The status page follows its ticket on
	// the ticket stream, whose token goes in the first message, not the URL.
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if name := filepath.Base(f); name != "live.js" && strings.Contains(string(b), "new WebSocket(") {
			t.Errorf("%s opens a websocket of its own; use live.js", name)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "status.js")); !regexp.MustCompile(`new Live\(\{\s*watch:`).Match(b) {
		t.Error("status.js does not follow its ticket on the ticket stream (new Live({ watch: token, ... }))")
	}
	live, err := os.ReadFile(filepath.Join(dir, "live.js"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(live), `from "./wire.js"`) {
		t.Error("live.js does not import the contract from wire.js")
	}
	if m := regexp.MustCompile(`setTimeout\([^;]*,\s*\d+\s*\)|[\s(=]\d{3,}[\s;,)]`).FindString(string(live)); m != "" {
		t.Errorf("live.js holds a timing of its own (%q); take it from wire.js", strings.TrimSpace(m))
	}
}
