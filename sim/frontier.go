package sim

import (
	"context"
	"fmt"
	"time"

	"langelis/queue"
)

// FrontierRow is one policy at one priority share: what priority costs the
// others and what it gives the priority visitors, beside plain FIFO on the
// same visitors.
type FrontierRow struct {
	Policy string  `json:"policy"`
	Label  string  `json:"label"`
	Share  float64 `json:"priority_share"`
	// PriorityMean and RegularMean are the mean waits in minutes; Ratio
	// is the first over the second.
	PriorityMean float64 `json:"priority_mean_wait_min"`
	RegularMean  float64 `json:"regular_mean_wait_min"`
	Ratio        float64 `json:"priority_over_regular"`
	// RegularP90 and its growth against FIFO's regular p90, in percent.
	RegularP90 float64 `json:"regular_p90_wait_min"`
	P90Growth  float64 `json:"regular_p90_growth_pct"`
	// BeyondW is the longest time a regular visitor was still overtaken
	// after waiting W (Stats.OvertakenBeyondW), in minutes.
	BeyondW float64 `json:"regular_overtaken_beyond_w_max_min"`
	// RegularMax is the longest regular wait.
	RegularMax float64 `json:"regular_max_wait_min"`
}

// Frontier runs each policy at each share on the same visitors (the same
// seed, so common random numbers), with FIFO as the reference, and
// returns one row per share and policy, FIFO first. c's office supplies
// every other setting, and the W every policy's overtaking is measured
// against (unless c.MeasureW); Estimates are not measured.
func Frontier(ctx context.Context, c Config, policies []queue.PrioritySettings, shares []float64) ([]FrontierRow, error) {
	var rows []FrontierRow
	c.Estimates = false
	if c.MeasureW == 0 {
		c.MeasureW = time.Duration(c.Office.Priority.MaxWaitMinutes * float64(time.Minute))
	}
	for _, share := range shares {
		c.PriorityShare = share
		var fifoP90 float64
		all := append([]queue.PrioritySettings{{Policy: "fifo"}}, policies...)
		for i, ps := range all {
			if i > 0 && ps.Policy == "fifo" {
				continue
			}
			o := *c.Office
			base := o.Priority
			if ps.Policy != "fifo" {
				base = ps
			} else {
				base.Policy = "fifo"
			}
			o.Priority = base
			oc := c
			oc.Office = &o
			r, err := Run(ctx, oc)
			if err != nil {
				return nil, err
			}
			reg, pri := r.Row("regular"), r.Row("priority")
			row := FrontierRow{Policy: r.Policy, Label: Label(r), Share: share, PriorityMean: pri.MeanWait,
				RegularMean: reg.MeanWait, RegularP90: reg.P90Wait, BeyondW: reg.OvertakenBeyondW, RegularMax: reg.MaxWait}
			if reg.MeanWait > 0 {
				row.Ratio = round(pri.MeanWait / reg.MeanWait)
			}
			if i == 0 {
				fifoP90 = reg.P90Wait
			}
			if fifoP90 > 0 {
				row.P90Growth = round((reg.P90Wait - fifoP90) / fifoP90 * 100)
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// Label names a result's policy with its settings.
func Label(r Result) string {
	switch r.Policy {
	case "default":
		return fmt.Sprintf("default K=%d W=%g H=%g", r.Settings.MaxStreak, r.Settings.MaxWaitMinutes, r.Settings.HeadStartMin)
	case "ratio":
		return fmt.Sprintf("ratio %d:1", r.Settings.Ratio)
	case "aging":
		return fmt.Sprintf("aging x%g", r.Settings.AgingFactor)
	}
	return r.Policy
}
