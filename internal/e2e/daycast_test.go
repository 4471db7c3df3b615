package e2e_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/wire"
)

// dayOffice is a small hall for the whole simulated day: A (10 min) at
// desks 1 and 2, B (15 min) at desks 1 and 3, open 08:00-17:00 every day,
// announcements from 16:00, day end at 18:00, and no ticket issued past
// the cutoff once the announcements are due (beyond_cutoff: stop).
func dayOffice(t *testing.T) *queue.Office {
	t.Helper()
	o := &queue.Office{Name: "Langelio salė", TimeZone: "Europe/Vilnius", SecondLanguage: "en", BeyondCutoff: "stop",
		Services: []queue.Service{
			{Letter: "A", TargetMinutes: 10, Names: map[string]string{"lt": "Deklaravimas", "en": "Declaration of residence",
				"ru": "Декларирование", "pl": "Deklarowanie", "uk": "Декларування"}},
			{Letter: "B", TargetMinutes: 15, Names: map[string]string{"lt": "Išmokos", "en": "Social benefits",
				"ru": "Пособия", "pl": "Świadczenia", "uk": "Виплати"}},
		},
		Desks: []queue.DeskDef{{Number: 1, Services: []string{"A", "B"}}, {Number: 2, Services: []string{"A"}}, {Number: 3, Services: []string{"B"}}}}
	for d := range o.Hours.Week {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 17 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return o
}

// day is the whole simulated day's cast: one server whose office clock
// the test steps, a browser per role, and the clerks of desks 2 and 3 on
// the desk API (desk 1's clerk works on the desk page).
type day struct {
	t                           *testing.T
	s                           *e2e.Server
	kiosk, phone, display, desk context.Context
	clerks                      map[int]string // desk → token
	before                      []e2e.Rect     // the kiosk's finger targets at the start
	late                        issued         // the last ticket of the afternoon's rush
	step                        int
}

// shot writes a screenshot of every role's screen, numbered in order.
func (d *day) shot(name string) {
	d.step++
	for role, ctx := range map[string]context.Context{"kiosk": d.kiosk, "phone": d.phone, "display": d.display, "desk": d.desk} {
		e2e.Screenshot(d.t, ctx, fmt.Sprintf("day-%02d-%s-%s", d.step, name, role))
	}
}

// api runs a desk action as the desk's clerk through the desk API and
// returns the number of the ticket it concerns ("" when none).
func (d *day) api(n int, action string, body any) string {
	d.t.Helper()
	var r struct{ Ticket *struct{ Number string } }
	code := d.s.JSON("POST", fmt.Sprintf("/api/v1/desks/%d/%s", n, action), d.clerks[n], body, &r)
	if code == 204 {
		return ""
	}
	if code != 200 {
		d.t.Fatalf("desk %d %s at %s: %d", n, action, d.s.Clock.Now().Format("15:04"), code)
	}
	if r.Ticket == nil {
		return ""
	}
	return r.Ticket.Number
}

// calmPages are what each page shows when all is well: the kiosk's
// service buttons work under no cover, and the phone, the display and the
// desk show no offline mark.
var calmPages = []struct{ role, calm string }{
	{"kiosk", kioskCalm},
	{"phone", `document.getElementById("offline").hidden`},
	{"display", `document.getElementById("status").hidden`},
	{"desk", `document.getElementById("offline").hidden`},
}

func (d *day) page(role string) context.Context {
	return map[string]context.Context{"kiosk": d.kiosk, "phone": d.phone, "display": d.display, "desk": d.desk}[role]
}

// kioskClosedCalm is the kiosk after hours: it says the office is closed,
// under no offline cover.
const kioskClosedCalm = `document.getElementById("offline").hidden && !document.getElementById("closed").hidden`

// quiet lets nothing happen for three offline thresholds, looking at every
// page all along (a poll every 50 ms, and a sentinel on each page that
// sees every change): none may show an offline mark, not even for a
// moment, and the kiosk's buttons stay where they were (after hours, the
// kiosk says it is closed).
func (d *day) quiet(what string, keepAlive time.Duration, afterHours bool) {
	d.t.Helper()
	looks, uneasy := 0, map[string]int{}
	expr := func(role, calm string) string {
		if role == "kiosk" && afterHours {
			return kioskClosedCalm
		}
		return calm
	}
	for _, p := range calmPages {
		e2e.Sentinel(d.t, d.page(p.role), "calm", expr(p.role, p.calm))
	}
	for end := time.Now().Add(3 * wire.OfflineAfter(keepAlive)); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		looks++
		for _, p := range calmPages {
			var calm bool
			if err := chromedp.Run(d.page(p.role), chromedp.Evaluate(expr(p.role, p.calm), &calm)); err != nil {
				d.t.Fatalf("%s: look at the %s: %v", what, p.role, err)
			}
			if !calm {
				uneasy[p.role]++
			}
		}
	}
	for _, p := range calmPages {
		if n := uneasy[p.role]; n > 0 {
			d.t.Errorf("%s: the %s was not calm in %d of %d looks", what, p.role, n, looks)
		}
		if n := e2e.Lapses(d.t, d.page(p.role), "calm"); n != 0 {
			d.t.Errorf("%s: the %s lost its calm %d times (an offline mark, however short)", what, p.role, n)
		}
	}
	if !afterHours {
		e2e.SameRects(d.t, what, d.before, e2e.Rects(d.t, d.kiosk, fingerTargets))
	}
}

// takeAtKiosk touches a language, a service and a group, and returns the
// number the kiosk shows; want is the kiosk's "your number" in that
// language, and print what it says of the printer.
func (d *day) takeAtKiosk(lang, service, group, want, print string) string {
	d.t.Helper()
	run(d.t, d.kiosk, "take "+service+" in "+lang, e2e.Choose(lang, service, group), chromedp.WaitVisible("#number", chromedp.ByID))
	waitText(d.t, d.kiosk, "#result .label", want)
	waitKioskText(d.t, d.kiosk, "#print-status", print)
	return pageText(d.t, d.kiosk, "#number")
}

// ticketByNumber is today's ticket with that number, as the staff see it.
func (d *day) ticketByNumber(number string) queue.Ticket {
	d.t.Helper()
	var snap queue.Snapshot
	if code := d.s.JSON("GET", "/api/v1/queue", d.clerks[2], nil, &snap); code != 200 {
		d.t.Fatalf("staff queue: %d", code)
	}
	for _, x := range snap.Tickets {
		if x.Number == number {
			return x
		}
	}
	d.t.Fatalf("%s is not in the queue", number)
	return queue.Ticket{}
}
