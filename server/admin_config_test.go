package server_test

import (
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"

	"langelis/office"
	"langelis/queue"
	"langelis/wire"
)

// get fetches path with the token and returns the status and body.
func (s *ts) get(path, token string) (int, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// Every configuration and audit route is the admin's alone: a clerk is
// forbidden, nobody signed in is asked to sign in, and nothing changes.
func TestAdminRoutesAreForAdmins(t *testing.T) {
	s := newTS(t)
	clerk := s.login("clerk1")
	routes := []struct{ method, path string }{
		{"GET", "/api/v1/admin/config"}, {"GET", "/api/v1/admin/config.yaml"}, {"GET", "/api/v1/admin/audit"},
		{"POST", "/api/v1/admin/services"}, {"PUT", "/api/v1/admin/services/A"}, {"POST", "/api/v1/admin/services/A/retire"},
		{"POST", "/api/v1/admin/desks"}, {"PUT", "/api/v1/admin/desks/1"}, {"POST", "/api/v1/admin/desks/1/retire"},
		{"PUT", "/api/v1/admin/hours"}, {"POST", "/api/v1/admin/holidays"}, {"DELETE", "/api/v1/admin/holidays/2026-12-24"},
		{"PUT", "/api/v1/admin/exceptions"}, {"DELETE", "/api/v1/admin/exceptions/2026-12-24"}, {"PUT", "/api/v1/admin/rules"},
	}
	for _, r := range routes {
		var body any
		if r.method != "GET" && r.method != "DELETE" {
			body = map[string]any{}
		}
		if code := s.do(r.method, r.path, clerk, body, nil); code != http.StatusForbidden {
			t.Errorf("clerk %s %s: %d, want 403", r.method, r.path, code)
		}
		if code := s.do(r.method, r.path, "", body, nil); code != http.StatusUnauthorized {
			t.Errorf("nobody %s %s: %d, want 401", r.method, r.path, code)
		}
	}
	if len(s.Eng.Office().Services) != 2 || len(s.Eng.Office().Desks) != 3 {
		t.Fatal("a refused request changed the office")
	}
}

// The export of the running configuration, downloaded, is an office file
// that reads back to the running configuration, changes included.
func TestAdminExportRoundTrips(t *testing.T) {
	s := newTS(t)
	s.addUser("ona", queue.RoleAdmin)
	tok := s.login("ona")
	var ch queue.Change
	if code := s.do("POST", "/api/v1/admin/services", tok, map[string]any{"letter": "C", "names": map[string]string{"lt": "Pasai „nauji“: #1"},
		"target_minutes": 7.5, "colour": "#1f6feb"}, &ch); code != 200 || ch.Seq == 0 || ch.Effective != "now" {
		t.Fatalf("add service: %d %+v", code, ch)
	}
	if code := s.do("POST", "/api/v1/admin/holidays", tok, map[string]string{"date": "2030-12-24"}, nil); code != 200 {
		t.Fatalf("holiday: %d", code)
	}
	code, data := s.get("/api/v1/admin/config.yaml", tok)
	if code != 200 || !strings.HasPrefix(string(data), "# Exported from the running configuration on ") {
		t.Fatalf("export: %d\n%s", code, data)
	}
	got, err := office.Parse("office.yaml", data)
	if err != nil {
		t.Fatalf("the export does not parse: %v\n%s", err, data)
	}
	if string(queue.ChangeJSON(got)) != string(queue.ChangeJSON(s.Eng.Office())) {
		t.Fatalf("the export reads back to another office:\n%s\n%s", queue.ChangeJSON(got), queue.ChangeJSON(s.Eng.Office()))
	}
	var view struct {
		Differs bool
		Diff    []struct{ Op, Where, Line string }
	}
	if code := s.do("GET", "/api/v1/admin/config", tok, nil, &view); code != 200 || !view.Differs || view.Diff[0].Where != "services C" {
		t.Fatalf("config view: %d %+v", code, view)
	}
}

// A refusal comes in the admin's language; a change that would strand
// waiting tickets is refused and says how many.
func TestAdminRefusalsInTheAdminsLanguage(t *testing.T) {
	s := newTS(t)
	s.addUser("ona", queue.RoleAdmin)
	tok := s.login("ona")
	s.issue("A")
	s.issue("A")
	var e wire.ErrorBody
	// Desks 1 and 2 are the only ones serving A.
	if code := s.do("PUT", "/api/v1/admin/desks/1", tok, map[string]any{"services": []string{"B"}}, nil); code != 200 {
		t.Fatalf("desk 1 to B: %d", code)
	}
	code := s.do("PUT", "/api/v1/admin/desks/2", tok, map[string]any{"services": []string{"B"}, "lang": "lt"}, &e)
	if code != http.StatusConflict || e.Error.Message != "Nepakeista: liktų 2 laukiantys paslaugos A bilietai, kurių neaptarnautų joks langelis. Pirma priskirkite paslaugą kitam langeliui." {
		t.Fatalf("stranding: %d %q", code, e.Error.Message)
	}
	code = s.do("POST", "/api/v1/admin/desks", tok, map[string]any{"number": 1000, "services": []string{"A"}}, &e)
	if code != http.StatusBadRequest || e.Error.Message != "The configuration was not changed: desk number 1000 is out of range 1-999" {
		t.Fatalf("desk 1000: %d %q", code, e.Error.Message)
	}
	// The office file's message, in the admin's language.
	for _, c := range []struct {
		method, path string
		body         map[string]any
		want         string
	}{
		{"POST", "/api/v1/admin/desks", map[string]any{"number": 1000, "services": []string{"A"}, "lang": "lt"},
			"Konfigūracija nepakeista: Langelio numeris 1000 nepatenka į ribas 1–999"},
		{"PUT", "/api/v1/admin/hours", map[string]any{"week": map[string]string{"monday": "08:00-07:00"}, "lang": "lt"},
			"Konfigūracija nepakeista: pirmadienio darbo laikas: „08:00-07:00“ baigiasi anksčiau, nei prasideda"},
		{"POST", "/api/v1/admin/holidays", map[string]any{"date": "2026-13-45", "lang": "ru"},
			"Конфигурация не изменена: Нерабочий день «2026-13-45» — не дата вида 2026-12-24"},
		{"POST", "/api/v1/admin/services", map[string]any{"letter": "ab", "names": map[string]string{"lt": "X"}, "target_minutes": 5, "lang": "pl"},
			"Konfiguracja nie została zmieniona: Litera usługi „ab” musi być jedną wielką literą A–Z"},
	} {
		if code := s.do(c.method, c.path, tok, c.body, &e); code != http.StatusBadRequest || e.Error.Message != c.want {
			t.Errorf("%s %s: %d %q, want %q", c.method, c.path, code, e.Error.Message, c.want)
		}
	}
}

// The audit lists the desk actions and the changes, filtered, and as CSV;
// never a visitor's category or a reason typed about a visitor, and a
// cell a spreadsheet would run as a formula is defused.
func TestAdminAuditCSV(t *testing.T) {
	s := newTS(t)
	s.addUser("ona", queue.RoleAdmin)
	admin := s.login("ona")
	clerk := s.login("clerk1")
	var tk wire.Ticket
	if code := s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "priority": "disability"}, &tk); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	for _, step := range []struct {
		action string
		body   map[string]string
	}{{"open", nil}, {"next", nil}, {"refuse", map[string]string{"reason": "Jonas Jonaitis had no passport"}},
		{"pause", map[string]string{"reason": "=HYPERLINK(\"http://x\")"}}} {
		if code := s.do("POST", "/api/v1/desks/1/"+step.action, clerk, step.body, nil); code != 200 {
			t.Fatalf("%s: %d", step.action, code)
		}
	}
	if code := s.do("POST", "/api/v1/admin/holidays", admin, map[string]string{"date": "2030-12-24"}, nil); code != 200 {
		t.Fatal("holiday")
	}
	code, data := s.get("/api/v1/admin/audit?format=csv", admin)
	if code != 200 {
		t.Fatalf("csv: %d %s", code, data)
	}
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, w := range []string{"clerk1,desk.opened,1,desk 1", "clerk1,ticket.called,1," + tk.Number, "clerk1,ticket.refused,1," + tk.Number,
		"ona,holiday.added,,holiday 2030-12-24", `'=HYPERLINK`} {
		if !strings.Contains(text, w) {
			t.Errorf("the CSV lacks %q:\n%s", w, text)
		}
	}
	for _, never := range []string{"Jonas", "disability", tk.ID} {
		if strings.Contains(text, never) {
			t.Errorf("the CSV holds a visitor's %q:\n%s", never, text)
		}
	}
	if rows[0][0] != "time" || len(rows) != 6 {
		t.Fatalf("%d rows:\n%s", len(rows), text)
	}
	var only []map[string]any
	if code := s.do("GET", "/api/v1/admin/audit?kind=holiday.", admin, nil, &only); code != 200 || len(only) != 1 {
		t.Fatalf("kind filter: %d %v", code, only)
	}
	if code := s.do("GET", "/api/v1/admin/audit?actor=clerk1&desk=2", admin, nil, &only); code != 200 || len(only) != 0 {
		t.Fatalf("desk filter: %d %v", code, only)
	}
}

