package server

import (
	"fmt"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"

	"langelis/wire"
)

// openAPI is the description, made once from package wire.
var openAPI = sync.OnceValue(func() []byte {
	return wire.OpenAPI(fmt.Sprintf("1 (websocket protocol %d)", wire.Version))
})

// handleOpenAPI serves GET /api/v1/openapi.json: the OpenAPI 3.1
// description of every route (package wire, openapi.go).
func (s *Server) handleOpenAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "application/json", openAPI())
}

// RoutesForTest returns every route the server registers, as
// "METHOD /path" with echo's parameters (:id, *).
func (s *Server) RoutesForTest() []string {
	var out []string
	for _, r := range s.echo.Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}
