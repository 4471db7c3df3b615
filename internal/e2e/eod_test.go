package e2e_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/wire"
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
func (h *hallClient) until(what string, ok func(m wire.Message) bool) wire.Message {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		h.conn.SetReadDeadline(deadline)
		_, data, err := h.conn.ReadMessage()
		if err != nil {
			h.t.Fatalf("waiting for %s: %v", what, err)
		}
		m, err := wire.Decode(data)
		if err != nil {
			h.t.Fatal(err)
		}
		if ok(m) {
			return m
		}
	}
}

// A whole day's end with a controlled clock: the banner appears at the set
// time with the right count and ticket, the kiosk warns and then closes,
// the clerk's called ticket is finished after closing, the rest are closed
// at day end, and the next day starts from A001. A restart in the middle
// changes nothing.
func TestEndOfDay(t *testing.T) {
	o := eodOffice(t)
	s := e2e.Start(t, e2e.Options{Office: o, At: "15:30"})
	local := s.At
	s.AddUser("clerk1", queue.RoleClerk)
	tok := s.Login("clerk1")
	desk := func(action string, body any) int {
		t.Helper()
		return s.JSON("POST", "/api/v1/desks/1/"+action, tok, body, nil)
	}
	if code := desk("open", nil); code != 200 {
		t.Fatalf("open desk: %d", code)
	}
	issue := func() (wire.Ticket, int) {
		var a wire.Ticket
		code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "channel": "kiosk"}, &a)
		return a, code
	}
	var tickets []wire.Ticket
	for i := 0; i < 8; i++ {
		a, code := issue()
		if code != 201 || a.ServedToday == nil || !*a.ServedToday || a.BeyondCutoff {
			t.Fatalf("ticket %d at 15:30: %d %+v", i+1, code, a)
		}
		tickets = append(tickets, a)
	}
	h := dialHall(t, s)
	h.until("the snapshot", func(m wire.Message) bool { return m.Type == "snapshot" })

	// 16:00: the notice time. Six more can be called by 17:00 (16:00 ...
	// 16:50), so the banner says 6, up to A006, within a tick.
	s.Clock.Set(local("16:00"))
	m := h.until("the cutoff notice", func(m wire.Message) bool { return m.Type == "cutoff" && m.Cutoff != nil && m.Cutoff.Notice })
	if m.Cutoff.Count != 6 || m.Cutoff.Last != "A006" || m.Cutoff.Waiting != 8 {
		t.Fatalf("announced cutoff %+v, want 6 up to A006 of 8", m.Cutoff)
	}
	announced := m.Cutoff.Count
	// What the pages make of these answers is eod.js's unit tests'
	// business (assets/jstest/eod.test.mjs); the page test of the
	// end-of-day warnings comes with the pages that show them.

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
	var a7 wire.Ticket
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
			// A tick first, so that the running server's forecast is of
			// this state too (it runs every few seconds of real time,
			// after changes).
			s.Clock.Advance(5 * time.Second)
			s.Real.Advance(5 * time.Second)
			var before, after queue.PublicSnapshot
			s.JSON("GET", "/api/v1/queue", "", nil, &before)
			s.Restart()
			h = dialHall(t, s)
			s.JSON("GET", "/api/v1/queue", "", nil, &after)
			// The whole figure, the forecast's range too: a restarted server
			// learns the day from its tickets and forecasts before it serves.
			b, _ := json.Marshal(before.Cutoff)
			a, _ := json.Marshal(after.Cutoff)
			if !bytes.Equal(b, a) || before.Seq != after.Seq || before.Cutoff.CountRange == nil {
				t.Fatalf("restart changed the cutoff: %s → %s", b, a)
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
	var fin queue.DeskResult
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
		m := h.until("ticket.closed", func(m wire.Message) bool { return m.Type == "ticket.closed" })
		closed[m.Event.Ticket.Number] = true
	}
	if !closed["A007"] || !closed["A008"] || !closed["A009"] {
		t.Fatalf("closed at day end: %v", closed)
	}
	h.until("the banner's end", func(m wire.Message) bool { return m.Type == "cutoff" && m.Cutoff != nil && !m.Cutoff.Notice })
	var a8 wire.Ticket
	if code := s.JSON("GET", "/api/v1/tickets/"+tickets[7].ID, "", nil, &a8); code != 200 || a8.Status != "closed" {
		t.Fatalf("A008 after day end: %d %+v", code, a8)
	}

	// The next morning starts from A001.
	s.Clock.Set(local("08:00").AddDate(0, 0, 1)) // a calendar day: 23 or 25 hours on a daylight-saving day
	if a, code := issue(); code != 201 || a.Number != "A001" {
		t.Fatalf("next day's first ticket: %d %+v", code, a)
	}
}