// A client of protocol 4 hears office.changed with the new desk; one of
// protocol 3 hears a noop in its place, so its sequence stays whole.
func TestOfficeChangedOverTheWebsocket(t *testing.T) {
	s := newTS(t)
	s.addUser("ona", queue.RoleAdmin)
	tok := s.login("ona")
	v4 := s.dialWS(t, "?protocol=4", "", nil)
	v3 := s.dialWS(t, "?protocol=3", "", nil)
	readMsg(t, v4) // snapshots
	readMsg(t, v3)
	s.issue("A") // the day has started: the next events are the change's
	readMsg(t, v4)
	readMsg(t, v4)
	readMsg(t, v3)
	readMsg(t, v3)
	if code := s.do("POST", "/api/v1/admin/desks", tok, map[string]any{"number": 7, "services": []string{"A"}}, nil); code != 200 {
		t.Fatalf("add desk: %d", code)
	}
	m := readMsg(t, v4)
	if m.Type != string(queue.EventOfficeChanged) || m.Event == nil || m.Event.Desk == nil || m.Event.Desk.Number != 7 {
		t.Fatalf("protocol 4 heard %s", m.raw)
	}
	if m := readMsg(t, v4); m.Type != string(queue.EventOfficeChanged) || m.Event.Desk != nil {
		t.Fatalf("protocol 4 then heard %s", m.raw)
	}
	if m := readMsg(t, v3); m.Type != wire.KindNoop {
		t.Fatalf("protocol 3 heard %s", m.raw)
	}
}

