package store

import (
	"fmt"
	"time"

	"langelis/queue"
)

// RecentServiceTimes returns the service times of the finished services of
// the last days business days before the day before (2006-01-02), per
// service letter, oldest first: what the engine's expected times start from
// in the morning (queue.Options.Recent).
func (s *Store) RecentServiceTimes(before string, days int) (map[string][]time.Duration, error) {
	all, err := s.Days()
	if err != nil {
		return nil, fmt.Errorf("store: recent service times: %w", err)
	}
	var pick []string
	for i := len(all) - 1; i >= 0 && len(pick) < days; i-- {
		if all[i] < before {
			pick = append([]string{all[i]}, pick...)
		}
	}
	out := map[string][]time.Duration{}
	for _, d := range pick {
		evs, err := s.DayEvents(d)
		if err != nil {
			return nil, fmt.Errorf("store: recent service times: %w", err)
		}
		for svc, ds := range queue.ServiceTimes(evs) {
			out[svc] = append(out[svc], ds...)
		}
	}
	return out, nil
}
