package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"

	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// maxBody bounds every request body: a queue request is a few hundred bytes.
const maxBody = 16 << 10

// decode reads a JSON body strictly into v: unknown fields, trailing data
// and a wrong content type are refused with a message saying which.
//
// A body must come as application/json (415 otherwise, also when the
// header is missing): a page of another site can send text/plain or a
// form without asking the server first, but not JSON. A request with no
// body (a desk's "next") needs no header.
func decode(c echo.Context, v any) error {
	req := c.Request()
	ct := req.Header.Get("Content-Type")
	isJSON := false
	if ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if isJSON = err == nil && mt == "application/json"; !isJSON {
			return &queue.Error{Code: wire.CodeMediaType, Message: msgNotJSON}
		}
	}
	data, err := io.ReadAll(io.LimitReader(req.Body, maxBody+1))
	if err != nil {
		return queue.Errorf(queue.EINVALID, "The request body could not be read.")
	}
	if len(data) > maxBody {
		return queue.Errorf(queue.EINVALID, "The request body is too large (%d bytes at most).", maxBody)
	}
	if !isJSON && len(bytes.TrimSpace(data)) > 0 {
		return &queue.Error{Code: wire.CodeMediaType, Message: msgNotJSON}
	}
	return DecodeJSON(data, v)
}

// DecodeJSON is the strict decoding shared by every handler (and fuzzed).
func DecodeJSON(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		data = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return queue.Errorf(queue.EINVALID, "%s", describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return queue.Errorf(queue.EINVALID, "The request has data after the JSON object.")
	}
	return nil
}

func describeJSONError(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("The request is not valid JSON (at byte %d).", se.Offset)
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("Field %q must be %s.", te.Field, kind(te.Type.Kind().String()))
		}
		return "The request must be a JSON object."
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "The request JSON ends too early."
	}
	msg := err.Error()
	if len(msg) > 20 && msg[:20] == "json: unknown field " {
		return fmt.Sprintf("Unknown field %s.", msg[20:])
	}
	return "The request could not be read: " + msg
}

func kind(k string) string {
	switch k {
	case "string":
		return "text"
	case "int", "int64", "uint64", "float64":
		return "a number"
	case "bool":
		return "true or false"
	}
	return "a " + k
}
