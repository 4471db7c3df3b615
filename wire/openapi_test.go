package wire

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
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

// validatorPath is where .ci/run installs an OpenAPI 3.1 validator.
const validatorPath = "/opt/oav/node_modules/@seriousme/openapi-schema-validator/index.js"

// TestOpenAPIValidates runs a validator of the OpenAPI 3.1 schema on the
// description (installed by .ci/run; skipped elsewhere unless CI is set).
func TestOpenAPIValidates(t *testing.T) {
	node, err := exec.LookPath("node")
	if _, serr := os.Stat(validatorPath); err != nil || serr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node or the OpenAPI validator (%s) is missing; .ci/run installs them", validatorPath)
		}
		t.Skipf("node or the OpenAPI validator is not installed (npm install --prefix /opt/oav @seriousme/openapi-schema-validator@2)")
	}
	doc := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(doc, OpenAPI("test"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `import { Validator } from "` + validatorPath + `";
const v = new Validator();
const r = await v.validate(process.argv[1]);
if (!r.valid || v.version !== "3.1") { console.log(v.version, JSON.stringify(r.errors, null, 1)); process.exit(1); }`
	out, err := exec.Command(node, "--input-type=module", "-e", script, doc).CombinedOutput()
	if err != nil {
		t.Fatalf("the description is not valid OpenAPI 3.1: %v\n%.4000s", err, out)
	}
}
