package assets_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/wire"
)

// The pages' modules that need no page (eod.js's words, live.js's
// connection) have plain unit tests in jstest/, run by node. Their inputs
// are written here from the server's own types, so a field the server
// renames breaks them here rather than on a screen.
func TestPagesJavaScript(t *testing.T) {
	fx := filepath.Join(t.TempDir(), "eod.json")
	if err := os.WriteFile(fx, eodFixtures(t), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LANGELIS_EOD_FIXTURES", fx)
	out := e2e.Node(t, nil, "--test", "--test-reporter=spec", "jstest/")
	t.Logf("%s", out)
}

// eodFixtures: an office closing at 17:00 in Vilnius, 8 waiting and 6 of
// them (up to A006) served today, as GET /api/v1/queue, /tickets/{id} and
// /tickets/preview answer them.
func eodFixtures(t *testing.T) []byte {
	vilnius, err := time.LoadLocation("Europe/Vilnius")
	if err != nil {
		t.Fatal(err)
	}
	at := func(hh, mm int) time.Time { return time.Date(2026, 11, 23, hh, mm, 0, 0, vilnius) }
	yes, no := true, false
	ahead := 0
	cutoff := queue.Cutoff{Closing: at(17, 0), Count: 6, Last: "A006", Waiting: 8,
		PerService: map[string]int{"A": 6}, LastPer: map[string]string{"A": "A006"}, Notice: true}
	early, none := cutoff, cutoff
	early.Notice = false
	none.Count, none.Last = 0, ""
	empty := none // 10:05, the office open until evening, no one waiting
	empty.Waiting, empty.PerService, empty.LastPer, empty.Notice = 0, nil, nil, false
	estimate := at(16, 0)
	ticket := func(number string, st queue.Status, today *bool) wire.Ticket {
		return wire.Ticket{ID: "tok-" + number, Number: number, Service: "A", Status: st, Lang: "lt", IssuedAt: at(15, 30),
			Ahead: &ahead, ServedToday: today, StatusURL: "/t/tok-" + number, PDFURL: "/api/v1/tickets/tok-" + number + "/pdf"}
	}
	first := ticket("A001", queue.Waiting, &yes)
	first.EstimatedCallAt = &estimate
	next := at(8, 0).AddDate(0, 0, 1)
	preview := func(action string, today *bool) wire.Preview {
		pv := wire.Preview{Preview: queue.Preview{Service: "A", Open: action != "closed", Ahead: 8, Today: today, Action: action, Cutoff: &cutoff}}
		if action != "closed" {
			pv.OpenDesks = 1
		}
		return pv
	}
	// No open desk serves C: the hall's figures (A's) are not its reason.
	noDesk := preview("warn", &no)
	noDesk.Service, noDesk.OpenDesks = "C", 0
	closed := preview("closed", nil)
	closed.NextOpening = &next
	// The forecast's answers: the hall's ranges, a visitor's chances and
	// call ranges, a preview's chance.
	withRange := func(lo, hi int) queue.Cutoff {
		c := cutoff
		c.CountRange = &[2]int{lo, hi}
		return c
	}
	chance := func(number string, p float64, median, from, to time.Time) wire.Ticket {
		tk := ticket(number, queue.Waiting, &yes)
		tk.ServedTodayProbability = &p
		tk.EstimatedCallRange = &queue.CallRange{Median: median, From: from, To: to}
		return tk
	}
	warnP := preview("warn", &no)
	p40 := 0.4
	warnP.TodayProbability = &p40
	// Two services: the hall's last number is an A, a B visitor's line
	// ends at B003.
	two := cutoff
	two.Count, two.PerService, two.LastPer = 9, map[string]int{"A": 6, "B": 3}, map[string]string{"A": "A006", "B": "B003"}
	bLate := ticket("B005", queue.Waiting, &no)
	bLate.Service = "B"
	// A warning with a 70 % chance, as the hall hears a range of 4 to 7.
	maybeRange := preview("warn", &no)
	p70, rng := 0.7, withRange(4, 7)
	maybeRange.TodayProbability, maybeRange.Cutoff = &p70, &rng
	o := &queue.Office{Name: "Testas", TimeZone: "Europe/Vilnius"}
	b, err := json.Marshal(map[string]any{
		"office": wire.Office{Office: o, Now: at(16, 0), Today: []queue.Interval{}, Languages: queue.Languages},
		"cutoff": cutoff, "cutoffEarly": early, "cutoffNone": none, "cutoffEmpty": empty,
		"first": first, "seventh": ticket("A007", queue.Waiting, &no),
		"overtaken": ticket("A004", queue.Waiting, &no), // counted in by the hall, overtaken by priority visitors
		"called":    ticket("A002", queue.Called, nil), "unplaced": ticket("A009", queue.Waiting, nil),
		"previewWarn": preview("warn", &no), "previewStop": preview("stop", &no),
		"previewIssue": preview("issue", &yes), "previewClosed": closed,
		"cutoffRange": withRange(4, 7), "cutoffUpto": withRange(0, 2), "cutoffSure": withRange(6, 6),
		"cutoffSureOther": withRange(5, 5), "cutoffSureNone": withRange(0, 0),
		"likely":       chance("A003", 0.95, at(16, 10), at(16, 2), at(16, 25)),
		"maybe":        chance("A005", 0.7, at(16, 40), at(16, 20), time.Time{}),
		"unlikely":     chance("A006", 0.27, at(16, 58), at(16, 30), time.Time{}),
		"hopeless":     chance("A008", 0.02, time.Time{}, time.Time{}, time.Time{}),
		"previewWarnP": warnP, "previewNoDesk": noDesk, "previewMaybeRange": maybeRange, "cutoffTwo": two, "bLate": bLate,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
