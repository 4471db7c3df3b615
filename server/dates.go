package server

import (
	"time"

	"langelis/i18n"
)

// dayText is a day the office or the reports give as 2006-01-02, written
// as lang writes dates (i18n.Date); anything else is shown as given.
func dayText(lang, day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return i18n.Date(lang, d)
}
