package queue

import (
	"context"
	"slices"
	"sort"
	"time"

	"langelis/priority"
)

// minSamples is how many finished services it takes before the learned
// time replaces the target: fewer say more about the visitor than about the
// service.
const minSamples = 5

// RecentDays is how many past business days the expected service times
// start from in the morning (Options.Recent).
const RecentDays = 7

// keepSamples bounds the samples per service, so the newest morning counts
// and the learning stays cheap.
const keepSamples = SamplesKept

// SamplesKept is how many of a service's newest service times the expected
// times learn from: older ones, from today or from recent days, are
// dropped (Options.Recent needs no more).
const SamplesKept = 60

// Expected holds the expected service time per service, learned from the
// finished services (today's first, then recent days') and falling back to
// the target time.
type Expected struct {
	office *Office
	today  map[string][]time.Duration
	recent map[string][]time.Duration
	cache  map[string]time.Duration // cleared on every change; the projection asks once per ticket
}

func newExpected(o *Office, recent map[string][]time.Duration) Expected {
	x := Expected{office: o, today: map[string][]time.Duration{}, recent: map[string][]time.Duration{},
		cache: map[string]time.Duration{}}
	for svc, ds := range recent {
		x.recent[svc] = lastN(append([]time.Duration(nil), ds...), keepSamples)
	}
	return x
}

func lastN(ds []time.Duration, n int) []time.Duration {
	if len(ds) > n {
		return ds[len(ds)-n:]
	}
	return ds
}

// learn takes note of a finished service.
func (x Expected) learn(t *Ticket) {
	if t.Status != Done || t.StartedAt.IsZero() || t.EndedAt.Before(t.StartedAt) {
		return
	}
	x.today[t.Service] = lastN(append(x.today[t.Service], t.EndedAt.Sub(t.StartedAt)), keepSamples)
	delete(x.cache, t.Service)
}

// observe learns from one committed event. The engine calls it after each
// commit and the replay on recovery calls it for each journal event, so a
// restart learns exactly what the running engine had learned, in order.
func (x Expected) observe(ev Event) {
	if ev.Type == DayStarted {
		x.newDay()
	}
	// A rating carries the finished ticket again: its service was
	// learned when it finished.
	if ev.Ticket != nil && ev.Type != TicketRated {
		x.learn(ev.Ticket)
	}
}

// newDay moves today's samples to the recent days' when a day starts.
func (x Expected) newDay() {
	for svc, ds := range x.today {
		x.recent[svc] = lastN(append(x.recent[svc], ds...), keepSamples)
		delete(x.today, svc)
	}
	clear(x.cache)
}

// Duration returns the expected service time for a service: a robust mean
// of today's finished services, topped up with the recent days' newest ones
// while today has fewer than minSamples, and the target while even that is
// too few.
func (x Expected) Duration(service string) time.Duration {
	if d, ok := x.cache[service]; ok {
		return d
	}
	ds := x.today[service]
	if len(ds) < minSamples {
		r := x.recent[service]
		ds = append(lastN(r, minSamples-len(ds)), ds...)
	}
	var d time.Duration
	if len(ds) >= minSamples {
		d = RobustMean(ds)
	} else {
		svc, _ := x.office.Service(service)
		d = svc.Target()
	}
	x.cache[service] = d
	return d
}

// RobustMean is the mean of the samples with each one held within a factor
// of three of their median (winsorized). The mean, because the projection
// adds service times up and the median of a skewed distribution would make
// every estimate early; held in, because one hour-long case or a mistaken
// double click must not swing everyone's estimate, while long cases, which
// do happen, still count for something.
func RobustMean(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	slices.Sort(s)
	med := s[len(s)/2]
	var sum time.Duration
	for _, d := range s {
		sum += min(max(d, med/3), 3*med)
	}
	return sum / time.Duration(len(s))
}

// ServiceTimes extracts the service times of the finished services in
// events, per service letter, oldest first: what the engine learns from
// recent days (Options.Recent).
func ServiceTimes(events []Event) map[string][]time.Duration {
	out := map[string][]time.Duration{}
	for _, ev := range events {
		t := ev.Ticket
		if ev.Type != TicketFinished || t == nil || t.Status != Done || t.StartedAt.IsZero() || t.EndedAt.Before(t.StartedAt) {
			continue
		}
		out[t.Service] = append(out[t.Service], t.EndedAt.Sub(t.StartedAt))
	}
	return out
}

