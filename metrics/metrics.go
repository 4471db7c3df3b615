// Package metrics exposes a running office to Prometheus
// (github.com/prometheus/client_golang): the one package that knows it.
//
// Nothing in the engine, the store or the server calls it. It learns what
// happens from what they already have:
//
//   - the engine's committed event stream (Observe, beside the forecaster):
//     tickets issued, served and not shown per service, the wait from issue
//     to call and the service time, as counters and histograms;
//   - the store's commit observer (store.ObserveCommits): the latency and the
//     size of each group commit;
//   - at a scrape only, read from what the office holds anyway: the waiting
//     tickets and the longest wait now per service (the engine's snapshot),
//     the websocket clients by kind and the slow clients dropped (the hub),
//     the refused requests by error code and the failed sign-ins (the
//     server's atomic counters), and the size of the store file.
//
// So the hot path pays an atomic add or two per event and nothing else.
// The metrics (all prefixed langelis_):
//
//	tickets_issued_total{service}          counter
//	tickets_served_total{service}          counter   finished at a desk
//	tickets_no_show_total{service}         counter
//	wait_seconds{service}                  histogram issue → call, at each call
//	service_seconds{service}               histogram start → finish
//	waiting{service}                       gauge     waiting now
//	longest_wait_seconds{service}          gauge     the longest waiting ticket's wait now
//	commit_seconds                         histogram one fsynced group commit
//	commit_events                          histogram events in one group commit
//	websocket_clients{kind}                gauge     staff, screen, kiosk, ticket, other
//	websocket_dropped_total                counter   slow clients dropped
//	refused_requests_total{code}           counter   error answers by wire error code
//	signin_failures_total                  counter   wrong username or password
//	store_bytes                            gauge     the bbolt file's size
//
// plus Go's runtime and the process's own (go_*, process_*). Office-clock
// durations (waits, service times) are measured on the events' own times,
// so a test stepping the office clock sees the waits it made.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"langelis/queue"
	"langelis/server"
	"langelis/store"
)

const ns = "langelis"

// Names lists every langelis_ metric family this package exports, for the
// dashboard's test and the docs.
var Names = []string{
	"langelis_tickets_issued_total", "langelis_tickets_served_total", "langelis_tickets_no_show_total",
	"langelis_wait_seconds", "langelis_service_seconds", "langelis_waiting", "langelis_longest_wait_seconds",
	"langelis_commit_seconds", "langelis_commit_events", "langelis_websocket_clients",
	"langelis_websocket_dropped_total", "langelis_refused_requests_total", "langelis_signin_failures_total",
	"langelis_store_bytes",
}

// Metrics is an office's registry.
type Metrics struct {
	reg *prometheus.Registry
	log *slog.Logger

	issued, served, noShow *prometheus.CounterVec
	wait, service          *prometheus.HistogramVec
	commitTook, commitSize prometheus.Histogram

	// byService caches each service's children, so an event costs a map
	// read and an atomic add. Only the engine's goroutine (Observe) uses it.
	byService map[string]*serviceMetrics

	live liveCollector
}

type serviceMetrics struct {
	issued, served, noShow prometheus.Counter
	wait, service          prometheus.Observer
}

