package queue

import (
	"strings"
	"unicode/utf8"
)

// MaxReason is the longest reason a clerk may give for refusing service or
// pausing a desk, in characters (not bytes: a Cyrillic letter is two bytes
// and still one character to the clerk who types it).
const MaxReason = 200

// checkReason trims a reason and checks its length in characters. Only
// spaces is no reason at all: it is missing when required, and empty
// otherwise, never "too long".
func checkReason(reason string, required bool) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" && required {
		return "", E(EINVALID, "err.refuse.reason")
	}
	if utf8.RuneCountInString(reason) > MaxReason {
		return "", E(EINVALID, "err.refuse.reason_long", "n", MaxReason)
	}
	return reason, nil
}

// dailyCapReached refuses a ticket past the service's daily cap. The cap
// is the manager's bound on what a flood of tickets (a script on the kiosk
// network, phones across many addresses) can do to a day's queue.
func dailyCapReached(svc Service) error {
	return E(EDAILYCAP, "err.daily_cap", "service", svc.Letter, "n", svc.DailyCap)
}