// Estimate is a waiting ticket's place in the projection.
type Estimate struct {
	Ahead  int       // tickets projected to be called before it
	CallAt time.Time // projected call time; zero when no desk will call it today
	Desk   int       // the desk projected to call it
	Today  bool      // called before its desk stops calling today
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
	// CountRange is the forward model's range for Count: between its two
	// numbers with 90 % probability (the same number twice when certain).
	// Absent until the model has run on the day's state.
	CountRange *[2]int `json:"count_range,omitempty"`
}

// Projection is the forward run of the queue from now.
type Projection struct {
	Order     []*Ticket           // waiting tickets in projected call order
	Estimates map[string]Estimate // by ticket ID
	Cutoff    *Cutoff
	// Plain is true when no ticket in the run had priority: the run is then
	// also the one without priority information (see project's public).
	Plain bool
}

// callable moves t out of a break: a desk does not call between two
// opening intervals. Past the last interval t stays as it is; whether the
// desk still calls then is its end's business (a clerk who stays).
func callable(t time.Time, ivs []Interval) time.Time {
	for _, iv := range ivs {
		if t.Before(iv.Start) {
			return iv.Start
		}
		if t.Before(iv.End) {
			return t
		}
	}
	return t
}

// deskEnd is when desk d calls its last ticket of the day that closes at
// closing: the time its clerk said they would stay (or leave) until, else
// closing.
func deskEnd(d *Desk, closing time.Time) time.Time {
	if !d.StayUntil.IsZero() {
		return d.StayUntil
	}
	return closing
}

// PauseReturn is how long a paused desk is expected to stay away: a pause
// is a lunch or an errand, not the end of the desk's day (a clerk who
// leaves closes the desk). The projection and the forward model count a
// paused desk from then on.
const PauseReturn = 30 * time.Minute

// pausedUntil is when paused desk d is expected to call again: PauseReturn
// after its pause began, or, for a pause already longer than that, a
// while from now (as a long case, not this instant). Now for a desk that
// is not paused.
func pausedUntil(d *Desk, now time.Time) time.Time {
	if d.Status != DeskPaused {
		return now
	}
	back := d.Since.Add(PauseReturn)
	if !back.After(now) {
		back = now.Add(PauseReturn / 4)
	}
	return back
}

// slots returns the desks of the forward run with when each is first free
// to call: the open desks, and the paused ones from when they are
// expected back (pausedUntil). With no desk open or paused it assumes
// every configured desk opens now (or at today's next opening), so a
// visitor still gets an estimate in the morning.
func (e *Engine) slots(now time.Time, ivs []Interval, closing time.Time, hasClosing bool) []*slot {
	var slots []*slot
	for _, d := range e.st.sortedDesks() {
		if d.Status == DeskClosed {
			continue
		}
		free := now
		if t := e.held(d); t != nil {
			exp := e.expected.Duration(t.Service)
			end := t.CalledAt.Add(exp)
			if t.Status == Serving {
				end = t.StartedAt.Add(exp)
			}
			// A client already past the expected time is a long case:
			// expect it to take a while more, not to end this instant.
			// Before that, the expected end stands (with predictable
			// service times the estimates are then exact).
			free = end
			if !end.After(now) {
				free = now.Add(exp / 4)
			}
		}
		if back := pausedUntil(d, now); back.After(free) {
			free = back
		}
		slots = append(slots, &slot{d: d, pd: policyDesk(d), free: callable(free, ivs), end: deskEnd(d, closing)})
	}
	if len(slots) == 0 {
		if start, ok := e.firstCall(now, closing, hasClosing); ok {
			for _, d := range e.st.sortedDesks() {
				slots = append(slots, &slot{d: d, pd: policyDesk(d), free: start, end: closing})
			}
		}
	}
	return slots
}

