package metrics_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"langelis/metrics"
)

// dashboardMetrics returns every metric name the Grafana dashboard's
// queries (and template variables) name, as the families a scrape shows
// (a histogram's _bucket, _sum and _count are its family).
func dashboardMetrics(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../deploy/grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Title  string `json:"title"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Query any `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("deploy/grafana-dashboard.json does not parse: %v", err)
	}
	if d.Title == "" || len(d.Panels) == 0 {
		t.Fatal("the dashboard has no title or no panels")
	}
	var exprs []string
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			if tg.Expr == "" {
				t.Errorf("panel %q has an empty query", p.Title)
			}
			exprs = append(exprs, tg.Expr)
		}
	}
	for _, v := range d.Templating.List {
		if q, ok := v.Query.(string); ok {
			exprs = append(exprs, q)
		}
	}
	name := regexp.MustCompile(`\b(langelis|go|process)_[a-z_]+\b`)
	var out []string
	for _, e := range exprs {
		for _, n := range name.FindAllString(e, -1) {
			for _, suf := range []string{"_bucket", "_sum", "_count"} {
				if s, ok := strings.CutSuffix(n, suf); ok && (strings.HasSuffix(s, "_seconds") || strings.HasSuffix(s, "_events")) {
					n = s
				}
			}
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// checkDashboard fails for every metric the dashboard names that the real
// scrape fams lacks, and for every metric of the package the dashboard
// leaves out.
func checkDashboard(t *testing.T, fams map[string]*dto.MetricFamily) {
	t.Helper()
	named := dashboardMetrics(t)
	for _, n := range named {
		if fams[n] == nil {
			t.Errorf("the dashboard queries %s, which /metrics does not have", n)
		}
	}
	for _, n := range metrics.Names {
		if fams[n] == nil {
			t.Errorf("metrics.Names lists %s, which /metrics does not have", n)
		}
		if !slices.Contains(named, n) {
			t.Errorf("the dashboard shows nothing of %s", n)
		}
	}
}
