package citytest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"langelis/app"
	"langelis/central"
	"langelis/citynats"
	"langelis/internal/e2e"
	"langelis/office"
	"langelis/password"
	"langelis/queue"
)

// The city's pages in the browser, in every language: /halls on a
// phone (390×844) with each hall's wait and the way to its /take, and a
// hall cut off marked so; /city on a desk screen (1366×768) behind the
// sign-in, with each hall's link state. Screenshots go to
// $LANGELIS_SCREENSHOTS.
func TestCityPagesInTheBrowser(t *testing.T) {
	hub := StartHub(t)
	c, err := central.Open(context.Background(), central.Config{Data: t.TempDir(), NATS: citynats.ConnConfig{URLs: hub.URL},
		Logger: Logger(), Every: time.Second, StaleAfter: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	names := []map[string]string{
		{"lt": "Centro salė", "en": "Central hall", "ru": "Центральный зал", "pl": "Sala centralna", "uk": "Центральний зал"},
		{"lt": "Antakalnio seniūnija", "en": "Antakalnis office", "ru": "Антакальнис", "pl": "Antokol", "uk": "Антакальніс"},
		{"lt": "Žirmūnų seniūnija", "en": "Žirmūnai office", "ru": "Жирмунай", "pl": "Żyrmuny", "uk": "Жирмунай"},
	}
	var halls []*e2e.Server
	for i, n := range names {
		o := office.Demo()
		o.Name, o.Names = n["lt"], n
		id := []string{"centras", "antakalnis", "zirmunai"}[i]
		h := e2e.Start(t, e2e.Options{Office: o, Configure: func(cfg *app.Config) {
			cfg.City = &citynats.LinkConfig{Hall: id, URL: "http://" + id + ".example", Conn: citynats.ConnConfig{URLs: hub.URL},
				StatusEvery: 300 * time.Millisecond}
		}})
		halls = append(halls, h)
		ctx := context.Background()
		clerk := queue.Actor{User: "clerk1", Name: "Jonas"}
		h.Engine.OpenDesk(ctx, 1, clerk)
		for k := 0; k < 3+4*i; k++ {
			h.Engine.Issue(ctx, queue.IssueRequest{Service: []string{"A", "B", "A", "C"}[k%4], Lang: "lt", Channel: queue.ChannelKiosk}, queue.Actor{User: "kiosk:k"})
			h.Clock.Advance(3 * time.Minute)
		}
		h.Engine.Next(ctx, 1, clerk)
	}
	for i, h := range halls {
		last, _ := h.Store.Committed()
		Converged(t, c, []string{"centras", "antakalnis", "zirmunai"}[i], last, 20*time.Second)
	}
	waitFor(t, func() bool {
		var out struct{ Halls []central.PublicHall }
		return get(t, c.URL()+"/api/v1/halls", "", &out) == 200 && len(out.Halls) == 3
	})
	// The third hall's link is cut: it goes on serving, the centre marks it.
	time.Sleep(1500 * time.Millisecond) // its latest status is out
	halls[2].App.City.Close()
	halls[2].App.City = nil
	time.Sleep(2500 * time.Millisecond)

	phone := e2e.Browser(t, 390, 844)
	if err := chromedp.Run(phone, chromedp.Navigate(c.URL()+"/halls"), chromedp.WaitVisible(".hall")); err != nil {
		t.Fatal(err)
	}
	for _, lang := range queue.Languages {
		var take, stale, href string
		var cards int
		err := chromedp.Run(phone,
			chromedp.Click(fmt.Sprintf(`button.lang[data-lang="%s"]`, lang)),
			chromedp.WaitVisible(fmt.Sprintf(`html[lang="%s"]`, lang)),
			chromedp.Evaluate(`document.querySelectorAll(".hall").length`, &cards),
			chromedp.Text(`a.take`, &take),
			chromedp.AttributeValue(`a.take`, "href", &href, nil),
			chromedp.Text(`.hall .stale`, &stale),
		)
		if err != nil {
			t.Fatalf("/halls in %s: %v", lang, err)
		}
		want := map[string]string{"lt": "Imti bilietą čia", "en": "Take a ticket there", "ru": "Взять талон здесь", "pl": "Pobierz bilet tutaj", "uk": "Взяти талон тут", "bg": "Вземете билет за тази зала"}[lang]
		if cards != 3 || take != want || !strings.HasSuffix(href, "/take?lang="+lang) || !strings.HasPrefix(href, "http://") || stale == "" {
			t.Fatalf("/halls in %s: %d halls, take %q → %q, stale %q", lang, cards, take, href, stale)
		}
		e2e.Screenshot(t, phone, "halls-"+lang)
	}

	hash, _ := password.Hash("city-staff-pw")
	c.Store.PutUser(queue.User{Username: "rasa", Name: "Rasa", Role: queue.RoleAdmin, PasswordHash: hash})
	desk := e2e.Browser(t, 1366, 768)
	err = chromedp.Run(desk, chromedp.Navigate(c.URL()+"/city"), chromedp.WaitVisible("#signin"),
		chromedp.SendKeys("#username", "rasa"), chromedp.SendKeys("#password", "city-staff-pw"),
		chromedp.Click(`#signin button[type="submit"]`), chromedp.WaitVisible(".card"))
	if err != nil {
		t.Fatalf("/city sign-in: %v", err)
	}
	for _, lang := range queue.Languages {
		var cards int
		var states string
		err := chromedp.Run(desk,
			chromedp.Click(fmt.Sprintf(`button.lang[data-lang="%s"]`, lang)),
			chromedp.WaitVisible(fmt.Sprintf(`html[lang="%s"]`, lang)),
			chromedp.Sleep(300*time.Millisecond),
			chromedp.Evaluate(`document.querySelectorAll(".card").length`, &cards),
			chromedp.Evaluate(`[...document.querySelectorAll(".card .state")].map(e => e.className).join(",")`, &states),
		)
		if err != nil {
			t.Fatalf("/city in %s: %v", lang, err)
		}
		if cards != 3 || strings.Count(states, "up") != 2 || strings.Count(states, "down") != 1 {
			t.Fatalf("/city in %s: %d cards, link states %s", lang, cards, states)
		}
		e2e.Screenshot(t, desk, "city-"+lang)
	}
}
