package queue

import (
	"strings"
	"unicode/utf8"
)

// MaxReason is the longest reason a clerk may give for refusing service or
// pausing a desk, in characters (not bytes: a Cyrillic letter is two bytes
// and still one character to the clerk who types it).
const MaxReason = 200

// The messages of the input limits, in one place so that they can be keyed
// for translation.
const (
	msgReasonMissing = "Give the reason for refusing service."
	msgReasonTooLong = "The reason is too long (%d characters at most)."
	msgDailyCap      = "Today's tickets for service %s have run out (%d a day). Please come back on another working day."
)

// checkReason trims a reason and checks its length in characters. Only
// spaces is no reason at all: it is missing when required, and empty
// otherwise, never "too long".
func checkReason(reason string, required bool) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" && required {
		return "", Errorf(EINVALID, msgReasonMissing)
	}
	if utf8.RuneCountInString(reason) > MaxReason {
		return "", Errorf(EINVALID, msgReasonTooLong, MaxReason)
	}
	return reason, nil
}

// dailyCapReached refuses a ticket past the service's daily cap. The cap
// is the manager's bound on what a flood of tickets (a script on the kiosk
// network, phones across many addresses) can do to a day's queue.
func dailyCapReached(svc Service) error {
	return Errorf(EDAILYCAP, msgDailyCap, svc.Letter, svc.DailyCap)
}
