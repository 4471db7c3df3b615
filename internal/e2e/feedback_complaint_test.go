package e2e_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/reports"
	"langelis/wire"
)

// A visitor whose ticket was served rates it and files a complaint from
// the status page's link, on the phone, in Polish: the bad forms are
// refused in Polish and store nothing; the registration number is shown.
// The admin finds it on /admin/feedback with its age against the target,
// moves it to answered with a note (refused without one), exports CSV and
// XLSX with the same lines, and sees it in /admin/reports and in /results
// beside the satisfaction. Nothing public shows the contact, the clerk or
// the priority group. The public form is rate-limited per address.
func TestComplaintFiledAndAnswered(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	s.AddUser("clerk1", queue.RoleClerk)
	adminPW := s.AddUser("vadove", queue.RoleAdmin)
	c1 := s.Login("clerk1")
	var mine issued
	if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "lang": "pl", "priority": "pregnant"}, &mine); code != 201 {
		t.Fatalf("issue: %d", code)
	}
	for _, a := range []string{"open", "next", "start", "finish"} {
		if code := s.JSON("POST", "/api/v1/desks/1/"+a, c1, nil, nil); code != 200 {
			t.Fatalf("desk %s: %d", a, code)
		}
	}
	if code := s.JSON("POST", "/api/v1/tickets/"+mine.ID+"/rating", "", map[string]any{"face": 4}, nil); code != 200 {
		t.Fatalf("rating: %d", code)
	}

	ctx := e2e.Phone(t)
	run(t, ctx, "status page", chromedp.Navigate(s.URL+mine.StatusURL), chromedp.WaitVisible("#rated", chromedp.ByID))
	run(t, ctx, "to the form", tap("#fb-link"), chromedp.WaitVisible("#send", chromedp.ByID))
	run(t, ctx, "the form is ready", pollJS(`document.body.dataset.ready === "1"`))
	waitKioskText(t, ctx, "h1", "Skargi, sugestie i podziękowania")
	if v := value(t, ctx, "#ticket"); v != "A001" {
		t.Fatalf("the form's ticket field holds %q, want the status page's A001", v)
	}
	e2e.Axe(t, ctx, "feedback form")
	send := func(step string) { run(t, ctx, step, tap("#send")) }
	send("send an empty form")
	waitKioskText(t, ctx, "#error", "Wybierz, co wysyłasz")
	run(t, ctx, "complaint", chromedp.Click(`input[name=kind][value=complaint]`, chromedp.ByQuery))
	send("send without text")
	waitKioskText(t, ctx, "#error", "Napisz kilka słów")
	run(t, ctx, "text and a wrong ticket", chromedp.SendKeys("#text", "Długo czekałem, a okienko 2 było zamknięte.", chromedp.ByID),
		typeInto("#ticket", "Z999"))
	send("send with an unknown ticket")
	waitKioskText(t, ctx, "#error", "Dziś nie ma biletu Z999")
	if n := len(feedbackEntries(t, s, s.Login("vadove"))); n != 0 {
		t.Fatalf("refused forms stored %d registrations", n)
	}
	run(t, ctx, "mend the ticket, give a contact", typeInto("#ticket", "a001"),
		chromedp.SendKeys("#contact", "jan@example.pl", chromedp.ByID))
	e2e.Screenshot(t, ctx, "feedback-form-pl")
	send("send")
	id := waitKioskText(t, ctx, "#receipt-id", "-0001")
	e2e.Screenshot(t, ctx, "feedback-receipt-pl")
	e2e.Axe(t, ctx, "feedback receipt")

	// The admin's page: the registration with its age, moved to answered.
	adm := e2e.Browser(t, 1366, 768)
	run(t, adm, "admin page", chromedp.Navigate(s.URL+"/admin/feedback"), chromedp.WaitVisible(`input[name=username]`, chromedp.ByQuery),
		chromedp.SendKeys(`input[name=username]`, "vadove", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, adminPW+"\r", chromedp.ByQuery),
		pollJS(`document.body.dataset.ready === "1"`))
	row := `#list tr[data-id="` + id + `"]`
	waitKioskText(t, adm, row+" td.status", "Užregistruota")
	for _, w := range []string{"Skundas", "0 darbo dienų", "A001", "Długo czekałem", "jan@example.pl"} {
		waitKioskText(t, adm, row, w)
	}
	if nav := pageText(t, adm, `nav a[aria-current="page"]`); nav != "Skundai" {
		t.Errorf("the shared admin nav marks %q", nav)
	}
	run(t, adm, "choose it", tap(row+" button.move"), chromedp.SetValue("#move-status", "answered", chromedp.ByID))
	run(t, adm, "answer without a note", tap("#move-save"))
	waitKioskText(t, adm, "#error", "parašykite pastabą")
	waitKioskText(t, adm, row+" td.status", "Užregistruota")
	run(t, adm, "answer with a note", chromedp.SendKeys("#move-note", "Atsakėme el. paštu: atsiprašome.", chromedp.ByID), tap("#move-save"))
	waitKioskText(t, adm, "#saved", "dabar „Atsakyta“")
	waitKioskText(t, adm, row+" td.status", "Atsakyta")
	waitKioskText(t, adm, row+" td.status p.note", "Atsakėme el. paštu: atsiprašome.")
	e2e.Axe(t, adm, "admin feedback")

	// The exports: the same line in the CSV and in the XLSX read back.
	admin := s.Login("vadove")
	data, code := getAs(t, s, "/api/v1/admin/feedback.csv?lang=en", admin)
	if code != 200 {
		t.Fatalf("csv: %d %s", code, data)
	}
	lines, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(lines) != 2 {
		t.Fatalf("csv lines %v %v", lines, err)
	}
	xl, code := getAs(t, s, "/api/v1/admin/feedback.xlsx?lang=en", admin)
	if code != 200 {
		t.Fatalf("xlsx: %d", code)
	}
	book, err := excelize.OpenReader(bytes.NewReader(xl))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := book.GetRows("Registrations")
	if err != nil || len(rows) != 2 {
		t.Fatalf("xlsx rows %v %v", rows, err)
	}
	for r := range lines {
		if strings.Join(lines[r], "|") != strings.Join(rows[r], "|") {
			t.Errorf("line %d: CSV %q, XLSX %q", r, lines[r], rows[r])
		}
	}
	l := strings.Join(lines[1], "|")
	for _, w := range []string{id, "Complaint", "Answered", "A001", "Długo czekałem", "jan@example.pl", "|0|", "|yes|", "Atsakėme el. paštu"} {
		if !strings.Contains(l, w) {
			t.Errorf("the export's line lacks %q: %s", w, l)
		}
	}
	if lines[0][7] != "Age, working days" {
		t.Errorf("header %q", lines[0])
	}

	// In the admin report and the published results.
	var rep struct{ Tables []reports.Table }
	if code := s.JSON("GET", "/api/v1/reports?period=month&lang=en", admin, nil, &rep); code != 200 {
		t.Fatalf("report: %d", code)
	}
	ct := tableNamed(t, rep.Tables, "complaints")
	if ct.Rows[0].Key != "complaint" || !equal(values(ct.Rows[0]), []float64{1, 0, 1, 1, 0, 0}) || !equal(values(*ct.Total), []float64{1, 0, 1, 1, 0, 0}) {
		t.Fatalf("complaints table %+v", ct)
	}
	// And on the admin's report page, which knows the admin's session.
	run(t, adm, "report page", chromedp.Navigate(s.URL+"/admin/reports?lang=en&period=month"),
		pollJS(`document.body.dataset.shown?.startsWith("month:service")`))
	waitKioskText(t, adm, "#table-satisfaction", "Good answers (4–5), %")
	waitKioskText(t, adm, "#table-complaints", "Answered within 5 working days")
	if got := pageText(t, adm, "#table-complaints tbody tr:first-child"); !strings.Contains(got, "Complaints") {
		t.Errorf("the complaints table's first row: %q", got)
	}
	e2e.Screenshot(t, adm, "admin-reports-feedback-1366")
	csvc, _ := getAs(t, s, "/api/v1/reports.csv?period=month&lang=en&table=complaints", admin)
	if !strings.Contains(string(csvc), "Complaints,1,0,1,1,0,0") {
		t.Errorf("complaints CSV:\n%s", csvc)
	}
	for _, c := range []struct {
		lang string
		w, h int64
		want []string
	}{
		{"pl", 390, 844, []string{"Zarejestrowane skargi", "1 z 1 z odpowiedzią w ciągu 5 dni roboczych", "Zadowoleni odwiedzający", "100"}},
		{"en", 1366, 768, []string{"Complaints registered", "1 of 1 answered within 5 working days", "1 answer"}},
	} {
		res := e2e.Browser(t, int(c.w), int(c.h))
		run(t, res, "results "+c.lang, chromedp.Navigate(s.URL+"/results?lang="+c.lang), pollJS(`document.body.dataset.ready === "1"`))
		text := pageText(t, res, "main")
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("/results in %s lacks %q:\n%s", c.lang, w, text)
			}
		}
		for _, secret := range []string{"jan@example.pl", "Długo czekałem", "Name clerk1", "clerk1", "pregnant", "ciąż"} {
			if strings.Contains(text, secret) {
				t.Errorf("/results in %s shows %q", c.lang, secret)
			}
		}
		e2e.Screenshot(t, res, "results-"+c.lang)
	}
	body, _ := getAs(t, s, "/api/v1/results", "")
	for _, secret := range []string{"jan@example.pl", "Długo", "clerk1", "pregnant"} {
		if strings.Contains(string(body), secret) {
			t.Errorf("/api/v1/results holds %q", secret)
		}
	}

	// An older registration past the target is marked on the page.
	if code := s.JSON("POST", "/api/v1/feedback", "", map[string]string{"kind": "suggestion", "text": "Więcej krzeseł"}, nil); code != 201 {
		t.Fatalf("suggestion: %d", code)
	}
	s.Clock.Set(s.Clock.Now().AddDate(0, 0, 9))
	// The admin area keeps the last language chosen (English on the report
	// page above): the link names Lithuanian again.
	run(t, adm, "back to the list", chromedp.Navigate(s.URL+"/admin/feedback?lang=lt"), pollJS(`document.body.dataset.ready === "1"`))
	waitKioskText(t, adm, "#list tr.overdue td.age", "vėluojama")
	e2e.Screenshot(t, adm, "admin-feedback-1366")
	// The answer's due day is written as the page's language writes dates,
	// as the ticket is (i18n.Date): 2026-12-08 in Lithuanian, 08.12.2026 in
	// Russian.
	var due time.Time
	for _, e := range feedbackEntries(t, s, admin) {
		if e["overdue"] == true {
			due, _ = time.Parse(time.DateOnly, fmt.Sprint(e["due"]))
		}
	}
	waitKioskText(t, adm, "#list tr.overdue", due.Format("2006-01-02"))
	run(t, adm, "the list in Russian", chromedp.Navigate(s.URL+"/admin/feedback?lang=ru"), pollJS(`document.body.dataset.ready === "1"`))
	waitKioskText(t, adm, "#list tr.overdue", due.Format("02.01.2006"))

	// The form is limited per address: a burst, then a clear refusal.
	var refused wire.ErrorBody
	n := 0
	for ; n < 10; n++ {
		if code := s.JSON("POST", "/api/v1/feedback", "", map[string]string{"kind": "thanks", "text": "Dziękuję", "lang": "pl"}, &refused); code == 429 {
			break
		}
	}
	if n != 3 || !strings.Contains(refused.Error.Message, "Za dużo wiadomości z tego połączenia") {
		t.Fatalf("after %d more the form answered %+v; want the 6th from one address refused", n, refused)
	}
	if got := len(feedbackEntries(t, s, admin)); got != 5 {
		t.Fatalf("%d registrations stored, want 5 (the refused one stores nothing)", got)
	}
}

func values(r reports.TRow) []float64 {
	var out []float64
	for _, v := range r.Values {
		out = append(out, *v)
	}
	return out
}

func value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	var v string
	run(t, ctx, "value of "+sel, chromedp.Value(sel, &v, chromedp.ByQuery))
	return v
}

func feedbackEntries(t *testing.T, s *e2e.Server, admin string) []map[string]any {
	t.Helper()
	var l struct{ Entries []map[string]any }
	if code := s.JSON("GET", "/api/v1/admin/feedback", admin, nil, &l); code != 200 {
		t.Fatalf("feedback list: %d", code)
	}
	return l.Entries
}
