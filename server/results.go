package server

import (
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"langelis/feedback"
	"langelis/queue"
	"langelis/reports"
)

// resultMonths is how far back /results goes: two years of months.
const resultMonths = 24

// monthResult is one month on the public /results page. Nothing in it
// names a person, a clerk or a priority group: it is the office's total.
type monthResult struct {
	Month       string   `json:"month"` // YYYY-MM
	Days        int      `json:"days"`
	Served      int      `json:"served"`
	WaitMedian  *float64 `json:"wait_median_min"`
	WaitP90     *float64 `json:"wait_p90_min"`
	ServiceLvl  *float64 `json:"service_level_pct"`
	EstWithin   *float64 `json:"estimate_within_pct"`
	EstMinutes  int      `json:"estimate_within_min"`
	CutoffMAE   *float64 `json:"cutoff_error"`
	TargetWaits []int    `json:"target_wait_min"` // the services' targets, the bound of the service level
	// Satisfaction stays null until a visitor answered the question after
	// service that month.
	Satisfaction *satisfaction `json:"satisfaction"`
	// Complaints are the month's registered complaints and how many were
	// answered, and answered within the target (feedback.AnswerTarget
	// working days); suggestions and thanks beside them.
	Complaints *complaintsResult `json:"complaints"`
}

type complaintsResult struct {
	Registered  int `json:"registered"`
	Answered    int `json:"answered"`
	OnTime      int `json:"answered_on_time"`
	TargetDays  int `json:"target_working_days"`
	Suggestions int `json:"suggestions"`
	Thanks      int `json:"thanks"`
}

type satisfaction struct {
	GoodPct float64 `json:"good_pct"`
	N       int     `json:"n"`
}

// handleResults serves GET /api/v1/results: the published results of the
// recent months, newest first; public, for the municipality to link.
func (s *Server) handleResults(c echo.Context) error {
	if s.cfg.Reports == nil {
		return queue.E(queue.EUNAVAILABLE, "err.reports.none")
	}
	today, _ := time.Parse(time.DateOnly, s.cfg.Reports.Today())
	from := time.Date(today.Year(), today.Month()-resultMonths+1, 1, 0, 0, 0, 0, time.UTC)
	days, _, err := s.cfg.Reports.Figures(from.Format(time.DateOnly), today.Format(time.DateOnly))
	if err != nil {
		return err
	}
	targets := []int{}
	for _, svc := range s.engine.Office().Services {
		m := int(svc.TargetWait() / time.Minute)
		found := false
		for _, t := range targets {
			found = found || t == m
		}
		if !found {
			targets = append(targets, m)
		}
	}
	slices.Sort(targets)
	out := []monthResult{}
	for _, m := range reports.Months(days) {
		row := reports.MainRow(reports.All, m.Total)
		v := row.Values
		r := monthResult{Month: m.Month, Days: m.Days, Served: m.Served, WaitMedian: v[8], WaitP90: v[9],
			ServiceLvl: v[14], EstWithin: v[15], EstMinutes: int(reports.EstWithin / time.Minute), TargetWaits: targets}
		if m.CutoffDays > 0 {
			e := float64(int(m.CutoffMAE*10+0.5)) / 10
			r.CutoffMAE = &e
		}
		if n := sum(m.Ratings); n > 0 {
			good := 0
			for i := 3; i < len(m.Ratings); i++ { // the two happiest faces
				good += m.Ratings[i]
			}
			r.Satisfaction = &satisfaction{GoodPct: float64(int(float64(good)/float64(n)*1000+0.5)) / 10, N: n}
		}
		first := m.Month + "-01"
		last := m.Month + "-31" // office days compare as text: every day of the month is before it
		counts, err := s.feedbackTally(first, last)
		if err != nil {
			return err
		}
		cp := counts[feedback.Complaint]
		r.Complaints = &complaintsResult{Registered: cp.Registered, Answered: cp.Answered, OnTime: cp.OnTime,
			TargetDays: feedback.AnswerTarget, Suggestions: counts[feedback.Suggestion].Registered,
			Thanks: counts[feedback.Thanks].Registered}
		out = append(out, r)
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, map[string]any{"office": officeName(s.engine.Office(), s.language(c)), "months": out})
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
