package server_test

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkIssueUnderHealthProbes takes tickets one after another, as a
// kiosk does, while probes goroutines ask GET /healthz as fast as they can
// (a monitor gone wild, or anyone on the network): a health check must not
// cost the hall its ticket latency. It reports the issue latency's p50 and
// p99 and how many probes were answered per second.
func BenchmarkIssueUnderHealthProbes(b *testing.B) {
	for _, probes := range []int{0, 16} {
		b.Run(fmt.Sprintf("probes=%d", probes), func(b *testing.B) {
			s := newTS(b)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			stop := make(chan struct{})
			var wg sync.WaitGroup
			var mu sync.Mutex
			answered := 0
			for p := 0; p < probes; p++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						select {
						case <-stop:
							return
						default:
						}
						resp, err := client.Get(s.URL + "/healthz")
						if err != nil {
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						mu.Lock()
						answered++
						mu.Unlock()
					}
				}()
			}
			time.Sleep(100 * time.Millisecond) // let the flood start
			lat := make([]time.Duration, b.N)
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				resp, err := client.Post(s.URL+"/api/v1/tickets", "application/json", strings.NewReader(`{"service":"A"}`))
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 201 {
					b.Fatalf("issue: %d", resp.StatusCode)
				}
				lat[i] = time.Since(t0)
			}
			elapsed := time.Since(start)
			b.StopTimer()
			close(stop)
			wg.Wait()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			pct := func(p float64) float64 { return float64(lat[int(float64(len(lat)-1)*p)].Microseconds()) / 1000 }
			b.ReportMetric(pct(0.5), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64(answered)/elapsed.Seconds(), "probes/s")
		})
	}
}
