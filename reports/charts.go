package reports

import (
	"slices"
	"strconv"
	"strings"
)

// Charts are the figures behind the report's three charts.
type Charts struct {
	// Box is the wait by hour of issue: the 10th, 25th, 50th, 75th and
	// 90th percentiles, in minutes.
	Box []Box `json:"wait_by_hour"`
	// Load is arrivals against capacity by hour, per working day on
	// average: tickets issued, and how many the open desks could serve at
	// the period's mean service time.
	Load []Load `json:"load_by_hour"`
	// Trend is the service level of each day, in percent (nil: nobody was
	// called that day).
	Trend []Trend `json:"service_level_by_day"`
}

// Box is one hour's wait distribution.
type Box struct {
	Hour int        `json:"hour"`
	N    int        `json:"n"`
	Q    [5]float64 `json:"q"` // the 10th, 25th, 50th, 75th and 90th percentiles
}

// Load is one hour's arrivals and capacity per day.
type Load struct {
	Hour     int     `json:"hour"`
	Arrivals float64 `json:"arrivals"`
	Capacity float64 `json:"capacity"`
}

// Trend is one day's service level.
type Trend struct {
	Day string   `json:"day"`
	SL  *float64 `json:"sl"`
}

// MakeCharts computes the charts of a period's days.
func MakeCharts(days []Day) Charts {
	var c Charts
	worked := 0
	for _, d := range days {
		if d.Groups[All] != nil {
			worked++
		}
	}
	total := Total(days)
	meanSvc := Summarise(total[All].orEmpty().Service).Mean * 60
	for _, r := range Group(days, nil, ByHour) {
		h, _ := strconv.Atoi(strings.TrimLeft(r.Key, "0"))
		if w := r.F.Wait; len(w) > 0 {
			q := [5]float64{}
			for i, p := range []float64{0.1, 0.25, 0.5, 0.75, 0.9} {
				q[i] = round1(float64(Rank(w, p)) / 60)
			}
			c.Box = append(c.Box, Box{Hour: h, N: len(w), Q: q})
		}
		if worked > 0 && (r.F.Issued > 0 || r.F.OpenSeconds > 0) {
			l := Load{Hour: h, Arrivals: round1(float64(r.F.Issued) / float64(worked))}
			if meanSvc > 0 {
				l.Capacity = round1(float64(r.F.OpenSeconds) / meanSvc / float64(worked))
			}
			c.Load = append(c.Load, l)
		}
	}
	for _, d := range days {
		f := d.Groups[All]
		if f == nil {
			continue
		}
		t := Trend{Day: d.Day}
		if v, ok := f.ServiceLevel(); ok {
			t.SL = num(round1(v * 100))
		}
		c.Trend = append(c.Trend, t)
	}
	slices.SortFunc(c.Trend, func(a, b Trend) int { return strings.Compare(a.Day, b.Day) })
	return c
}

func (f *Figures) orEmpty() *Figures {
	if f == nil {
		return &Figures{}
	}
	return f
}
