package i18n_test

import (
	"strings"
	"testing"

	"langelis/i18n"
)

// The end-of-day counts read right in every plural form: 1, 2, 5, 11, 21,
// 22 and 25 pick one, few, many (Slavic) or other the way a native reader
// expects (Lithuanian: 2-9 and 22-29 say "klientai", 10-20 "klientų").
func TestEodPlurals(t *testing.T) {
	ns := []int{1, 2, 5, 11, 21, 22, 25}
	want := map[string]map[string][]string{ // lang → key → the words for each n in ns
		"lt": {
			"eod.banner":        {"aptarnautas 1 klientas", "aptarnauti 2 klientai", "aptarnauti 5 klientai", "aptarnauta 11 klientų", "aptarnautas 21 klientas", "aptarnauti 22 klientai", "aptarnauti 25 klientai"},
			"eod.status.beyond": {"aptarnautas 1 klientas", "aptarnauti 2 klientai", "aptarnauti 5 klientai", "aptarnauta 11 klientų", "aptarnautas 21 klientas", "aptarnauti 22 klientai", "aptarnauti 25 klientai"},
			"eod.kiosk.ahead":   {"1 klientas.", "2 klientai.", "5 klientai.", "11 klientų.", "21 klientas.", "22 klientai.", "25 klientai."},
		},
		"ru": {
			"eod.banner":        {"будет обслужен 1 клиент,", "будут обслужены 2 клиента,", "будут обслужены 5 клиентов,", "будут обслужены 11 клиентов,", "будет обслужен 21 клиент,", "будут обслужены 22 клиента,", "будут обслужены 25 клиентов,"},
			"eod.status.beyond": {"будет обслужен 1 клиент,", "будут обслужены 2 клиента,", "будут обслужены 5 клиентов,", "будут обслужены 11 клиентов,", "будет обслужен 21 клиент,", "будут обслужены 22 клиента,", "будут обслужены 25 клиентов,"},
			"eod.kiosk.ahead":   {"1 клиент.", "2 клиента.", "5 клиентов.", "11 клиентов.", "21 клиент.", "22 клиента.", "25 клиентов."},
		},
		"pl": {
			"eod.banner":        {"obsłużony 1 klient,", "obsłużeni 2 klienci,", "obsłużonych 5 klientów,", "obsłużonych 11 klientów,", "obsłużonych 21 klientów,", "obsłużeni 22 klienci,", "obsłużonych 25 klientów,"},
			"eod.status.beyond": {"obsłużony 1 klient,", "obsłużeni 2 klienci,", "obsłużonych 5 klientów,", "obsłużonych 11 klientów,", "obsłużonych 21 klientów,", "obsłużeni 22 klienci,", "obsłużonych 25 klientów,"},
			"eod.kiosk.ahead":   {"1 klient.", "2 klienci.", "5 klientów.", "11 klientów.", "21 klientów.", "22 klienci.", "25 klientów."},
		},
		"uk": {
			"eod.banner":        {"обслуговано 1 клієнта,", "обслуговано 2 клієнти,", "обслуговано 5 клієнтів,", "обслуговано 11 клієнтів,", "обслуговано 21 клієнта,", "обслуговано 22 клієнти,", "обслуговано 25 клієнтів,"},
			"eod.status.beyond": {"обслужений 1 клієнт,", "обслужені 2 клієнти,", "обслужені 5 клієнтів,", "обслужені 11 клієнтів,", "обслужений 21 клієнт,", "обслужені 22 клієнти,", "обслужені 25 клієнтів,"},
			"eod.kiosk.ahead":   {"1 клієнт.", "2 клієнти.", "5 клієнтів.", "11 клієнтів.", "21 клієнт.", "22 клієнти.", "25 клієнтів."},
		},
		"en": {
			"eod.banner":      {"1 more client can", "2 more clients can", "5 more clients can", "11 more clients can", "21 more clients can", "22 more clients can", "25 more clients can"},
			"eod.kiosk.ahead": {"1 client is", "2 clients are", "5 clients are", "11 clients are", "21 clients are", "22 clients are", "25 clients are"},
		},
	}
	for lang, keys := range want {
		for key, words := range keys {
			for i, n := range ns {
				got := i18n.T(lang, key, "n", n, "closing", "17:00", "last", "A042", "number", "A050")
				if !strings.Contains(got, words[i]) {
					t.Errorf("%s %s n=%d: %q lacks %q", lang, key, n, got, words[i])
				}
				if strings.Contains(got, "{") {
					t.Errorf("%s %s n=%d: unfilled placeholder in %q", lang, key, n, got)
				}
			}
		}
	}
}

