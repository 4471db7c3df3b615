package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// errorHandler answers every error as the contract's
// {"error": {"code", "message"}}, with the status wire gives its code.
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
		status = wire.Status(code)
	case errors.As(err, &he):
		status = he.Code
		code = wire.CodeFor(status)
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
	_ = c.JSON(status, wire.ErrorBody{Error: wire.ErrorDetail{Code: code, Message: msg}})
}
