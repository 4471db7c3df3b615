package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// AxePath is where .ci/run installs axe-core (npm install --prefix
// /opt/axe axe-core@4); LANGELIS_AXE names another axe.min.js. It is a
// test tool only: no page loads it.
const AxePath = "/opt/axe/node_modules/axe-core/axe.min.js"

var (
	axeOnce   sync.Once
	axeSource string
)

func axeScript() string {
	axeOnce.Do(func() {
		path := os.Getenv("LANGELIS_AXE")
		if path == "" {
			path = AxePath
		}
		if b, err := os.ReadFile(path); err == nil {
			axeSource = string(b)
		}
	})
	return axeSource
}

// axeViolation is one rule axe-core found broken, with where.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct {
		Target         []any
		FailureSummary string
	}
}

// Axe runs axe-core on the page as it stands (name says which page and
// state, for the failure) and fails the test for every serious or critical
// violation. axe-core goes in through the DevTools protocol's
// Runtime.evaluate, which the pages' Content-Security-Policy does not
// govern, so the pages stay as they are served. Without axe-core the check
// is skipped with a message, except in CI (CI=true), where .ci/run
// installs it and a missing one fails.
func Axe(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	src := axeScript()
	if src == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is not installed at %s; .ci/run must install it", AxePath)
		}
		t.Logf("axe-core is not installed (npm install --prefix /opt/axe axe-core@4): %s is not checked for accessibility", name)
		return
	}
	await := func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }
	var have bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`typeof window.axe === "object"`, &have)); err != nil {
		t.Fatalf("axe %s: %v", name, err)
	}
	if !have {
		if err := chromedp.Run(ctx, chromedp.Evaluate(src+"\n;true", nil)); err != nil {
			t.Fatalf("axe %s: loading axe-core: %v", name, err)
		}
	}
	var found []axeViolation
	if err := chromedp.Run(ctx, chromedp.Evaluate(`axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)`, &found, await)); err != nil {
		t.Fatalf("axe %s: %v", name, err)
	}
	var bad []string
	for _, v := range found {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		for _, n := range v.Nodes {
			bad = append(bad, fmt.Sprintf("%s (%s) %v: %s", v.ID, v.Impact, n.Target, strings.ReplaceAll(n.FailureSummary, "\n", " ")))
		}
	}
	if len(bad) > 0 {
		Screenshot(t, ctx, "axe-"+strings.ReplaceAll(name, " ", "-"))
		t.Errorf("axe-core on %s: %d serious or critical:\n%s", name, len(bad), strings.Join(bad, "\n"))
	}
}
