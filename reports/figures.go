// Package reports turns the journal into the office's daily figures and
// reads them back over any period: the statistics behind /admin/reports,
// the published /results page and the monthly PDF.
//
// A day's figures are aggregated from that day's events (Build) at the
// day end and kept in the store's stats buckets for years, while the
// journal itself is purged after retention_days. They hold no ticket
// token, no priority group and no free text: counts, and the waits and
// service times as bare numbers of seconds, so that medians and
// percentiles over a week or a month are exact. Figures that name a clerk
// are staff data: they are kept apart (Staff) under audit_retention_days.
//
// The package is domain: it imports queue and the standard library only.
package reports

import (
	"maps"

	"langelis/queue"
	"math"
	"slices"
	"strconv"
)

// Version is the layout of Day and Staff; a stored day of an older
// version is rebuilt from the journal while the journal still holds it.
const Version = 1

// Day is one business day's anonymous figures.
type Day struct {
	Version int    `json:"v"`
	Day     string `json:"day"` // YYYY-MM-DD in the office's time zone
	// Seq is the last journal event the figures were built from: today's
	// are built again when the journal has gone on.
	Seq uint64 `json:"seq"`
	// Final is true once the day has ended (its figures will not change);
	// today's figures read on demand are not final.
	Final bool `json:"final"`
	// Groups holds the figures by Key: All, "service/A", "desk/3",
	// "hour/09" (the local hour of the issue, or of the desk's work).
	Groups map[string]*Figures `json:"groups"`
	// Cutoff compares the end-of-day announcement with what happened;
	// nil on a day without a notice (closed, or no ticket waiting).
	Cutoff *CutoffCheck `json:"cutoff,omitempty"`
}

// Staff is one day's per-clerk figures, by username: staff data, kept
// under the office's audit_retention_days apart from Day.
type Staff struct {
	Version int                 `json:"v"`
	Day     string              `json:"day"`
	Clerks  map[string]*Figures `json:"clerks"`
}

// CutoffCheck is the cutoff error of a day: how many of the tickets
// waiting at the first end-of-day announcement the hall was told would
// still be called, against how many were.
type CutoffCheck struct {
	Announced int `json:"announced"`
	Served    int `json:"served"`
}

// Error is the announced count minus what happened.
func (c CutoffCheck) Error() int { return c.Announced - c.Served }

// Figures are the counts and measured times of one group on one day (or,
// merged, over a period). Times are whole seconds, kept sorted.
type Figures struct {
	Issued      int `json:"issued,omitempty"`
	Called      int `json:"called,omitempty"` // tickets called at least once
	Served      int `json:"served,omitempty"` // finished (done)
	NoShow      int `json:"no_show,omitempty"`
	Cancelled   int `json:"cancelled,omitempty"`
	Closed      int `json:"closed,omitempty"` // closed at day end, never served
	Transferred int `json:"transferred,omitempty"`
	// BookedIn counts booked visitors who checked in, BookedMissed those
	// who never did: no-shows for their slots (issue 17). Grouped by
	// service and the slot's hour.
	BookedIn     int            `json:"booked_in,omitempty"`
	BookedMissed int            `json:"booked_missed,omitempty"`
	Refused      map[string]int `json:"refused,omitempty"` // by reason code (ReasonCode)
	// InTarget counts tickets called within their service's target wait;
	// SLBase is what the service level is a share of: the tickets called,
	// and those that left uncalled after waiting past the target.
	InTarget int `json:"in_target,omitempty"`
	SLBase   int `json:"sl_base,omitempty"`
	// Wait is issue to first call; Service is start to finish of a served
	// ticket; CallToStart is its last call to its start.
	Wait        []int32 `json:"wait,omitempty"`
	Service     []int32 `json:"service,omitempty"`
	CallToStart []int32 `json:"call_to_start,omitempty"`
	// EstErr is, per ticket called, its first call minus the call time
	// the engine told it at issue (positive: called later than told).
	EstErr []int32 `json:"est_err,omitempty"`
	// Pauses by reason code (PauseCode); OpenSeconds is how long desks
	// were open and not paused: the capacity the hall had.
	Pauses      map[string]Pause `json:"pauses,omitempty"`
	OpenSeconds int              `json:"open_seconds,omitempty"`
	// Ratings[i] counts the answers i+1 on the five-face scale after
	// service (queue.TicketRated), by the hour of the answer and the desk
	// that served; a day without any answer has none and the pages say
	// "not measured yet". Complaints counts registrations by kind (package
	// feedback: they are not in the journal, so a period's counts are read
	// from the complaints' own store, never from here).
	Ratings    []int          `json:"ratings,omitempty"`
	Complaints map[string]int `json:"complaints,omitempty"`
}

// Pause is how often desks paused for one reason, and for how long.
type Pause struct {
	N       int `json:"n"`
	Seconds int `json:"seconds"`
}

// The group keys of Day.Groups.
const (
	All = "all"
)

// ServiceKey, DeskKey and HourKey name a Day's groups.
func ServiceKey(letter string) string { return "service/" + letter }

