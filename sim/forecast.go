package sim

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"time"

	"langelis/forecast"
	"langelis/queue"
)

// Forecasts is how good the forward model's forecasts were, beside the
// oracle's: the same model given the simulation's true service-time
// distributions and arrival rates (not the times that then happened),
// which no predictor can beat on average.
type Forecasts struct {
	// N is the served visitors whose call both forecasts placed today at
	// the median; MAE and OracleMAE are the mean distance in minutes from
	// the median given at issue to the call, and Ratio the first over the
	// second.
	N         int     `json:"n"`
	MAE       float64 `json:"mae_min"`
	OracleMAE float64 `json:"oracle_mae_min"`
	Ratio     float64 `json:"mae_over_oracle"`
	// PointMAE is the projection's point (estimated_call_at) over the
	// same visitors, for comparison.
	PointMAE float64 `json:"point_mae_min"`
	// Visitors is every visitor forecast at issue with a range that has
	// width; Coverage is the share whose call (or its absence today) fell
	// within the 80 % range, and CoverageSE its standard error from the
	// spread between days (the visitors of one day are not independent).
	// Certain is the visitors told one time, or "not today", for sure (in
	// 80 % of the runs or more: a free desk calls them at once), and
	// CertainHit how many of them it came true for; they are left out of
	// Coverage, which they would push above 80 % while saying nothing
	// about the ranges.
	Visitors       int     `json:"visitors"`
	Certain        int     `json:"certain"`
	CertainHit     int     `json:"certain_hit"`
	Coverage       float64 `json:"coverage"`
	CoverageSE     float64 `json:"coverage_se"`
	OracleCoverage float64 `json:"oracle_coverage"`
	// Brier is the mean squared distance of the probability of a call
	// today from what happened (0 best); OracleBrier the oracle's.
	Brier       float64 `json:"brier"`
	OracleBrier float64 `json:"oracle_brier"`
	// Days is the days with a first announcement; CutoffHit the share of
	// them whose 90 % range held the number then called today, and
	// CutoffWidth its mean width (high minus low); the same for the oracle.
	Days              int     `json:"days"`
	CutoffHit         float64 `json:"cutoff_hit"`
	CutoffWidth       float64 `json:"cutoff_width"`
	OracleCutoffHit   float64 `json:"oracle_cutoff_hit"`
	OracleCutoffWidth float64 `json:"oracle_cutoff_width"`
}

// oracle is the forward model given the day's truth.
type oracle struct {
	model    *forecast.Model
	sims     int
	services []string
}

// newOracle is the truth of c on the day of ivs: lognormal service times
// with the configured means and spread, and the priority visitors' rate as
// the arrivals draw them.
func newOracle(c Config, ivs []queue.Interval) *oracle {
	o := &oracle{model: &forecast.Model{Services: map[string]forecast.LogNormal{}, Arrivals: map[string]forecast.Rate{}},
		sims: c.OracleSims}
	loc := c.Office.Location()
	area, _ := profileArea(c, ivs)
	midnight := forecast.Midnight(ivs[0].Start, loc)
	const step = 5 * time.Minute
	open := forecast.OpenMinutes(ivs, midnight, step)
	for _, svc := range c.Office.Services {
		o.services = append(o.services, svc.Letter)
		mean := c.ServiceMean[svc.Letter]
		if mean == 0 {
			mean = svc.Target()
		}
		o.model.Services[svc.Letter] = forecast.FromMeanCV(mean, c.ServiceCV)
		perDay := perDayOf(c, svc.Letter)
		if perDay <= 0 || area == 0 || c.PriorityShare == 0 {
			continue
		}
		per := make([]float64, len(open))
		for b := range per {
			if open[b] > 0 {
				mid := midnight.Add(time.Duration(b)*step + step/2)
				per[b] = c.PriorityShare * perDay / area * c.Profile(hourOf(mid, loc)) * open[b] / step.Minutes()
			}
		}
		o.model.Arrivals[svc.Letter] = forecast.Rate{From: midnight, Step: step, PerMinute: per}
	}
	return o
}

func (o *oracle) options(seed uint64) forecast.Options {
	return forecast.Options{MaxSims: o.sims, MinSims: o.sims, Budget: math.MaxInt32, Seed: seed, Services: o.services}
}

// forecastTicket records the forecasts of ticket t, just issued.
func forecastTicket(ctx context.Context, eng *queue.Engine, fc *forecast.Forecaster, or *oracle, t *ticket) error {
	in, err := eng.ForecastInput(ctx)
	if err != nil {
		return fmt.Errorf("sim: forecast input: %w", err)
	}
	if cf, ok := fc.Forecast(in, t.id).Tickets[t.id]; ok {
		t.fc = &cf
	}
	opt := or.options(hash(in.Day, fmt.Sprint(t.order))) // not the ID: a random token
	opt.Only = t.id
	if cf, ok := forecast.Run(in, or.model, opt).Tickets[t.id]; ok {
		t.or = &cf
	}
	return nil
}

