package queue

import (
	"errors"
	"fmt"
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

// Error is a domain error with a code and a message a person can act on.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return fmt.Sprintf("queue: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
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

// ErrorMessage returns the human message of err; internal errors get a
// generic message so that no stack or path reaches a visitor's screen.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
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
