package reports

import (
	"math"
	"slices"
)

// A Table is one table of a report as the page, the CSV, the XLSX and the
// PDF show it: one column list, one row per group and a total. Column
// names are text keys (rep.col.*), translated by whoever shows them.
// Values are rounded once, here, so every export says the same numbers.
type Table struct {
	Name    string   `json:"name"` // main, refusals, pauses
	Columns []string `json:"columns"`
	Rows    []TRow   `json:"rows"`
	Total   *TRow    `json:"total,omitempty"`
}

// TRow is one line of a Table: its group key and a value per column
// (nil when there is nothing to measure, e.g. a wait with no call).
type TRow struct {
	Key    string     `json:"key"`
	Values []*float64 `json:"values"`
}

// MainColumns are the columns of the main table, in order.
var MainColumns = []string{"rep.col.issued", "rep.col.served", "rep.col.no_show", "rep.col.refused",
	"rep.col.cancelled", "rep.col.closed", "rep.col.transferred", "rep.col.wait_mean", "rep.col.wait_median",
	"rep.col.wait_p90", "rep.col.wait_max", "rep.col.service_mean", "rep.col.service_p90",
	"rep.col.call_to_start", "rep.col.service_level", "rep.col.est_within", "rep.col.pauses",
	"rep.col.pause_minutes"}

func num(v float64) *float64 { return &v }

// round1 rounds to one decimal, the precision every report shows.
func round1(v float64) float64 { return math.Round(v*10) / 10 }

// MainRow is a group's line of the main table.
func MainRow(key string, f *Figures) TRow {
	w, s, cs := Summarise(f.Wait), Summarise(f.Service), Summarise(f.CallToStart)
	dist := func(d Dist, v float64) *float64 {
		if d.N == 0 {
			return nil
		}
		return num(round1(v))
	}
	var sl, est *float64
	if v, ok := f.ServiceLevel(); ok {
		sl = num(round1(v * 100))
	}
	if v, _, ok := f.EstAccuracy(); ok {
		est = num(round1(v * 100))
	}
	pauses, pauseSec := 0, 0
	for _, p := range f.Pauses {
		pauses += p.N
		pauseSec += p.Seconds
	}
	return TRow{Key: key, Values: []*float64{num(float64(f.Issued)), num(float64(f.Served)), num(float64(f.NoShow)),
		num(float64(f.RefusedTotal())), num(float64(f.Cancelled)), num(float64(f.Closed)), num(float64(f.Transferred)),
		dist(w, w.Mean), dist(w, w.Median), dist(w, w.P90), dist(w, w.Max), dist(s, s.Mean), dist(s, s.P90),
		dist(cs, cs.Mean), sl, est, num(float64(pauses)), num(round1(float64(pauseSec) / 60))}}
}

// Tables are the report's tables for the rows of a grouping (by) and the
// period's total: the main figures, refusals by reason code, and pauses
// by reason code (count and minutes).
func Tables(rows []Row, total *Figures, by string) []Table {
	main := Table{Name: "main", Columns: MainColumns}
	for _, r := range rows {
		row := MainRow(r.Key, r.F)
		if by == ByDesk || by == ByClerk {
			// A ticket is issued, cancelled or closed at the day end by
			// no desk: blank, not a misleading 0.
			row.Values[0], row.Values[4], row.Values[5] = nil, nil, nil
		}
		main.Rows = append(main.Rows, row)
	}
	t := MainRow(All, total)
	main.Total = &t

	codes := func(get func(*Figures) []string) []string {
		var out []string
		for _, f := range append([]*Figures{total}, figs(rows)...) {
			for _, c := range get(f) {
				if !slices.Contains(out, c) {
					out = append(out, c)
				}
			}
		}
		slices.Sort(out)
		return out
	}
	rc := codes(func(f *Figures) []string { return f.RefusedCodes() })
	ref := Table{Name: "refusals"}
	for _, c := range rc {
		ref.Columns = append(ref.Columns, "rep.reason."+c)
	}
	pc := codes(func(f *Figures) []string {
		var out []string
		for k := range f.Pauses {
			out = append(out, k)
		}
		return out
	})
	pau := Table{Name: "pauses"}
	for _, c := range pc {
		pau.Columns = append(pau.Columns, "rep.pause.n."+c, "rep.pause.min."+c)
	}
	refRow := func(key string, f *Figures) TRow {
		r := TRow{Key: key}
		for _, c := range rc {
			r.Values = append(r.Values, num(float64(f.Refused[c])))
		}
		return r
	}
	pauRow := func(key string, f *Figures) TRow {
		r := TRow{Key: key}
		for _, c := range pc {
			p := f.Pauses[c]
			r.Values = append(r.Values, num(float64(p.N)), num(round1(float64(p.Seconds)/60)))
		}
		return r
	}
	for _, r := range rows {
		ref.Rows = append(ref.Rows, refRow(r.Key, r.F))
		pau.Rows = append(pau.Rows, pauRow(r.Key, r.F))
	}
	rt, pt := refRow(All, total), pauRow(All, total)
	ref.Total, pau.Total = &rt, &pt
	return []Table{main, ref, pau, satisfactionTable(rows, total)}
}

// SatisfactionColumns are the columns of the satisfaction table: the
// answers per face (1 very unhappy … 5 very happy), their count, and the
// share of good answers (queue.GoodFace and up), in percent.
var SatisfactionColumns = []string{"rep.col.face1", "rep.col.face2", "rep.col.face3", "rep.col.face4",
	"rep.col.face5", "rep.col.answers", "rep.col.good_pct"}

// satisfactionTable is the answers after service by group; it has no
// columns (the page leaves it out) when the period has no answer.
func satisfactionTable(rows []Row, total *Figures) Table {
	t := Table{Name: "satisfaction", Columns: []string{}}
	if _, _, ok := total.Satisfaction(); !ok {
		return t
	}
	t.Columns = SatisfactionColumns
	line := func(key string, f *Figures) TRow {
		r := TRow{Key: key}
		for i := range 5 {
			n := 0
			if i < len(f.Ratings) {
				n = f.Ratings[i]
			}
			r.Values = append(r.Values, num(float64(n)))
		}
		good, n, ok := f.Satisfaction()
		r.Values = append(r.Values, num(float64(n)), nil)
		if ok {
			r.Values[6] = num(round1(good * 100))
		}
		return r
	}
	for _, r := range rows {
		t.Rows = append(t.Rows, line(r.Key, r.F))
	}
	tot := line(All, total)
	t.Total = &tot
	return t
}

func figs(rows []Row) []*Figures {
	out := make([]*Figures, len(rows))
	for i, r := range rows {
		out[i] = r.F
	}
	return out
}
