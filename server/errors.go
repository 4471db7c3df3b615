package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"langelis/i18n"
	"langelis/queue"
	"langelis/wire"
)

// errorHandler answers every error as the contract's
// {"error": {"code", "message"}}, with the status wire gives its code and
// the message in the language of the person who asked (Server.language,
// errorDetail).
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, qe := http.StatusInternalServerError, queue.E(queue.EINTERNAL, "err.internal")
	var he *echo.HTTPError
	switch {
	case errors.As(err, &qe):
		status = wire.Status(qe.Code)
	case errors.As(err, &he):
		// A status echo produced itself (405, 413, a route that is not
		// there): its own text is English, so say it with ours.
		status = he.Code
		qe = queue.E(wire.CodeFor(status), statusKey(status))
	}
	s.counts.refuse(qe.Code)
	if status >= 500 {
		s.log.Error("server: request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.JSON(status, wire.ErrorBody{Error: s.errorDetail(c, qe)})
}

// errorDetail is err's code and its message in the language of the person
// who asked: the one place an error's keyed text becomes a sentence, for
// the error handler and for the few answers written before it (a refused
// websocket).
func (s *Server) errorDetail(c echo.Context, err error) wire.ErrorDetail {
	qe := queue.E(queue.EINTERNAL, "err.internal")
	errors.As(err, &qe)
	return wire.ErrorDetail{Code: qe.Code, Message: i18n.T(s.language(c), qe.Key, qe.Args...)}
}

// statusKey is the text of an HTTP status that no handler explained.
func statusKey(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge,
		http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests,
		http.StatusServiceUnavailable, http.StatusUnsupportedMediaType:
		return fmt.Sprintf("err.http.%d", status)
	}
	return "err.internal"
}
