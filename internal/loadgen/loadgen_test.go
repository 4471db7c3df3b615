package loadgen_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"langelis/internal/e2e"
	"langelis/internal/loadgen"
	"langelis/queue"
)

// A small hall's run against the real server: every phase measures what
// it says, every call reaches every screen and phone, and the report and
// the table carry the figures.
func TestRunMeasuresAHall(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	var accounts []loadgen.Account
	for _, name := range []string{"clerk1", "clerk2"} {
		pw := s.AddUser(name, queue.RoleClerk)
		accounts = append(accounts, loadgen.Account{Username: name, Password: pw})
	}
	var log bytes.Buffer
	cfg := loadgen.Config{URL: s.URL, PID: os.Getpid(), Accounts: accounts, Sources: 4,
		Takers: 4, Static: 200 * time.Millisecond, Issue: 40, Window: 10, Keep: 20,
		Screens: []int{10, 30}, Phones: 6, Calls: 6, CallGap: 10 * time.Millisecond, Trickle: 20,
		Settle: 100 * time.Millisecond, Grace: 10 * time.Second, Out: &log}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if res.Static == nil || res.Static.Count == 0 || res.Static.Errors != 0 {
		t.Errorf("static: %+v", res.Static)
	}
	if is := res.Issue; is == nil || is.Count != 40 || is.Codes[201] != 40 || len(is.Windows) != 4 || is.Latency.N != 40 {
		t.Errorf("issue: %+v", res.Issue)
	}
	if len(res.Fanout) != 2 {
		t.Fatalf("fan-out phases: %+v", res.Fanout)
	}
	for i, f := range res.Fanout {
		if f.Screens != cfg.Screens[i] || f.Phones != 6 || f.Calls != 6 || f.Dropped != 0 {
			t.Errorf("phase %d: %+v", i, f)
		}
		if f.Screen.Expected != 6*f.Screens || f.Screen.Missing != 0 || f.Screen.N != f.Screen.Expected || f.Screen.Max <= 0 {
			t.Errorf("phase %d: screens %+v", i, f.Screen)
		}
		if f.Phone.Expected != 36 || f.Phone.Missing != 0 {
			t.Errorf("phase %d: phones %+v", i, f.Phone)
		}
		if f.RSSMiB <= 0 {
			t.Errorf("phase %d: no memory figure", i)
		}
	}
	// The phones watch tickets across the queue, the first among them:
	// the first calls reach it.
	if f := res.Fanout[0]; f.PhoneUpdates == 0 || f.PhoneOwn.N == 0 {
		t.Errorf("phones heard nothing of their own tickets: %+v", f)
	}
	// 20 kept, 12 called, a few trickled in.
	if w := res.Fanout[0].Waiting; w != 20 {
		t.Errorf("%d waiting when the calls began, want the 20 kept", w)
	}
	var out bytes.Buffer
	res.Print(&out)
	res.Table(&out, loadgen.ParseBench(strings.NewReader(
		"BenchmarkTicketPDF-2   \t    1000\t   2700000 ns/op\t  12 B/op\n"+
			"BenchmarkIssue/callers=64-2  500  49000 ns/op  20193 tickets/s\n"+
			"BenchmarkBoltPutFsync/callers=64-2  500  556000 ns/op  1797 puts/s\n")))
	for _, want := range []string{"call → screen", "call → phone", "from 10 waiting", "2.70 ms",
		"20193/s vs 1797/s: 11.2×", "30 screens (+6 phones, "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	t.Logf("\n%s", out.String())
}
