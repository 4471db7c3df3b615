package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"langelis/office"
	"langelis/queue"
	"langelis/sim"
)

func init() { extraCommands["simulate"] = cmdSimulate }

// cmdSimulate runs `langelis simulate`: office days on the real engine with
// a simulated clock, to see what a call-order policy does to waits.
func cmdSimulate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", "", "office file (default: the built-in demo office)")
	days := fs.Int("days", 40, "business days to simulate")
	seed := fs.Int64("seed", 1, "random seed; the same seed gives the same result")
	share := fs.Float64("priority", 0.10, "share of visitors in a priority group (0-1)")
	perDay := fs.String("arrivals", "", "tickets per day per service, e.g. A=110,B=50 (default: the demo's demand)")
	cv := fs.Float64("cv", 0.8, "coefficient of variation of the lognormal service times")
	policy := fs.String("policy", "", "policy: default, fifo, strict, ratio, aging (default: the office's)")
	maxStreak := fs.Int("max-streak", 0, "default policy: K, priority calls in a row while regular visitors wait")
	maxWait := fs.Float64("max-wait", 0, "default policy: W in minutes, a regular visitor's longest wait before going first")
	headStart := fs.Float64("head-start", 0, "default policy: a priority visitor's head start in minutes")
	ratio := fs.Int("ratio", 0, "ratio policy: priority calls per regular call")
	aging := fs.Float64("aging", 0, "aging policy: how much faster a priority visitor's urgency grows")
	compare := fs.Bool("compare", false, "compare policies side by side (those of --policies)")
	list := fs.String("policies", "fifo,default,strict,ratio,aging", "the policies --compare runs")
	shares := fs.String("shares", "0.1,0.3", "the priority shares --compare measures each policy at, beside FIFO")
	asJSON := fs.Bool("json", false, "print JSON instead of tables")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: langelis simulate [flags]\n\nSimulates office days on the real queue engine and prints waits per priority group.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	var o *queue.Office
	if *config != "" {
		var err error
		if o, err = office.Load(*config); err != nil {
			return err
		}
	} else {
		o = office.Demo()
	}
	if *share < 0 || *share > 1 {
		return fmt.Errorf("simulate: --priority is a share between 0 and 1, not %g", *share)
	}
	c := sim.Config{Office: o, Days: *days, Seed: *seed, PriorityShare: *share, ServiceCV: *cv, Estimates: true}
	if *perDay != "" {
		m, err := parsePerDay(*perDay)
		if err != nil {
			return err
		}
		c.PerDay = m
	}
	base := o.Priority
	if *maxStreak > 0 {
		base.MaxStreak = *maxStreak
	}
	if *maxWait > 0 {
		base.MaxWaitMinutes = *maxWait
	}
	if *headStart > 0 {
		base.HeadStartMinutes = *headStart
	}
	if *ratio > 0 {
		base.Ratio = *ratio
	}
	if *aging > 0 {
		base.AgingFactor = *aging
	}
	policies := []string{base.Policy}
	if *policy != "" {
		policies = []string{*policy}
	}
	if *compare {
		policies = strings.Split(*list, ",")
	}
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
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if len(results) == 1 {
			return enc.Encode(results[0])
		}
		return enc.Encode(results)
	}
	if err := printResults(stdout, o, c, results); err != nil || !*compare {
		return err
	}
	var settings []queue.PrioritySettings
	for _, p := range policies {
		ps := base
		ps.Policy = strings.TrimSpace(p)
		settings = append(settings, ps)
	}
	var sh []float64
	for _, s := range strings.Split(*shares, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || v < 0 || v > 1 {
			return fmt.Errorf("simulate: --shares wants shares between 0 and 1 like 0.1,0.3, not %q", s)
		}
		sh = append(sh, v)
	}
	oc := *o
	oc.Priority = base
	c.Office = &oc
	rows, err := sim.Frontier(ctx, c, settings, sh)
	if err != nil {
		return err
	}
	return printFrontier(stdout, &oc, rows)
}

// printFrontier prints what each policy gives priority visitors and costs
// the others, at each share.
func printFrontier(w io.Writer, o *queue.Office, rows []sim.FrontierRow) error {
	fmt.Fprintf(w, "\nPriority against fairness, the same visitors for every policy (W = %g min for the last column):\n", o.Priority.MaxWaitMinutes)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "share\tpolicy\tpriority mean\tregular mean\tpriority/regular\tregular p90\tp90 vs fifo\tregular max\tovertaken beyond W\t")
	for _, r := range rows {
		growth := "–"
		if r.Policy != "fifo" {
			growth = fmt.Sprintf("%+.1f%%", r.P90Growth)
		}
		fmt.Fprintf(tw, "%.0f%%\t%s\t%.1f\t%.1f\t%.2f×\t%.1f\t%s\t%.1f\t%.1f min\t\n", r.Share*100, r.Label,
			r.PriorityMean, r.RegularMean, r.Ratio, r.RegularP90, growth, r.RegularMax, r.BeyondW)
	}
	return tw.Flush()
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

func printResults(w io.Writer, o *queue.Office, c sim.Config, rs []sim.Result) error {
	fmt.Fprintf(w, "%s: %d days, seed %d, %.0f%% priority visitors, lognormal service (CV %.1f)\n\n",
		o.Name, c.Days, c.Seed, c.PriorityShare*100, c.ServiceCV)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "category\tpolicy\tserved\tmean\tmedian\tp90\tmax\tovertaken mean\tovertaken max\tunserved\t")
	for _, row := range sim.Rows {
		for _, r := range rs {
			s := r.Row(row)
			if s.Issued == 0 {
				continue
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.2f\t%d\t%d\t\n", row, sim.Label(r), s.Served,
				s.MeanWait, s.MedianWait, s.P90Wait, s.MaxWait, s.OvertakenMean, s.OvertakenMax, s.Unserved)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nWaits in minutes from ticket to call. Overtaken: tickets of the same service issued later but called earlier.")
	if len(rs) == 1 && len(rs[0].EndOfDay) > 0 {
		fmt.Fprintln(w, "\nEnd of day: the cutoff announced (tickets still to be served today) against how many of the people then waiting were called.")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "day	first announcement	announced	served	a minute before closing	served	unserved at closing	")
		for _, d := range rs[0].EndOfDay {
			fmt.Fprintf(tw, "%s	%s	%d	%d	%d	%d	%d	\n", d.Day, d.FirstAt, d.FirstAnnounced, d.FirstServed, d.FinalAnnounced, d.FinalServed, d.UnservedAt)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	var fifo *sim.Result
	for i := range rs {
		if rs[i].Policy == "fifo" {
			fifo = &rs[i]
		}
	}
	for _, r := range rs {
		if fifo != nil && r.Policy != "fifo" {
			f, g := fifo.Row("regular").P90Wait, r.Row("regular").P90Wait
			if f > 0 {
				fmt.Fprintf(w, "%s: regular visitors' p90 wait %+.1f%% against fifo; priority visitors' mean wait %.1f min against %.1f for regular ones.\n",
					sim.Label(r), (g-f)/f*100, r.Row("priority").MeanWait, r.Row("regular").MeanWait)
			}
		}
		if a := r.Estimate; a != nil {
			fmt.Fprintf(w, "%s: estimated call time at issue off by %.1f min on average (p90 %.1f, called %+.1f min later than told on average); end-of-day cutoff off by %.1f tickets at the first announcement, %.1f a minute before closing.\n",
				sim.Label(r), a.MAE, a.P90, a.Bias, a.CutoffFirstMAE, a.CutoffFinalMAE)
		}
	}
	return nil
}
