package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/queue"
)

// The watcher of issue 11: someone in the hall (or on its Wi-Fi) reads
// everything public between calls, while tickets are issued one after
// another and no desk calls, and tries to tell which tickets have
// priority. Priority is health or family data (DESIGN.md invariant 6).
//
// The test runs the same afternoon twice, with the priority groups of ten
// tickets swapped between the runs, and records everything public after
// each issue: the public queue (with its end-of-day cutoff), the kiosk's
// preview for a regular and a priority visitor, and every websocket
// message of the public stream. The two records must be the same byte for
// byte: then whatever a watcher concludes, it concludes the same in both
// runs, so it is right about a ticket in exactly one of them, which is
// chance. The watcher that read the cutoff's last number (right about 10
// of 10 before the hall's figure ignored priority) is run on both records
// for the figure.
func TestWatcherCannotTellPriority(t *testing.T) {
	groups := []queue.Category{"elderly", "", "", "child", "disability", "", "pregnant", "", "", "elderly"}
	swapped := make([]queue.Category, len(groups))
	for i, c := range groups {
		if c == "" {
			swapped[i] = "child"
		}
	}
	recA, cutA, pagesA := watchAfternoon(t, groups)
	recB, cutB, pagesB := watchAfternoon(t, swapped)
	right := 0
	for _, run := range []struct {
		groups []queue.Category
		cuts   []string
	}{{groups, cutA}, {swapped, cutB}} {
		guess := lastNumberWatcher(run.cuts)
		n := 0
		for i, g := range guess {
			if g == run.groups[i].IsPriority() {
				n++
			}
		}
		t.Logf("the last-number watcher classified %d of %d tickets", n, len(guess))
		right += n
	}
	if len(recA) != len(recB) {
		t.Fatalf("the public record has %d entries in one run and %d in the other", len(recA), len(recB))
	}
	for i := range recA {
		if !bytes.Equal(recA[i], recB[i]) {
			t.Fatalf("what the hall sees depends on who has priority (entry %d):\n%s\n%s", i, recA[i], recB[i])
		}
	}
	if right != len(groups) {
		t.Fatalf("the watcher was right %d times over both runs, want exactly %d (chance)", right, len(groups))
	}
	// Each visitor's own page still tells the truth under the real policy:
	// a priority ticket that will be called today is told so, even when
	// its number is past the last number the hall hears.
	for _, pages := range [][]ownPage{pagesA, pagesB} {
		past := 0
		for _, p := range pages {
			if p.ServedToday == nil || *p.ServedToday != p.real.Today || p.BeyondCutoff != !p.real.Today || p.Ahead == nil || *p.Ahead != p.real.Ahead {
				t.Fatalf("ticket %s is told served today %v (beyond %v), ahead %v; the projection says %+v",
					p.Number, p.ServedToday, p.BeyondCutoff, p.Ahead, p.real)
			}
			if p.priority && p.real.Today && p.Number > "A024" {
				past++
			}
		}
		if past == 0 {
			t.Fatal("no priority ticket past the hall's last number is called today: the case the pages must get right is not tested")
		}
	}
}

// ownPage is what a ticket's holder reads on their status page.
type ownPage struct {
	Number       string     `json:"number"`
	Ahead        *int       `json:"ahead"`
	EstimateAt   *time.Time `json:"estimated_call_at"`
	ServedToday  *bool      `json:"served_today"`
	BeyondCutoff bool       `json:"beyond_cutoff"`
	priority     bool
	real         queue.Estimate // under the office's policy, from the staff's snapshot
}

