package metrics_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"langelis/internal/e2e"
	"langelis/queue"
)

func testOffice() *queue.Office {
	o := &queue.Office{Name: "Metrikos", TimeZone: "Europe/Vilnius",
		Services: []queue.Service{
			{Letter: "A", Names: map[string]string{"lt": "Deklaravimas"}, TargetMinutes: 10},
			{Letter: "B", Names: map[string]string{"lt": "Išmokos"}, TargetMinutes: 5},
		},
		Desks: []queue.DeskDef{{Number: 1, Services: []string{"A"}}, {Number: 2, Services: []string{"B"}}},
	}
	for d := range 7 {
		o.Hours.Week[d] = []queue.Span{{Start: 8 * 60, End: 20 * 60}}
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		panic(err)
	}
	return o
}

// scrape GETs url (with token as a bearer when given) and parses the
// Prometheus text it answers; it fails the test on any status but 200.
func scrape(t *testing.T, url, token string) map[string]*dto.MetricFamily {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("the scrape does not parse: %v", err)
	}
	return fams
}

// value is the value of family name's series with the given labels
// (name=value pairs); for a histogram, its count. It fails when missing.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	t.Helper()
	m := series(fams, name, labels...)
	if m == nil {
		t.Fatalf("%s%v: no such series in the scrape", name, labels)
	}
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	}
	return m.Untyped.GetValue()
}

