package i18n_test

import (
	"testing"

	"langelis/i18n"
)

// The wording a native-speaker trial of the Sofia hall corrected: the
// kiosk's button after a booking code confirms the arrival (it does not
// "register" anyone), a booking's own page (/b/CODE) is headed by what it
// is about, not by an order to book, and a month's complaints that no one
// has answered yet are "still without an answer" (nobody receives
// answers).
func TestBulgarianWording(t *testing.T) {
	for key, want := range map[string]string{
		"kiosk.booking.ok":             "Потвърдете пристигането",
		"book.title":                   "Запазване на час",
		"book.status.checked_in":       "Пристигането Ви е потвърдено. Вашият номер е A012.",
		"res.complaints.none_answered": "все още без отговор",
	} {
		if got := i18n.T("bg", key, "number", "A012"); got != want {
			t.Errorf("bg %s = %q, want %q", key, got, want)
		}
	}
}
