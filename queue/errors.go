package queue

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Error codes. The server maps each to one HTTP status in one place; the
// domain never speaks HTTP.
const (
	EINVALID      = "invalid"       // the request itself is wrong
	ENOTFOUND     = "not_found"     // no such ticket, desk or service
	ECONFLICT     = "conflict"      // the request is right but the state forbids it now
	EUNAUTHORIZED = "unauthorized"  // nobody is signed in
	EFORBIDDEN    = "forbidden"     // signed in, but not allowed
	ETOOMANY      = "too_many"      // a flood guard or rate limit answered
	EUNAVAILABLE  = "unavailable"   // the store cannot take writes right now
	ECLOSED       = "office_closed" // outside opening hours
	EDAILYCAP     = "daily_cap"     // the service's tickets for today have run out (Service.DailyCap)
	EINTERNAL     = "internal"      // a bug or a fault nobody can act on
)

// Error is a domain error: a machine-readable code and a message a person
// can act on, given as the key of a text and its arguments rather than as
// a sentence, so that whoever answers the person (the server's error
// handler) writes it in that person's language. The texts live in
// assets/web/i18n/errors/LANG.json; docs/i18n.md says how to add one.
type Error struct {
	Code string
	Key  string // "err.desk.paused": the text's key, always starting "err."
	Args []any  // name/value pairs for the text's {placeholders}; a Word is translated too
}

// Word is an argument that is itself a text to translate, such as a
// ticket's status ("status.waiting") or a weekday, so that no English
// word ends up inside another language's sentence.
type Word string

// TextKey returns the key of the text the word stands for.
func (w Word) TextKey() string { return string(w) }

// E returns an *Error with the code, the text's key and its arguments, as
// name/value pairs: E(ECONFLICT, "err.desk.paused", "desk", 3). An int
// named "n" also chooses the text's plural form.
func E(code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// TextKey and TextArgs let an *Error stand as an argument of another
// message (i18n.Message): it is translated in that message's language.
func (e *Error) TextKey() string { return e.Key }

// TextArgs returns the message's arguments; see TextKey.
func (e *Error) TextArgs() []any { return e.Args }

// Error implements the error interface for logs: the code, the key and
// the arguments, never a translated sentence.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "queue: %s: %s", e.Code, e.Key)
	for i := 0; i+1 < len(e.Args); i += 2 {
		fmt.Fprintf(&b, " %v=%v", e.Args[i], e.Args[i+1])
	}
	return b.String()
}

// ErrorCode returns the code of err, EINTERNAL when err is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// Clip shortens input quoted back in an error message: a message must help
// the person who sent a typo, not echo kilobytes back.
func Clip(s string) string {
	const max = 32
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

// StatusWord is a ticket's status as a word for a message ("err.status.waiting").
func StatusWord(s Status) Word { return Word("err.status." + string(s)) }

// closedError says that the office is closed and when it opens again, in
// the words a person uses: "today at 13:00", "tomorrow at 08:00", "on
// Monday at 08:00", or the date when that is more than a week away. now
// and next are in the office's time zone.
func closedError(now, next time.Time) *Error {
	at := next.Format("15:04")
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	ny, nm, nd := next.Date()
	days := 0
	for day := today; day.Before(time.Date(ny, nm, nd, 0, 0, 0, 0, next.Location())); day = day.AddDate(0, 0, 1) {
		if days++; days > 7 {
			break
		}
	}
	switch {
	case days == 0:
		return E(ECLOSED, "err.closed.today", "time", at)
	case days == 1:
		return E(ECLOSED, "err.closed.tomorrow", "time", at)
	case days < 7:
		return E(ECLOSED, "err.closed.weekday", "day", Word(fmt.Sprintf("err.on.weekday.%d", next.Weekday())), "time", at)
	}
	return E(ECLOSED, "err.closed.date", "date", Day(next), "time", at)
}

// Day is a calendar day as an argument of a message: i18n writes it as
// the message's language writes dates ("2026-12-24", "24 December 2026",
// "24.12.2026"; i18n.Date), never the one ISO form in every language.
type Day time.Time

// TextDate is the day (i18n.Dated).
func (d Day) TextDate() time.Time { return time.Time(d) }

// String is the day in ISO form, for logs.
func (d Day) String() string { return time.Time(d).Format(time.DateOnly) }
