package central

import (
	"sort"
	"time"

	"langelis/city"
	"langelis/queue"
)

// Figures are one hall's figures over some days, folded from the events
// the centre holds: counts by how tickets ended, and the waits (issue to
// first call) and service times (start to finish) in minutes.
type Figures struct {
	Issued    int `json:"issued"`
	Called    int `json:"called"`
	Served    int `json:"served"`
	NoShow    int `json:"no_show"`
	Cancelled int `json:"cancelled"`
	Refused   int `json:"refused"`
	Closed    int `json:"closed"` // not served: the office closed
	Waiting   int `json:"waiting"`

	WaitMedian    float64 `json:"wait_median_min"`
	WaitP90       float64 `json:"wait_p90_min"`
	ServiceMedian float64 `json:"service_median_min"`

	waits, services []float64
}

// add folds one day's events into f.
func (f *Figures) add(evs []city.Event) {
	last := map[string]*city.Ticket{}
	for _, ev := range evs {
		if ev.Type == queue.TicketIssued {
			f.Issued++
		}
		if ev.Ticket != nil {
			last[ev.Ticket.Number] = ev.Ticket
		}
	}
	for _, t := range last {
		if !t.CalledAt.IsZero() {
			f.Called++
			f.waits = append(f.waits, t.CalledAt.Sub(t.IssuedAt).Minutes())
		}
		switch t.Status {
		case queue.Done:
			f.Served++
			if !t.StartedAt.IsZero() && t.EndedAt.After(t.StartedAt) {
				f.services = append(f.services, t.EndedAt.Sub(t.StartedAt).Minutes())
			}
		case queue.NoShow:
			f.NoShow++
		case queue.Cancelled:
			f.Cancelled++
		case queue.Refused:
			f.Refused++
		case queue.Closed:
			f.Closed++
		case queue.Waiting:
			f.Waiting++
		}
	}
}

// finish works out the medians and percentiles.
func (f *Figures) finish() {
	f.WaitMedian, f.WaitP90 = quantile(f.waits, 0.5), quantile(f.waits, 0.9)
	f.ServiceMedian = quantile(f.services, 0.5)
}

func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	i := int(q * float64(len(xs)-1))
	return float64(int(xs[i]*10+0.5)) / 10
}

// FiguresOf folds hall's events of the given days in s.
func FiguresOf(s Store, hall string, days []string) (Figures, error) {
	var f Figures
	for _, d := range days {
		evs, err := s.DayEvents(hall, d)
		if err != nil {
			return f, err
		}
		f.add(evs)
	}
	f.finish()
	return f, nil
}

// monthDays returns the days of held that fall in day's month, up to day.
func monthDays(held []string, day string) []string {
	if len(day) < 7 {
		return nil
	}
	var out []string
	for _, d := range held {
		if len(d) >= 7 && d[:7] == day[:7] && d <= day {
			out = append(out, d)
		}
	}
	return out
}

// keepFrom is the first day a hall keeps with retention days, counted
// back from its today (YYYY-MM-DD).
func keepFrom(today string, retention int) string {
	t, err := time.Parse(time.DateOnly, today)
	if err != nil || retention <= 0 {
		return ""
	}
	return t.AddDate(0, 0, -retention).Format(time.DateOnly)
}