// New makes the registry with the event-fed metrics. Attach adds what is
// read at a scrape, once the engine, store and server exist.
func New(log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.Default()
	}
	m := &Metrics{reg: prometheus.NewRegistry(), log: log, byService: map[string]*serviceMetrics{}}
	counter := func(name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: name, Help: help}, []string{"service"})
	}
	m.issued = counter("tickets_issued_total", "Tickets issued, by service letter.")
	m.served = counter("tickets_served_total", "Tickets finished at a desk, by service letter.")
	m.noShow = counter("tickets_no_show_total", "Tickets called that did not come (after the recall limit), by service letter.")
	minutes := func(ms ...float64) []float64 {
		for i := range ms {
			ms[i] *= 60
		}
		return ms
	}
	m.wait = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "wait_seconds",
		Help:    "Wait from issue to call, observed at each call, by service letter (office clock).",
		Buckets: minutes(1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120)}, []string{"service"})
	m.service = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: "service_seconds",
		Help:    "Service time from start to finish at the desk, by service letter (office clock).",
		Buckets: minutes(1, 2, 3, 5, 8, 10, 15, 20, 30, 60)}, []string{"service"})
	m.commitTook = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Name: "commit_seconds",
		Help:    "Duration of one fsynced group commit of the journal.",
		Buckets: prometheus.ExponentialBuckets(0.00025, 2, 15)})
	m.commitSize = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Name: "commit_events",
		Help:    "Events written by one group commit of the journal.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 10)})
	m.reg.MustRegister(m.issued, m.served, m.noShow, m.wait, m.service, m.commitTook, m.commitSize,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Observe hears the engine's committed events (queue.Options.Observe); it
// runs on the engine's goroutine and only adds.
func (m *Metrics) Observe(events []queue.Event) {
	for i := range events {
		ev := &events[i]
		t := ev.Ticket
		if t == nil {
			continue
		}
		switch ev.Type {
		case queue.TicketIssued:
			m.of(t.Service).issued.Inc()
		case queue.TicketCalled:
			if !t.CalledAt.IsZero() && !t.IssuedAt.IsZero() {
				m.of(t.Service).wait.Observe(t.CalledAt.Sub(t.IssuedAt).Seconds())
			}
		case queue.TicketFinished:
			sm := m.of(t.Service)
			sm.served.Inc()
			if !t.StartedAt.IsZero() && !t.EndedAt.IsZero() {
				sm.service.Observe(t.EndedAt.Sub(t.StartedAt).Seconds())
			}
		case queue.TicketNoShow:
			m.of(t.Service).noShow.Inc()
		}
	}
}

func (m *Metrics) of(letter string) *serviceMetrics {
	sm := m.byService[letter]
	if sm == nil {
		sm = &serviceMetrics{issued: m.issued.WithLabelValues(letter), served: m.served.WithLabelValues(letter),
			noShow: m.noShow.WithLabelValues(letter), wait: m.wait.WithLabelValues(letter),
			service: m.service.WithLabelValues(letter)}
		m.byService[letter] = sm
	}
	return sm
}

// commit hears one group commit (store.ObserveCommits).
func (m *Metrics) commit(events int, took time.Duration) {
	m.commitSize.Observe(float64(events))
	m.commitTook.Observe(took.Seconds())
}

// Attach starts hearing the store's commits and adds the figures read at a
// scrape from the engine, the server and the store. Every service of the
// running office shows in the event-fed metrics from the start, at zero,
// so a dashboard has its series before the first ticket.
func (m *Metrics) Attach(e *queue.Engine, st *store.Store, srv *server.Server) {
	st.ObserveCommits(m.commit)
	for _, s := range e.Office().Services {
		m.issued.WithLabelValues(s.Letter)
		m.served.WithLabelValues(s.Letter)
		m.noShow.WithLabelValues(s.Letter)
	}
	m.live = liveCollector{engine: e, store: st, server: srv, log: m.log}
	m.reg.MustRegister(&m.live)
}

// Handler serves the registry in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(m.log.Handler(), slog.LevelWarn)})
}

// Registry is the registry, for a caller adding its own collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

var (
	descWaiting  = prometheus.NewDesc(ns+"_waiting", "Tickets waiting now, by service letter.", []string{"service"}, nil)
	descLongest  = prometheus.NewDesc(ns+"_longest_wait_seconds", "How long the longest-waiting ticket has waited now, by service letter (0 when none waits).", []string{"service"}, nil)
	descClients  = prometheus.NewDesc(ns+"_websocket_clients", "Live websocket connections, by kind: staff (signed in), screen (kiosk network), kiosk (kiosk stations), ticket (status pages), other.", []string{"kind"}, nil)
	descDropped  = prometheus.NewDesc(ns+"_websocket_dropped_total", "Slow websocket clients dropped (they reconnect and resync).", nil, nil)
	descRefused  = prometheus.NewDesc(ns+"_refused_requests_total", "Requests answered with an error, by the contract's error code.", []string{"code"}, nil)
	descSignIn   = prometheus.NewDesc(ns+"_signin_failures_total", "Sign-ins refused for a wrong username or password.", nil, nil)
	descStoreLen = prometheus.NewDesc(ns+"_store_bytes", "Size of the bbolt store file.", nil, nil)
)

// liveCollector reads the figures that are the office's state now, at a
// scrape and never in between.
type liveCollector struct {
	engine *queue.Engine
	store  *store.Store
	server *server.Server
	log    *slog.Logger
}

func (l *liveCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descWaiting, descLongest, descClients, descDropped, descRefused, descSignIn, descStoreLen} {
		ch <- d
	}
}

func (l *liveCollector) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if snap, err := l.engine.Snapshot(ctx); err != nil {
		l.log.Warn("metrics: snapshot", "err", err)
	} else {
		longest := map[string]time.Duration{}
		for _, s := range l.engine.Office().Services {
			longest[s.Letter] = 0
		}
		for _, t := range snap.Tickets {
			if t.Status == queue.Waiting {
				longest[t.Service] = max(longest[t.Service], snap.Now.Sub(t.QueuedAt))
			}
		}
		for letter, d := range longest {
			gauge(descWaiting, float64(snap.Waiting[letter]), letter)
			gauge(descLongest, d.Seconds(), letter)
		}
	}
	hub := l.server.Hub()
	c := hub.Connections()
	kiosks := 0
	for _, k := range c.Kiosks {
		kiosks += k.Connections
	}
	gauge(descClients, float64(c.Staff), "staff")
	gauge(descClients, float64(c.Screens), "screen")
	gauge(descClients, float64(kiosks), "kiosk")
	gauge(descClients, float64(c.Tickets), "ticket")
	gauge(descClients, float64(c.Others), "other")
	counter(descDropped, hub.Dropped())
	for code, n := range l.server.Refusals() {
		counter(descRefused, n, code)
	}
	counter(descSignIn, l.server.SignInFailures())
	if fi, err := os.Stat(l.store.Path()); err == nil {
		gauge(descStoreLen, float64(fi.Size()))
	}
}
