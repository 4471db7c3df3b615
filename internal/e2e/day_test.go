package e2e_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/app"
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
// the test steps, a browser per role, and the clerks on the desk API.
type day struct {
	t                     *testing.T
	s                     *e2e.Server
	kiosk, phone, display context.Context
	clerks                map[int]string // desk → token
	before                []e2e.Rect     // the kiosk's finger targets at the start
	step                  int
}

// shot writes a screenshot of every role's screen, numbered in order.
func (d *day) shot(name string) {
	d.step++
	for role, ctx := range map[string]context.Context{"kiosk": d.kiosk, "phone": d.phone, "display": d.display} {
		e2e.Screenshot(d.t, ctx, fmt.Sprintf("day-%02d-%s-%s", d.step, name, role))
	}
}

// desk runs a desk action as the desk's clerk and returns the number of
// the ticket it concerns ("" when none).
func (d *day) desk(n int, action string) string {
	d.t.Helper()
	var r struct{ Ticket *struct{ Number string } }
	code := d.s.JSON("POST", fmt.Sprintf("/api/v1/desks/%d/%s", n, action), d.clerks[n], nil, &r)
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

// quiet lets nothing happen for five offline thresholds and holds the
// kiosk and the phone calm through it, and the kiosk's buttons where they
// were.
func (d *day) quiet(what string, keepAlive time.Duration) {
	d.t.Helper()
	span := 5 * wire.OfflineAfter(keepAlive)
	if held, n := e2e.Watch(d.t, d.kiosk, kioskCalm, span); held != n {
		d.t.Errorf("%s: the kiosk was calm in %d of %d looks", what, held, n)
	}
	if held, n := e2e.Watch(d.t, d.phone, `document.getElementById("offline").hidden`, span); held != n {
		d.t.Errorf("%s: the phone showed no offline mark in %d of %d looks", what, held, n)
	}
	e2e.SameRects(d.t, what, d.before, e2e.Rects(d.t, d.kiosk, fingerTargets))
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

// The issue's "whole simulated day", as far as the visitor pages go: a
// kiosk (1080x1920), a phone's status page (390x844) and the hall display
// (1920x1080, looked at only: its layout is the display's own tests'
// business) against one server whose office clock the test steps, with
// the clerks working through the desk API. Quiet periods longer than
// every keep-alive timeout pass with no offline mark and no kiosk button
// moving; tickets are taken in every priority group and language; the
// kiosk has no station, then one that prints, then one that fails; the
// end-of-day warning and refusal play on the kiosk and the status page;
// and the day ends. Each step leaves screenshots of the three screens
// (day-NN-step-role.png). The lead extends it with the desk page and the
// display's own checks.
func TestWholeSimulatedDay(t *testing.T) {
	keepAlive := 300 * time.Millisecond
	s := e2e.Start(t, e2e.Options{Office: dayOffice(t), At: "08:00",
		Configure: func(c *app.Config) { c.Server.KeepAlive = keepAlive }})
	d := &day{t: t, s: s, clerks: map[int]string{}}
	for n := 1; n <= 3; n++ {
		name := fmt.Sprintf("clerk%d", n)
		s.AddUser(name, queue.RoleClerk)
		d.clerks[n] = s.Login(name)
	}
	limit := 10 * time.Minute
	d.kiosk = e2e.KioskFor(t, limit)
	d.phone = e2e.PhoneFor(t, limit)
	d.display = e2e.BrowserFor(t, 1920, 1080, limit)
	run(t, d.display, "the display", chromedp.EmulateViewport(1920, 1080), chromedp.Navigate(s.URL+"/display"))
	run(t, d.kiosk, "the kiosk", chromedp.Navigate(s.URL+"/kiosk?kiosk=kiosk1"),
		chromedp.WaitEnabled(`#services button[data-service="A"]`, chromedp.ByQuery))
	d.before = e2e.Rects(t, d.kiosk, fingerTargets)
	d.desk(1, "open")
	d.desk(2, "open")
	d.shot("opening")

	// 08:00. Five visitors, one in each language and group. No station
	// prints at first: the kiosk shows the number and the code.
	var numbers []string
	numbers = append(numbers, d.takeAtKiosk("lt", "A", "child", "Jūsų numeris", "Spausdintuvas neveikia"))
	e2e.Axe(t, d.kiosk, "day: the kiosk with no station")
	d.shot("no-station")
	run(t, d.kiosk, "done", tap("#done"))
	// A station that prints.
	out := t.TempDir()
	stop := s.Station(t, "kiosk1", "--out", out)
	numbers = append(numbers, d.takeAtKiosk("en", "B", "pregnant", "Your number", "Your ticket is printing"))
	pdf := filepath.Join(out, "ticket-"+strings.ToLower(numbers[1])+".pdf")
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(pdf); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the station did not print %s", numbers[1])
		}
	}
	d.shot("printing")
	run(t, d.kiosk, "done", tap("#done"))
	stop()
	// A station whose printer fails.
	stop = s.Station(t, "kiosk1", "--print-cmd", "false")
	numbers = append(numbers, d.takeAtKiosk("ru", "A", "disability", "Ваш номер", "Принтер недоступен"))
	waitJS(t, d.kiosk, `document.getElementById("qr").naturalWidth > 0`)
	d.shot("printer-failed")
	run(t, d.kiosk, "done", tap("#done"))
	stop()
	numbers = append(numbers, d.takeAtKiosk("pl", "B", "elderly", "Twój numer", "Drukarka niedostępna"))
	run(t, d.kiosk, "done", tap("#done"))
	numbers = append(numbers, d.takeAtKiosk("uk", "A", "none", "Ваш номер", "Принтер недоступний"))
	d.shot("five-visitors")
	run(t, d.kiosk, "done", tap("#done"))
	if strings.Join(numbers, " ") != "A001 B001 A002 B002 A003" {
		t.Fatalf("the kiosk issued %v", numbers)
	}

	// The Ukrainian visitor follows A003 on the phone and lets it alert.
	var follow issued
	for _, x := range ticketsOf(t, s) {
		if x.Number == "A003" {
			follow = x
		}
	}
	run(t, d.phone, "the status page", e2e.PhoneAlerts(), chromedp.Navigate(s.URL+follow.StatusURL),
		chromedp.WaitVisible("#alerts", chromedp.ByID), tap("#alerts"))
	waitText(t, d.phone, "#status", "Ви в черзі")
	d.shot("phone-follows")

	// 08:05: quiet.
	s.Clock.Set(s.At("08:05"))
	d.quiet("the morning's quiet", keepAlive)

	// The desks work until A003 is called; the phone changes at once.
	called := ""
	for i := 0; i < 8 && called != "A003"; i++ {
		n := 1 + i%2
		if called = d.desk(n, "next"); called != "A003" && called != "" {
			d.desk(n, "start")
			d.desk(n, "finish")
		}
		s.Clock.Advance(4 * time.Minute)
	}
	if called != "A003" {
		t.Fatal("A003 was never called")
	}
	waitKioskText(t, d.phone, "#call-go", "Підійдіть до віконця")
	waitJS(t, d.phone, `window.__vibrations.length >= 2`)
	e2e.Axe(t, d.phone, "day: the phone called")
	d.shot("called")
	run(t, d.phone, "on my way", tap("#coming"))
	deskOf := map[bool]int{true: 1, false: 2}[strings.Contains(pageText(t, d.phone, "#call-go"), "1")]
	d.desk(deskOf, "start")
	d.desk(deskOf, "finish")
	waitText(t, d.phone, "#status", "Обслуговування завершено. Дякуємо!")
	d.shot("served")

	// 12:00, lunch: quiet again.
	s.Clock.Set(s.At("12:00"))
	d.quiet("lunch", keepAlive)

	// 14:30, a rush: far more than the afternoon can serve. The visitors
	// may take more than the kiosk computer's minute of tickets: real time
	// moves on between them.
	s.Clock.Set(s.At("14:30"))
	s.Real.Advance(2 * time.Minute)
	var late issued
	for i := 0; i < 40; i++ {
		late = issueTicket(t, s, []string{"A", "B"}[i%3/2])
	}
	s.Clock.Advance(5 * time.Second) // the forecast's run on the rush
	// Before the announcements, even this office asks rather than refuses:
	// the visitor takes a ticket anyway, sees the same on the phone, and
	// gives the place up there.
	run(t, d.kiosk, "a late visitor", e2e.Choose("lt", "B", "none"), chromedp.WaitVisible("#ask-title", chromedp.ByID))
	waitText(t, d.kiosk, "#ask-title", "Šiandien jūsų greičiausiai nebespėsime aptarnauti.")
	d.shot("kiosk-warns")
	run(t, d.kiosk, "take it anyway", tap("#ask-take"), chromedp.WaitVisible("#number", chromedp.ByID))
	anyway := pageText(t, d.kiosk, "#number")
	run(t, d.kiosk, "done", tap("#done"))
	var taken issued
	for _, x := range ticketsOf(t, s) {
		if x.Number == anyway {
			taken = x
		}
	}
	run(t, d.phone, "its status page", chromedp.Navigate(s.URL+taken.StatusURL), chromedp.WaitVisible("#number", chromedp.ByID))
	waitKioskText(t, d.phone, "#eod-text", "šiandien greičiausiai nebus aptarnautas")
	d.shot("phone-unlikely")
	run(t, d.phone, "give it up", tap("#eod-cancel"), tap("#cancel-yes"))
	waitText(t, d.phone, "#status", "Jūs atsisakėte vietos eilėje.")

	// 16:00, the announcements: the banner takes its space on the kiosk,
	// which now refuses; the last of the rush reads the news on the phone.
	s.Clock.Set(s.At("16:00"))
	s.Clock.Advance(5 * time.Second)
	waitKioskText(t, d.kiosk, "#eod", "Darbo diena baigiasi 17:00")
	e2e.SameRects(t, "with the banner", d.before, e2e.Rects(t, d.kiosk, fingerTargets))
	var snap queue.PublicSnapshot
	s.JSON("GET", "/api/v1/queue", "", nil, &snap)
	waiting := snap.Waiting["A"]
	run(t, d.kiosk, "a visitor at 16:00", e2e.Choose("ru", "A", "none"), chromedp.WaitVisible("#ask-title", chromedp.ByID))
	waitText(t, d.kiosk, "#ask-title", "Талоны на эту услугу сегодня больше не выдаются.")
	e2e.Axe(t, d.kiosk, "day: the kiosk refuses")
	run(t, d.phone, "the last of the rush", chromedp.Navigate(s.URL+"/t/"+late.ID), chromedp.WaitVisible("#number", chromedp.ByID))
	waitKioskText(t, d.phone, "#eod-text", "šiandien greičiausiai nebus aptarnautas")
	waitKioskText(t, d.phone, "#eod-giveup", "Jei norite, galite atsisakyti savo vietos eilėje.")
	d.shot("announcements")
	run(t, d.kiosk, "back", tap("#ask-back"), chromedp.WaitVisible("#services", chromedp.ByID))
	if s.JSON("GET", "/api/v1/queue", "", nil, &snap); snap.Waiting["A"] != waiting {
		t.Errorf("the kiosk refused, yet %d wait for A (were %d)", snap.Waiting["A"], waiting)
	}
	s.Clock.Set(s.At("16:30"))
	d.quiet("the last half hour", keepAlive)

	// 18:00, the day's end: what still waits is closed, and says when the
	// office opens again; so does the kiosk.
	s.Clock.Set(s.At("18:00"))
	waitText(t, d.phone, "#status", "Darbo diena baigėsi, bilietas nebegalioja.")
	waitText(t, d.phone, "#reopen", "Vėl dirbsime rytoj 08:00.")
	run(t, d.kiosk, "the kiosk, next look", chromedp.Reload(), chromedp.WaitVisible("#closed", chromedp.ByID))
	waitText(t, d.kiosk, "#closed", "Padalinys dabar nedirba. Vėl dirbsime rytoj 08:00.")
	e2e.Axe(t, d.kiosk, "day: the kiosk after the day")
	d.shot("day-end")
}
