package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"langelis/office"
	"langelis/queue"
	"langelis/sim"
)

func init() { extraCommands["simulate"] = cmdSimulate }

// simFlags are the flags of `langelis simulate`.
type simFlags struct {
	fs                                   *flag.FlagSet
	scenario, config, perDay, policy     *string
	list, shares                         *string
	days, maxStreak, ratio               *int
	seed                                 *int64
	share, cv, maxWait, headStart, aging *float64
	compare, forecast, asJSON            *bool
}

func newSimFlags(stderr io.Writer) *simFlags {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &simFlags{fs: fs}
	f.scenario = fs.String("office", "demo", "built-in office with its visitors: "+strings.Join(sim.ScenarioNames(), " or "))
	f.config = fs.String("config", "", "office file; it replaces the built-in office, the visitors stay --office's")
	f.days = fs.Int("days", 40, "business days to simulate")
	f.seed = fs.Int64("seed", 1, "random seed; the same seed gives the same result")
	f.share = fs.Float64("priority", 0.10, "share of visitors in a priority group (0-1)")
	f.perDay = fs.String("arrivals", "", "tickets per day per service, e.g. A=110,B=50 (default: --office's demand)")
	f.cv = fs.Float64("cv", 0.8, "coefficient of variation of the lognormal service times")
	f.policy = fs.String("policy", "", "policy: default, fifo, strict, ratio, aging (default: the office's)")
	f.maxStreak = fs.Int("max-streak", 0, "default policy: K, priority calls in a row while regular visitors wait")
	f.maxWait = fs.Float64("max-wait", 0, "default policy: W in minutes, a regular visitor's longest wait before nobody passes them")
	f.headStart = fs.Float64("head-start", 0, "default policy: a priority visitor's head start in minutes")
	f.ratio = fs.Int("ratio", 0, "ratio policy: priority calls per regular call")
	f.aging = fs.Float64("aging", 0, "aging policy: how much faster a priority visitor's urgency grows")
	f.compare = fs.Bool("compare", false, "compare policies side by side (those of --policies)")
	f.list = fs.String("policies", "fifo,default,strict,ratio,aging", "the policies --compare runs")
	f.shares = fs.String("shares", "0.1,0.3", "the priority shares --compare measures each policy at, beside FIFO")
	f.forecast = fs.Bool("forecast", true, "measure the forecasts (ranges, probabilities, the cutoff range) against the oracle; not with --compare")
	f.asJSON = fs.Bool("json", false, "print JSON instead of tables")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: langelis simulate [flags]\n\nSimulates office days on the real queue engine and prints waits per priority group,\nhow good the forecasts were against an oracle, and with --compare the policies side by side.")
		fs.PrintDefaults()
	}
	return f
}

// cmdSimulate runs `langelis simulate`: office days on the real engine with
// a simulated clock, to see what a call-order policy does to waits and how
// good the forecasts are.
func cmdSimulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newSimFlags(stderr)
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	c, base, err := f.settings()
	if err != nil {
		return err
	}
	o := c.Office
	policies := []string{base.Policy}
	if *f.policy != "" {
		policies = []string{*f.policy}
	}
	if *f.compare {
		policies = strings.Split(*f.list, ",")
	}
	c.Forecast = *f.forecast && len(policies) == 1
	var results []sim.Result
	for _, p := range policies {
		oc := *o
		oc.Priority = base
		oc.Priority.Policy = strings.TrimSpace(p)
		c.Office = &oc
		r, err := sim.Run(ctx, c)
		if err != nil {
			return err
		}
		results = append(results, r)
	}
	var rows []sim.FrontierRow
	if *f.compare {
		if rows, err = f.frontier(ctx, c, o, base, policies); err != nil {
			return err
		}
	}
	if *f.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if !*f.compare {
			return enc.Encode(results[0])
		}
		return enc.Encode(struct {
			Results  []sim.Result      `json:"results"`
			Frontier []sim.FrontierRow `json:"frontier"`
		}{results, rows})
	}
	if err := printResults(stdout, o, c, results); err != nil || !*f.compare {
		return err
	}
	oc := *o
	oc.Priority = base
	return printFrontier(stdout, &oc, rows)
}

// settings is the simulation the flags ask for, and the policy settings.
func (f *simFlags) settings() (sim.Config, queue.PrioritySettings, error) {
	sc, ok := sim.Scenarios[*f.scenario]
	if !ok {
		return sim.Config{}, queue.PrioritySettings{}, fmt.Errorf("simulate: --office is %s, not %q", strings.Join(sim.ScenarioNames(), " or "), *f.scenario)
	}
	o := sc.Office()
	if *f.config != "" {
		var err error
		if o, err = office.Load(*f.config); err != nil {
			return sim.Config{}, queue.PrioritySettings{}, err
		}
	}
	if *f.share < 0 || *f.share > 1 {
		return sim.Config{}, queue.PrioritySettings{}, fmt.Errorf("simulate: --priority is a share between 0 and 1, not %g", *f.share)
	}
	c := sim.Config{Office: o, Days: *f.days, Seed: *f.seed, PriorityShare: *f.share, ServiceCV: *f.cv, Estimates: true,
		PerDay: sc.PerDay, Profile: sc.Profile}
	if *f.perDay != "" {
		m, err := parsePerDay(*f.perDay)
		if err != nil {
			return sim.Config{}, queue.PrioritySettings{}, err
		}
		c.PerDay = m
	}
	base := o.Priority
	if *f.maxStreak > 0 {
		base.MaxStreak = *f.maxStreak
	}
	if *f.maxWait > 0 {
		base.MaxWaitMinutes = *f.maxWait
	}
	if *f.headStart > 0 {
		base.HeadStartMinutes = *f.headStart
	}
	if *f.ratio > 0 {
		base.Ratio = *f.ratio
	}
	if *f.aging > 0 {
		base.AgingFactor = *f.aging
	}
	return c, base, nil
}

// frontier runs the policies at each of --shares beside FIFO.
func (f *simFlags) frontier(ctx context.Context, c sim.Config, o *queue.Office, base queue.PrioritySettings, policies []string) ([]sim.FrontierRow, error) {
	var settings []queue.PrioritySettings
	for _, p := range policies {
		ps := base
		ps.Policy = strings.TrimSpace(p)
		settings = append(settings, ps)
	}
	var sh []float64
	for _, s := range strings.Split(*f.shares, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || v < 0 || v > 1 {
			return nil, fmt.Errorf("simulate: --shares wants shares between 0 and 1 like 0.1,0.3, not %q", s)
		}
		sh = append(sh, v)
	}
	oc := *o
	oc.Priority = base
	c.Office = &oc
	return sim.Frontier(ctx, c, settings, sh)
}

func parsePerDay(s string) (map[string]float64, error) {
	m := map[string]float64{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("simulate: --arrivals wants LETTER=COUNT pairs like A=110,B=50, not %q", part)
		}
		m[strings.ToUpper(k)] = n
	}
	return m, nil
}