// forecastCount is the hall's cutoff range now, and the oracle's.
func forecastCount(ctx context.Context, eng *queue.Engine, fc *forecast.Forecaster, or *oracle) (*[2]int, *[2]int, error) {
	in, err := eng.ForecastInput(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("sim: forecast input: %w", err)
	}
	var mine, best *[2]int
	if c := fc.Forecast(in, "").Count; c != nil {
		mine = &[2]int{c.Lo, c.Hi}
	}
	opt := or.options(hash(in.Day, "count"))
	opt.Public = true // the hall's figure knows no priority, the oracle's neither
	if c := forecast.Run(in, or.model, opt).Count; c != nil {
		best = &[2]int{c.Lo, c.Hi}
	}
	return mine, best, nil
}

func hash(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// certain reports whether a range is a single outcome: one time, or none
// today.
func certain(r queue.CallRange) bool { return r.From.Equal(r.To) }

// covers reports whether the call (zero: none today) fell within r.
func covers(r queue.CallRange, called time.Time) bool {
	if called.IsZero() {
		return r.To.IsZero()
	}
	return !r.From.IsZero() && !called.Before(r.From) && (r.To.IsZero() || !called.After(r.To))
}

// forecastAccuracy measures the forecasts given at issue against what
// happened.
func forecastAccuracy(all []*ticket, eod []DayEnd) *Forecasts {
	f := &Forecasts{}
	var mae, omae, point, brier, obrier float64
	var cov, ocov, oN int
	var dayCov []float64
	dayN, dayHit := 0, 0
	for i, t := range all {
		if i > 0 && t.order == 0 && dayN > 0 { // a new day
			dayCov = append(dayCov, float64(dayHit)/float64(dayN))
			dayN, dayHit = 0, 0
		}
		if !t.counted || t.fc == nil || t.or == nil {
			continue
		}
		var called time.Time
		served := 0.0
		if t.callSeq > 0 {
			called, served = t.called, 1
		}
		if certain(t.fc.Range) {
			f.Certain++
			if covers(t.fc.Range, called) {
				f.CertainHit++
			}
		} else {
			f.Visitors++
			dayN++
			if covers(t.fc.Range, called) {
				cov++
				dayHit++
			}
		}
		if !certain(t.or.Range) {
			oN++
			if covers(t.or.Range, called) {
				ocov++
			}
		}
		brier += (t.fc.PToday - served) * (t.fc.PToday - served)
		obrier += (t.or.PToday - served) * (t.or.PToday - served)
		if served == 1 && !t.fc.Range.Median.IsZero() && !t.or.Range.Median.IsZero() && !t.estimate.IsZero() {
			f.N++
			mae += math.Abs(called.Sub(t.fc.Range.Median).Minutes())
			omae += math.Abs(called.Sub(t.or.Range.Median).Minutes())
			point += math.Abs(called.Sub(t.estimate).Minutes())
		}
	}
	if dayN > 0 {
		dayCov = append(dayCov, float64(dayHit)/float64(dayN))
	}
	if f.N > 0 {
		n := float64(f.N)
		f.MAE, f.OracleMAE, f.PointMAE = round(mae/n), round(omae/n), round(point/n)
		if omae > 0 {
			f.Ratio = round(mae / omae)
		}
	}
	if f.Visitors > 0 {
		v := float64(f.Visitors)
		f.Coverage = round3(float64(cov) / v)
		all := float64(f.Visitors + f.Certain)
		f.Brier, f.OracleBrier = round3(brier/all), round3(obrier/all)
	}
	if oN > 0 {
		f.OracleCoverage = round3(float64(ocov) / float64(oN))
	}
	if len(dayCov) > 1 {
		m := mean(dayCov)
		var ss float64
		for _, c := range dayCov {
			ss += (c - m) * (c - m)
		}
		f.CoverageSE = round3(math.Sqrt(ss / float64(len(dayCov)-1) / float64(len(dayCov))))
	}
	var hit, ohit int
	var width, owidth float64
	for _, d := range eod {
		if d.FirstRange == nil || d.OracleRange == nil {
			continue
		}
		f.Days++
		if d.FirstRange[0] <= d.FirstServed && d.FirstServed <= d.FirstRange[1] {
			hit++
		}
		if d.OracleRange[0] <= d.FirstServed && d.FirstServed <= d.OracleRange[1] {
			ohit++
		}
		width += float64(d.FirstRange[1] - d.FirstRange[0])
		owidth += float64(d.OracleRange[1] - d.OracleRange[0])
	}
	if f.Days > 0 {
		n := float64(f.Days)
		f.CutoffHit, f.OracleCutoffHit = round3(float64(hit)/n), round3(float64(ohit)/n)
		f.CutoffWidth, f.OracleCutoffWidth = round(width/n), round(owidth/n)
	}
	return f
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func hourOf(t time.Time, loc *time.Location) float64 {
	lt := t.In(loc)
	return float64(lt.Hour()) + float64(lt.Minute())/60 + float64(lt.Second())/3600
}

// perDayOf is c's daily demand for a service letter.
func perDayOf(c Config, letter string) float64 {
	if c.PerDay == nil {
		return DefaultPerDay[letter]
	}
	return c.PerDay[letter]
}

// profileArea is the profile's sum over the open minutes of the day
// (each minute's start) and its peak: what scales it to a day's demand.
func profileArea(c Config, ivs []queue.Interval) (area, peak float64) {
	loc := c.Office.Location()
	for _, iv := range ivs {
		for t := iv.Start; t.Before(iv.End); t = t.Add(time.Minute) {
			v := c.Profile(hourOf(t, loc))
			area += v
			peak = math.Max(peak, v)
		}
	}
	return area, peak
}
