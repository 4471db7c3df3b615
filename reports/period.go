package reports

import (
	"slices"
	"strings"
	"time"
)

// Groupings a report can be grouped by.
const (
	ByService = "service"
	ByDesk    = "desk"
	ByClerk   = "clerk"
	ByWeekday = "weekday"
	ByHour    = "hour"
	ByDay     = "day"
)

// Groupings lists them in the order the admin page offers them.
var Groupings = []string{ByService, ByDesk, ByClerk, ByWeekday, ByHour, ByDay}

// Row is one line of a grouped report: its group's key ("A", "3",
// "rasa", "1" for Monday, "09", "2026-11-23") and the merged figures.
type Row struct {
	Key string
	F   *Figures
}

// Total merges the days' figures of every group key.
func Total(days []Day) map[string]*Figures {
	out := map[string]*Figures{}
	for _, d := range days {
		for k, f := range d.Groups {
			if out[k] == nil {
				out[k] = &Figures{}
			}
			out[k].Add(f)
		}
	}
	return out
}

// Group returns the rows of a grouping over the days, sorted by key;
// staff is read only for ByClerk. Weekday keys are ISO: 1 is Monday.
func Group(days []Day, staff []Staff, by string) []Row {
	m := map[string]*Figures{}
	add := func(k string, f *Figures) {
		if m[k] == nil {
			m[k] = &Figures{}
		}
		m[k].Add(f)
	}
	switch by {
	case ByClerk:
		for _, s := range staff {
			for u, f := range s.Clerks {
				add(u, f)
			}
		}
	case ByWeekday, ByDay:
		for _, d := range days {
			k := d.Day
			if by == ByWeekday {
				k = itoa(Weekday(d.Day))
			}
			add(k, d.Groups[All])
		}
	default:
		prefix := by + "/"
		for _, d := range days {
			for k, f := range d.Groups {
				if strings.HasPrefix(k, prefix) {
					add(strings.TrimPrefix(k, prefix), f)
				}
			}
		}
	}
	rows := make([]Row, 0, len(m))
	for k, f := range m {
		rows = append(rows, Row{Key: k, F: f})
	}
	slices.SortFunc(rows, func(a, b Row) int {
		if len(a.Key) != len(b.Key) && by == ByDesk {
			return len(a.Key) - len(b.Key) // desk 2 before desk 10
		}
		return strings.Compare(a.Key, b.Key)
	})
	return rows
}

// Weekday is the ISO weekday of a YYYY-MM-DD day: 1 Monday … 7 Sunday.
func Weekday(day string) int {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return 0
	}
	w := int(t.Weekday())
	if w == 0 {
		w = 7
	}
	return w
}

// Cutoffs sums the days' cutoff checks: the mean absolute error of the
// count announced, over the days that had one.
func Cutoffs(days []Day) (mae float64, n int) {
	sum := 0
	for _, d := range days {
		if d.Cutoff != nil {
			e := d.Cutoff.Error()
			sum += max(e, -e)
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(sum) / float64(n), n
}

// Month is one month's published results (the /results page): nothing in
// it names a person, a clerk or a priority group.
type Month struct {
	Month      string // YYYY-MM
	Days       int    // days with figures
	Issued     int
	Served     int
	Wait       Dist
	SL         float64
	HasSL      bool
	EstWithin  float64 // share called within EstWithin of the time told
	EstN       int
	CutoffMAE  float64
	CutoffDays int
	// Ratings and Complaints are absent (nil) until those are measured.
	Ratings    []int
	Complaints map[string]int
	// Total is the month's merged figures, from which the above come.
	Total *Figures
}

// Months sums the days by calendar month, newest first.
func Months(days []Day) []Month {
	by := map[string][]Day{}
	for _, d := range days {
		if len(d.Day) >= 7 && d.Groups[All] != nil {
			by[d.Day[:7]] = append(by[d.Day[:7]], d)
		}
	}
	var out []Month
	for m, ds := range by {
		f := Total(ds)[All]
		if f == nil {
			f = &Figures{}
		}
		mo := Month{Month: m, Days: len(ds), Issued: f.Issued, Served: f.Served, Wait: Summarise(f.Wait),
			Ratings: f.Ratings, Complaints: f.Complaints, Total: f}
		mo.SL, mo.HasSL = f.ServiceLevel()
		mo.EstWithin, _, _ = f.EstAccuracy()
		mo.EstN = len(f.EstErr)
		mo.CutoffMAE, mo.CutoffDays = Cutoffs(ds)
		out = append(out, mo)
	}
	slices.SortFunc(out, func(a, b Month) int { return strings.Compare(b.Month, a.Month) })
	return out
}
