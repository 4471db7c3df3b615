package e2e_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
)

// Lengths of time read as lengths, never as a time of day: a ticket that
// waited 14 minutes 24 seconds shows "14 мин 24 с" on a Bulgarian desk
// (not "14:24"), one that waited over an hour shows its hours, and the
// manager's live figures say the mean and longest waits the same way in
// Lithuanian, with the same helper.
func TestDurationsReadAsLengths(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	pw := s.AddUser("clerk1", queue.RoleClerk)
	adminPW := s.AddUser("boss", queue.RoleAdmin)
	a1 := issueTicket(t, s, "A")
	s.Clock.Advance(50 * time.Minute)
	a2 := issueTicket(t, s, "A")
	s.Clock.Advance(14*time.Minute + 24*time.Second) // a1 waited 1 h 4 min 24 s, a2 14 min 24 s

	desk := e2e.Browser(t, 1366, 768)
	run(t, desk, "sign in",
		signInIn(s, "bg", "clerk1", pw),
		chromedp.WaitVisible("#open-1", chromedp.ByID),
		chromedp.KeyEvent("1"),
		chromedp.WaitVisible("#act-next", chromedp.ByID))
	run(t, desk, "over an hour",
		chromedp.Click("#act-next", chromedp.ByID), waitIDText("ticket-number", a1.Number),
		waitIDText("ticket-waited", "Време на чакане: 1 ч 4 мин · Оставащи повторни повиквания: 2"))
	run(t, desk, "minutes and seconds",
		chromedp.Click("#act-start", chromedp.ByID), chromedp.Poll(`document.getElementById("ticket-status").textContent.startsWith("Обслужва")`, nil),
		chromedp.Click("#act-finish", chromedp.ByID), waitIDText("ticket-number", "—"),
		chromedp.Click("#act-next", chromedp.ByID), waitIDText("ticket-number", a2.Number),
		waitIDText("ticket-waited", "Време на чакане: 14 мин 24 с · Оставащи повторни повиквания: 2"))
	e2e.Screenshot(t, desk, "desk-durations-bg")

	admin := e2e.Browser(t, 1366, 768)
	run(t, admin, "the live figures",
		signInAsAdmin(s, "/admin/live?lang=lt", "boss", adminPW),
		// (3864 s + 864 s) / 2 = 2364 s.
		waitHas(`dd[data-figure="live.fig.mean_wait"]`, "39 min. 24 s"),
		waitHas(`dd[data-figure="live.fig.longest_wait"]`, "1 val. 4 min."),
		chromedp.Poll(`/^iškviestas \d+ s$/.test(document.querySelector('#desks tr[data-desk="1"] td.held').textContent)`, nil,
			chromedp.WithPollingTimeout(10*time.Second)))
	e2e.Screenshot(t, admin, "adminlive-durations-lt")
}
