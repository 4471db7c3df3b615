package e2e_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"langelis/internal/e2e"
	"langelis/queue"
)

// eodOffice: one desk serving A at ten minutes a client, open 08:00-17:00,
// announcements from 16:00, day end at 18:00, warn beyond the cutoff.
func eodOffice(t *testing.T) *queue.Office {
	o := &queue.Office{Name: "Testas", TimeZone: "Europe/Vilnius", SecondLanguage: "en",
		Services: []queue.Service{{Letter: "A", Names: map[string]string{"lt": "Deklaravimas"}, TargetMinutes: 10}},
		Desks:    []queue.DeskDef{{Number: 1, Services: []string{"A"}}}}
	for d := 0; d < 7; d++ {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 17 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return o
}

type sideMsg struct {
	Seq    uint64        `json:"seq"`
	Type   string        `json:"type"`
	Cutoff *queue.Cutoff `json:"cutoff"`
	Ticket *struct {
		Number string `json:"number"`
		Status string `json:"status"`
	} `json:"ticket"`
}

// hallClient is a public websocket client, as the hall display is.
type hallClient struct {
	t    *testing.T
	conn *websocket.Conn
}

func dialHall(t *testing.T, s *e2e.Server) *hallClient {
	c, _, err := websocket.DefaultDialer.Dial("ws://"+s.Addr+"/api/v1/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &hallClient{t: t, conn: c}
}

// until reads messages until one satisfies ok, within a few seconds.
func (h *hallClient) until(what string, ok func(m sideMsg) bool) sideMsg {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		h.conn.SetReadDeadline(deadline)
		_, data, err := h.conn.ReadMessage()
		if err != nil {
			h.t.Fatalf("waiting for %s: %v", what, err)
		}
		var m sideMsg
		if err := json.Unmarshal(data, &m); err != nil {
			h.t.Fatal(err)
		}
		if ok(m) {
			return m
		}
	}
}

type ticketAnswer struct {
	ID           string     `json:"id"`
	Number       string     `json:"number"`
	Status       string     `json:"status"`
	ServedToday  *bool      `json:"served_today"`
	BeyondCutoff bool       `json:"beyond_cutoff"`
	EstimateAt   *time.Time `json:"estimated_call_at"`
	Error        struct{ Code string }
}

// A whole day's end with a controlled clock: the banner appears at the set
// time with the right count and ticket, the kiosk warns and then closes,
// the clerk's called ticket is finished after closing, the rest are closed
// at day end, and the next day starts from A001. A restart in the middle
// changes nothing.
func TestEndOfDay(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	o := eodOffice(t)
	local := func(hhmm string) time.Time {
		tm, _ := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, o.Location())
		return tm
	}
	s := e2e.Start(t, e2e.Options{Office: o, At: local("15:30")})
	s.AddUser("clerk1", queue.RoleClerk)
	tok := s.Login("clerk1")
	desk := func(action string, body any) int {
		t.Helper()
		return s.JSON("POST", "/api/v1/desks/1/"+action, tok, body, nil)
	}
	if code := desk("open", nil); code != 200 {
		t.Fatalf("open desk: %d", code)
	}
	issue := func() (ticketAnswer, int) {
		var a ticketAnswer
		code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "channel": "kiosk"}, &a)
		return a, code
	}
	var tickets []ticketAnswer
	for i := 0; i < 8; i++ {
		a, code := issue()
		if code != 201 || a.ServedToday == nil || !*a.ServedToday || a.BeyondCutoff {
			t.Fatalf("ticket %d at 15:30: %d %+v", i+1, code, a)
		}
		tickets = append(tickets, a)
	}
	h := dialHall(t, s)
	h.until("the snapshot", func(m sideMsg) bool { return m.Type == "snapshot" })

	// 16:00: the notice time. Six more can be called by 17:00 (16:00 ...
	// 16:50), so the banner says 6, up to A006, within a tick.
	s.Clock.Set(local("16:00"))
	m := h.until("the cutoff notice", func(m sideMsg) bool { return m.Type == "cutoff" && m.Cutoff != nil && m.Cutoff.Notice })
	if m.Cutoff.Count != 6 || m.Cutoff.Last != "A006" || m.Cutoff.Waiting != 8 {
		t.Fatalf("announced cutoff %+v, want 6 up to A006 of 8", m.Cutoff)
	}
	announced := m.Cutoff.Count
	// What the hallClient, the kiosk and two visitors' status pages say, through
	// eod.js in Chromium from the server's own answers.
	got := eodTexts(t, s, `
		const q = await get("/api/v1/queue"), pv = await get("/api/v1/tickets/preview?service=A");
		const first = await get("/api/v1/tickets/`+tickets[0].ID+`"), seventh = await get("/api/v1/tickets/`+tickets[6].ID+`");
		return [eod.bannerText("lt", q.cutoff, o), eod.bannerText("en", q.cutoff, o), eod.kioskNotice("lt", pv, o).text,
			eod.statusNotice("lt", first, q.cutoff, o).text, eod.statusNotice("ru", seventh, q.cutoff, o).text,
			eod.statusNotice("ru", seventh, q.cutoff, o).button,
			eod.statusNotice("en", {...first, served_today: false, estimated_call_at: null}, q.cutoff, o).text];`)
	want := []string{
		"Darbo diena baigiasi 17:00. Šiandien dar bus aptarnauti 6 klientai, iki bilieto A006.",
		"The office closes at 17:00. 6 more clients can still be served today, up to ticket A006.",
		"Prieš jus eilėje: 8 klientai. Darbo diena baigiasi 17:00. Šis bilietas šiandien greičiausiai nebus aptarnautas.",
		"Tikėtina, kad šiandien būsite aptarnauti, apie 16:00.",
		"Рабочий день заканчивается в 17:00. Ваш талон A007, скорее всего, сегодня не будет обслужен: ещё будут обслужены 6 клиентов, до талона A006.",
		"Отказаться от места",
		// A ticket the hall's figure counts in (it knows no priority) but
		// that the policy puts past closing (priority visitors overtook
		// it) is told so without the figure that would say the opposite.
		"The office closes at 17:00. Your ticket A001 is unlikely to be served today.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("end-of-day texts:\n got %q\nwant %q", got, want)
	}

	// The kiosk previews a 9th ticket: beyond the cutoff, so it warns
	// (this office warns rather than stops); taken anyway, it says so.
	var pv queue.Preview
	if code := s.JSON("GET", "/api/v1/tickets/preview?service=A", "", nil, &pv); code != 200 || pv.Action != "warn" || pv.Today == nil || *pv.Today || pv.Ahead != 8 {
		t.Fatalf("preview of a 9th: %d %+v", code, pv)
	}
	if a, code := issue(); code != 201 || !a.BeyondCutoff || a.ServedToday == nil || *a.ServedToday {
		t.Fatalf("9th ticket: %d %+v", code, a)
	} else {
		tickets = append(tickets, a)
	}
	// The 7th visitor's status page: not today.
	var a7 ticketAnswer
	s.JSON("GET", "/api/v1/tickets/"+tickets[6].ID, "", nil, &a7)
	if a7.ServedToday == nil || *a7.ServedToday {
		t.Fatalf("A007 served today? %+v", a7)
	}

	// The clerk serves at the expected pace: a call every ten minutes.
	served := 0
	for i := 0; i < 6; i++ {
		if code := desk("next", nil); code != 200 {
			t.Fatalf("next at %s: %d", s.Clock.Now().In(o.Location()).Format("15:04"), code)
		}
		if code := desk("start", nil); code != 200 {
			t.Fatal("start", code)
		}
		served++
		if i == 2 { // a restart in the middle changes nothing
			var before, after queue.PublicSnapshot
			s.JSON("GET", "/api/v1/queue", "", nil, &before)
			s.Restart()
			h = dialHall(t, s)
			s.JSON("GET", "/api/v1/queue", "", nil, &after)
			if fmt.Sprint(before.Cutoff) != fmt.Sprint(after.Cutoff) || before.Seq != after.Seq {
				t.Fatalf("restart changed the cutoff: %+v → %+v", before.Cutoff, after.Cutoff)
			}
			tok = s.Login("clerk1")
		}
		s.Clock.Advance(10 * time.Minute)
	}
	// 17:00: the kiosk is closed; A006 is still being served.
	if _, code := issue(); code != 409 {
		t.Fatalf("ticket at 17:00: %d, want 409 office_closed", code)
	}
	if s.JSON("GET", "/api/v1/tickets/preview?service=A", "", nil, &pv); pv.Action != "closed" {
		t.Fatalf("preview at 17:00: %+v", pv)
	}
	s.Clock.Set(local("17:05"))
	var fin struct{ Ticket *ticketAnswer }
	if code := s.JSON("POST", "/api/v1/desks/1/finish", tok, nil, &fin); code != 200 || fin.Ticket.Number != "A006" || fin.Ticket.Status != "done" {
		t.Fatalf("finishing A006 after closing: %d %+v", code, fin.Ticket)
	}
	if served != announced {
		t.Fatalf("announced %d, served %d", announced, served)
	}

	// 18:00: day end. The three still waiting are closed with an event.
	s.Clock.Set(local("18:00"))
	closed := map[string]bool{}
	for len(closed) < 3 {
		m := h.until("ticket.closed", func(m sideMsg) bool { return m.Type == "ticket.closed" })
		closed[m.Ticket.Number] = true
	}
	if !closed["A007"] || !closed["A008"] || !closed["A009"] {
		t.Fatalf("closed at day end: %v", closed)
	}
	h.until("the banner's end", func(m sideMsg) bool { return m.Type == "cutoff" && m.Cutoff != nil && !m.Cutoff.Notice })
	var a8 ticketAnswer
	if code := s.JSON("GET", "/api/v1/tickets/"+tickets[7].ID, "", nil, &a8); code != 200 || a8.Status != "closed" {
		t.Fatalf("A008 after day end: %d %+v", code, a8)
	}

	// The next morning starts from A001.
	s.Clock.Set(local("08:00").Add(24 * time.Hour))
	if a, code := issue(); code != 201 || a.Number != "A001" {
		t.Fatalf("next day's first ticket: %d %+v", code, a)
	}
}

// eodTexts runs body (which may use eod, get(path) and the office o) in
// a page of the server, with eod.js loaded in lt, en and ru, and returns
// the strings it returns.
func eodTexts(t *testing.T, s *e2e.Server, body string) []string {
	t.Helper()
	ctx := e2e.Browser(t, 800, 600)
	var got []string
	js := `(async () => {
		const eod = await import("/static/js/eod.js");
		await eod.loadEod(["lt", "en", "ru"]);
		const get = async (p) => (await fetch(p)).json();
		const o = await get("/api/v1/office");
		` + body + `
	})()`
	err := chromedp.Run(ctx, chromedp.Navigate(s.URL+"/"),
		chromedp.Evaluate(js, &got, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if err != nil {
		t.Fatal(err)
	}
	return got
}
