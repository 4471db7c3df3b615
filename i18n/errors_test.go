package i18n

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"langelis/assets"
)

// pluralForms are the CLDR categories each language's whole numbers use.
var pluralForms = map[string][]string{
	"lt": {"one", "few", "other"},
	"en": {"one", "other"},
	"ru": {"one", "few", "many"},
	"uk": {"one", "few", "many"},
	"pl": {"one", "few", "many"},
	"bg": {"one", "other"},
}

var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// errorCall is one queue.E(code, "err.…", name, value, …) in the code.
type errorCall struct {
	at   string
	key  string
	args []string // the argument names; nil when not all are literals
}

// errorCalls finds every queue.E call and every "err.…" text key in the
// module's Go code (tests left out).
func errorCalls(t *testing.T) (calls []errorCall, literals map[string]bool) {
	t.Helper()
	literals = map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING && strings.HasPrefix(s, "err.") {
					literals[s] = true
				}
			case *ast.CallExpr:
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					if x, ok := fn.X.(*ast.Ident); ok && x.Name == "queue" {
						name = fn.Sel.Name
					}
				}
				if name != "E" || len(n.Args) < 2 {
					return true
				}
				key, ok := n.Args[1].(*ast.BasicLit)
				if !ok {
					return true // a key chosen at run time: its literals are checked below
				}
				c := errorCall{at: fset.Position(n.Pos()).String()}
				c.key, _ = strconv.Unquote(key.Value)
				for i := 2; i < len(n.Args); i += 2 {
					lit, ok := n.Args[i].(*ast.BasicLit)
					if !ok {
						t.Errorf("%s: argument names must be literal texts", c.at)
						break
					}
					s, _ := strconv.Unquote(lit.Value)
					c.args = append(c.args, s)
				}
				if (len(n.Args)-2)%2 != 0 {
					t.Errorf("%s: %s has a name without a value", c.at, c.key)
				}
				calls = append(calls, c)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) < 80 {
		t.Fatalf("found only %d queue.E calls; is the walk looking in the right place?", len(calls))
	}
	return calls, literals
}

// errorBundle reads one language's error texts.
func errorBundle(t *testing.T, lang string) map[string]json.RawMessage {
	t.Helper()
	data, err := fs.ReadFile(assets.FS, "web/i18n/errors/"+lang+".json")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("errors/%s.json: %v", lang, err)
	}
	return m
}

// forms returns a message's texts: one, or one per plural category.
func forms(t *testing.T, lang, key string, raw json.RawMessage) map[string]string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return map[string]string{"": s}
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Errorf("errors/%s.json: %s is neither a text nor plural forms", lang, key)
	}
	return m
}

func names(text string) string {
	var out []string
	seen := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// Every error message the code can give exists in every language with
// the same placeholders, each plural message has every form its language
// needs, every call fills exactly the placeholders its text has, and no
// text is left that nothing says.
func TestEveryErrorKeyInEveryLanguage(t *testing.T) {
	calls, literals := errorCalls(t)
	en := errorBundle(t, "en")
	bundles := map[string]map[string]json.RawMessage{}
	for lang := range pluralForms {
		bundles[lang] = errorBundle(t, lang)
	}
	// Keys built at run time: a ticket's status, a weekday, an HTTP status.
	used := map[string]bool{}
	for k := range literals {
		used[k] = true
	}
	for _, s := range []string{"waiting", "called", "serving", "done", "no_show", "cancelled", "refused", "closed"} {
		used["err.status."+s] = true
	}
	for d := 0; d < 7; d++ {
		used["err.on.weekday."+strconv.Itoa(d)] = true
	}
	for _, st := range []int{400, 401, 403, 404, 405, 413, 415, 429, 503} {
		used["err.http."+strconv.Itoa(st)] = true
	}
	for k := range used {
		family := strings.HasSuffix(k, ".") || strings.Contains(k, "%") // a prefix or pattern of the families above
		if _, ok := en[k]; !ok && !family {
			t.Errorf("the code says %s, which errors/en.json does not have", k)
		}
	}
	for k := range en {
		if !used[k] {
			t.Errorf("errors/en.json has %s, which no code says", k)
		}
	}
	for k, raw := range en {
		want := ""
		for _, text := range forms(t, "en", k, raw) {
			want = names(text)
		}
		for lang, b := range bundles {
			raw, ok := b[k]
			if !ok {
				t.Errorf("errors/%s.json lacks %s", lang, k)
				continue
			}
			fs := forms(t, lang, k, raw)
			if _, plain := fs[""]; !plain {
				for _, cat := range pluralForms[lang] {
					if fs[cat] == "" {
						t.Errorf("errors/%s.json: %s lacks the plural form %q", lang, k, cat)
					}
				}
			}
			for cat, text := range fs {
				if got := names(text); got != want {
					t.Errorf("errors/%s.json: %s %s has placeholders {%s}, English has {%s}", lang, k, cat, got, want)
				}
				if strings.TrimSpace(text) == "" {
					t.Errorf("errors/%s.json: %s %s is empty", lang, k, cat)
				}
			}
		}
	}
	for _, c := range calls {
		raw, ok := en[c.key]
		if !ok {
			continue // reported above
		}
		args := append([]string(nil), c.args...)
		sort.Strings(args)
		for _, text := range forms(t, "en", c.key, raw) {
			if got := names(text); got != strings.Join(args, ",") {
				t.Errorf("%s: %s is given {%s} but its text has {%s}", c.at, c.key, strings.Join(args, ","), got)
			}
		}
		if _, plain := forms(t, "en", c.key, raw)[""]; !plain && !contains(args, "n") {
			t.Errorf("%s: %s has plural forms but is given no n", c.at, c.key)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The rendered messages fill every placeholder and pick plural forms.
func TestErrorMessagesRender(t *testing.T) {
	cases := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"lt", "err.signin.locked", []any{"n", 1}, "Per daug nesėkmingų prisijungimų. Pabandykite po 1 minutės."},
		{"lt", "err.signin.locked", []any{"n", 10}, "Per daug nesėkmingų prisijungimų. Pabandykite po 10 minučių."},
		{"ru", "err.signin.locked", []any{"n", 2}, "Слишком много неудачных попыток входа. Попробуйте через 2 минуты."},
		{"ru", "err.signin.locked", []any{"n", 5}, "Слишком много неудачных попыток входа. Попробуйте через 5 минут."},
		{"pl", "err.signin.locked", []any{"n", 22}, "Zbyt wiele nieudanych logowań. Spróbuj za 22 minuty."},
		{"uk", "err.signin.locked", []any{"n", 21}, "Забагато невдалих спроб входу. Спробуйте за 21 хвилину."},
		{"lt", "err.closed.weekday", []any{"day", testWord("err.on.weekday.1"), "time", "08:00"}, "Įstaiga šiuo metu nedirba. Vėl dirbsime pirmadienį 08:00."},
		{"ru", "err.closed.weekday", []any{"day", testWord("err.on.weekday.2"), "time", "08:00"}, "Учреждение сейчас закрыто. Откроемся во вторник в 08:00."},
		{"pl", "err.ticket.not_waiting", []any{"number", "A001", "status", testWord("err.status.called")}, "Bilet A001 nie czeka w kolejce: bilet został już wywołany."},
	}
	for _, c := range cases {
		if got := T(c.lang, c.key, c.args...); got != c.want {
			t.Errorf("%s %s %v:\n got %q\nwant %q", c.lang, c.key, c.args, got, c.want)
		}
	}
}

type testWord string

func (w testWord) TextKey() string { return string(w) }