// project runs the queue forward from now (see forward). extra, when not
// nil, is a ticket not yet issued, projected as if it were (the kiosk's
// preview, the check before issuing).
//
// With public set, the run knows no priority: every waiting ticket counts
// as regular and the call history as empty, so the policy calls them in
// line order (every policy does, with no priority ticket waiting). That is
// what the hall hears (DESIGN.md "End of day"): a figure that a priority
// ticket cannot move, so that nobody can tell one from it. Only extra
// keeps its category: the kiosk's visitor asks where they would stand.
func (e *Engine) project(now time.Time, extra *Ticket, public bool) Projection {
	r := e.runForward(now, extra, public)
	p := Projection{Order: make([]*Ticket, len(r.order)), Estimates: make(map[string]Estimate, len(r.order)), Plain: r.plain}
	for i, pt := range r.order {
		p.Order[i] = pt.t
		p.Estimates[pt.c.ID] = pt.est
	}
	p.Cutoff = e.cutoff(now, r.order, extra)
	return p
}

// forwardRun is one run of the queue forward.
type forwardRun struct {
	order []*projTicket // the waiting tickets (and extra) in projected call order, with their estimates
	plain bool          // no ticket in the run had priority
}

// runForward is project without the map and the cutoff: the public cutoff and
// the preview need neither for every ticket.
func (e *Engine) runForward(now time.Time, extra *Ticket, public bool) (r forwardRun) {
	st := e.st
	ivs := e.office.OpenIntervals(now)
	closing, hasClosing := e.office.Closing(now)
	// The run's buffers are the run goroutine's own, reused from run to
	// run: a run's result is read before the next run starts.
	buf := &e.runBuf
	pts := append(buf.pts[:0], e.waitingLine()...)
	if extra != nil {
		c := st.candidate(extra)
		c.Order = st.seq + 1
		pts = append(pts, projTicket{c: c, t: extra})
	}
	// Today's bookings still to come are capacity already promised: they
	// run as booked tickets of their slots, so that the walk-ins' estimates
	// and the cutoff leave their places free (DESIGN.md "Appointments in
	// the call order"). They leave the run's order at its end.
	real := len(pts)
	for i, b := range e.promised(now) {
		pts = append(pts, projTicket{promised: true, c: priority.Candidate{ID: "booking:" + b.Code, Service: b.Service,
			QueuedAt: b.Slot, Order: st.seq + 2 + uint64(i), Slot: b.Slot, Lead: e.bookedLead(b.Service)}})
	}
	h := st.history
	if public {
		h = priority.History{}
	}
	r = forwardRun{order: buf.order[:0], plain: true}
	line := append(buf.line[:0], make([]*projTicket, len(pts))...)
	buf.pts, buf.line = pts, line
	defer func() { buf.order = r.order }()
	for i := range pts {
		if public && pts[i].t != extra && i < real {
			pts[i].c.Category = priority.None
			pts[i].c.Slot = time.Time{} // a booked ticket is a walk-in to the hall
		}
		if pts[i].c.Category.IsPriority() || pts[i].c.IsBooked() {
			r.plain = false
		}
		line[i] = &pts[i]
	}
	// The line is in line order already; extra (issued now) belongs at its
	// end, unless the clock went back.
	if n := real; extra != nil && n > 1 && line[n-1].c.Before(line[n-2].c) {
		sort.SliceStable(line[:real], func(i, j int) bool { return line[i].c.Before(line[j].c) })
	}
	r.order = e.forward(r.order, e.slots(now, ivs, closing, hasClosing), buf.lines.reset(line), h, ivs, hasClosing)
	if real < len(pts) {
		defer func() { r.order = slices.DeleteFunc(r.order, func(pt *projTicket) bool { return pt.promised }) }()
	}
	// The rest, in line order: no desk serves them, or none gets to them
	// today. Ahead of each are the tickets the desks able to serve it call
	// first, and the rest before it in its own line (same service, or sent
	// to the same desk): with no open desk for B, a B ticket has nobody
	// ahead of it because of the A line.
	if len(r.order) == len(line) {
		return r
	}
	x := &buf.lines
	type lineKey struct {
		service string
		desk    int
	}
	before := map[lineKey]int{}
	for _, pt := range line {
		if !pt.taken && !pt.promised {
			k := lineKey{service: pt.c.Service}
			if pt.c.TargetDesk != 0 {
				k = lineKey{desk: pt.c.TargetDesk}
			}
			pt.est = Estimate{Ahead: x.aheadOf(pt.c) + before[k]}
			before[k]++
			r.order = append(r.order, pt)
		}
	}
	return r
}

