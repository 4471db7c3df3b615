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
			return nil, Errorf(ENOTFOUND, "There is no desk %d.", n)
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
		pd := policyDesk(d)
		var total time.Duration
		for _, t := range e.st.tickets {
			switch {
			case t.Status == Waiting:
				if _, ok := v.Waiting[t.Service]; ok && (t.TargetDesk == 0 || t.TargetDesk == n) {
					v.Waiting[t.Service]++
				}
			case t.Status == Done && t.Desk == n && !t.StartedAt.IsZero():
				v.Served++
				total += t.EndedAt.Sub(t.StartedAt)
			}
		}
		if v.Served > 0 {
			v.MeanSvc = (total / time.Duration(v.Served)).Seconds()
		}
		v.Upcoming = e.upcoming(pd, tx.now, upcoming)
		return v, nil
	})
	if err != nil {
		return DeskView{}, err
	}
	return res.(DeskView), nil
}

// upcoming asks the policy, as if the desk pressed Next k times in a row
// with nobody else calling, which numbers it would get. Nothing changes.
func (e *Engine) upcoming(pd priority.Desk, now time.Time, k int) []string {
	var cands []priority.Candidate
	numbers := map[string]string{}
	for _, t := range e.st.waiting() {
		c := e.st.candidate(t)
		if priority.Eligible(c, pd) {
			cands = append(cands, c)
			numbers[c.ID] = t.Number
		}
	}
	out := []string{}
	h := e.st.history
	for len(out) < k && len(cands) > 0 {
		i := e.policy.Pick(cands, pd, h, now)
		if i < 0 {
			break
		}
		h = e.policy.Record(h, cands[i], cands)
		out = append(out, numbers[cands[i].ID])
		cands = append(cands[:i:i], cands[i+1:]...)
	}
	return out
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
