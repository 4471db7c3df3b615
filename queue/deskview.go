package queue

import (
	"context"
	"time"

	"langelis/priority"
)

// DeskView is what a clerk's screen needs about one desk: the desk, the
// ticket it holds and how long that ticket waited, the line for its
// services, the numbers it would call next, and its own figures for today.
type DeskView struct {
	Desk     Desk           `json:"desk"`
	Ticket   *Ticket        `json:"ticket"`
	Waited   float64        `json:"waited_seconds"` // the held ticket's wait from issue to (last) call
	Waiting  map[string]int `json:"waiting"`        // per service the desk serves
	Upcoming []string       `json:"upcoming"`       // the numbers Next would call, in order
	Served   int            `json:"served_today"`   // tickets finished at this desk today
	MeanSvc  float64        `json:"mean_service_seconds"`
	Now      time.Time      `json:"now"`
	Seq      uint64         `json:"seq"`
}

// DeskView returns desk n as its clerk sees it, with at most upcoming
// numbers of what it would call next.
func (e *Engine) DeskView(ctx context.Context, n, upcoming int) (DeskView, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		d, ok := e.st.desks[n]
		if !ok {
			return nil, E(ENOTFOUND, "err.desk.unknown", "desk", n)
		}
		v := DeskView{Desk: *d, Waiting: map[string]int{}, Upcoming: []string{}, Now: tx.now, Seq: e.st.seq}
		v.Desk.Services = append([]string(nil), d.Services...)
		if t := e.held(d); t != nil {
			cp := *t
			v.Ticket = &cp
			v.Waited = t.CalledAt.Sub(t.IssuedAt).Seconds()
		}
		for _, s := range d.Services {
			v.Waiting[s] = 0
		}
		// What this desk may call: its services' line, and tickets sent to
		// it, the same set Next chooses from.
		pd := e.st.callable(d)
		cands, ts := e.eligible(pd)
		for _, t := range ts {
			v.Waiting[t.Service]++
		}
		numbers := make(map[string]string, len(ts))
		for _, t := range ts {
			numbers[t.ID] = t.Number
		}
		for _, c := range priority.Order(e.policy, cands, pd, e.st.history, tx.now, upcoming) {
			v.Upcoming = append(v.Upcoming, numbers[c.ID])
		}
		var total time.Duration
		for _, t := range e.st.tickets {
			if t.Status == Done && t.Desk == n && !t.StartedAt.IsZero() {
				v.Served++
				total += t.EndedAt.Sub(t.StartedAt)
			}
		}
		if v.Served > 0 {
			v.MeanSvc = (total / time.Duration(v.Served)).Seconds()
		}
		return v, nil
	})
	if err != nil {
		return DeskView{}, err
	}
	return res.(DeskView), nil
}

// Desks returns the desks' current state, in number order; cheaper than a
// Snapshot for a caller that needs no projection.
func (e *Engine) Desks(ctx context.Context) ([]Desk, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		out := []Desk{}
		for _, d := range e.st.sortedDesks() {
			out = append(out, *d)
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return res.([]Desk), nil
}
