package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"langelis/internal/loadgen"
	"langelis/queue"
)

func init() { extraCommands["loadtest"] = cmdLoadtest }

const loadtestHelp = `loadtest drives a running server from outside, as a busy hall would, and
prints what people would notice: issue rate and latency, how long after a
clerk's click every screen shows the call (and whether any missed it),
and the server's memory per connection. It issues and calls real tickets:
run it against a test server, never a hall that is open.

  mkdir -p /tmp/lt
  langelis serve --demo --clock 10:00 --data /tmp/lt --addr 127.0.0.1:0 > /tmp/lt/accounts.txt &
  langelis loadtest --data /tmp/lt --accounts /tmp/lt/accounts.txt \
      --static 5s --issue 3000 --keep 500 --screens 1000,10000 --phones 500 --calls 100

--data finds the server's address and process in its data folder
(server.json); --url and --pid name them instead. --accounts lists the
clerks' sign-ins, one "username password" per line, or the account list
"serve --demo" prints (its clerk lines are used). Connections come from
127.0.0.2, .3, … so the per-address caps see many devices. The answers'
status codes are printed: a server that bounds the tickets one kiosk
computer may take answers 429 past it, so start the test server without
that bound.

`

// loadtestFlags are the command line's own flags, beside loadgen.Config.
type loadtestFlags struct {
	dir, accounts, screens, jsonOut, inproc string
	wait, timeout                           time.Duration
	table                                   bool
}

func parseLoadtest(args []string, stderr io.Writer) (loadgen.Config, loadtestFlags, error) {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, loadtestHelp); fs.PrintDefaults() }
	var cfg loadgen.Config
	var f loadtestFlags
	fs.StringVar(&f.dir, "data", "", "the server's data folder: its address and process come from server.json there")
	fs.DurationVar(&f.wait, "wait", 30*time.Second, "with --data: how long to wait for the server to start")
	fs.StringVar(&cfg.URL, "url", "", "the server's address, e.g. http://127.0.0.1:8080 (instead of --data)")
	fs.IntVar(&cfg.PID, "pid", 0, "the server's process id, for its memory and CPU (with --url)")
	fs.StringVar(&f.accounts, "accounts", "", "the clerks' sign-ins: \"username password\" per line, or what serve --demo prints")
	fs.IntVar(&cfg.Sources, "sources", 32, "loopback source addresses to spread connections over")
	fs.IntVar(&cfg.Takers, "takers", 64, "connections issuing tickets (and fetching the static file)")
	fs.DurationVar(&cfg.Static, "static", 0, "measure GET of a static file for this long first (0: skip)")
	fs.IntVar(&cfg.Issue, "issue", 0, "tickets to issue as fast as the server answers")
	fs.IntVar(&cfg.Window, "window", 250, "tickets per window of the issue rate")
	fs.IntVar(&cfg.Keep, "keep", -1, "after issuing, cancel this run's tickets past the first N (-1: keep all)")
	fs.StringVar(&f.screens, "screens", "", "websocket screens to measure with, in turn, e.g. 1000,10000")
	fs.IntVar(&cfg.Phones, "phones", 0, "phone status pages (ticket streams), each watching one of the run's waiting tickets")
	fs.IntVar(&cfg.Clerks, "clerks", 0, "clerks working desks (default: every account given)")
	fs.IntVar(&cfg.Calls, "calls", 100, "calls per screen count")
	fs.DurationVar(&cfg.CallGap, "call-gap", time.Second, "each clerk's pause after calling and starting a ticket")
	fs.Float64Var(&cfg.Trickle, "trickle", 0, "tickets a second issued while the clerks call")
	fs.DurationVar(&cfg.Settle, "settle", 3*time.Second, "idle time before the server's memory is read")
	fs.DurationVar(&cfg.Grace, "grace", 10*time.Second, "how long deliveries may lag the last call")
	fs.StringVar(&cfg.Pprof, "pprof", "", "the server's profiler (serve --debug-addr), e.g. http://127.0.0.1:6060: heap and CPU profiles are saved per screen count")
	fs.StringVar(&cfg.ProfileDir, "profile-dir", ".", "where the profiles go")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Minute, "stop the run after this long")
	fs.StringVar(&f.jsonOut, "json", "", "also write the figures as JSON to this file")
	fs.BoolVar(&f.table, "table", false, "print issue 13's table of figures and targets")
	fs.StringVar(&f.inproc, "inproc", "", "with --table: `go test -bench` output whose figures fill the in-process rows")
	if err := fs.Parse(args); err != nil {
		return cfg, f, err
	}
	if fs.NArg() > 0 {
		return cfg, f, fmt.Errorf("loadtest: unexpected %q; see langelis loadtest -h", fs.Arg(0))
	}
	for _, s := range strings.FieldsFunc(f.screens, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return cfg, f, fmt.Errorf("loadtest: --screens %q: give counts like 1000,10000", f.screens)
		}
		cfg.Screens = append(cfg.Screens, n)
	}
	return cfg, f, nil
}

