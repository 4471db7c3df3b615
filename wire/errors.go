package wire

import (
	"net/http"

	"langelis/queue"
)

// statusOf is the HTTP status of each error code: the one place the
// domain's codes meet HTTP.
var statusOf = map[string]int{
	queue.EINVALID:      http.StatusBadRequest,
	queue.ENOTFOUND:     http.StatusNotFound,
	queue.ECONFLICT:     http.StatusConflict,
	queue.EUNAUTHORIZED: http.StatusUnauthorized,
	queue.EFORBIDDEN:    http.StatusForbidden,
	queue.ETOOMANY:      http.StatusTooManyRequests,
	queue.EUNAVAILABLE:  http.StatusServiceUnavailable,
	queue.ECLOSED:       http.StatusConflict,
	queue.EBEYOND:       http.StatusConflict,
	queue.EDAILYCAP:     http.StatusConflict,
	queue.EEARLY:        http.StatusConflict,
	queue.ELATE:         http.StatusConflict,
	queue.EINTERNAL:     http.StatusInternalServerError,
	CodeProtocol:        http.StatusBadRequest,
	CodeMediaType:       http.StatusUnsupportedMediaType,
}

// CodeMediaType is the error code of a request whose body is not JSON
// (Content-Type: application/json). Refusing other types keeps a page on
// another site from sending a "simple" cross-site request (a text/plain
// form or fetch in no-cors mode) that the JSON endpoints would act on.
const CodeMediaType = "unsupported_media_type"

// codeOf is the code of an answer that carries none: a status the HTTP
// framework produced itself (405, 413, …), or one from a proxy between a
// program and the server (502, 504).
var codeOf = map[int]string{
	http.StatusBadRequest:            queue.EINVALID,
	http.StatusMethodNotAllowed:      queue.EINVALID,
	http.StatusRequestEntityTooLarge: queue.EINVALID,
	http.StatusUnsupportedMediaType:  CodeMediaType,
	http.StatusUnprocessableEntity:   queue.EINVALID,
	http.StatusUnauthorized:          queue.EUNAUTHORIZED,
	http.StatusForbidden:             queue.EFORBIDDEN,
	http.StatusNotFound:              queue.ENOTFOUND,
	http.StatusConflict:              queue.ECONFLICT,
	http.StatusTooManyRequests:       queue.ETOOMANY,
	http.StatusBadGateway:            queue.EUNAVAILABLE,
	http.StatusServiceUnavailable:    queue.EUNAVAILABLE,
	http.StatusGatewayTimeout:        queue.EUNAVAILABLE,
}

// Status returns the HTTP status of an error code; 500 for a code the
// contract does not know (which is a bug).
func Status(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// CodeFor returns the error code of an answer with the given status and
// no code of its own: EINTERNAL for a status the table does not know.
func CodeFor(status int) string {
	if c, ok := codeOf[status]; ok {
		return c
	}
	return queue.EINTERNAL
}

// Codes returns every error code with its status.
func Codes() map[string]int {
	out := make(map[string]int, len(statusOf))
	for c, s := range statusOf {
		out[c] = s
	}
	return out
}

// ErrorBody is the JSON shape of every error answer:
// {"error": {"code": "...", "message": "..."}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail carries the machine code and the message a person can act on.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