// cutoff is the end-of-day figure of a run, not counting extra; nil on a
// day the office does not close.
func (e *Engine) cutoff(now time.Time, order []*projTicket, extra *Ticket) *Cutoff {
	closing, ok := e.closingFor(now)
	if !ok {
		return nil
	}
	cut := &Cutoff{Closing: closing, Waiting: len(e.st.waiting()), PerService: map[string]int{}, LastPer: map[string]string{}}
	for _, pt := range order {
		if pt.t == extra || !pt.est.Today {
			continue
		}
		t := pt.t
		cut.Count++
		cut.Last = t.Number
		cut.PerService[t.Service]++
		cut.LastPer[t.Service] = t.Number
	}
	// The banner goes once the day has ended: nobody waits any more.
	cut.Notice = e.noticeDue(now)
	cut.CountRange = e.countRange(now)
	return cut
}

// closingFor returns the office's closing today: what the banner, the
// kiosk and the cutoff's "closing" say, and when the office stops issuing.
// A clerk who stays serves past it (the projection's deskEnd), which
// raises the cutoff's count but never moves the office's closing: one
// desk's stay must not reopen issuing or tell the hall the office works
// longer.
func (e *Engine) closingFor(now time.Time) (time.Time, bool) {
	return e.office.Closing(now)
}

// lastCallFor is when the last desk of today stops calling: the office's
// closing, or later when a clerk who is still there said they would stay.
// The waiting tickets are not closed before it (dayEndAt).
func (e *Engine) lastCallFor(now time.Time) (time.Time, bool) {
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
	Seq     uint64         `json:"seq"`
	Day     string         `json:"day"`
	Now     time.Time      `json:"now"`
	Open    bool           `json:"open"`
	Tickets []Ticket       `json:"tickets"` // active tickets: held ones first, then waiting in projected call order
	Desks   []Desk         `json:"desks"`
	Waiting map[string]int `json:"waiting"`          // per service letter
	Calls   []Call         `json:"calls"`            // the latest calls, newest first
	Cutoff  *Cutoff        `json:"cutoff,omitempty"` // what the hall hears: computed without priority
	// PausedServices are the services whose calls the manager paused
	// (staff only); Message is the hall display's message while it shows.
	PausedServices []ServicePause      `json:"paused_services"`
	Message        *HallMessage        `json:"message,omitempty"`
	Estimate       map[string]Estimate `json:"-"` // by ticket ID, under the office's policy
	// Forecast is the forward model's forecast of the waiting tickets by
	// ID, under the office's policy, when a current one is at hand (nil
	// otherwise); shared with the engine: read-only.
	Forecast map[string]CallForecast `json:"-"`
}

// cachedSnapshot returns the snapshot at now, reusing the last one while the
// state is the same and it is less than snapshotReuse old. Only the run
// goroutine calls it.
func (e *Engine) cachedSnapshot(now time.Time) Snapshot {
	c := &e.snapCache
	if c.ok && c.snap.Seq == e.st.seq && reusable(c.snap.Now, now) {
		return c.snap
	}
	c.snap, c.ok = e.snapshot(now), true
	return c.snap
}

// Snapshot returns the committed state with its projection. The snapshot
// is shared with other readers: treat it as read-only.
func (e *Engine) Snapshot(ctx context.Context) (Snapshot, error) {
	res, err := e.do(ctx, false, func(tx *Tx) (any, error) {
		return e.cachedSnapshot(tx.now), nil
	})
	if err != nil {
		return Snapshot{}, err
	}
	return res.(Snapshot), nil
}

