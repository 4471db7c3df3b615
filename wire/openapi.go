package wire

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The OpenAPI 3.1 description of the HTTP API, served at
// GET /api/v1/openapi.json. Each endpoint is an Operation, described in
// the api_*.go file of its resource beside nothing but its wire types; the
// JSON schemas are made from those Go types by reflection (schema.go), so
// a field added to a body is described without anyone writing JSON. A test
// in package server checks that every route the server registers is
// described here and every route described here is registered, and probes
// each with real requests for its statuses and error shapes.

// Operation describes one endpoint.
type Operation struct {
	Method string // GET, POST, PUT, DELETE
	// Path is the OpenAPI path: /api/v1/tickets/{id}. A path parameter
	// named {path} stands for the rest of the path (echo's *).
	Path    string
	Summary string
	// Auth says who may call it: "" anyone, or "token" (the ticket's
	// token in the path), "staff", "clerk", "admin", "kiosk", "admin or
	// local" (the local command's token); said in the description and as
	// the bearer/cookie security requirement.
	Auth string
	// Params are its path and query parameters; Example is the value the
	// route test sends.
	Params []Param
	// Request is a value of the JSON body's type; nil when it takes none.
	// BodyOptional: the body may be left out (an action that reads it
	// only for some of its values).
	Request      any
	BodyOptional bool
	// Response is a value of the success answer's JSON type (a pointer or
	// a value), Content{} for another content type, nil for no body.
	Response any
	// Alt is another type the success answer may have (a staff view and
	// a public view of the same resource): the schema is one of the two.
	Alt     any
	Success int   // the success status; 200 when zero
	Also    []int // other success statuses (204 "nothing", 201 …)
	// Errors are the error statuses it answers (each with ErrorBody);
	// every operation also answers 500, and one that takes a body 400,
	// 413 and 415.
	Errors []int
	// Upgrade marks the websocket: it answers 101, never JSON.
	Upgrade bool
	Tag     string
	// Public puts it on the public face too: the listener visitors'
	// phones reach from the Internet (langelis serve --public-addr)
	// answers only the public operations; staff endpoints are not there.
	Public bool
}

// Param is a path or query parameter.
type Param struct {
	Name, In, Description, Example string // In: path or query
	Required                       bool
}

// Content is a success answer that is not JSON.
type Content struct {
	Type        string // application/pdf, text/html, …
	Description string
}

// Object is a success answer in JSON that this package has no Go type for
// (the server builds it; docs/api.md describes it).
type Object struct{ Description string }

// PathParam and QueryParam make a Param.
func PathParam(name, example, desc string) Param {
	return Param{Name: name, In: "path", Example: example, Description: desc, Required: true}
}

// QueryParam is an optional query parameter.
func QueryParam(name, example, desc string) Param {
	return Param{Name: name, In: "query", Example: example, Description: desc}
}

var (
	opsMu sync.Mutex
	ops   []Operation
)

// describe adds operations to the description; each api_*.go file calls
// it for its resource from a package-level var.
func describe(o ...Operation) bool {
	opsMu.Lock()
	defer opsMu.Unlock()
	ops = append(ops, o...)
	return true
}

// Operations returns every described operation, sorted by path and method.
func Operations() []Operation {
	opsMu.Lock()
	defer opsMu.Unlock()
	out := slices.Clone(ops)
	slices.SortFunc(out, func(a, b Operation) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Method, b.Method)
	})
	return out
}

