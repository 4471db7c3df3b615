package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/store"
)

// signInAsAdmin opens an admin page and signs in on the nav's form, by keys.
func signInAsAdmin(s *e2e.Server, path, user, pw string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Navigate(s.URL + path),
		chromedp.WaitVisible(`.admin-signin input[name="username"]`),
		chromedp.SendKeys(`.admin-signin input[name="username"]`, user),
		chromedp.SendKeys(`.admin-signin input[name="password"]`, pw+"\r"),
		chromedp.WaitVisible(`main`),
	}
}

// waitHas waits until the element sel's text contains want.
func waitHas(sel, want string) chromedp.Action {
	return chromedp.Poll(`(document.querySelector(`+jsString(sel)+`)?.textContent || "").includes(`+jsString(want)+`)`, nil,
		chromedp.WithPollingTimeout(10*time.Second))
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// An admin adds a clerk on /admin/people; the clerk signs in on /desk with
// the one-time password, must choose their own before anything else, and
// works desk 1, which the admin sees; the admin disables the clerk, whose
// desk then closes with its called ticket back in the queue. A repeated
// username is refused in the admin's language.
func TestAdminPeopleAddSignInDisable(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	adminPW := s.AddUser("boss", queue.RoleAdmin)
	admin := e2e.Browser(t, 1366, 768)

	run(t, admin, "admin signs in", signInAsAdmin(s, "/admin/people", "boss", adminPW),
		waitHas(`#people tbody`, "boss"))
	e2e.Screenshot(t, admin, "adminpeople-list")
	e2e.Axe(t, admin, "/admin/people")

	var oneTime string
	run(t, admin, "add a clerk",
		chromedp.SendKeys("#add-username", "rasa", chromedp.ByID),
		chromedp.SendKeys("#add-name", "Rasa Rasaitė", chromedp.ByID),
		chromedp.Click("#add-button", chromedp.ByID),
		chromedp.WaitVisible("#onetime", chromedp.ByID),
		chromedp.Text("#onetime-password", &oneTime, chromedp.ByID),
		waitHas(`#people tbody tr[data-user="rasa"]`, "vienkartinis slaptažodis"),
	)
	if len(oneTime) != 12 {
		t.Fatalf("one-time password %q", oneTime)
	}
	e2e.Screenshot(t, admin, "adminpeople-onetime")
	e2e.Axe(t, admin, "/admin/people with a one-time password")
	u, err := s.Store.User("rasa")
	if err != nil || u.Role != queue.RoleClerk || u.Name != "Rasa Rasaitė" || !u.MustChangePassword {
		t.Fatalf("the clerk as stored: %+v %v", u, err)
	}

	run(t, admin, "the same username again",
		chromedp.Click("#onetime-hide", chromedp.ByID),
		chromedp.SendKeys("#add-username", "rasa", chromedp.ByID),
		chromedp.Click("#add-button", chromedp.ByID),
		waitHas("#msg", "Paskyra „rasa“ jau yra."),
	)
	e2e.Screenshot(t, admin, "adminpeople-refused")

	// The clerk, on their own computer.
	clerk := e2e.Browser(t, 1366, 768)
	run(t, clerk, "sign in with the one-time password",
		signIn(s, "rasa", oneTime),
		chromedp.WaitVisible("#newpw", chromedp.ByID),
	)
	run(t, clerk, "two different new passwords",
		chromedp.SendKeys("#newpw-new", "rasos-slaptas-1", chromedp.ByID),
		chromedp.SendKeys("#newpw-again", "rasos-slaptas-2\r", chromedp.ByID),
		waitIDText("msg", "The two new passwords differ. Type the new password again."),
	)
	e2e.Screenshot(t, clerk, "adminpeople-desk-newpassword")
	e2e.Axe(t, clerk, "/desk asking for a new password")
	run(t, clerk, "choose a password",
		chromedp.SendKeys("#newpw-again", "rasos-slaptas-1\r", chromedp.ByID),
		chromedp.WaitVisible("#open-1", chromedp.ByID),
		chromedp.Click("#open-1", chromedp.ByID),
		chromedp.WaitVisible("#act-next", chromedp.ByID),
	)
	a := issueTicket(t, s, "A")
	run(t, clerk, "call a ticket", waitIDText("upcoming", a.Number), chromedp.Click("#act-next", chromedp.ByID),
		waitIDText("ticket-number", a.Number))

	// The admin sees where the clerk works, live.
	run(t, admin, "the clerk at desk 1", waitHas(`#people tbody tr[data-user="rasa"]`, "langelis 1"),
		waitHas(`#people tbody tr[data-user="rasa"]`, "aktyvi"))
	e2e.Screenshot(t, admin, "adminpeople-signed-in")
	e2e.Axe(t, admin, "/admin/people with a clerk at a desk")

	run(t, admin, "disable the clerk",
		chromedp.Click(`#people tr[data-user="rasa"] button[data-action="disable"]`),
		waitHas(`#people tbody tr[data-user="rasa"]`, "išjungta"),
		waitHas(`#people tbody tr[data-user="rasa"]`, "neprisijungęs"),
	)
	if st := deskStatus(t, s, 1); st != queue.DeskClosed {
		t.Fatalf("desk 1 after its clerk was disabled: %s", st)
	}
	if st := ticketStatus(t, s, a.ID); st != queue.Waiting {
		t.Fatalf("the called ticket %s after its desk closed: %s, want waiting", a.Number, st)
	}
	run(t, clerk, "the clerk is signed out", chromedp.WaitVisible("#signin", chromedp.ByID))
	e2e.Screenshot(t, admin, "adminpeople-disabled")
	e2e.Axe(t, admin, "/admin/people with a disabled account")

	// Enabled again with a fresh one-time password (the old one and the
	// clerk's own no longer work): the next sign-in asks for a new one.
	var again string
	run(t, admin, "enable and reset",
		chromedp.Click(`#people tr[data-user="rasa"] button[data-action="enable"]`),
		waitHas(`#people tbody tr[data-user="rasa"]`, "aktyvi"),
		chromedp.Click(`#people tr[data-user="rasa"] button[data-action="reset-password"]`),
		chromedp.WaitVisible("#onetime", chromedp.ByID),
		waitHas(`#people tbody tr[data-user="rasa"]`, "vienkartinis slaptažodis"),
		chromedp.Text("#onetime-password", &again, chromedp.ByID),
	)
	if again == oneTime || len(again) != 12 {
		t.Fatalf("the new one-time password %q (the first was %q)", again, oneTime)
	}
	run(t, clerk, "sign in with the new one-time password", signIn(s, "rasa", again), chromedp.WaitVisible("#newpw", chromedp.ByID))

	// The change log has each change, and no password in it.
	changes, err := s.Store.Changes(store.ChangeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, c := range changes {
		if strings.Contains(string(c.Old)+string(c.New), oneTime) || strings.Contains(string(c.Old)+string(c.New), again) ||
			strings.Contains(string(c.Old)+string(c.New), "rasos-slaptas") || strings.Contains(string(c.New), "$2a$") {
			t.Fatalf("a password in the change log: %+v", c)
		}
		kinds = append(kinds, c.Actor+" "+c.Kind+" "+c.Subject)
	}
	want := "boss user.added user rasa|rasa user.password_changed user rasa|boss user.disabled user rasa|" +
		"boss user.enabled user rasa|boss user.password_reset user rasa"
	if strings.Join(kinds, "|") != want {
		t.Fatalf("the change log:\n%s\nwant\n%s", strings.Join(kinds, "\n"), strings.ReplaceAll(want, "|", "\n"))
	}
}