// The forecast's forms read right too: the range agrees with its upper
// number ("nuo 12 iki 15 klientų", "от 12 до 21 клиента"), "at most" with its
// number, and the count without a last ticket with its.
func TestEodRangePlurals(t *testing.T) {
	ns := []int{1, 2, 5, 11, 21, 22, 25}
	want := map[string]map[string][]string{
		"lt": {
			"eod.banner.range": {"aptarnauta nuo 0 iki 1 kliento.", "aptarnauta nuo 1 iki 2 klientų.", "aptarnauta nuo 4 iki 5 klientų.", "aptarnauta nuo 10 iki 11 klientų.", "aptarnauta nuo 20 iki 21 kliento.", "aptarnauta nuo 21 iki 22 klientų.", "aptarnauta nuo 24 iki 25 klientų."},
			"eod.banner.upto":  {"aptarnauti iki 1 kliento.", "aptarnauti iki 2 klientų.", "aptarnauti iki 5 klientų.", "aptarnauti iki 11 klientų.", "aptarnauti iki 21 kliento.", "aptarnauti iki 22 klientų.", "aptarnauti iki 25 klientų."},
			"eod.banner.count": {"aptarnautas 1 klientas.", "aptarnauti 2 klientai.", "aptarnauti 5 klientai.", "aptarnauta 11 klientų.", "aptarnautas 21 klientas.", "aptarnauti 22 klientai.", "aptarnauti 25 klientai."},
		},
		"ru": {
			"eod.banner.range": {"от 0 до 1 клиента.", "от 1 до 2 клиентов.", "от 4 до 5 клиентов.", "от 10 до 11 клиентов.", "от 20 до 21 клиента.", "от 21 до 22 клиентов.", "от 24 до 25 клиентов."},
			"eod.banner.upto":  {"не более 1 клиента.", "не более 2 клиентов.", "не более 5 клиентов.", "не более 11 клиентов.", "не более 21 клиента.", "не более 22 клиентов.", "не более 25 клиентов."},
			"eod.banner.count": {"будет обслужен 1 клиент.", "будут обслужены 2 клиента.", "будут обслужены 5 клиентов.", "будут обслужены 11 клиентов.", "будет обслужен 21 клиент.", "будут обслужены 22 клиента.", "будут обслужены 25 клиентов."},
		},
		"pl": {
			"eod.banner.range": {"od 0 do 1 klienta.", "od 1 do 2 klientów.", "od 4 do 5 klientów.", "od 10 do 11 klientów.", "od 20 do 21 klientów.", "od 21 do 22 klientów.", "od 24 do 25 klientów."},
			"eod.banner.upto":  {"najwyżej 1 klienta.", "najwyżej 2 klientów.", "najwyżej 5 klientów.", "najwyżej 11 klientów.", "najwyżej 21 klientów.", "najwyżej 22 klientów.", "najwyżej 25 klientów."},
			"eod.banner.count": {"obsłużony 1 klient.", "obsłużeni 2 klienci.", "obsłużonych 5 klientów.", "obsłużonych 11 klientów.", "obsłużonych 21 klientów.", "obsłużeni 22 klienci.", "obsłużonych 25 klientów."},
		},
		"uk": {
			"eod.banner.range": {"від 0 до 1 клієнта.", "від 1 до 2 клієнтів.", "від 4 до 5 клієнтів.", "від 10 до 11 клієнтів.", "від 20 до 21 клієнта.", "від 21 до 22 клієнтів.", "від 24 до 25 клієнтів."},
			"eod.banner.upto":  {"не більше 1 клієнта.", "не більше 2 клієнтів.", "не більше 5 клієнтів.", "не більше 11 клієнтів.", "не більше 21 клієнта.", "не більше 22 клієнтів.", "не більше 25 клієнтів."},
			"eod.banner.count": {"обслуговано 1 клієнта.", "обслуговано 2 клієнти.", "обслуговано 5 клієнтів.", "обслуговано 11 клієнтів.", "обслуговано 21 клієнта.", "обслуговано 22 клієнти.", "обслуговано 25 клієнтів."},
		},
		"en": {
			"eod.banner.range": {"Between 0 and 1 more clients", "Between 1 and 2 more clients", "Between 4 and 5 more clients", "Between 10 and 11 more clients", "Between 20 and 21 more clients", "Between 21 and 22 more clients", "Between 24 and 25 more clients"},
			"eod.banner.upto":  {"At most 1 more client can", "At most 2 more clients can", "At most 5 more clients can", "At most 11 more clients can", "At most 21 more clients can", "At most 22 more clients can", "At most 25 more clients can"},
			"eod.banner.count": {"1 more client can", "2 more clients can", "5 more clients can", "11 more clients can", "21 more clients can", "22 more clients can", "25 more clients can"},
		},
	}
	for lang, keys := range want {
		for key, words := range keys {
			for i, n := range ns {
				got := i18n.T(lang, key, "n", n, "lo", n-1, "hi", n, "closing", "17:00")
				if !strings.Contains(got, words[i]) {
					t.Errorf("%s %s n=%d: %q lacks %q", lang, key, n, got, words[i])
				}
				if strings.Contains(got, "{") {
					t.Errorf("%s %s n=%d: unfilled placeholder in %q", lang, key, n, got)
				}
			}
		}
	}
}
