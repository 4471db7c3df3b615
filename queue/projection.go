package queue

import (
	"context"
	"sort"
	"time"

	"langelis/priority"
)

// Expected holds the expected service time per service, learned from the
// day's finished services and falling back to the target time.
type Expected struct {
	office    *Office
	durations map[string][]time.Duration
}

func newExpected(o *Office) Expected {
	return Expected{office: o, durations: map[string][]time.Duration{}}
}

// learn takes note of a finished service.
func (x Expected) learn(t *Ticket) {
	if t.Status != Done || t.StartedAt.IsZero() || t.EndedAt.Before(t.StartedAt) {
		return
	}
	x.durations[t.Service] = append(x.durations[t.Service], t.EndedAt.Sub(t.StartedAt))
}

// Duration returns the expected service time for a service: the median of
// the day's finished services once there are five, the target before that.
// The median, not the mean, so one hour-long case does not move everyone's
// estimate.
func (x Expected) Duration(service string) time.Duration {
	ds := x.durations[service]
	if len(ds) >= 5 {
		s := append([]time.Duration(nil), ds...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return s[len(s)/2]
	}
	svc, _ := x.office.Service(service)
	return svc.Target()
}

// Estimate is a waiting ticket's place in the projection.
type Estimate struct {
	Ahead  int       // tickets projected to be called before it
	CallAt time.Time // projected call time; zero when no desk serves it
	Desk   int       // the desk projected to call it
}

// Cutoff is the end-of-day figure: how many waiting tickets will be called
// before closing, and the last of them.
type Cutoff struct {
	Closing    time.Time         `json:"closing"`
	Count      int               `json:"count"`
	Last       string            `json:"last,omitempty"`
	Waiting    int               `json:"waiting"`
	PerService map[string]int    `json:"per_service,omitempty"`
	LastPer    map[string]string `json:"last_per_service,omitempty"`
	Notice     bool              `json:"notice"` // announcements are due (within the notice time before closing)
}

// Projection is the forward run of the queue from now.
type Projection struct {
	Order     []*Ticket           // waiting tickets in projected call order
	Estimates map[string]Estimate // by ticket ID
	Cutoff    *Cutoff
}

// project runs the queue forward: each open desk, when it becomes free,
// calls its next ticket by the policy, and holds it for the expected service
// time. With no desk open it assumes every configured desk opens now, so a
// visitor still gets an estimate in the morning.
func (e *Engine) project(now time.Time) Projection {
	st := e.st
	type slot struct {
		d    *Desk
		free time.Time
	}
	var slots []*slot
	for _, d := range st.sortedDesks() {
		if d.Status != DeskOpen {
			continue
		}
		free := now
		if t := e.held(d); t != nil {
			end := t.CalledAt.Add(e.expected.Duration(t.Service))
			if t.Status == Serving {
				end = t.StartedAt.Add(e.expected.Duration(t.Service))
			}
			if end.After(free) {
				free = end
			}
		}
		slots = append(slots, &slot{d: d, free: free})
	}
	if len(slots) == 0 {
		start := now
		if next, ok := e.office.NextOpening(now); ok && next.After(now) {
			start = next
		}
		for _, d := range st.sortedDesks() {
			slots = append(slots, &slot{d: d, free: start})
		}
	}
	waiting := st.waiting()
	cands := make([]priority.Candidate, len(waiting))
	byID := make(map[string]*Ticket, len(waiting))
	for i, t := range waiting {
		cands[i] = st.candidate(t)
		byID[t.ID] = t
	}
	p := Projection{Estimates: make(map[string]Estimate, len(waiting))}
	h := st.history
	for len(cands) > 0 && len(slots) > 0 {
		sort.SliceStable(slots, func(i, j int) bool { return slots[i].free.Before(slots[j].free) })
		s := slots[0]
		pd := policyDesk(s.d)
		var el []priority.Candidate
		var idx []int
		for i, c := range cands {
			if priority.Eligible(c, pd) {
				el = append(el, c)
				idx = append(idx, i)
			}
		}
		i := -1
		if len(el) > 0 {
			i = e.policy.Pick(el, pd, h, s.free)
		}
		if i < 0 {
			slots = slots[1:] // this desk has nothing more to call
			continue
		}
		c := el[i]
		h = e.policy.Record(h, c, el)
		t := byID[c.ID]
		p.Estimates[c.ID] = Estimate{Ahead: len(p.Order), CallAt: s.free, Desk: s.d.Number}
		p.Order = append(p.Order, t)
		s.free = s.free.Add(e.expected.Duration(c.Service))
		cands = append(cands[:idx[i]], cands[idx[i]+1:]...)
	}
	for _, c := range cands { // no desk serves these
		p.Estimates[c.ID] = Estimate{Ahead: len(p.Order)}
		p.Order = append(p.Order, byID[c.ID])
	}
	if closing, ok := e.closingFor(now); ok {
		cut := &Cutoff{Closing: closing, Waiting: len(waiting), PerService: map[string]int{}, LastPer: map[string]string{}}
		for _, t := range p.Order {
			est := p.Estimates[t.ID]
			if !est.CallAt.IsZero() && est.CallAt.Before(closing) {
				cut.Count++
				cut.Last = t.Number
				cut.PerService[t.Service]++
				cut.LastPer[t.Service] = t.Number
			}
		}
		cut.Notice = !now.Before(closing.Add(-time.Duration(e.office.NoticeMinutes) * time.Minute))
		p.Cutoff = cut
	}
	return p
}

// closingFor returns the time after which no new call is expected today:
// the office's closing, or later when a clerk said they would stay.
func (e *Engine) closingFor(now time.Time) (time.Time, bool) {
	closing, ok := e.office.Closing(now)
	if !ok {
		return time.Time{}, false
	}
	for _, d := range e.st.desks {
		if d.Status != DeskClosed && d.StayUntil.After(closing) {
			closing = d.StayUntil
		}
	}
	return closing, true
}

// Snapshot is the whole current queue: what GET /api/v1/queue returns and
// what a websocket client starts from.
type Snapshot struct {
	Seq      uint64                      `json:"seq"`
	Day      string                      `json:"day"`
	Now      time.Time                   `json:"now"`
	Open     bool                        `json:"open"`
	Tickets  []Ticket                    `json:"tickets"` // active tickets: held ones first, then waiting in projected call order
	Desks    []Desk                      `json:"desks"`
	Waiting  map[string]int              `json:"waiting"` // per service letter
	Calls    []Call                      `json:"calls"`   // the latest calls, newest first
	Cutoff   *Cutoff                     `json:"cutoff,omitempty"`
	Estimate map[string]SnapshotEstimate `json:"-"`
}

// SnapshotEstimate is a ticket's projected place, by ticket ID.
type SnapshotEstimate = Estimate

// snapshotReuse is how long a snapshot serves later reads of the same
// state: every ticket answer needs the projection, and a burst of issues
// committed together then pays for one projection, not one each.
const snapshotReuse = time.Second

// Snapshot returns the committed state with its projection. The snapshot
// is shared with other readers: treat it as read-only.
func (e *Engine) Snapshot(ctx context.Context) (Snapshot, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		c := &e.snapCache
		if c.ok && c.snap.Seq == e.st.seq && !tx.now.Before(c.snap.Now) && tx.now.Sub(c.snap.Now) < snapshotReuse {
			return c.snap, nil
		}
		c.snap, c.ok = e.snapshot(tx.now), true
		return c.snap, nil
	})
	if err != nil {
		return Snapshot{}, err
	}
	return res.(Snapshot), nil
}

