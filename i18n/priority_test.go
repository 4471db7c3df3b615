package i18n

import (
	"strings"
	"testing"

	"langelis/queue"
)

// The kiosk explains the default policy's wait limit W in the visitor's
// language; the plural form must follow the number.
func TestPriorityMaxWaitPlurals(t *testing.T) {
	want := map[string]map[int]string{
		"lt": {1: "1 minutę", 21: "21 minutę", 25: "25 minutes", 15: "15 minučių", 30: "30 minučių"},
		"ru": {1: "1 минуты", 21: "21 минуты", 25: "25 минут", 15: "15 минут", 22: "22 минут"},
		"uk": {1: "1 хвилину", 22: "22 хвилини", 25: "25 хвилин", 15: "15 хвилин"},
		"pl": {1: "1 minutę", 22: "22 minuty", 25: "25 minut", 12: "12 minut"},
		"en": {1: "1 minute:", 25: "25 minutes"},
		"bg": {1: "1 минута:", 2: "2 минути:", 21: "21 минути:"},
	}
	for lang, cases := range want {
		for n, part := range cases {
			if got := T(lang, "priority.maxwait", "n", n); !strings.Contains(got, part) {
				t.Errorf("%s %d: %q does not contain %q", lang, n, got, part)
			}
		}
	}
	for _, lang := range queue.Languages {
		for _, k := range []string{"priority.none", "priority.child", "priority.pregnant", "priority.disability", "priority.elderly", "priority.mark"} {
			if got := T(lang, k); got == k || got == "" {
				t.Errorf("%s: no text for %s", lang, k)
			}
		}
	}
}
