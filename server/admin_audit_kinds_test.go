package server_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"langelis/assets"
	"langelis/queue"
)

// kindCode is the shape of an audit kind: "area.what".
var kindCode = regexp.MustCompile(`^[a-z_]+\.[a-z_]+$`)

// auditKinds reads the module's Go code (tests left out) for every kind
// the audit can show: each queue EventType constant (the desk actions come
// from the journal under their event type) and each change kind, written
// as the Kind of a queue.Change literal, as the literal argument of a
// function whose parameter is named kind (accounts.Record, the server's
// record, …), or assigned to a variable named kind. It returns kind →
// where it was found.
func auditKinds(t *testing.T) (events, changes map[string]string) {
	t.Helper()
	events, changes = map[string]string{}, map[string]string{}
	fset := token.NewFileSet()
	var files []*ast.File
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && d.Name() != ".." || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	lit := func(e ast.Expr) (string, bool) {
		b, ok := e.(*ast.BasicLit)
		if !ok || b.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(b.Value)
		return s, err == nil && kindCode.MatchString(s)
	}
	// The functions that take a kind, by name: the index of the parameter.
	kindParam := map[string]int{}
	for _, f := range files {
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			i := 0
			for _, p := range fn.Type.Params.List {
				for _, n := range p.Names {
					if n.Name == "kind" {
						kindParam[fn.Name.Name] = i
					}
					i++
				}
				if len(p.Names) == 0 {
					i++
				}
			}
		}
	}
	for _, f := range files {
		pkg := f.Name.Name
		ast.Inspect(f, func(n ast.Node) bool {
			at := func() string { return fset.Position(n.Pos()).String() }
			switch n := n.(type) {
			case *ast.ValueSpec: // const TicketCalled EventType = "ticket.called"
				if id, ok := n.Type.(*ast.Ident); ok && pkg == "queue" && id.Name == "EventType" {
					for _, v := range n.Values {
						if s, ok := lit(v); ok {
							events[s] = at()
						}
					}
				}
			case *ast.CompositeLit: // queue.Change{Kind: "service.added", …}
				name := ""
				switch ty := n.Type.(type) {
				case *ast.SelectorExpr:
					name = ty.Sel.Name
				case *ast.Ident:
					name = ty.Name
				}
				if name != "Change" {
					return true
				}
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Kind" {
							if s, ok := lit(kv.Value); ok {
								changes[s] = at()
							}
						}
					}
				}
			case *ast.CallExpr: // s.record(actor, "desk.force_closed", …)
				name := ""
				switch fn := n.Fun.(type) {
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				case *ast.Ident:
					name = fn.Name
				}
				if i, ok := kindParam[name]; ok && i < len(n.Args) {
					if s, ok := lit(n.Args[i]); ok {
						changes[s] = at()
					}
				}
			case *ast.AssignStmt: // kind := "user.enabled"
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == "kind" && i < len(n.Rhs) {
						if s, ok := lit(n.Rhs[i]); ok {
							changes[s] = at()
						}
					}
				}
			}
			return true
		})
	}
	return events, changes
}

// Every kind the audit can show has words in every language the product
// speaks (queue.Languages), so the office manager reads "Ticket called",
// "Bilietas iškviestas", "Талон вызван", not "ticket.called". The words
// are in assets/web/i18n/audit, and nothing else is.
func TestEveryAuditKindHasWords(t *testing.T) {
	events, changes := auditKinds(t)
	// The walk must see what it is meant to: a few of each way of writing a kind.
	for _, k := range []string{"ticket.called", "desk.opened", "booking.cancelled", "ticket.rated"} {
		if events[k] == "" {
			t.Fatalf("the walk found no event type %q; is it looking in the right place?", k)
		}
	}
	for _, k := range []string{"service.added", "webhook.added", "user.password_reset", "user.disabled", "desk.force_closed", "session.ended", "config.file_wins"} {
		if changes[k] == "" {
			t.Fatalf("the walk found no change kind %q; is it looking in the right place?", k)
		}
	}
	// queue.EventTypes is the list the audit (Change.IsDeskAction) and the
	// websocket contract go by: it must hold every constant.
	for k, at := range events {
		if !slices.Contains(queue.EventTypes, queue.EventType(k)) {
			t.Errorf("%s: event type %q is not in queue.EventTypes", at, k)
		}
	}
	all := map[string]string{}
	for k, at := range events {
		all[k] = at
	}
	for k, at := range changes {
		all[k] = at
	}
	if len(queue.Languages) < 5 {
		t.Fatalf("queue.Languages = %v", queue.Languages)
	}
	// Every language the product speaks, and any language whose file is
	// already there (one being added is checked before it is in the list).
	langs := slices.Clone(queue.Languages)
	there, _ := fs.Glob(assets.FS, "web/i18n/audit/*.json")
	for _, f := range there {
		if l := strings.TrimSuffix(filepath.Base(f), ".json"); !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	for _, lang := range langs {
		data, err := fs.ReadFile(assets.FS, "web/i18n/audit/"+lang+".json")
		if err != nil {
			t.Errorf("%s: %v", lang, err)
			continue
		}
		words := map[string]string{}
		if err := json.Unmarshal(data, &words); err != nil {
			t.Errorf("audit/%s.json: %v", lang, err)
			continue
		}
		for k, at := range all {
			w := strings.TrimSpace(words["audit.kind."+k])
			switch {
			case w == "":
				t.Errorf("%s: kind %q has no words in audit/%s.json", at, k, lang)
			case kindCode.MatchString(w) || strings.Contains(w, "audit.kind."):
				t.Errorf("audit/%s.json: %q says %q, a code, not words", lang, k, w)
			}
		}
		for key := range words {
			if _, subject := strings.CutPrefix(key, "audit.subject."); subject {
				continue // what a row is about: audit.js's subjectText
			}
			if k, ok := strings.CutPrefix(key, "audit.kind."); !ok || all[k] == "" {
				t.Errorf("audit/%s.json: %q is no kind the code makes", lang, key)
			}
		}
		if lang != "en" {
			en := map[string]string{}
			raw, _ := fs.ReadFile(assets.FS, "web/i18n/audit/en.json")
			_ = json.Unmarshal(raw, &en)
			for key, w := range words {
				if w == en[key] {
					t.Errorf("audit/%s.json: %q is still in English: %q", lang, key, w)
				}
			}
		}
	}
}
