package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"langelis/app"
	"langelis/i18n"
	"langelis/queue"
)

func getPage(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestLegalPagesFollowTheOffice: the privacy notice and the accessibility
// statement say the office's own retention periods (with each language's
// plural), contacts and enforcement body, in every visitor language.
func TestLegalPagesFollowTheOffice(t *testing.T) {
	s := newTSApp(t, func(c *app.Config) {
		c.Office.RetentionDays, c.Office.AuditRetentionDays, c.Office.FeedbackRetentionDays = 21, 3, 45
		c.Office.Contact = queue.Contact{Email: "duomenys@example.lt", DPO: "dap@example.lt",
			Supervisor: "Valstybinė duomenų apsaugos inspekcija", Enforcement: "Informacinės visuomenės plėtros komitetas",
			Reviewed: "2026-11-30"}
	})
	want := map[string][]string{ // the journal's 21 days and the audit's 3, as each language says them
		// and the legal basis of the priority groups (GDPR Article 9(2)(a))
		"lt": {"21 diena", "3 dienos", "Privatumo pranešimas", "9 straipsnio 2 dalies a punktas"},
		"en": {"21 days", "3 days", "Privacy notice", "Article 9(2)(a)"},
		"ru": {"21 день", "3 дня", "Уведомление о конфиденциальности", "статья 9(2)(a)"},
		"pl": {"21 dni", "3 dni", "Informacja o prywatności", "art. 9 ust. 2 lit. a"},
		"uk": {"21 день", "3 дні", "Повідомлення про конфіденційність", "стаття 9(2)(a)"},
		"bg": {"21 дни", "3 дни", "Уведомление за поверителност", "чл. 9, параграф 2, буква „а“"},
	}
	// Bookings, complaints and answers after service are named too, each
	// with the office's own period: the complaint's 45 days after the answer.
	more := map[string][]string{
		"lt": {"Rezervacijos: 21 diena", "skaičiuojant nuo atsakymo: 45 dienos", "Komentarai po aptarnavimo: 21 diena"},
		"en": {"Bookings: 21 days", "counted from the answer: 45 days", "Comments after service: 21 days"},
		"ru": {"Записи: 21 день", "считая от ответа: 45 дней", "Комментарии после обслуживания: 21 день"},
		"pl": {"Rezerwacje: 21 dni", "licząc od odpowiedzi: 45 dni", "Komentarze po obsłudze: 21 dni"},
		"uk": {"Записи: 21 день", "рахуючи від відповіді: 45 днів", "Коментарі після обслуговування: 21 день"},
	}
	for lang, words := range want {
		words = append(words, more[lang]...)
		code, body := getPage(t, s.URL+"/privacy?lang="+lang)
		if code != 200 {
			t.Fatalf("/privacy?lang=%s: %d", lang, code)
		}
		for _, w := range append(words, `<html lang="`+lang+`">`, "mailto:duomenys@example.lt", "dap@example.lt",
			"Valstybinė duomenų apsaugos inspekcija") {
			if !strings.Contains(body, w) {
				t.Errorf("/privacy?lang=%s does not say %q", lang, w)
			}
		}
		code, body = getPage(t, s.URL+"/accessibility?lang="+lang)
		if code != 200 {
			t.Fatalf("/accessibility?lang=%s: %d", lang, code)
		}
		reviewed := map[string]string{"lt": "2026-11-30", "en": "30 November 2026"}[lang] // the day as each language writes it
		if reviewed == "" {
			reviewed = "30.11.2026"
		}
		for _, w := range []string{"2016/2102", "EN 301 549", reviewed, "Informacinės visuomenės plėtros komitetas",
			"mailto:duomenys@example.lt", `<html lang="` + lang + `">`} {
			if !strings.Contains(body, w) {
				t.Errorf("/accessibility?lang=%s does not say %q", lang, w)
			}
		}
	}
	// Without contacts, the pages send people to the staff and name no body.
	s2 := newTS(t)
	_, body := getPage(t, s2.URL+"/privacy?lang=en")
	if !strings.Contains(body, "Ask the staff in the hall.") || strings.Contains(body, "mailto:") {
		t.Errorf("/privacy of an office without contacts: %s", body)
	}
	_, body = getPage(t, s2.URL+"/accessibility?lang=en")
	if !strings.Contains(body, "the national body that monitors") || strings.Contains(body, "Last reviewed") {
		t.Errorf("/accessibility of an office without contacts: %s", body)
	}
}

// A page is served in the office's first language from its first paint:
// a Bulgarian hall's kiosk never shows the Lithuanian its file is written
// in while the script loads.
func TestPagesStartInTheFirstLanguage(t *testing.T) {
	s := newTSApp(t, func(c *app.Config) {
		c.Office.Languages = []string{"bg", "en"}
		for i := range c.Office.Services {
			c.Office.Services[i].Names["bg"] = "Услуга " + c.Office.Services[i].Letter
		}
	})
	for path, want := range map[string][]string{
		"/kiosk":    {i18n.T("bg", "kiosk.title"), i18n.T("bg", "kiosk.choose_service"), i18n.T("bg", "kiosk.your_number")},
		"/take":     {},
		"/book":     {},
		"/feedback": {},
		"/results":  {},
		"/display":  {},
		"/desk":     {},
		"/admin":    {},
	} {
		code, body := getPage(t, s.URL+path)
		if code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		if !strings.Contains(body, `<html lang="bg"`) {
			t.Errorf("%s is not marked Bulgarian", path)
		}
		for _, w := range want {
			if !strings.Contains(body, ">"+w+"<") {
				t.Errorf("%s does not say %q", path, w)
			}
		}
		for _, lt := range []string{"Pasirinkite paslaugą", "Jūsų numeris", "Paimkite eilės bilietą", "Atgal"} {
			if strings.Contains(body, ">"+lt+"<") {
				t.Errorf("%s says the Lithuanian %q", path, lt)
			}
		}
	}
}

// TestAccessibilityStatementTellsOfTheVoice: the kiosk speaks (issue 18.7,
// docs/voice.md), so the statement no longer sends a blind visitor away
// with "the kiosk does not speak yet": in every visitor language it says
// how the voice mode starts (V, or two seconds' hold) and its keys.
func TestAccessibilityStatementTellsOfTheVoice(t *testing.T) {
	s := newTS(t)
	silent := map[string]string{"lt": "Kioskas dar nekalba", "en": "The kiosk does not speak yet", "ru": "Киоск пока не говорит",
		"pl": "Kiosk jeszcze nie mówi", "uk": "Кіоск поки що не говорить", "bg": "все още не говори"}
	voice := map[string][]string{
		"lt": {"Kiosko balso pagalba", "paspaudę V", "dvi sekundes", "Escape", "Enter", "rodyklės"},
		"en": {"voice guidance", "press V", "two seconds", "Escape", "Enter", "arrow keys"},
		"ru": {"Голосовые подсказки киоска", "нажмите V", "две секунды", "Escape", "Enter", "стрелки"},
		"pl": {"Komunikaty głosowe kiosku", "naciśnij V", "dwie sekundy", "Escape", "Enter", "strzałki"},
		"uk": {"Голосові підказки кіоску", "натисніть V", "дві секунди", "Escape", "Enter", "стрілки"},
		"bg": {"Гласови указания на терминала", "натиснете V", "две секунди", "Escape", "Enter", "стрелките"},
	}
	for lang, words := range voice {
		code, body := getPage(t, s.URL+"/accessibility?lang="+lang)
		if code != 200 {
			t.Fatalf("/accessibility?lang=%s: %d", lang, code)
		}
		if strings.Contains(body, silent[lang]) {
			t.Errorf("/accessibility?lang=%s still says the kiosk is silent (%q)", lang, silent[lang])
		}
		for _, w := range append(words, `<html lang="`+lang+`">`) {
			if !strings.Contains(body, w) {
				t.Errorf("/accessibility?lang=%s does not tell of the voice mode: no %q", lang, w)
			}
		}
	}
}
