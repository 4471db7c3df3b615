package wire

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestOpenAPIDocument: the description is JSON, every reference names a
// schema it holds, operation ids are unique, and every {parameter} of a
// path is described as a path parameter.
func TestOpenAPIDocument(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(OpenAPI("test"), &doc); err != nil {
		t.Fatal(err)
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				name := strings.TrimPrefix(ref, "#/components/schemas/")
				if _, ok := schemas[name]; !ok {
					t.Errorf("$ref %s names no schema", ref)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	ids := map[string]string{}
	param := regexp.MustCompile(`\{([^}]+)\}`)
	for path, methods := range doc["paths"].(map[string]any) {
		for m, op := range methods.(map[string]any) {
			o := op.(map[string]any)
			id := o["operationId"].(string)
			if other, ok := ids[id]; ok {
				t.Errorf("operationId %s of %s %s is also %s's", id, m, path, other)
			}
			ids[id] = m + " " + path
			have := map[string]bool{}
			ps, _ := o["parameters"].([]any)
			for _, p := range ps {
				if p := p.(map[string]any); p["in"] == "path" {
					have[p["name"].(string)] = true
				}
			}
			for _, want := range param.FindAllStringSubmatch(path, -1) {
				if !have[want[1]] {
					t.Errorf("%s %s: the path parameter {%s} is not described", m, path, want[1])
				}
			}
			if len(o["responses"].(map[string]any)) == 0 {
				t.Errorf("%s %s has no responses", m, path)
			}
		}
	}
	if _, ok := schemas["wire.Ticket"]; !ok {
		t.Error("wire.Ticket is not among the schemas")
	}
	tk := schemas["wire.Ticket"].(map[string]any)["properties"].(map[string]any)
	if _, ok := tk["estimated_call_at"]; !ok {
		t.Error("wire.Ticket's schema has no estimated_call_at")
	}
}
