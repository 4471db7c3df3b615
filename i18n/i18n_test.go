package i18n

import "testing"

func TestPluralForms(t *testing.T) {
	want := map[string]map[int]string{
		"lt": {1: "1 klientas", 2: "2 klientai", 5: "5 klientai", 10: "10 klientų", 11: "11 klientų", 21: "21 klientas", 22: "22 klientai", 25: "25 klientai"},
		"ru": {1: "1 клиент", 2: "2 клиента", 5: "5 клиентов", 11: "11 клиентов", 21: "21 клиент", 22: "22 клиента", 25: "25 клиентов"},
		"uk": {1: "1 клієнт", 2: "2 клієнти", 5: "5 клієнтів", 11: "11 клієнтів", 21: "21 клієнт", 22: "22 клієнти", 25: "25 клієнтів"},
		"pl": {1: "1 klient", 2: "2 klientów", 5: "5 klientów", 11: "11 klientów", 21: "21 klientów", 22: "22 klientów", 25: "25 klientów"},
		"en": {1: "1 client", 2: "2 clients", 21: "21 clients"},
	}
	for lang, cases := range want {
		for n, text := range cases {
			if got := Count(lang, "clients", n); got != text {
				t.Errorf("%s %d: %q, want %q", lang, n, got, text)
			}
		}
	}
	// Minutes show the Polish and Lithuanian forms that differ from clients.
	for n, text := range map[int]string{1: "1 minuta", 2: "2 minuty", 5: "5 minut", 12: "12 minut", 22: "22 minuty", 25: "25 minut"} {
		if got := Count("pl", "minutes", n); got != text {
			t.Errorf("pl %d: %q, want %q", n, got, text)
		}
	}
}

// Every language has every key Lithuanian has, so no visitor meets a raw key.
func TestBundlesComplete(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "ru", "pl", "uk"} {
		have := map[string]bool{}
		for _, k := range Keys(lang) {
			have[k] = true
		}
		for _, k := range Keys("lt") {
			if !have[k] {
				t.Errorf("%s.json lacks %q", lang, k)
			}
		}
	}
}

func TestFallback(t *testing.T) {
	if got := T("de", "offline"); got != T("lt", "offline") {
		t.Fatalf("unknown language gave %q", got)
	}
	if got := T("lt", "no.such.key"); got != "no.such.key" {
		t.Fatalf("missing key gave %q", got)
	}
}
