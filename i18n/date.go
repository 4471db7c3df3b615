package i18n

import (
	"fmt"
	"time"
)

// Date writes a calendar day the way lang customarily writes it on a
// ticket or a page: Lithuanian "2026-12-01" (ISO 8601 is the Lithuanian
// standard, LST ISO 8601), English "1 December 2026" (day first, the
// month in words, so that no reader takes 1/12 for 12 January), Russian,
// Ukrainian, Polish and Bulgarian "01.12.2026". The pages write dates with
// dateText in /static/js/i18n.js, the same rule.
func Date(lang string, d time.Time) string {
	switch lang {
	case "en":
		return fmt.Sprintf("%d %s %d", d.Day(), d.Month(), d.Year())
	case "ru", "uk", "pl", "bg":
		return d.Format("02.01.2006")
	}
	return d.Format(time.DateOnly)
}

// Dated is an argument that is a calendar day: T writes it with Date in
// the text's language (a refusal saying "It opens on 1 December 2026").
type Dated interface{ TextDate() time.Time }
