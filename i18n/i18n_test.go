package i18n

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"slices"
	"testing"

	"langelis/assets"
	"langelis/queue"
)

func TestPluralForms(t *testing.T) {
	want := map[string]map[int]string{
		"lt": {1: "1 klientas", 2: "2 klientai", 5: "5 klientai", 10: "10 klientų", 11: "11 klientų", 21: "21 klientas", 22: "22 klientai", 25: "25 klientai"},
		"ru": {1: "1 клиент", 2: "2 клиента", 5: "5 клиентов", 11: "11 клиентов", 21: "21 клиент", 22: "22 клиента", 25: "25 клиентов"},
		"uk": {1: "1 клієнт", 2: "2 клієнти", 5: "5 клієнтів", 11: "11 клієнтів", 21: "21 клієнт", 22: "22 клієнти", 25: "25 клієнтів"},
		"pl": {1: "1 klient", 2: "2 klientów", 5: "5 klientów", 11: "11 klientów", 21: "21 klientów", 22: "22 klientów", 25: "25 klientów"},
		"en": {1: "1 client", 2: "2 clients", 21: "21 clients"},
		"bg": {0: "0 клиенти", 1: "1 клиент", 2: "2 клиенти", 11: "11 клиенти", 21: "21 клиенти", 101: "101 клиенти"},
	}
	for lang, cases := range want {
		for n, text := range cases {
			if got := Count(lang, "clients", n); got != text {
				t.Errorf("%s %d: %q, want %q", lang, n, got, text)
			}
		}
	}
	// Bulgarian counts things (not people) with the counting form: "2 билета".
	for n, text := range map[int]string{1: "1 билет", 2: "2 билета", 21: "21 билета"} {
		if got := Count("bg", "tickets", n); got != text {
			t.Errorf("bg tickets %d: %q, want %q", n, got, text)
		}
	}
	// Minutes show the Polish and Lithuanian forms that differ from clients.
	for n, text := range map[int]string{1: "1 minuta", 2: "2 minuty", 5: "5 minut", 12: "12 minut", 22: "22 minuty", 25: "25 minut"} {
		if got := Count("pl", "minutes", n); got != text {
			t.Errorf("pl %d: %q, want %q", n, got, text)
		}
	}
}

// Every language of queue.Languages has every key any language has, so
// no visitor meets a raw key or another language's sentence.
func TestBundlesComplete(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	all := map[string]string{} // key → a language that has it
	for _, lang := range queue.Languages {
		keys := Keys(lang)
		if len(keys) == 0 {
			t.Errorf("%s: no texts at all (assets/web/i18n/%s.json and AREA/%s.json)", lang, lang, lang)
		}
		for _, k := range keys {
			all[k] = lang
		}
	}
	for _, lang := range queue.Languages {
		have := map[string]bool{}
		for _, k := range Keys(lang) {
			have[k] = true
		}
		for k, in := range all {
			if !have[k] {
				t.Errorf("%s lacks %q (which %s has)", lang, k, in)
			}
		}
	}
}

// Every language has its CLDR plural categories named (pluralForms), and
// Plural only ever answers one of them.
func TestPluralCategories(t *testing.T) {
	for _, lang := range queue.Languages {
		cats, ok := pluralForms[lang]
		if !ok {
			t.Errorf("%s: its plural categories are not in pluralForms (and Plural may not know it)", lang)
			continue
		}
		for n := 0; n <= 1000; n++ {
			if c := Plural(lang, n); !slices.Contains(cats, c) {
				t.Fatalf("Plural(%s, %d) = %s, not one of %v", lang, n, c, cats)
			}
		}
	}
	for n, want := range map[int]string{0: "other", 1: "one", 2: "other", 11: "other", 21: "other", 101: "other"} {
		if got := Plural("bg", n); got != want {
			t.Errorf("Plural(bg, %d) = %s, want %s", n, got, want)
		}
	}
}

// extraPlaceholders are filled for some languages only: takeflow.js gives
// {at}, Ukrainian's "о" or "об" before an hour.
var extraPlaceholders = map[string]bool{"at": true}

// Every text, in every area, in every language: each English placeholder
// appears in it (a plural form may leave out {n}: "една минута"), it has
// no placeholder nothing fills, and a text counted by n has each of its
// language's plural forms, so no {name} is shown raw and no number takes
// a form its language does not have.
func TestPlaceholdersAndForms(t *testing.T) {
	loadOnce.Do(load)
	for k, raw := range bundles["en"] {
		enForms := forms(t, "en", k, raw)
		want := map[string]bool{}
		for _, text := range enForms {
			for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
				want[m[1]] = true
			}
		}
		_, counted := enForms["one"] // English has "other" alone when nothing counts
		for _, lang := range queue.Languages {
			raw, ok := bundles[lang][k]
			if !ok {
				continue // TestBundlesComplete
			}
			fs := forms(t, lang, k, raw)
			if _, plain := fs[""]; !plain && counted {
				for _, cat := range pluralForms[lang] {
					if fs[cat] == "" {
						t.Errorf("%s: %s lacks the plural form %q", lang, k, cat)
					}
				}
			}
			used := map[string]bool{}
			for cat, text := range fs {
				for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
					used[m[1]] = true
					if !want[m[1]] && !extraPlaceholders[m[1]] {
						t.Errorf("%s: %s %s has {%s}, which English has not (so nothing fills it)", lang, k, cat, m[1])
					}
				}
			}
			for name := range want {
				if !used[name] && name != "n" {
					t.Errorf("%s: %s leaves out {%s}", lang, k, name)
				}
			}
		}
	}
}

// The pages' list of languages (LANGS in i18n.js) is queue.Languages, in
// its order: a language added in Go alone would have no button.
func TestPagesKnowEveryLanguage(t *testing.T) {
	js, err := fs.ReadFile(assets.FS, "web/js/i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`export const LANGS = \[([^\]]*)\];`).FindSubmatch(js)
	if m == nil {
		t.Fatal("i18n.js has no `export const LANGS = [...];`")
	}
	var langs []string
	if err := json.Unmarshal([]byte("["+string(m[1])+"]"), &langs); err != nil {
		t.Fatalf("LANGS in i18n.js: %v", err)
	}
	if !slices.Equal(langs, queue.Languages) {
		t.Fatalf("i18n.js LANGS = %v, queue.Languages = %v", langs, queue.Languages)
	}
}

func TestFallback(t *testing.T) {
	if got := T("de", "offline"); got != T(Fallback, "offline") {
		t.Fatalf("unknown language gave %q", got)
	}
	if got := T("lt", "no.such.key"); got != "no.such.key" {
		t.Fatalf("missing key gave %q", got)
	}
}
