package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"langelis/app"
	"langelis/i18n"
	"langelis/queue"
	"langelis/wire"
)

// ask sends a request as a page would, with the language in the way the
// case names, and returns the status and the error body.
func ask(t *testing.T, base, method, path, token, ctype, acceptLang string, body []byte) (int, wire.ErrorDetail) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if acceptLang != "" {
		req.Header.Set("Accept-Language", acceptLang)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var e wire.ErrorBody
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	return resp.StatusCode, e.Error
}

// Each error code a page can receive, asked for in each of the five
// languages (in the body's lang, the query's lang, or Accept-Language, as
// the pages do), comes back in that language with its code unchanged.
func TestErrorsInEveryLanguage(t *testing.T) {
	s := newTS(t)
	holder := s.login("clerk1")
	if code := s.do("POST", "/api/v1/desks/1/open", holder, nil, nil); code != 200 {
		t.Fatalf("open desk 1: %d", code)
	}
	paused := s.login("clerk2")
	s.do("POST", "/api/v1/desks/2/open", paused, nil, nil)
	if code := s.do("POST", "/api/v1/desks/2/pause", paused, map[string]string{"reason": "lunch"}, nil); code != 200 {
		t.Fatalf("pause desk 2: %d", code)
	}
	type tcase struct {
		name          string
		method, path  string
		token         string
		ctype         string
		body          func(lang string) []byte
		query, header bool // where the language goes when the body has none
		status        int
		code, key     string
		args          []any
	}
	js := func(v map[string]string) func(string) []byte {
		return func(lang string) []byte {
			m := map[string]string{}
			for k, x := range v {
				m[k] = x
			}
			if _, ok := m["lang"]; ok {
				m["lang"] = lang
			}
			b, _ := json.Marshal(m)
			return b
		}
	}
	cases := []tcase{
		{name: "wrong password", method: "POST", path: "/api/v1/session", ctype: "application/json",
			// A username per language: one username's five failures from
			// one address lock it (signin.go), and there are six languages.
			body: func(lang string) []byte {
				return []byte(`{"username":"clerk-` + lang + `","password":"wrong-one"}`)
			}, header: true,
			status: 401, code: queue.EUNAUTHORIZED, key: "err.signin.wrong"},
		{name: "unknown service", method: "POST", path: "/api/v1/tickets", ctype: "application/json",
			body:   js(map[string]string{"service": "Z", "lang": ""}),
			status: 400, code: queue.EINVALID, key: "err.service.unknown", args: []any{"service", "Z"}},
		{name: "unknown field", method: "POST", path: "/api/v1/tickets", ctype: "application/json",
			body:   js(map[string]string{"service": "A", "colour": "red", "lang": ""}),
			status: 400, code: queue.EINVALID, key: "err.json.unknown_field", args: []any{"field", "colour"}},
		{name: "paused desk", method: "POST", path: "/api/v1/desks/2/next", token: paused, header: true,
			status: 409, code: queue.ECONFLICT, key: "err.desk.paused", args: []any{"desk", 2}},
		{name: "held desk", method: "POST", path: "/api/v1/desks/1/next", token: paused, query: true,
			status: 403, code: queue.EFORBIDDEN, key: "err.desk.held", args: []any{"desk", 1}},
		{name: "no such ticket", method: "GET", path: "/api/v1/tickets/nosuchticketnosuchticket00", query: true,
			status: 404, code: queue.ENOTFOUND, key: "err.ticket.not_today"},
		{name: "not signed in", method: "POST", path: "/api/v1/desks/1/next", header: true,
			status: 401, code: queue.EUNAUTHORIZED, key: "err.signin.first"},
		{name: "not JSON", method: "POST", path: "/api/v1/tickets", ctype: "text/plain",
			body: func(string) []byte { return []byte("service=A") }, header: true,
			status: 415, code: wire.CodeMediaType, key: "err.not_json"},
		{name: "refuse without reason", method: "POST", path: "/api/v1/desks/1/refuse", token: holder, ctype: "application/json",
			body: js(map[string]string{}), query: true,
			status: 400, code: queue.EINVALID, key: "err.refuse.reason"},
	}
	for _, lang := range queue.Languages {
		for _, c := range cases {
			var body []byte
			if c.body != nil {
				body = c.body(lang)
			}
			path, header := c.path, ""
			if c.query {
				path += "?lang=" + lang
			}
			if c.header {
				header = lang + "-LT;q=0.9, de;q=0.5" // a browser's header, region and all
			}
			status, e := ask(t, s.URL, c.method, path, c.token, c.ctype, header, body)
			want := i18n.T(lang, c.key, c.args...)
			if status != c.status || e.Code != c.code || e.Message != want {
				t.Errorf("%s in %s: %d %s %q; want %d %s %q", c.name, lang, status, e.Code, e.Message, c.status, c.code, want)
			}
			if lang != "en" && e.Message == i18n.T("en", c.key, c.args...) {
				t.Errorf("%s in %s: the message is the English one", c.name, lang)
			}
		}
	}
	// The office is closed at 21:00 (it opens 08:00-20:00): the closed
	// notice names tomorrow, in the visitor's grammar.
	s.Clock.Set(s.At("21:00"))
	for lang, want := range map[string]string{
		"lt": "Įstaiga šiuo metu nedirba. Vėl dirbsime rytoj 08:00.",
		"en": "The office is closed. It opens tomorrow at 08:00.",
		"ru": "Учреждение сейчас закрыто. Откроемся завтра в 08:00.",
		"pl": "Urząd jest teraz nieczynny. Zapraszamy jutro o 08:00.",
		"uk": "Установа зараз зачинена. Відкриємося завтра о 08:00.",
		"bg": "Центърът в момента не работи. Отваряме утре в 08:00.",
	} {
		status, e := ask(t, s.URL, "POST", "/api/v1/tickets", "", "application/json", "", []byte(`{"service":"A","lang":"`+lang+`"}`))
		if status != 409 || e.Code != queue.ECLOSED || e.Message != want {
			t.Errorf("closed in %s: %d %s %q; want %q", lang, status, e.Code, e.Message, want)
		}
	}
}

// A request that says nothing of its language is answered in the office's
// first language, whichever that is: here Polish, with Lithuanian second.
func TestErrorsInTheOfficesFirstLanguage(t *testing.T) {
	o := testOffice()
	o.Languages, o.SecondLanguage = []string{"pl", "lt"}, ""
	for i := range o.Services {
		o.Services[i].Names["pl"] = "Usługa " + o.Services[i].Letter
	}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	s := newTSApp(t, func(c *app.Config) { c.Office = o })
	status, e := ask(t, s.URL, "POST", "/api/v1/tickets", "", "application/json", "", []byte(`{"service":"Z"}`))
	if want := "Nie ma tu usługi „Z”."; status != 400 || e.Message != want {
		t.Fatalf("no language given: %d %q; want %q", status, e.Message, want)
	}
	// A language Langelis has no texts in falls back to the office's too.
	if _, e = ask(t, s.URL, "POST", "/api/v1/session", "", "application/json", "de-DE, fr", []byte(`{"username":"x","password":"y"}`)); e.Message != i18n.T("pl", "err.signin.wrong") {
		t.Fatalf("Accept-Language de, fr: %q", e.Message)
	}
	var office wire.Office
	s.do("GET", "/api/v1/office", "", nil, &office)
	if len(office.Languages) != 2 || office.Languages[0] != "pl" || office.SecondLanguage != "lt" {
		t.Fatalf("GET /api/v1/office languages %v, second %q", office.Languages, office.SecondLanguage)
	}
}
