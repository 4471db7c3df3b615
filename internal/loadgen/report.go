package loadgen

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// percentiles sorts ds and returns its percentiles in milliseconds.
func percentiles(ds []time.Duration) Latencies {
	if len(ds) == 0 {
		return Latencies{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(p float64) float64 {
		return float64(ds[int(float64(len(ds)-1)*p)].Microseconds()) / 1000
	}
	return Latencies{N: len(ds), P50: at(0.5), P90: at(0.9), P99: at(0.99), Max: at(1)}
}

// Print writes the run's figures, phase by phase.
func (res *Result) Print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "load average at start\t%s on %d CPUs\n", res.Load, res.CPUs)
	if s := res.Static; s != nil {
		fmt.Fprintf(tw, "static GET\t%.0f/s\t(%d in %.1f s, %d errors)\n", s.PerSec, s.Count, s.Seconds, s.Errors)
	}
	if is := res.Issue; is != nil {
		fmt.Fprintf(tw, "ticket issue (POST, durable)\t%.0f/s\t(%d in %.1f s from %d waiting; answers %v)\n", is.PerSec, is.Count, is.Seconds, is.WaitingBefore, is.Codes)
		fmt.Fprintf(tw, "  latency\tp50 %.1f ms\tp90 %.1f ms\tp99 %.1f ms\tmax %.1f ms\n", is.Latency.P50, is.Latency.P90, is.Latency.P99, is.Latency.Max)
		for _, win := range is.Windows {
			fmt.Fprintf(tw, "  from %d waiting\t%.0f/s\n", win.Waiting, win.PerSec)
		}
	}
	for _, f := range res.Fanout {
		fmt.Fprintf(tw, "%d screens, %d phones, %d waiting\t\n", f.Screens, f.Phones, f.Waiting)
		if f.RSSMiB > 0 {
			fmt.Fprintf(tw, "  server memory\t%.0f MiB\t%.1f KiB per websocket", f.RSSMiB, f.RSSPerConnKiB)
			if f.RSSMarginalKiB != 0 {
				fmt.Fprintf(tw, "\t%.1f KiB per websocket added", f.RSSMarginalKiB)
			}
			fmt.Fprintln(tw)
		}
		if f.Calls == 0 {
			continue
		}
		fmt.Fprintf(tw, "  calls\t%d in %.1f s\tPOST …/next p50 %.1f ms, p99 %.1f ms\n", f.Calls, f.Seconds, f.CallLatency.P50, f.CallLatency.P99)
		fmt.Fprintf(tw, "  call → screen\tp50 %.1f ms\tp90 %.1f ms\tp99 %.1f ms\tmax %.1f ms\tmissing %d of %d\n",
			f.Screen.P50, f.Screen.P90, f.Screen.P99, f.Screen.Max, f.Screen.Missing, f.Screen.Expected)
		fmt.Fprintf(tw, "  first screen → screen\tp50 %.1f ms\tp90 %.1f ms\tp99 %.1f ms\tmax %.1f ms\t(the fan-out alone)\n",
			f.Screen.Spread.P50, f.Screen.Spread.P90, f.Screen.Spread.P99, f.Screen.Spread.Max)
		if f.Phones > 0 {
			fmt.Fprintf(tw, "  call → phone\tp50 %.1f ms\tp90 %.1f ms\tp99 %.1f ms\tmax %.1f ms\tmissing %d of %d\n",
				f.Phone.P50, f.Phone.P90, f.Phone.P99, f.Phone.Max, f.Phone.Missing, f.Phone.Expected)
			fmt.Fprintf(tw, "  own ticket, called\tp50 %.1f ms\tp99 %.1f ms\t(%d phones called; %d ticket messages in all)\n",
				f.PhoneOwn.P50, f.PhoneOwn.P99, f.PhoneOwn.N, f.PhoneUpdates)
		}
		fmt.Fprintf(tw, "  CPU\tserver %.2f\tgenerator %.2f\t(cores busy on average; %d connections dropped)\n", f.ServerCPU, f.LoadCPU, f.Dropped)
	}
	tw.Flush()
}

