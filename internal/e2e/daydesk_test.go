package e2e_test

import (
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"

	"langelis/i18n"
	"langelis/internal/e2e"
)

// What the whole day's clerk does on the desk page (1366x768, in
// Lithuanian) and what the hall display shows of it: the checks a person
// at the desk or in the hall would make.

// deskLang is the desk clerk's language.
const deskLang = "lt"

// say is the desk page's text for key, in the clerk's language.
func say(key string, args ...any) string { return i18n.T(deskLang, key, args...) }

// press is the clerk pressing a key on the desk page; then waits for
// what the page shows afterwards.
func (d *day) press(step, key string, then ...chromedp.Action) {
	d.t.Helper()
	run(d.t, d.desk, step, append([]chromedp.Action{chromedp.KeyEvent(key)}, then...)...)
}

// click is the clerk clicking a button on the desk page.
func (d *day) click(step, sel string, then ...chromedp.Action) {
	d.t.Helper()
	run(d.t, d.desk, step, append([]chromedp.Action{chromedp.WaitVisible(sel, chromedp.ByQuery), chromedp.Click(sel, chromedp.ByQuery)}, then...)...)
}

// deskShows waits until the desk page's element id reads key's text.
func deskShows(id, key string, args ...any) chromedp.Action { return waitIDText(id, say(key, args...)) }

// next is the clerk calling the next client, by a click on Next or by its
// key; the page shows the number as called, and so does the hall display,
// with the desk.
func (d *day) next(byKey bool) string {
	d.t.Helper()
	before := pageText(d.t, d.desk, "#ticket-number")
	if byKey {
		d.press("N calls the next", "n")
	} else {
		d.click("Next calls the next", "#act-next")
	}
	run(d.t, d.desk, "called", chromedp.Poll(fmt.Sprintf(
		`(() => { const n = document.getElementById("ticket-number").textContent; return n !== "—" && n !== %q; })()`, before), nil),
		waitIDContains("ticket-status", say("desk.ticket.called")))
	number := pageText(d.t, d.desk, "#ticket-number")
	d.onDisplay(number, 1)
	return number
}

// onDisplay waits until the hall display shows number called to desk, large.
func (d *day) onDisplay(number string, desk int) {
	d.t.Helper()
	waitText(d.t, d.display, "#now-number", number)
	waitText(d.t, d.display, "#now-desk", fmt.Sprint(desk))
}

// offDisplay waits until number is nowhere on the display: not large, not
// among the recent calls.
func (d *day) offDisplay(number string) {
	d.t.Helper()
	waitJS(d.t, d.display, fmt.Sprintf(`document.getElementById("now-number").textContent !== %q &&
		![...document.querySelectorAll("#recent li")].some((li) => li.dataset.number === %q)`, number, number))
}

// displayText is everything the hall can read on the display.
func (d *day) displayText() string {
	d.t.Helper()
	return pageText(d.t, d.display, "body")
}

// noGroupInTheHall fails the test when the display shows any priority
// group's name: the hall must not learn who has priority.
func (d *day) noGroupInTheHall() {
	d.t.Helper()
	text := d.displayText()
	for _, lang := range []string{"lt", "en"} {
		for _, g := range []string{"child", "pregnant", "disability", "elderly"} {
			if name := i18n.T(lang, "priority."+g); strings.Contains(text, name) {
				d.t.Errorf("the hall display shows a priority group: %q", name)
			}
		}
	}
}

// bannerClear checks the display with the end-of-day banner up: recent
// calls are shown, whole, and the banner's box overlaps none of them.
func (d *day) bannerClear(min int) {
	d.t.Helper()
	waitJS(d.t, d.display, `!document.getElementById("banner").hidden`)
	banner := e2e.Rects(d.t, d.display, "#banner")
	rows := e2e.Rects(d.t, d.display, "#recent li:not([hidden])")
	if len(rows) < min {
		d.t.Errorf("with the banner up the display shows %d recent calls; want at least %d", len(rows), min)
	}
	for i, r := range rows {
		if r.Overlaps(banner[0]) {
			d.t.Errorf("the end-of-day banner %s covers recent call %d %s", banner[0], i+1, r)
		}
		if r.H < 1 || banner[0].H+1 < r.H {
			d.t.Errorf("the banner %s is lower than recent call %d %s", banner[0], i+1, r)
		}
	}
}