func series(fams map[string]*dto.MetricFamily, name string, labels ...string) *dto.Metric {
	f := fams[name]
	if f == nil {
		return nil
	}
next:
	for _, m := range f.Metric {
		have := map[string]string{}
		for _, l := range m.Label {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		return m
	}
	return nil
}

// TestScrapeAfterRealTraffic drives a short morning through the real
// server (tickets issued, called, served, a no-show, a wrong password, a
// refused request, a hall screen) and checks that /metrics says so.
func TestScrapeAfterRealTraffic(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Office: testOffice()})
	s.AddUser("clerk1", queue.RoleClerk)
	s.AddUser("boss", queue.RoleAdmin)
	for _, svc := range []string{"A", "A", "A", "B"} {
		if code := s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": svc}, nil); code != 201 {
			t.Fatalf("issue %s: %d", svc, code)
		}
	}
	s.Clock.Advance(7 * time.Minute)
	clerk := s.Login("clerk1")
	desk := func(action string) {
		t.Helper()
		if code := s.JSON("POST", "/api/v1/desks/1/"+action, clerk, map[string]any{}, nil); code != 200 {
			t.Fatalf("desk 1 %s: %d", action, code)
		}
	}
	desk("open")
	desk("next") // A001, after 7 minutes
	desk("start")
	s.Clock.Advance(4 * time.Minute)
	desk("finish") // served in 4 minutes
	desk("next")   // A002, after 11 minutes
	desk("no-show")
	s.Clock.Advance(2 * time.Minute) // A003 has waited 13 minutes, B001 too

	// One wrong password, one ticket that is not there.
	if code := s.JSON("POST", "/api/v1/session", "", map[string]string{"username": "clerk1", "password": "wrong"}, nil); code != 401 {
		t.Fatalf("wrong password: %d", code)
	}
	if code := s.JSON("GET", "/api/v1/tickets/nosuchticket", "", nil, nil); code != 404 {
		t.Fatalf("unknown ticket: %d", code)
	}
	// A hall screen on the kiosk network (loopback).
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(s.URL, "http")+"/api/v1/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	if _, _, err := ws.ReadMessage(); err != nil { // the hub has it once it hears
		t.Fatal(err)
	}

	// /metrics on the main listener is the admins'.
	if code := s.JSON("GET", "/metrics", "", nil, nil); code != 401 {
		t.Fatalf("/metrics without a sign-in: %d, want 401", code)
	}
	if code := s.JSON("GET", "/metrics", clerk, nil, nil); code != 403 {
		t.Fatalf("/metrics for a clerk: %d, want 403", code)
	}
	fams := scrape(t, s.URL+"/metrics", s.Login("boss"))

	want := []struct {
		name   string
		labels []string
		v      float64
	}{
		{"langelis_tickets_issued_total", []string{"service", "A"}, 3},
		{"langelis_tickets_issued_total", []string{"service", "B"}, 1},
		{"langelis_tickets_served_total", []string{"service", "A"}, 1},
		{"langelis_tickets_served_total", []string{"service", "B"}, 0},
		{"langelis_tickets_no_show_total", []string{"service", "A"}, 1},
		{"langelis_waiting", []string{"service", "A"}, 1},
		{"langelis_waiting", []string{"service", "B"}, 1},
		{"langelis_longest_wait_seconds", []string{"service", "A"}, 13 * 60},
		{"langelis_longest_wait_seconds", []string{"service", "B"}, 13 * 60},
		{"langelis_wait_seconds", []string{"service", "A"}, 2},    // two calls
		{"langelis_service_seconds", []string{"service", "A"}, 1}, // one service
		{"langelis_websocket_clients", []string{"kind", "screen"}, 1},
		{"langelis_websocket_clients", []string{"kind", "staff"}, 0},
		{"langelis_signin_failures_total", nil, 1},
		{"langelis_refused_requests_total", []string{"code", "not_found"}, 1},
		// the wrong password, and /metrics without a sign-in
		{"langelis_refused_requests_total", []string{"code", "unauthorized"}, 2},
		{"langelis_refused_requests_total", []string{"code", "forbidden"}, 1},
		{"langelis_websocket_dropped_total", nil, 0},
	}
	for _, w := range want {
		if got := value(t, fams, w.name, w.labels...); got != w.v {
			t.Errorf("%s%v = %v, want %v", w.name, w.labels, got, w.v)
		}
	}
	if h := series(fams, "langelis_wait_seconds", "service", "A").Histogram; h.GetSampleSum() != (7+11)*60 {
		t.Errorf("the waits add up to %vs, want %vs (7 and 11 minutes)", h.GetSampleSum(), (7+11)*60)
	}
	if h := series(fams, "langelis_service_seconds", "service", "A").Histogram; h.GetSampleSum() != 4*60 {
		t.Errorf("the service took %vs, want 240s", h.GetSampleSum())
	}
	// Every write above went through the group commit: 4 issues, open,
	// next, start, finish, next, no-show at the least.
	if n := value(t, fams, "langelis_commit_events"); n < 1 {
		t.Errorf("commit_events counts %v commits", n)
	}
	if sum := series(fams, "langelis_commit_events").Histogram.GetSampleSum(); sum < 10 {
		t.Errorf("the commits wrote %v events, want at least 10", sum)
	}
	if n := value(t, fams, "langelis_commit_seconds"); n != value(t, fams, "langelis_commit_events") {
		t.Errorf("commit_seconds counts %v commits, commit_events %v", n, value(t, fams, "langelis_commit_events"))
	}
	if b := value(t, fams, "langelis_store_bytes"); b < 4096 {
		t.Errorf("store_bytes = %v", b)
	}
	checkDashboard(t, fams) // dashboard_test.go: against this real scrape
}

// TestMetricsListener: the internal metrics address answers without a
// sign-in, and only /metrics.
func TestMetricsListener(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Office: testOffice()})
	at, err := s.App.ListenMetrics("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.JSON("POST", "/api/v1/tickets", "", map[string]string{"service": "B"}, nil)
	fams := scrape(t, "http://"+at+"/metrics", "")
	if v := value(t, fams, "langelis_tickets_issued_total", "service", "B"); v != 1 {
		t.Errorf("issued B = %v, want 1", v)
	}
	if fams["go_goroutines"] == nil {
		t.Error("no Go runtime metrics")
	}
	resp, err := http.Get("http://" + at + "/api/v1/queue")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("the metrics address answers /api/v1/queue with %d, want 404", resp.StatusCode)
	}
}