// The rules form: the current rules come back changed, the engine calls
// by the new policy at once, and a bad number is refused with the file's
// message.
func TestAdminRules(t *testing.T) {
	s := newTS(t)
	s.addUser("ona", queue.RoleAdmin)
	tok := s.login("ona")
	var view struct{ Rules map[string]any }
	if code := s.do("GET", "/api/v1/admin/config", tok, nil, &view); code != 200 {
		t.Fatal(code)
	}
	rules := view.Rules
	rules["priority"].(map[string]any)["policy"] = "fifo"
	rules["notice_minutes"] = 30
	rules["languages"] = []string{"lt", "ru", "en", "pl", "uk"}
	var ch queue.Change
	if code := s.do("PUT", "/api/v1/admin/rules", tok, rules, &ch); code != 200 || ch.Kind != "rules.changed" {
		t.Fatalf("rules: %d %+v", code, ch)
	}
	o := s.Eng.Office()
	if o.Priority.Policy != "fifo" || o.NoticeMinutes != 30 || o.Second() != "ru" || s.Eng.Policy().Name() != "fifo" {
		t.Fatalf("the rules did not apply: %+v, policy %s", o.Priority, s.Eng.Policy().Name())
	}
	rules["recall_limit"] = 0
	var e wire.ErrorBody
	code := s.do("PUT", "/api/v1/admin/rules", tok, rules, &e)
	// The file adds how to get the default ("leave the line out"), which
	// only a reader of the file can do.
	if code != 400 || e.Error.Message != "The configuration was not changed: recall_limit 0 is out of range 1-100" {
		t.Fatalf("recall_limit 0: %d %q", code, e.Error.Message)
	}
}

// A service's target wait is kept by a change that leaves it out (the
// form of before sent none and reset it to the default) and set by one
// that gives it; a new service without one gets the default.
func TestAdminServiceTargetWait(t *testing.T) {
	s := newTS(t)
	s.addUser("ona", queue.RoleAdmin)
	tok := s.login("ona")
	wait := func(letter string) float64 {
		svc, _ := s.Eng.Office().Service(letter)
		return svc.TargetWaitMinutes
	}
	if code := s.do("POST", "/api/v1/admin/services", tok, map[string]any{"letter": "C", "names": map[string]string{"lt": "Pasai"},
		"target_minutes": 7, "target_wait_minutes": 25}, nil); code != 200 || wait("C") != 25 {
		t.Fatalf("add with a target wait: %d, %v", code, wait("C"))
	}
	if code := s.do("PUT", "/api/v1/admin/services/C", tok, map[string]any{"names": map[string]string{"lt": "Pasai"},
		"target_minutes": 9}, nil); code != 200 || wait("C") != 25 {
		t.Fatalf("a change without the target wait: %d, target wait %v; want 25 kept", code, wait("C"))
	}
	if code := s.do("PUT", "/api/v1/admin/services/C", tok, map[string]any{"names": map[string]string{"lt": "Pasai"},
		"target_minutes": 9, "target_wait_minutes": 30}, nil); code != 200 || wait("C") != 30 {
		t.Fatalf("a change of the target wait: %d, %v", code, wait("C"))
	}
	if code := s.do("POST", "/api/v1/admin/services", tok, map[string]any{"letter": "E", "names": map[string]string{"lt": "Kita"},
		"target_minutes": 5}, nil); code != 200 || wait("E") != queue.DefaultTargetWaitMinutes {
		t.Fatalf("add without a target wait: %d, %v", code, wait("E"))
	}
	if code := s.do("PUT", "/api/v1/admin/services/C", tok, map[string]any{"names": map[string]string{"lt": "Pasai"},
		"target_minutes": 9, "target_wait_minutes": 900}, nil); code != 400 || wait("C") != 30 {
		t.Fatalf("a target wait out of range: %d, %v; want 400 and 30 kept", code, wait("C"))
	}
}