// Bench is one in-process benchmark's figures, from `go test -bench`
// output: ns/op and the metrics it reported, by unit.
type Bench map[string]float64

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(-\d+)?\s+\d+\s+(.*)$`)

// ParseBench reads `go test -bench` output.
func ParseBench(r io.Reader) map[string]Bench {
	out := map[string]Bench{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		b := Bench{}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				b[f[i+1]] = v
			}
		}
		out[m[1]] = b
	}
	return out
}

// find returns the first benchmark whose name matches pattern.
func find(benches map[string]Bench, pattern string) (Bench, bool) {
	re := regexp.MustCompile(pattern)
	names := make([]string, 0, len(benches))
	for n := range benches {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if re.MatchString(n) {
			return benches[n], true
		}
	}
	return nil, false
}

// Table writes issue 13's table from this run and the in-process
// benchmarks of the same `make bench`: each figure, its target, and the
// ratio the target is about.
func (res *Result) Table(w io.Writer, benches map[string]Bench) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tmeasured\ttarget")
	fmt.Fprintln(tw, "------\t--------\t------")
	na := "not measured"
	if is, st := res.Issue, res.Static; is != nil && st != nil && st.PerSec > 0 {
		fmt.Fprintf(tw, "durable POST /api/v1/tickets vs static GET, %d connections\t%.0f/s vs %.0f/s: %.1f %%\t≥ 30 %%\n",
			is.Conns, is.PerSec, st.PerSec, 100*is.PerSec/st.PerSec)
	} else {
		fmt.Fprintf(tw, "durable POST /api/v1/tickets vs static GET\t%s\t≥ 30 %%\n", na)
	}
	if is := res.Issue; is != nil && len(is.Windows) > 1 {
		first, last := is.Windows[0], is.Windows[len(is.Windows)-1]
		fmt.Fprintf(tw, "issue rate at %d waiting vs at %d\t%.0f/s vs %.0f/s: %.0f %%\t≥ 80 %%\n",
			last.Waiting, first.Waiting, last.PerSec, first.PerSec, 100*last.PerSec/first.PerSec)
	} else {
		fmt.Fprintf(tw, "issue rate as the queue grows\t%s\t≥ 80 %%\n", na)
	}
	issue, ok1 := find(benches, `^BenchmarkIssue/callers=64$`)
	bolt, ok2 := find(benches, `^BenchmarkBoltPutFsync/callers=64$`)
	if ok1 && ok2 && bolt["puts/s"] > 0 {
		fmt.Fprintf(tw, "in-process issue, 64 callers, vs raw bbolt put+fsync\t%.0f/s vs %.0f/s: %.1f×\tkeep (11×)\n",
			issue["tickets/s"], bolt["puts/s"], issue["tickets/s"]/bolt["puts/s"])
	} else {
		fmt.Fprintf(tw, "in-process issue vs raw bbolt\t%s\tkeep (11×)\n", na)
	}
	for _, p := range []struct {
		waiting int
		target  string
	}{{500, "≤ 1 ms"}, {5000, "≤ 15 ms"}} {
		// 20 desks is the target's; a tree whose benchmark has fewer says so.
		name := fmt.Sprintf("projection, %d waiting", p.waiting)
		var b Bench
		var ok bool
		for _, desks := range []int{20, 8} {
			if b, ok = find(benches, fmt.Sprintf(`^BenchmarkProjection/waiting=%d/desks=%d$`, p.waiting, desks)); ok {
				name += fmt.Sprintf(", %d desks", desks)
				break
			}
		}
		if ok {
			fmt.Fprintf(tw, "%s\t%.2f ms\t%s\n", name, b["ns/op"]/1e6, p.target)
		} else {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", name, na, p.target)
		}
	}
	targets := map[int]string{1000: "p99 ≤ 25 ms", 10000: "p99 ≤ 100 ms, none missing"}
	for _, f := range res.Fanout {
		if f.Calls == 0 {
			continue
		}
		tgt := targets[f.Screens]
		if tgt == "" {
			tgt = "–"
		}
		fmt.Fprintf(tw, "call → screen, %d screens (+%d phones, %d waiting)\tp99 %.1f ms, %d of %d missing\t%s\n",
			f.Screens, f.Phones, f.Waiting, f.Screen.P99, f.Screen.Missing, f.Screen.Expected, tgt)
	}
	for _, f := range res.Fanout {
		if f.RSSPerConnKiB > 0 {
			fmt.Fprintf(tw, "server memory per idle websocket (%d connections)\t%.1f KiB", f.Screens+f.Phones, f.RSSPerConnKiB)
			if f.RSSMarginalKiB != 0 {
				fmt.Fprintf(tw, " (%.1f KiB each added)", f.RSSMarginalKiB)
			}
			fmt.Fprintln(tw, "\t≤ 20 KiB")
		}
	}
	if b, ok := find(benches, `^BenchmarkRestart/.*checkpoint`); ok {
		fmt.Fprintf(tw, "restart, a day of 25,000 tickets\t%.2f s\t≤ 1 s\n", b["ns/op"]/1e9)
	} else {
		fmt.Fprintf(tw, "restart, a day of 25,000 tickets\t%s\t≤ 1 s\n", na)
	}
	if b, ok := find(benches, `^BenchmarkTicketPDF`); ok {
		fmt.Fprintf(tw, "ticket PDF\t%.2f ms\t≤ 3 ms\n", b["ns/op"]/1e6)
	} else {
		fmt.Fprintf(tw, "ticket PDF\t%s\t≤ 3 ms\n", na)
	}
	tw.Flush()
}