// DeskKey names a desk's group.
func DeskKey(n int) string { return "desk/" + itoa(n) }

// HourKey names an hour-of-day group (issue hour for tickets).
func HourKey(h int) string {
	if h < 10 {
		return "hour/0" + itoa(h)
	}
	return "hour/" + itoa(h)
}

// Add merges o into f: counts add up, time lists merge sorted.
func (f *Figures) Add(o *Figures) {
	if o == nil {
		return
	}
	f.Issued += o.Issued
	f.Called += o.Called
	f.Served += o.Served
	f.NoShow += o.NoShow
	f.Cancelled += o.Cancelled
	f.Closed += o.Closed
	f.Transferred += o.Transferred
	f.BookedIn += o.BookedIn
	f.BookedMissed += o.BookedMissed
	f.InTarget += o.InTarget
	f.SLBase += o.SLBase
	f.OpenSeconds += o.OpenSeconds
	f.Refused = addCounts(f.Refused, o.Refused)
	f.Complaints = addCounts(f.Complaints, o.Complaints)
	f.Wait = mergeSorted(f.Wait, o.Wait)
	f.Service = mergeSorted(f.Service, o.Service)
	f.CallToStart = mergeSorted(f.CallToStart, o.CallToStart)
	f.EstErr = mergeSorted(f.EstErr, o.EstErr)
	for k, p := range o.Pauses {
		if f.Pauses == nil {
			f.Pauses = map[string]Pause{}
		}
		q := f.Pauses[k]
		f.Pauses[k] = Pause{N: q.N + p.N, Seconds: q.Seconds + p.Seconds}
	}
	if len(o.Ratings) > 0 {
		if len(f.Ratings) < len(o.Ratings) {
			f.Ratings = append(f.Ratings, make([]int, len(o.Ratings)-len(f.Ratings))...)
		}
		for i, n := range o.Ratings {
			f.Ratings[i] += n
		}
	}
}

func addCounts(a, b map[string]int) map[string]int {
	if len(b) == 0 {
		return a
	}
	if a == nil {
		a = map[string]int{}
	}
	for k, n := range b {
		a[k] += n
	}
	return a
}

func mergeSorted(a, b []int32) []int32 {
	if len(b) == 0 {
		return a
	}
	out := make([]int32, 0, len(a)+len(b))
	out = append(append(out, a...), b...)
	slices.Sort(out)
	return out
}

// RefusedTotal is every refusal, whatever its reason.
func (f *Figures) RefusedTotal() int {
	n := 0
	for _, v := range f.Refused {
		n += v
	}
	return n
}

// RefusedCodes lists the reason codes in f, sorted.
func (f *Figures) RefusedCodes() []string { return slices.Sorted(maps.Keys(f.Refused)) }

// ServiceLevel is the share of tickets called within their target wait,
// and false when there is nothing to measure.
func (f *Figures) ServiceLevel() (float64, bool) {
	if f.SLBase == 0 {
		return 0, false
	}
	return float64(f.InTarget) / float64(f.SLBase), true
}

// Dist is a summary of a list of seconds, in minutes.
type Dist struct {
	N                      int
	Mean, Median, P90, Max float64
}

// Summarise summarises sorted seconds: the median and p90 are nearest-rank
// percentiles, so every figure is one a visitor actually had.
func Summarise(sorted []int32) Dist {
	n := len(sorted)
	if n == 0 {
		return Dist{}
	}
	sum := 0.0
	for _, v := range sorted {
		sum += float64(v)
	}
	return Dist{N: n, Mean: sum / float64(n) / 60, Median: float64(Rank(sorted, 0.5)) / 60,
		P90: float64(Rank(sorted, 0.9)) / 60, Max: float64(sorted[n-1]) / 60}
}

// Rank is the nearest-rank p-quantile of sorted (p in (0, 1]).
func Rank(sorted []int32, p float64) int32 {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// EstAccuracy is how well the call times told at issue came true: the
// share called within EstWithin of the time told, and the mean absolute
// error in minutes.
func (f *Figures) EstAccuracy() (within, mae float64, ok bool) {
	if len(f.EstErr) == 0 {
		return 0, 0, false
	}
	in, sum := 0, 0.0
	for _, e := range f.EstErr {
		a := math.Abs(float64(e))
		sum += a
		if a <= EstWithin.Seconds() {
			in++
		}
	}
	return float64(in) / float64(len(f.EstErr)), sum / float64(len(f.EstErr)) / 60, true
}

// Satisfaction is the count of answers after service and the share of
// good ones (queue.GoodFace and up); ok is false when there were none.
func (f *Figures) Satisfaction() (good float64, n int, ok bool) {
	g := 0
	for i, c := range f.Ratings {
		n += c
		if i+1 >= queue.GoodFace {
			g += c
		}
	}
	if n == 0 {
		return 0, 0, false
	}
	return float64(g) / float64(n), n, true
}

func itoa(n int) string { return strconv.Itoa(n) }
