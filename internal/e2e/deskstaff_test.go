package e2e_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"langelis/i18n"
	"langelis/internal/e2e"
	"langelis/priority"
	"langelis/queue"
)

// waitIDContains waits until the element's text contains want.
func waitIDContains(id, want string) chromedp.Action {
	return chromedp.Poll(fmt.Sprintf(`(document.getElementById(%q)?.textContent || "").includes(%q)`, id, want), nil,
		chromedp.WithPollingTimeout(10*time.Second))
}

// text reads what an element shows.
func text(sel string, out *string) chromedp.Action {
	return chromedp.Text(sel, out, chromedp.ByQuery, chromedp.NodeReady)
}

// The desk chooser shows which desks are free and which are held and by
// whom, and a held one cannot be pressed; the desk shows its client's
// priority group (to the clerk) and corrects it, stays open past closing,
// shows the closing time and the cutoff, transfers by choosing a service or
// an open desk, asks before Q closes it, and after closing shows no false
// "no connection".
func TestDeskPageStaffControls(t *testing.T) {
	s := e2e.Start(t, e2e.Options{At: "19:30"})
	s.AddUser("clerk2", queue.RoleClerk)
	pw := s.AddUser("clerk1", queue.RoleClerk)
	other := s.Login("clerk2")
	if code := s.JSON("POST", "/api/v1/desks/1/open", other, nil, nil); code != 200 {
		t.Fatalf("clerk2 opens desk 1: %d", code)
	}
	var elderly issued
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "priority": "elderly"}, &elderly); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	for range 3 {
		issueTicket(t, s, "B")
	}
	ctx := e2e.Browser(t, 1366, 768)

	var held, free string
	var heldDisabled bool
	run(t, ctx, "chooser",
		signIn(s, "clerk1", pw),
		chromedp.WaitVisible("#open-2", chromedp.ByID),
		waitIDContains("open-1", "Held by Name clerk2"),
		text("#open-1 .state", &held), text("#open-2 .state", &free),
		chromedp.Evaluate(`document.getElementById("open-1").disabled`, &heldDisabled))
	if held != "Held by Name clerk2" || free != "Free" || !heldDisabled {
		t.Fatalf("chooser: desk 1 %q (disabled %v), desk 2 %q", held, heldDisabled, free)
	}
	e2e.Screenshot(t, ctx, "desk-chooser-en")
	// The number key of a held desk explains, without a refused request.
	run(t, ctx, "held desk by key", chromedp.KeyEvent("1"), waitIDText("msg", "Desk 1 is held by Name clerk2; choose a free desk."))

	run(t, ctx, "open desk 2 and call", chromedp.KeyEvent("2"), waitIDText("desk-title", "Desk 2"),
		chromedp.KeyEvent("n"), waitIDText("ticket-number", elderly.Number),
		waitIDText("ticket-group", "Priority group: Elderly person"))

	// The closing time and the cutoff, from the server's projection.
	var snap queue.Snapshot
	s.JSON("GET", "/api/v1/queue", s.Login("clerk2"), nil, &snap)
	if snap.Cutoff == nil {
		t.Fatal("no cutoff at 19:30")
	}
	closing := snap.Cutoff.Closing.In(s.Office.Location())
	run(t, ctx, "closing and cutoff",
		waitIDText("closing", "The office closes at "+closing.Format("15:04")),
		waitIDContains("cutoff", "can still be called today"))
	e2e.Screenshot(t, ctx, "desk-1366x768-group-cutoff-en")

	// G corrects the group: the dialog marks the current one; 0 is none.
	run(t, ctx, "correct the group",
		chromedp.KeyEvent("g"), chromedp.WaitVisible(`#dlg-buttons button[data-key="4"].current`, chromedp.ByQuery),
		chromedp.KeyEvent("0"),
		waitIDText("ticket-group", "Priority group: No priority"))
	var tk struct{ Priority queue.Category }
	s.JSON("GET", "/api/v1/tickets/"+elderly.ID, "", nil, &tk)
	if tk.Priority != priority.None {
		t.Fatalf("after the correction %s has group %q", elderly.Number, tk.Priority)
	}

	// E: stay 30 minutes past closing, by a preset.
	run(t, ctx, "stay",
		chromedp.KeyEvent("e"), chromedp.WaitVisible("#dlg-input", chromedp.ByID),
		chromedp.Click(`#dlg-presets button:nth-child(2)`, chromedp.ByQuery),
		chromedp.Click("#dlg-ok", chromedp.ByID),
		waitIDContains("closing", "You stay until "+closing.Add(30*time.Minute).Format("15:04")))

	// T offers the other services and the open desks; 1 sends it to desk 1.
	var offered string
	run(t, ctx, "transfer",
		chromedp.KeyEvent("t"), chromedp.WaitVisible(`#dlg-buttons button[data-key="1"]`, chromedp.ByQuery),
		text("#dlg-buttons", &offered))
	for _, want := range []string{"B – Social benefits", "D – General questions / consultations", "Desk 1"} {
		if !strings.Contains(offered, want) {
			t.Fatalf("transfer offers %q, not %q", offered, want)
		}
	}
	if strings.Contains(offered, "A – ") || strings.Contains(offered, "Desk 2") || strings.Contains(offered, "Desk 3") {
		t.Fatalf("transfer offers the ticket's own service, this desk or a closed desk: %q", offered)
	}
	e2e.Screenshot(t, ctx, "desk-transfer-en")
	run(t, ctx, "transfer to desk 1", chromedp.KeyEvent("1"), waitIDText("ticket-number", "—"))
	var moved struct {
		Status queue.Status
		Desk   int `json:"desk"`
	}
	s.JSON("GET", "/api/v1/tickets/"+elderly.ID, "", nil, &moved)
	if moved.Status != queue.Waiting {
		t.Fatalf("after the transfer %s is %+v", elderly.Number, moved)
	}

	// Q asks; Escape keeps the desk open; Q twice closes it.
	run(t, ctx, "Q asks",
		chromedp.KeyEvent("q"), waitIDText("dlg-text", "Close desk 2? Waiting clients stay in the queue."),
		chromedp.KeyEvent(kb.Escape), chromedp.Poll(`!document.getElementById("dlg").open`, nil, chromedp.WithPollingTimeout(5*time.Second)))
	if d := deskStatus(t, s, 2); d != queue.DeskOpen {
		t.Fatalf("after Q and Escape desk 2 is %s", d)
	}
	run(t, ctx, "Q asks again", chromedp.KeyEvent("q"), dialogOpen())
	run(t, ctx, "Q confirms", chromedp.KeyEvent("q"), chromedp.WaitVisible("#open-2", chromedp.ByID), waitIDContains("open-2", "Free"))
	if d := deskStatus(t, s, 2); d != queue.DeskClosed {
		t.Fatalf("after Q Q desk 2 is %s", d)
	}
	// No false "no connection" after closing, and the chooser follows a
	// desk opened elsewhere.
	time.Sleep(1500 * time.Millisecond)
	var offline bool
	run(t, ctx, "online", chromedp.Evaluate(`!document.getElementById("offline").hidden`, &offline))
	if offline {
		t.Fatal("after closing the desk the page says there is no connection")
	}
	s.AddUser("clerk3", queue.RoleClerk)
	if code := s.JSON("POST", "/api/v1/desks/2/open", s.Login("clerk3"), nil, nil); code != 200 {
		t.Fatalf("clerk3 opens desk 2: %d", code)
	}
	run(t, ctx, "chooser follows", waitIDContains("open-2", "Held by Name clerk3"))
}