// Statuses returns every status o answers: its success ones, its errors,
// and those every operation of its kind answers.
func (o Operation) Statuses() []int {
	var out []int
	if o.Upgrade {
		out = append(out, http.StatusSwitchingProtocols)
	} else {
		out = append(out, cmp0(o.Success, http.StatusOK))
	}
	out = append(out, o.Also...)
	out = append(out, o.Errors...)
	out = append(out, http.StatusInternalServerError)
	if o.Request != nil {
		out = append(out, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func cmp0(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// OpenAPI returns the description as JSON, for the server version given.
func OpenAPI(version string) []byte {
	g := newSchemaGen()
	paths := map[string]map[string]any{}
	for _, o := range Operations() {
		if paths[o.Path] == nil {
			paths[o.Path] = map[string]any{}
		}
		paths[o.Path][strings.ToLower(o.Method)] = o.document(g)
	}
	codes := make([]string, 0, len(statusOf))
	for c := range statusOf {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	g.defs["ErrorBody"] = map[string]any{
		"type": "object", "required": []string{"error"}, "additionalProperties": false,
		"description": "Every error answer: the code is the same in every language, the message is in the asker's.",
		"properties": map[string]any{"error": map[string]any{
			"type": "object", "required": []string{"code", "message"}, "additionalProperties": false,
			"properties": map[string]any{
				"code":    map[string]any{"type": "string", "enum": codes},
				"message": map[string]any{"type": "string"},
			}}}}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Langelis", "version": version,
			"description": "The HTTP API of one Langelis hall. Errors are {\"error\": {\"code\", \"message\"}}; the websocket's messages are in docs/api.md.",
			"license":     map[string]any{"name": "Apache-2.0", "identifier": "Apache-2.0"}},
		"paths": paths,
		"components": map[string]any{"schemas": g.defs, "securitySchemes": map[string]any{
			"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "the token POST /api/v1/session answers"},
			"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "langelis_session"},
		}},
	}
	out, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		panic("wire: openapi: " + err.Error())
	}
	return out
}

func (o Operation) document(g *schemaGen) map[string]any {
	d := map[string]any{"summary": o.Summary, "operationId": operationID(o), "x-public": o.Public}
	if o.Tag != "" {
		d["tags"] = []string{o.Tag}
	}
	if o.Auth != "" {
		d["description"] = "Who may call it: " + o.Auth + "."
		if o.Auth != "token" {
			d["security"] = []map[string][]string{{"bearer": {}}, {"session": {}}}
		}
	}
	var params []map[string]any
	for _, p := range o.Params {
		params = append(params, map[string]any{"name": p.Name, "in": p.In, "required": p.Required,
			"description": p.Description, "schema": map[string]any{"type": "string"}, "example": p.Example})
	}
	if params != nil {
		d["parameters"] = params
	}
	if o.Request != nil {
		d["requestBody"] = map[string]any{"required": !o.BodyOptional, "content": map[string]any{
			"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(o.Request))}}}
	}
	resp := map[string]any{}
	for _, st := range o.Statuses() {
		key := strconv.Itoa(st)
		switch {
		case st == http.StatusSwitchingProtocols:
			resp[key] = map[string]any{"description": "the websocket: messages as docs/api.md describes"}
		case st == http.StatusNoContent:
			resp[key] = map[string]any{"description": "nothing to answer"}
		case st < 300:
			resp[key] = o.success(g)
		default:
			resp[key] = map[string]any{"description": http.StatusText(st), "content": map[string]any{
				"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/ErrorBody"}}}}
		}
	}
	d["responses"] = resp
	return d
}

func (o Operation) success(g *schemaGen) map[string]any {
	switch r := o.Response.(type) {
	case nil:
		return map[string]any{"description": "done"}
	case Content:
		return map[string]any{"description": r.Description, "content": map[string]any{r.Type: map[string]any{}}}
	case Object:
		return map[string]any{"description": r.Description, "content": map[string]any{
			"application/json": map[string]any{"schema": map[string]any{"description": "JSON: see docs/api.md"}}}}
	}
	schema := g.schema(reflect.TypeOf(o.Response))
	if o.Alt != nil {
		schema = map[string]any{"oneOf": []any{schema, g.schema(reflect.TypeOf(o.Alt))}}
	}
	return map[string]any{"description": o.Summary, "content": map[string]any{
		"application/json": map[string]any{"schema": schema}}}
}

// operationID makes a stable id from the method and path:
// POST /api/v1/tickets/{id}/cancel → post_tickets_id_cancel.
func operationID(o Operation) string {
	p, api := strings.CutPrefix(o.Path, "/api/v1")
	if !api {
		p = "/page" + p // a page or file, beside the API's own path
	}
	p = strings.NewReplacer("{", "", "}", "", ".", "_", "-", "_").Replace(p)
	parts := []string{strings.ToLower(o.Method)}
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 1 {
		parts = append(parts, "root")
	}
	return strings.Join(parts, "_")
}

var timeType = reflect.TypeOf(time.Time{})
