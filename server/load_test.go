package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"langelis/server"
)

// BenchmarkLoadIssueWithDisplays is the load generator: visitors take
// tickets over HTTP on loopback from several connections while a hall's
// worth of displays and phones hold websockets open. It reports the issue
// latency percentiles, and how long after the request the last websocket
// client saw the ticket (seen-p99-ms), measured in one run.
func BenchmarkLoadIssueWithDisplays(b *testing.B) {
	for _, watchers := range []int{10, 200} {
		b.Run(fmt.Sprintf("watchers=%d", watchers), func(b *testing.B) {
			// The load generator stands for a whole hall's kiosks on one
			// address: no per-kiosk rate.
			s := newTSWith(b, func(c *server.Config) { c.IssueRate = -1 })
			var delivered sync.Map // seq → time the last watcher got it
			var got atomic.Int64
			var conns []*websocket.Conn
			for i := 0; i < watchers; i++ {
				c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(s.URL, "http")+"/api/v1/ws", nil)
				if err != nil {
					b.Fatal(err)
				}
				conns = append(conns, c)
				go func(c *websocket.Conn) {
					for {
						var m struct {
							Seq  uint64
							Type string
						}
						if err := c.ReadJSON(&m); err != nil {
							return
						}
						if m.Type == "ticket.issued" {
							delivered.Store(m.Seq, time.Now())
							got.Add(1)
						}
					}
				}(c)
			}
			defer func() {
				for _, c := range conns {
					c.Close()
				}
			}()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			const workers = 16
			lat := make([]time.Duration, b.N)
			asked := make([]time.Time, b.N)
			seqs := make([]uint64, b.N)
			var next atomic.Int64
			var wg sync.WaitGroup
			body := []byte(`{"service":"A"}`)
			b.ResetTimer()
			start := time.Now()
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1)) - 1
						if i >= b.N {
							return
						}
						t0 := time.Now()
						asked[i] = t0
						resp, err := client.Post(s.URL+"/api/v1/tickets", "application/json", bytes.NewReader(body))
						if err != nil {
							b.Error(err)
							return
						}
						var r struct{ Number string }
						json.NewDecoder(resp.Body).Decode(&r)
						resp.Body.Close()
						lat[i] = time.Since(t0)
						var serial int
						fmt.Sscanf(r.Number[1:], "%d", &serial)
						seqs[i] = uint64(serial) + 1 // the day.started event is seq 1
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			// Wait for the fan-out to finish.
			want := int64(b.N * watchers)
			for deadline := time.Now().Add(10 * time.Second); got.Load() < want && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
			}
			var fan []time.Duration
			for i := range seqs {
				if at, ok := delivered.Load(seqs[i]); ok {
					fan = append(fan, at.(time.Time).Sub(asked[i]))
				}
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			sort.Slice(fan, func(i, j int) bool { return fan[i] < fan[j] })
			pct := func(d []time.Duration, p float64) float64 {
				if len(d) == 0 {
					return 0
				}
				return float64(d[int(float64(len(d)-1)*p)].Microseconds()) / 1000
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "tickets/s")
			b.ReportMetric(pct(lat, 0.5), "p50-ms")
			b.ReportMetric(pct(lat, 0.99), "p99-ms")
			b.ReportMetric(pct(fan, 0.99), "seen-p99-ms")
			b.ReportMetric(float64(got.Load())/float64(want), "delivered")
		})
	}
}
