package i18n

import "testing"

// The desk's counted phrases take the right plural form in each language.
func TestDeskPlurals(t *testing.T) {
	want := map[string]map[int]string{
		"lt": {1: "Šiandien aptarnautas 1 klientas", 3: "Šiandien aptarnauti 3 klientai", 10: "Šiandien aptarnauta 10 klientų", 21: "Šiandien aptarnautas 21 klientas"},
		"en": {1: "1 client served today", 2: "2 clients served today"},
		"ru": {1: "Сегодня обслужен 1 клиент", 3: "Сегодня обслужено 3 клиента", 5: "Сегодня обслужено 5 клиентов", 21: "Сегодня обслужен 21 клиент"},
		"pl": {1: "Dziś obsłużono 1 klienta", 3: "Dziś obsłużono 3 klientów", 5: "Dziś obsłużono 5 klientów"},
		"uk": {1: "Сьогодні обслуговано 1 клієнта", 3: "Сьогодні обслуговано 3 клієнти", 5: "Сьогодні обслуговано 5 клієнтів"},
		"bg": {1: "Днес е обслужен 1 клиент", 2: "Днес са обслужени 2 клиенти", 21: "Днес са обслужени 21 клиенти"},
	}
	for lang, cases := range want {
		for n, text := range cases {
			if got := T(lang, "desk.served", "n", n); got != text {
				t.Errorf("%s %d: %q, want %q", lang, n, got, text)
			}
		}
	}
}
