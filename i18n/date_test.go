package i18n_test

import (
	"testing"
	"time"

	"langelis/i18n"
)

type day time.Time

func (d day) TextDate() time.Time { return time.Time(d) }

// Each language writes a day as its readers do: ISO in Lithuanian, the
// month in words in English, day.month.year in the Slavic languages; a
// day given to T as an argument is written the same way.
func TestDate(t *testing.T) {
	d := time.Date(2026, 12, 1, 10, 4, 0, 0, time.UTC)
	want := map[string]string{"lt": "2026-12-01", "en": "1 December 2026", "ru": "01.12.2026", "uk": "01.12.2026",
		"pl": "01.12.2026", "bg": "01.12.2026"}
	for lang, w := range want {
		if got := i18n.Date(lang, d); got != w {
			t.Errorf("Date(%s) = %q, want %q", lang, got, w)
		}
	}
	if got := i18n.T("en", "err.closed.date", "date", day(d), "time", "08:00"); got != "The office is closed. It opens on 1 December 2026 at 08:00." {
		t.Errorf("a day in a text: %q", got)
	}
}
