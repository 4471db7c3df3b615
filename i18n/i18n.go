// Package i18n gives visitor-facing text in Langelis's languages
// (queue.Languages, the one list), with the CLDR plural rules each needs
// ("1 klientas", "2 klientai", "10 klientų").
//
// The strings live in assets/web/i18n/LANG.json (shared words) and
// assets/web/i18n/AREA/LANG.json (one folder per page or feature, so that
// each has its own files); the server's error messages are the area
// "errors" (docs/i18n.md). The web pages read the same files and pick plural
// forms with Intl.PluralRules. A key must be unique across all files.
// A message is either a string or an object of plural forms keyed by
// one/few/many/other; "{n}" and "{name}" placeholders are filled from args.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"

	"langelis/assets"
	"langelis/queue"
)

// Fallback is the language T falls back to when a text is missing in the
// one asked for. Every caller that knows an office asks in a language of
// queue.Languages, and TestBundlesComplete keeps every bundle complete, so
// this is only reached for a language Langelis does not have or a key a
// developer has not written everywhere yet. This package knows no office
// (and one process may serve several, in tests and the city demo), so it
// cannot use the office's first language; English is the language such a
// reader most likely reads, and the one new texts are written in first.
const Fallback = "en"

var (
	loadOnce sync.Once
	bundles  map[string]map[string]json.RawMessage
	loadErr  error
)

func load() {
	bundles = map[string]map[string]json.RawMessage{}
	for _, lang := range queue.Languages {
		files, _ := fs.Glob(assets.FS, "web/i18n/*/"+lang+".json")
		files = append([]string{"web/i18n/" + lang + ".json"}, files...)
		all := map[string]json.RawMessage{}
		for _, f := range files {
			data, err := fs.ReadFile(assets.FS, f)
			if err != nil {
				loadErr = fmt.Errorf("i18n: %w", err)
				return
			}
			m := map[string]json.RawMessage{}
			if err := json.Unmarshal(data, &m); err != nil {
				loadErr = fmt.Errorf("i18n: %s: %w", f, err)
				return
			}
			for k, v := range m {
				if _, dup := all[k]; dup {
					loadErr = fmt.Errorf("i18n: %s: key %q is defined twice", f, k)
					return
				}
				all[k] = v
			}
		}
		bundles[lang] = all
	}
}

// Check reports a broken translation file; the server calls it at start.
func Check() error {
	loadOnce.Do(load)
	return loadErr
}

// Keys returns the keys of one language's bundle.
func Keys(lang string) []string {
	loadOnce.Do(load)
	var out []string
	for k := range bundles[lang] {
		out = append(out, k)
	}
	return out
}

// Word is an argument that is itself a text: T puts the word's text in the
// same language in its place (queue.Word is one: a ticket's status in an
// error message).
type Word interface{ TextKey() string }

// Spelt is a count written in words (a voice reads "trys", not "3"): T
// puts Words in its place and, for "n", picks the plural form by N.
type Spelt struct {
	N     int
	Words string
}

// Message is an argument that is itself a text with arguments (a keyed
// message inside another, such as the office file's message inside "The
// configuration was not changed: …"): translated in the same language.
type Message interface {
	TextKey() string
	TextArgs() []any
}

// T returns the text for key in lang, falling back to Fallback and then
// to the key itself. args are name/value pairs; a value named "n" that is an
// int also chooses the plural form, and a Word is translated.
func T(lang, key string, args ...any) string {
	loadOnce.Do(load)
	raw, ok := bundles[lang][key]
	if !ok {
		lang = Fallback
		if raw, ok = bundles[Fallback][key]; !ok {
			return key
		}
	}
	vals := map[string]string{}
	n, hasN := 0, false
	for i := 0; i+1 < len(args); i += 2 {
		name := fmt.Sprint(args[i])
		if sp, ok := args[i+1].(Spelt); ok {
			vals[name] = sp.Words
			if name == "n" {
				n, hasN = sp.N, true
			}
			continue
		}
		if d, ok := args[i+1].(Dated); ok {
			vals[name] = Date(lang, d.TextDate())
		} else if m, ok := args[i+1].(Message); ok {
			vals[name] = T(lang, m.TextKey(), m.TextArgs()...)
		} else if w, ok := args[i+1].(Word); ok {
			vals[name] = T(lang, w.TextKey())
		} else {
			vals[name] = fmt.Sprint(args[i+1])
		}
		if name == "n" {
			if v, ok := args[i+1].(int); ok {
				n, hasN = v, true
			}
		}
	}
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		var forms map[string]string
		if err := json.Unmarshal(raw, &forms); err != nil {
			return key
		}
		cat := "other"
		if hasN {
			cat = Plural(lang, n)
		}
		if text, ok = forms[cat]; !ok {
			text = forms["other"]
		}
	}
	for k, v := range vals {
		text = strings.ReplaceAll(text, "{"+k+"}", v)
	}
	return text
}

// Plural returns the CLDR plural category of the whole number n in lang:
// one, few, many or other.
func Plural(lang string, n int) string {
	if n < 0 {
		n = -n
	}
	m10, m100 := n%10, n%100
	switch lang {
	case "lt":
		switch {
		case m10 == 1 && (m100 < 11 || m100 > 19):
			return "one"
		case m10 >= 2 && (m100 < 11 || m100 > 19):
			return "few"
		}
		return "other" // "many" is for fractions only
	case "ru", "uk":
		switch {
		case m10 == 1 && m100 != 11:
			return "one"
		case m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14):
			return "few"
		}
		return "many"
	case "pl":
		switch {
		case n == 1:
			return "one"
		case m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14):
			return "few"
		}
		return "many"
	}
	// en, bg: one for exactly 1, other for the rest.
	if n == 1 {
		return "one"
	}
	return "other"
}

// Count formats n with its plural form of a noun key, e.g.
// Count("lt", "clients", 10) → "10 klientų".
func Count(lang, key string, n int) string {
	return T(lang, key, "n", n)
}

// Itoa is strconv.Itoa, here so callers that build texts need one import.
func Itoa(n int) string { return strconv.Itoa(n) }
