package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"langelis/queue"
)

// statusOf maps domain error codes to HTTP statuses, in this one place.
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
	queue.EINTERNAL:     http.StatusInternalServerError,
}

// codeOf maps the statuses echo itself produces back to codes.
var codeOf = map[int]string{
	http.StatusBadRequest:            queue.EINVALID,
	http.StatusNotFound:              queue.ENOTFOUND,
	http.StatusMethodNotAllowed:      queue.EINVALID,
	http.StatusRequestEntityTooLarge: queue.EINVALID,
	http.StatusUnsupportedMediaType:  queue.EINVALID,
	http.StatusUnauthorized:          queue.EUNAUTHORIZED,
	http.StatusForbidden:             queue.EFORBIDDEN,
	http.StatusTooManyRequests:       queue.ETOOMANY,
	http.StatusServiceUnavailable:    queue.EUNAVAILABLE,
}

// ErrorBody is the JSON shape of every error answer.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail carries the machine code and the human message.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, code, msg := http.StatusInternalServerError, queue.EINTERNAL, "Internal error."
	var he *echo.HTTPError
	var qe *queue.Error
	switch {
	case errors.As(err, &qe):
		code, msg = qe.Code, qe.Message
		if st, ok := statusOf[code]; ok {
			status = st
		}
	case errors.As(err, &he):
		status = he.Code
		if cd, ok := codeOf[status]; ok {
			code = cd
		}
		msg = http.StatusText(status) + "."
		if m, ok := he.Message.(string); ok && m != "" {
			msg = m
		}
		if status == http.StatusRequestEntityTooLarge {
			msg = "The request body is too large."
		}
	}
	if status >= 500 {
		s.log.Error("server: request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.JSON(status, ErrorBody{Error: ErrorDetail{Code: code, Message: msg}})
}