// watchAfternoon plays one afternoon: at 18:00 two desks are open for
// service A (ten minutes a visitor), 24 regular tickets wait (exactly what
// the two desks get through before 20:00), then ten more tickets come in
// the given groups, and no desk calls. It returns the public record, the
// public cutoff before the ten and after each of them, and the ten
// holders' own pages at the end.
func watchAfternoon(t *testing.T, groups []queue.Category) (record [][]byte, lasts []string, pages []ownPage) {
	// The forecaster's cadence is real time, which the harness holds
	// still: it runs when the test steps real time, after each issue, so
	// that its public range (count_range, the previews' ranges, learned
	// from the day's events) is in the record at moments the test fixes
	// (forecast TestPublicRunKnowsNoPriority and
	// TestPublicForecastKnowsNoPriority say why it knows no priority).
	s := newTS(t)
	s.Clock.Set(s.At("18:00"))
	ws := s.dialWS(t, "", "", nil)
	readMsg(t, ws) // the snapshot: joined before the tickets below
	for d := 1; d <= 2; d++ {
		if code := s.do("POST", fmt.Sprintf("/api/v1/desks/%d/open", d), s.login(fmt.Sprint("clerk", d)), nil, nil); code != 200 {
			t.Fatalf("open desk %d: %d", d, code)
		}
	}
	for range 24 {
		s.issue("A")
	}
	readUntil(t, ws, `"waiting":24,`) // the record starts from here
	get := func(path string) []byte {
		res, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
		}
		return b
	}
	cutoff := func(q []byte) string {
		var pub queue.PublicSnapshot
		if err := json.Unmarshal(q, &pub); err != nil || pub.Cutoff == nil {
			t.Fatalf("public queue: %v %s", err, q)
		}
		return fmt.Sprint(pub.Cutoff.Count, pub.Cutoff.Last, pub.Cutoff.LastPer)
	}
	lasts = append(lasts, cutoff(get("/api/v1/queue")))
	var ids []string
	for _, g := range groups {
		s.Clock.Advance(time.Second)
		var r struct {
			ID string `json:"id"`
		}
		if code := s.do("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "priority": string(g)}, &r); code != 201 {
			t.Fatalf("issue: %d", code)
		}
		ids = append(ids, r.ID)
		q := get("/api/v1/queue")
		record = append(record, q, get("/api/v1/tickets/preview?service=A"),
			get("/api/v1/tickets/preview?service=A&priority=child"), get("/api/v1/tickets/preview?service=B&priority=elderly"))
		lasts = append(lasts, cutoff(q))
		// The stream up to the cutoff that counts this ticket: the next
		// ticket is issued only then, so that the record does not depend
		// on how fast the hub and the engine happen to run.
		record = append(record, readUntil(t, ws, fmt.Sprintf(`"waiting":%d,`, 24+len(ids)))...)
		// The forecaster's run on this state, and what it makes public.
		s.Real.Advance(5 * time.Second)
		q = get("/api/v1/queue")
		if !bytes.Contains(q, []byte(`"count_range"`)) {
			t.Fatalf("no forecast range in the public queue after the forecaster's run: %s", q)
		}
		record = append(record, q, get("/api/v1/tickets/preview?service=A"), get("/api/v1/tickets/preview?service=A&priority=child"))
	}
	// A last public event marks the end of the stream to record.
	if code := s.do("POST", "/api/v1/desks/3/open", s.login("clerk3"), nil, nil); code != 200 {
		t.Fatalf("open desk 3: %d", code)
	}
	record = append(record, readUntil(t, ws, `"type":"desk.opened"`)...)
	staff, err := s.Eng.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		p := ownPage{priority: groups[i].IsPriority(), real: staff.Estimate[id]}
		if code := s.do("GET", "/api/v1/tickets/"+id, "", nil, &p); code != 200 {
			t.Fatalf("own page: %d", code)
		}
		pages = append(pages, p)
	}
	return record, lasts, pages
}

// lastNumberWatcher guesses that a ticket has priority when the hall's
// cutoff moved as it was issued: a regular ticket joins the end of a line
// already past the cutoff, a priority one is projected ahead of it.
func lastNumberWatcher(cuts []string) []bool {
	out := make([]bool, len(cuts)-1)
	for i := range out {
		out[i] = cuts[i+1] != cuts[i]
	}
	return out
}

// readUntil reads websocket messages up to the first that contains mark.
func readUntil(t *testing.T, ws *websocket.Conn, mark string) [][]byte {
	t.Helper()
	var out [][]byte
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, m, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("reading up to %s: %v", mark, err)
		}
		out = append(out, m)
		if bytes.Contains(m, []byte(mark)) {
			return out
		}
	}
}