// dialogOpen waits for the desk's dialog to be open.
func dialogOpen() chromedp.Action {
	return chromedp.Poll(`document.getElementById("dlg").open`, nil, chromedp.WithPollingTimeout(10*time.Second))
}

func deskStatus(t *testing.T, s *e2e.Server, n int) queue.DeskStatus {
	t.Helper()
	var snap queue.PublicSnapshot
	s.JSON("GET", "/api/v1/queue", "", nil, &snap)
	for _, d := range snap.Desks {
		if d.Number == n {
			return d.Status
		}
	}
	t.Fatalf("no desk %d", n)
	return ""
}

// In each of the five languages the desk shows the server's messages in
// that language: a wrong password (and the field is emptied), and a
// refusal (Next on a paused desk). Screenshots of each.
func TestDeskPageSpeaksTheClerksLanguage(t *testing.T) {
	s := e2e.Start(t, e2e.Options{At: "19:30"})
	pw := s.AddUser("clerk1", queue.RoleClerk)
	for range 2 * len(queue.Languages) {
		issueTicket(t, s, "A")
	}
	ctx := e2e.Browser(t, 1366, 768)
	for _, lang := range queue.Languages {
		var left string
		run(t, ctx, lang+": wrong password",
			chromedp.Navigate(s.URL+"/desk?lang="+lang),
			chromedp.WaitVisible("#username", chromedp.ByID),
			chromedp.SendKeys("#username", "clerk1", chromedp.ByID),
			chromedp.SendKeys("#password", "not-the-password\r", chromedp.ByID),
			waitIDText("msg", i18n.T(lang, "err.signin.wrong")),
			chromedp.Value("#password", &left, chromedp.ByID))
		if left != "" {
			t.Fatalf("%s: the wrong password stays in the field", lang)
		}
		run(t, ctx, lang+": sign in, open, call, pause",
			chromedp.SendKeys("#password", pw+"\r", chromedp.ByID),
			chromedp.WaitVisible("#open-2", chromedp.ByID),
			chromedp.KeyEvent("2"), waitIDText("desk-title", i18n.T(lang, "desk.number", "n", 2)),
			chromedp.KeyEvent("n"), chromedp.Poll(`document.getElementById("ticket-number").textContent !== "—"`, nil),
			chromedp.Poll(`document.getElementById("cutoff").textContent !== ""`, nil, chromedp.WithPollingTimeout(10*time.Second)))
		e2e.Screenshot(t, ctx, "desk-1366x768-"+lang)
		run(t, ctx, lang+": a refusal in the clerk's language",
			chromedp.KeyEvent("s"), chromedp.KeyEvent("f"),
			chromedp.KeyEvent("p"), chromedp.WaitVisible("#dlg-input", chromedp.ByID),
			chromedp.SendKeys("#dlg-input", "lunch\r", chromedp.ByID),
			waitIDContains("desk-status", "lunch"),
			chromedp.KeyEvent("n"),
			waitIDText("msg", i18n.T(lang, "err.desk.paused", "desk", 2)))
		e2e.Screenshot(t, ctx, "desk-refusal-"+lang)
		run(t, ctx, lang+": resume, close, sign out",
			chromedp.KeyEvent("p"), waitIDText("desk-status", i18n.T(lang, "desk.open")),
			chromedp.KeyEvent("q"), dialogOpen(), chromedp.KeyEvent("q"),
			chromedp.WaitVisible("#open-2", chromedp.ByID),
			chromedp.Click("#signout", chromedp.ByID), chromedp.WaitVisible("#username", chromedp.ByID))
	}
}
