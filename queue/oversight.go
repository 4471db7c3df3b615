package queue

import (
	"context"
	"sort"
	"time"
)

// DayFigures are the day's numbers so far, for the manager's live view
// (/admin/live): counts by outcome and the waits of the tickets called.
// No ticket, visitor or priority group is named.
type DayFigures struct {
	Day       string `json:"day"`
	Issued    int    `json:"issued"`
	Waiting   int    `json:"waiting"`
	Called    int    `json:"called"` // called or being served now
	Served    int    `json:"served"`
	NoShows   int    `json:"no_shows"`
	Cancelled int    `json:"cancelled"` // cancelled by the visitor, refused at a desk or closed unserved
	// MeanWait and LongestWait are over the tickets called today, from
	// issue to first call, in seconds.
	MeanWait    float64 `json:"mean_wait_s"`
	LongestWait float64 `json:"longest_wait_s"`
	// PerService is the waiting now by service: how many, and how long the
	// one waiting longest has waited (seconds, office clock).
	PerService []ServiceWait `json:"per_service"`
}

// ServiceWait is one service's line now.
type ServiceWait struct {
	Service     string  `json:"service"`
	Waiting     int     `json:"waiting"`
	LongestWait float64 `json:"longest_wait_s"`
}

// DayFigures returns the day's figures at the office clock's now.
func (e *Engine) DayFigures(ctx context.Context) (DayFigures, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		return e.st.figures(tx.now, e.office), nil
	})
	if err != nil {
		return DayFigures{}, err
	}
	return res.(DayFigures), nil
}

func (st *State) figures(now time.Time, o *Office) DayFigures {
	f := DayFigures{Day: st.day}
	per := map[string]*ServiceWait{}
	for _, s := range o.Services {
		per[s.Letter] = &ServiceWait{Service: s.Letter}
	}
	var waits float64
	calledN := 0
	for _, t := range st.tickets {
		f.Issued++
		switch t.Status {
		case Waiting:
			f.Waiting++
			sw := per[t.Service]
			if sw == nil {
				sw = &ServiceWait{Service: t.Service}
				per[t.Service] = sw
			}
			sw.Waiting++
			sw.LongestWait = max(sw.LongestWait, now.Sub(t.QueuedAt).Seconds())
		case Called, Serving:
			f.Called++
		case Done:
			f.Served++
		case NoShow:
			f.NoShows++
		default:
			f.Cancelled++
		}
		if called := t.Status == Called || t.Status == Serving || t.Status == Done || t.Status == NoShow; called && !t.CalledAt.IsZero() {
			w := t.CalledAt.Sub(t.IssuedAt).Seconds()
			waits += w
			calledN++
			f.LongestWait = max(f.LongestWait, w)
		}
	}
	if calledN > 0 {
		f.MeanWait = waits / float64(calledN)
	}
	for _, sw := range per {
		f.PerService = append(f.PerService, *sw)
	}
	sort.Slice(f.PerService, func(i, j int) bool { return f.PerService[i].Service < f.PerService[j].Service })
	return f
}