func cmdLoadtest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, f, err := parseLoadtest(args, stderr)
	if err != nil {
		return err
	}
	if f.dir != "" {
		info, err := waitServer(ctx, f.dir, f.wait)
		if err != nil {
			return err
		}
		cfg.URL, cfg.PID = info.URL, info.PID
	}
	if cfg.URL == "" {
		return errors.New("loadtest: say which server: --data DIR (of a running server) or --url URL")
	}
	if f.accounts != "" {
		if cfg.Accounts, err = readAccounts(f.accounts); err != nil {
			return err
		}
	}
	if cfg.Calls > 0 && len(cfg.Screens) > 0 && len(cfg.Accounts) == 0 {
		return errors.New("loadtest: calling needs clerks' sign-ins: --accounts FILE")
	}
	cfg.Out = stderr
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	res, err := loadgen.Run(ctx, cfg)
	if res != nil {
		if perr := printLoadtest(res, f, stdout); perr != nil {
			return perr
		}
	}
	if err != nil {
		return fmt.Errorf("loadtest: %w", err)
	}
	return nil
}

// printLoadtest writes the figures, the table and the JSON the flags ask for.
func printLoadtest(res *loadgen.Result, f loadtestFlags, stdout io.Writer) error {
	fmt.Fprintln(stdout)
	res.Print(stdout)
	if f.table {
		var benches map[string]loadgen.Bench
		if f.inproc != "" {
			in, err := os.Open(f.inproc)
			if err != nil {
				return err
			}
			benches = loadgen.ParseBench(in)
			in.Close()
		}
		fmt.Fprintln(stdout)
		res.Table(stdout, benches)
	}
	if f.jsonOut != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		return os.WriteFile(f.jsonOut, b, 0o644)
	}
	return nil
}

// waitServer reads the server.json of a server running on dir, waiting up
// to wait for it to appear and answer.
func waitServer(ctx context.Context, dir string, wait time.Duration) (ServerInfo, error) {
	path := filepath.Join(dir, infoFile)
	deadline := time.Now().Add(wait)
	for {
		var info ServerInfo
		data, err := os.ReadFile(path)
		if err == nil && json.Unmarshal(data, &info) == nil && info.URL != "" {
			return info, nil
		}
		if time.Now().After(deadline) {
			return info, fmt.Errorf("loadtest: no running server on %s (%s not found); start one with langelis serve --data %s", dir, path, dir)
		}
		select {
		case <-ctx.Done():
			return info, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// readAccounts reads clerks' sign-ins: "username password" per line, or the
// lines "serve --demo" prints ("  clerk    clerk1   demo-abc123 (Jonas)"),
// of which only the clerks count. Blank lines and # comments are skipped.
func readAccounts(path string) ([]loadgen.Account, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("loadtest: --accounts: %w", err)
	}
	defer f.Close()
	var out []loadgen.Account
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		fields := strings.Fields(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case len(fields) >= 3 && queue.ValidRole(queue.Role(fields[0])):
			if queue.Role(fields[0]) == queue.RoleClerk {
				out = append(out, loadgen.Account{Username: fields[1], Password: fields[2]})
			}
		case len(fields) == 2:
			out = append(out, loadgen.Account{Username: fields[0], Password: fields[1]})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("loadtest: no clerk's sign-in in %s", path)
	}
	return out, nil
}
