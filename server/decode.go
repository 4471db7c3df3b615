package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"strings"

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
			return queue.E(wire.CodeMediaType, "err.not_json")
		}
	}
	data, err := io.ReadAll(io.LimitReader(req.Body, maxBody+1))
	if err != nil {
		return queue.E(queue.EINVALID, "err.body.unreadable")
	}
	if len(data) > maxBody {
		return queue.E(queue.EINVALID, "err.body.too_large", "n", maxBody)
	}
	noteBodyLang(c, data)
	if !isJSON && len(bytes.TrimSpace(data)) > 0 {
		return queue.E(wire.CodeMediaType, "err.not_json")
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
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return queue.E(queue.EINVALID, "err.json.trailing")
	}
	return nil
}

// jsonError says what is wrong with a body the JSON decoder refused.
func jsonError(err error) *queue.Error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return queue.E(queue.EINVALID, "err.json.syntax", "pos", se.Offset)
	case errors.As(err, &te):
		if te.Field != "" {
			return queue.E(queue.EINVALID, "err.json.field_type", "field", queue.Clip(te.Field), "kind", kind(te.Type.Kind().String()))
		}
		return queue.E(queue.EINVALID, "err.json.object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return queue.E(queue.EINVALID, "err.json.eof")
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return queue.E(queue.EINVALID, "err.json.unknown_field", "field", queue.Clip(strings.Trim(f, `"`)))
	}
	return queue.E(queue.EINVALID, "err.json.unreadable")
}

// kind names the JSON type a Go kind wants, as a word to translate.
func kind(k string) queue.Word {
	switch k {
	case "string":
		return "err.kind.text"
	case "int", "int64", "uint64", "float64":
		return "err.kind.number"
	case "bool":
		return "err.kind.bool"
	case "slice", "array":
		return "err.kind.list"
	}
	return "err.kind.object"
}
