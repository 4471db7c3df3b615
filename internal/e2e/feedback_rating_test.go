package e2e_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/reports"
	"langelis/wire"
)

// The question after service, from both places a visitor meets it: the
// status page on the phone (in the ticket's language, Russian here) and
// the tablet beside desk 2 (signed in with a kiosk account). A face not
// chosen, a comment too long and a second answer are refused in the
// person's language and change nothing; the answers reach the admin
// report by desk and the published results.
func TestSatisfactionFromPhoneAndTablet(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	s.AddUser("clerk1", queue.RoleClerk)
	s.AddUser("clerk2", queue.RoleClerk)
	adminPW := s.AddUser("vadove", queue.RoleAdmin)
	tabletPW := s.AddUser("tablet2", queue.RoleKiosk)
	c1, c2 := s.Login("clerk1"), s.Login("clerk2")
	desk := func(n int, tok string, actions ...string) {
		t.Helper()
		for _, a := range actions {
			if code := s.JSON("POST", "/api/v1/desks/"+string(rune('0'+n))+"/"+a, tok, nil, nil); code != 200 {
				t.Fatalf("desk %d %s: %d", n, a, code)
			}
		}
	}
	var mine issued
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "lang": "ru"}, &mine); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	ctx := e2e.Phone(t)
	run(t, ctx, "open the status page", chromedp.Navigate(s.URL+mine.StatusURL), chromedp.WaitVisible("#status", chromedp.ByID))
	waitHidden(t, ctx, "#rate") // waiting: nothing to rate yet
	desk(1, c1, "open", "next", "start", "finish")

	// Served: the question, in Russian, with five labelled face buttons.
	waitKioskText(t, ctx, "#rate h2", "Как вас сегодня обслужили?")
	var labels []string
	run(t, ctx, "faces", chromedp.Evaluate(`[...document.querySelectorAll("#rate button.face")].map(b => b.textContent.trim())`, &labels))
	if strings.Join(labels, "|") != "Очень плохо|Плохо|Средне|Хорошо|Отлично" {
		t.Fatalf("the faces say %q", labels)
	}
	// On a 390 px phone the five faces are equally wide, whatever their
	// labels: no answer is made bigger, and so easier, than another.
	var widths []float64
	run(t, ctx, "face widths", chromedp.Evaluate(`[...document.querySelectorAll("#rate button.face")].map(b => b.getBoundingClientRect().width)`, &widths))
	for _, w := range widths {
		if w < widths[0]-1 || w > widths[0]+1 {
			t.Errorf("the faces are %v px wide, want five equal", widths)
			break
		}
	}
	e2e.Screenshot(t, ctx, "vfix-faces-ru")
	for _, l := range []string{"lt", "uk", "pl", "en"} {
		run(t, ctx, "faces in "+l, tap(`#langs button[data-lang="`+l+`"]`))
		e2e.Screenshot(t, ctx, "vfix-faces-"+l)
	}
	run(t, ctx, "back to Russian", tap(`#langs button[data-lang="ru"]`))
	if href := attr(t, ctx, "#fb-link", "href"); !strings.HasSuffix(href, "/feedback?ticket=A001&lang=ru") {
		t.Errorf("the complaints link goes to %q", href)
	}
	// Sending without a face says to choose one, and sends nothing.
	run(t, ctx, "send without a face", tap("#rate .rate-send"))
	waitKioskText(t, ctx, "#rate .rate-error", "Сначала выберите одно из пяти лиц")
	// A comment too long is refused by the server, in Russian.
	run(t, ctx, "choose 5 and a long comment", tap(`#rate button.face[data-face="5"]`),
		chromedp.SetValue("#rate-comment", strings.Repeat("о", queue.MaxRatingComment), chromedp.ByID),
		chromedp.SendKeys("#rate-comment", "!", chromedp.ByID))
	if p := attr(t, ctx, `#rate button.face[data-face="5"]`, "aria-pressed"); p != "true" {
		t.Fatalf("the chosen face is not pressed: %q", p)
	}
	e2e.Screenshot(t, ctx, "status-rating-ru")
	e2e.Axe(t, ctx, "status page, rating")
	run(t, ctx, "send the long comment", tap("#rate .rate-send"))
	waitKioskText(t, ctx, "#rate .rate-error", "Комментарий слишком длинный: 501 символов, не больше 500")
	if got := ratingsOf(t, s); got != 0 {
		t.Fatalf("a refused answer was counted: %d", got)
	}
	run(t, ctx, "shorten and send", typeInto("#rate-comment", "Быстро"), chromedp.KeyEvent(kb.Tab), tap("#rate .rate-send"))
	waitKioskText(t, ctx, "#rated", "Спасибо за ответ!")
	waitHidden(t, ctx, "#rate")
	e2e.Screenshot(t, ctx, "status-rated-ru")

	// A second answer, here or anywhere, is refused and changes nothing.
	var refused wire.ErrorBody
	if code := s.JSON("POST", "/api/v1/tickets/"+mine.ID+"/rating", "", map[string]any{"face": 1, "lang": "pl"}, &refused); code != 409 ||
		!strings.Contains(refused.Error.Message, "został już oceniony") {
		t.Fatalf("second answer: %d %+v", code, refused)
	}
	if code := s.JSON("POST", "/api/v1/tickets/nosuchtoken/rating", "", map[string]any{"face": 4, "lang": "en"}, &refused); code != 404 ||
		!strings.Contains(refused.Error.Message, "not in today's queue") {
		t.Fatalf("unknown ticket: %d %+v", code, refused)
	}
	// Nobody but a signed-in kiosk (or admin) answers for a desk.
	if code := s.JSON("POST", "/api/v1/feedback/desk/1/rating", "", map[string]any{"number": "A001", "face": 1}, nil); code != 401 {
		t.Fatalf("a stranger answered for desk 1: %d", code)
	}
	if code := s.JSON("POST", "/api/v1/feedback/desk/1/rating", c2, map[string]any{"number": "A001", "face": 1}, nil); code != 403 {
		t.Fatalf("a clerk answered for desk 1: %d", code)
	}

	// The tablet beside desk 2, signed in with its kiosk account. Nobody
	// answering brings back the thank-you after the wait (?ask=3 s).
	tab := e2e.BrowserFor(t, 1280, 800, 90*time.Second)
	run(t, tab, "open the tablet", chromedp.Navigate(s.URL+"/feedback/desk/2?ask=3"), chromedp.WaitVisible("#username", chromedp.ByID))
	e2e.Screenshot(t, tab, "tablet-signin")
	run(t, tab, "sign in", chromedp.SendKeys("#username", "tablet2", chromedp.ByID),
		chromedp.SendKeys("#password", tabletPW+"\r", chromedp.ByID))
	waitKioskText(t, tab, "#idle-text", "Ačiū, kad apsilankėte")
	issue := func(svc string) {
		t.Helper()
		if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": svc}, nil); code != 201 {
			t.Fatalf("issue: %d", code)
		}
	}
	issue("A")
	desk(2, c2, "open", "next", "start", "finish")
	waitKioskText(t, tab, "#ask h2", "Bilietas A002: kaip jus aptarnavo 2 langelyje?")
	waitKioskText(t, tab, "#idle-text", "Ačiū, kad apsilankėte") // within the 3 s and the poll's 15
	// The next visitor answers, in English, with the keyboard's Enter on the button.
	issue("A")
	desk(2, c2, "next", "start", "finish")
	waitKioskText(t, tab, "#ask h2", "A003")
	run(t, tab, "english", tap(`#langs button[data-lang="en"]`))
	waitKioskText(t, tab, "#ask h2", "Ticket A003: how were you served at desk 2?")
	run(t, tab, "face 2", tap(`#ask button.face[data-face="2"]`))
	e2e.Screenshot(t, tab, "tablet-ask-en")
	e2e.Axe(t, tab, "desk tablet, asking")
	run(t, tab, "send", chromedp.Focus("#ask .rate-send", chromedp.ByQuery), chromedp.KeyEvent(kb.Enter))
	waitKioskText(t, tab, "#thanks", "Thank you for your answer!")
	e2e.Screenshot(t, tab, "tablet-thanks-en")
	// The tablet cannot answer for what another desk served.
	tabTok := s.Login("tablet2")
	if code := s.JSON("POST", "/api/v1/feedback/desk/2/rating", tabTok, map[string]any{"number": "A001", "face": 5, "lang": "lt"}, &refused); code != 404 ||
		!strings.Contains(refused.Error.Message, "nebuvo aptarnautas 2 langelyje") {
		t.Fatalf("tablet 2 answering for desk 1's ticket: %d %+v", code, refused)
	}

	// The answers in the admin report, by desk, and in the results.
	var rep struct{ Tables []reports.Table }
	admin := s.Login("vadove")
	if code := s.JSON("GET", "/api/v1/reports?period=day&by=desk&lang=en", admin, nil, &rep); code != 200 {
		t.Fatalf("report: %d", code)
	}
	sat := tableNamed(t, rep.Tables, "satisfaction")
	faces := func(r reports.TRow) []float64 {
		var out []float64
		for _, v := range r.Values[:5] {
			out = append(out, *v)
		}
		return out
	}
	if len(sat.Rows) != 2 || sat.Rows[0].Key != "1" || sat.Rows[1].Key != "2" ||
		!equal(faces(sat.Rows[0]), []float64{0, 0, 0, 0, 1}) || !equal(faces(sat.Rows[1]), []float64{0, 1, 0, 0, 0}) ||
		*sat.Total.Values[5] != 2 || *sat.Total.Values[6] != 50 {
		t.Fatalf("satisfaction by desk: %+v total %v", sat.Rows, sat.Total)
	}
	var res struct {
		Months []struct {
			Satisfaction *struct {
				GoodPct float64 `json:"good_pct"`
				N       int
			}
		}
	}
	if code := s.JSON("GET", "/api/v1/results", "", nil, &res); code != 200 || len(res.Months) != 1 ||
		res.Months[0].Satisfaction == nil || res.Months[0].Satisfaction.N != 2 || res.Months[0].Satisfaction.GoodPct != 50 {
		t.Fatalf("results: %d %+v", code, res)
	}

	// The manager reads the comment on /admin/feedback, in English: when,
	// the ticket, service, desk and face; the answer without a comment is
	// not listed.
	adm := e2e.Browser(t, 1366, 768)
	run(t, adm, "admin feedback", signInAsAdmin(s, "/admin/feedback?lang=en", "vadove", adminPW),
		chromedp.WaitVisible("#comments-list tbody tr", chromedp.ByQuery))
	var rows [][]string
	run(t, adm, "comment rows", chromedp.Evaluate(`[...document.querySelectorAll("#comments-list tbody tr")]
		.map((tr) => [...tr.cells].map((c) => c.textContent))`, &rows))
	if len(rows) != 1 || rows[0][1] != "A001" || rows[0][2] != "Declaration of residence" || rows[0][3] != "1" ||
		rows[0][4] != "Very happy" || rows[0][5] != "Быстро" {
		t.Errorf("comments after service on /admin/feedback: %q", rows)
	}
	e2e.Screenshot(t, adm, "admin-feedback-comments-en")
	e2e.Axe(t, adm, "admin feedback with comments")
}

// ratingsOf is how many answers after service today's figures hold.
func ratingsOf(t *testing.T, s *e2e.Server) int {
	t.Helper()
	d, _, err := s.App.BuildDay(s.App.Today(), false)
	if err != nil || d.Groups[reports.All] == nil {
		return 0
	}
	_, n, _ := d.Groups[reports.All].Satisfaction()
	return n
}

func tableNamed(t *testing.T, ts []reports.Table, name string) reports.Table {
	t.Helper()
	for _, tb := range ts {
		if tb.Name == name {
			return tb
		}
	}
	t.Fatalf("no table %q", name)
	return reports.Table{}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	var v string
	var ok bool
	run(t, ctx, "attribute "+name+" of "+sel, chromedp.AttributeValue(sel, name, &v, &ok, chromedp.ByQuery))
	return v
}
