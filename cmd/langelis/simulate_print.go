package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"langelis/queue"
	"langelis/sim"
)

// printResults prints the waits per group and policy, each day's end, and
// how good the estimates and forecasts were.
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
		if err := printDays(w, rs[0].EndOfDay); err != nil {
			return err
		}
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
			fmt.Fprintf(w, "%s: estimated call time at issue (the projection's point) off by %.1f min on average (p90 %.1f, called %+.1f min later than told on average); end-of-day cutoff off by %.1f tickets at the first announcement, %.1f a minute before closing.\n",
				sim.Label(r), a.MAE, a.P90, a.Bias, a.CutoffFirstMAE, a.CutoffFinalMAE)
		}
		if f := r.Forecast; f != nil {
			printForecasts(w, f)
		}
	}
	return nil
}

// printDays prints each day's end: the cutoff announced against what was
// then served, with the forecast ranges when measured.
func printDays(w io.Writer, days []sim.DayEnd) error {
	fmt.Fprintln(w, "\nEnd of day: the cutoff announced (tickets still to be served today) against how many of the people then waiting were called.")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	ranges := days[0].FirstRange != nil
	head := "day\tfirst announcement\tannounced\t"
	if ranges {
		head += "range (90 %)\toracle's\t"
	}
	fmt.Fprintln(tw, head+"served\ta minute before closing\tserved\tunserved at closing\t")
	span := func(r *[2]int) string {
		if r == nil {
			return "–"
		}
		if r[0] == r[1] {
			return fmt.Sprint(r[0])
		}
		return fmt.Sprintf("%d–%d", r[0], r[1])
	}
	for _, d := range days {
		row := fmt.Sprintf("%s\t%s\t%d\t", d.Day, d.FirstAt, d.FirstAnnounced)
		if ranges {
			row += span(d.FirstRange) + "\t" + span(d.OracleRange) + "\t"
		}
		fmt.Fprintf(tw, "%s%d\t%d\t%d\t%d\t\n", row, d.FirstServed, d.FinalAnnounced, d.FinalServed, d.UnservedAt)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return nil
}

// printForecasts says how good the forecasts were, beside the oracle's.
func printForecasts(w io.Writer, f *sim.Forecasts) {
	fmt.Fprintf(w, "\nForecasts at issue, against the oracle (the same model knowing the simulation's true service-time distributions and arrival rates, not the times that then happened):\n")
	fmt.Fprintf(w, "  median call time off by %.2f min on average over %d served visitors; the oracle's by %.2f (%.2f×); the projection's point by %.2f.\n",
		f.MAE, f.N, f.OracleMAE, f.Ratio, f.PointMAE)
	fmt.Fprintf(w, "  the 80 %% range held the call (or its absence today) for %.1f %% of %d visitors (±%.1f, from the spread between days); the oracle's for %.1f %%.\n",
		f.Coverage*100, f.Visitors, f.CoverageSE*100, f.OracleCoverage*100)
	fmt.Fprintf(w, "  %d more visitors were told one time for sure (a desk was free); it came true for %d.\n", f.Certain, f.CertainHit)
	fmt.Fprintf(w, "  the probability of a call today scored %.3f (Brier; the oracle %.3f, 0 is perfect).\n", f.Brier, f.OracleBrier)
	if f.Days > 0 {
		fmt.Fprintf(w, "  the first announcement's 90 %% range held the number then served on %.0f %% of %d days, %.1f wide on average; the oracle's on %.0f %%, %.1f wide.\n",
			f.CutoffHit*100, f.Days, f.CutoffWidth, f.OracleCutoffHit*100, f.OracleCutoffWidth)
	}
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