func (e *Engine) snapshot(now time.Time) Snapshot {
	st := e.st
	p := e.project(now)
	s := Snapshot{Seq: st.seq, Day: st.day, Now: now, Open: e.office.IsOpen(now), Waiting: map[string]int{},
		Cutoff: p.Cutoff, Estimate: p.Estimates}
	for _, svc := range e.office.Services {
		s.Waiting[svc.Letter] = 0
	}
	for _, t := range st.active() {
		if t.Status != Waiting {
			s.Tickets = append(s.Tickets, *t)
		}
	}
	for _, t := range p.Order {
		s.Tickets = append(s.Tickets, *t)
		s.Waiting[t.Service]++
	}
	for _, d := range st.sortedDesks() {
		s.Desks = append(s.Desks, *d)
	}
	for i := len(st.calls) - 1; i >= 0; i-- {
		s.Calls = append(s.Calls, st.calls[i])
	}
	if s.Tickets == nil {
		s.Tickets = []Ticket{}
	}
	if s.Calls == nil {
		s.Calls = []Call{}
	}
	return s
}

// PublicSnapshot is the snapshot as the hall may see it.
type PublicSnapshot struct {
	Seq     uint64         `json:"seq"`
	Day     string         `json:"day"`
	Now     time.Time      `json:"now"`
	Open    bool           `json:"open"`
	Tickets []PublicTicket `json:"tickets"`
	Desks   []Desk         `json:"desks"`
	Waiting map[string]int `json:"waiting"`
	Calls   []Call         `json:"calls"`
	Cutoff  *Cutoff        `json:"cutoff,omitempty"`
}

// Public strips the snapshot to numbers, services and desks, and adds each
// waiting ticket's estimate.
func (s Snapshot) Public() PublicSnapshot {
	p := PublicSnapshot{Seq: s.Seq, Day: s.Day, Now: s.Now, Open: s.Open, Waiting: s.Waiting, Calls: s.Calls,
		Cutoff: s.Cutoff, Tickets: make([]PublicTicket, 0, len(s.Tickets)), Desks: make([]Desk, 0, len(s.Desks))}
	for _, t := range s.Tickets {
		p.Tickets = append(p.Tickets, s.PublicTicket(t))
	}
	for _, d := range s.Desks {
		p.Desks = append(p.Desks, d.Public())
	}
	return p
}

// PublicTicket returns t's public view with its estimate from the snapshot.
func (s Snapshot) PublicTicket(t Ticket) PublicTicket {
	pt := t.Public()
	if est, ok := s.Estimate[t.ID]; ok {
		ahead := est.Ahead
		pt.Ahead = &ahead
		pt.EstimateAt = est.CallAt
		if s.Cutoff != nil && !est.CallAt.IsZero() {
			today := est.CallAt.Before(s.Cutoff.Closing)
			pt.Today = &today
		}
	}
	return pt
}