func (e *Engine) snapshot(now time.Time) Snapshot {
	st := e.st
	p := e.projection(now)
	s := Snapshot{Seq: st.seq, Day: st.day, Now: now, Open: e.office.IsOpen(now),
		Cutoff: e.publicCutoff(now), Estimate: p.Estimates}
	if f := e.currentForecast(now); f != nil {
		s.Forecast = f.Tickets
	}
	// The same state projected a moment later usually keeps its order: the
	// list (the bulk of a snapshot) is then the last one's, shared.
	if c := &e.snapCache; c.ok && c.snap.Seq == st.seq && slices.Equal(c.order, p.Order) {
		s.Tickets, s.Waiting = c.snap.Tickets, c.snap.Waiting
	} else {
		s.Tickets, s.Waiting = e.ticketList(p.Order)
	}
	e.snapCache.order = p.Order
	for _, d := range st.sortedDesks() {
		s.Desks = append(s.Desks, *d)
	}
	for i := len(st.calls) - 1; i >= 0; i-- {
		s.Calls = append(s.Calls, st.calls[i])
	}
	if s.Calls == nil {
		s.Calls = []Call{}
	}
	s.PausedServices = st.pausedList()
	if st.hall.message.Showing(now) {
		s.Message = st.hall.message
	}
	return s
}

// ticketList is a snapshot's tickets, the held ones and then the waiting
// ones in order, and how many wait per service.
func (e *Engine) ticketList(order []*Ticket) ([]Ticket, map[string]int) {
	waiting := map[string]int{}
	for _, svc := range e.office.Services {
		waiting[svc.Letter] = 0
	}
	held := e.st.held()
	list := make([]Ticket, 0, len(held)+len(order))
	for _, t := range held {
		list = append(list, *t)
	}
	for _, t := range order {
		list = append(list, *t)
		waiting[t.Service]++
	}
	return list, waiting
}

// held returns the tickets the desks hold (called or being served), in
// issue order. Every such ticket is held by its desk (the lifecycle hands
// a ticket back or ends it whenever its desk lets go of it), so this looks
// at the desks, not at every ticket of the day.
func (st *State) held() []*Ticket {
	var out []*Ticket
	for _, d := range st.desks {
		if t, ok := st.tickets[d.Ticket]; ok && d.Ticket != "" && t.Status.Active() && t.Status != Waiting {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return st.order[key(out[i])] < st.order[key(out[j])] })
	return out
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
	Message *HallMessage   `json:"message,omitempty"` // the hall display's message while it shows
}

// Public strips the snapshot to numbers, services and desks. The waiting
// tickets are listed by number, without their estimates: in projected call
// order, a later number standing ahead of an earlier one would tell the
// hall it has priority, which is health or family data (DESIGN.md invariant
// 6). A ticket's holder gets its estimate from GET /api/v1/tickets/{id}.
func (s Snapshot) Public() PublicSnapshot {
	p := PublicSnapshot{Seq: s.Seq, Day: s.Day, Now: s.Now, Open: s.Open, Waiting: s.Waiting, Calls: s.Calls,
		Cutoff: s.Cutoff, Message: s.Message, Tickets: make([]PublicTicket, 0, len(s.Tickets)), Desks: make([]Desk, 0, len(s.Desks))}
	for _, t := range s.Tickets {
		p.Tickets = append(p.Tickets, t.Public())
	}
	sort.SliceStable(p.Tickets, func(i, j int) bool {
		a, b := p.Tickets[i], p.Tickets[j]
		if (a.Status == Waiting) != (b.Status == Waiting) {
			return b.Status == Waiting // held tickets first
		}
		return a.Status == Waiting && a.Number < b.Number
	})
	for _, d := range s.Desks {
		p.Desks = append(p.Desks, d.Public())
	}
	return p
}

// OpenDesks counts the snapshot's desks, open or paused, that may call
// waiting ticket t: the desk it was sent to while that one is not closed,
// else every desk serving its service (State.openDesksFor, from the
// snapshot's desks).
func (s Snapshot) OpenDesks(t Ticket) int {
	n := 0
	for _, d := range s.Desks {
		if d.Status == DeskClosed {
			continue
		}
		if t.TargetDesk != 0 && d.Number == t.TargetDesk {
			return 1
		}
		if slices.Contains(d.Services, t.Service) {
			n++
		}
	}
	return n
}

// PublicTicket returns t's public view with its estimate from the snapshot.
func (s Snapshot) PublicTicket(t Ticket) PublicTicket {
	pt := t.Public()
	if est, ok := s.Estimate[t.ID]; ok {
		ahead := est.Ahead
		pt.Ahead = &ahead
		pt.EstimateAt = est.CallAt
		if s.Cutoff != nil {
			today := est.Today
			pt.Today = &today
		}
	}
	return pt
}
