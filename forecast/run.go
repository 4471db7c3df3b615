package forecast

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"langelis/priority"
	"langelis/queue"
)

// Options bound a forecast's work.
type Options struct {
	// MaxSims is the most days run (200 when zero); fewer when the line
	// is long: Budget bounds the runs times the tickets followed
	// (40,000 when zero), and MinSims is the least (40 when zero).
	MaxSims, MinSims, Budget int
	// Seed makes the runs reproducible: the same input, model and seed
	// give the same answer.
	Seed uint64
	// Public runs without priority information: every waiting ticket
	// counts as regular and the call history as empty (queue's public
	// projection); what the hall hears comes from such a run.
	Public bool
	// Services are the services a new ticket may be for: Result.New
	// gives each, with and without priority.
	Services []string
	// Only, when not empty, limits Result.Tickets to the ticket with this
	// ID (the simulator asks about one ticket at a time).
	Only string
}

// The ranges a forecast reports: a call time within its range with 80 %
// probability, the cutoff count within its range with 90 %.
const (
	callLevel  = 0.8
	countLevel = 0.9
)

// Result is one forecast.
type Result struct {
	Sims int
	// Tickets are the waiting tickets' forecasts by ID (only Options.Only
	// when set).
	Tickets map[string]queue.CallForecast
	// New are the forecasts of a ticket issued at the input's Now, per
	// service and group: it is followed in the runs without taking
	// anyone's place.
	New map[queue.NewTicket]queue.CallForecast
	// Count is how many of the waiting tickets are called today, with 90 %
	// probability; nil on a day the office does not close.
	Count *queue.CountRange
	// Counts are the runs' counts, sorted.
	Counts []int
}

const notToday = math.MaxInt32

const defaultMaxSims = 200

// Run runs the rest of the day from in, drawing from m, and reads the
// forecasts off the runs.
func Run(in queue.ForecastInput, m *Model, opt Options) Result {
	r := newRunner(in, m, opt)
	n := opt.MaxSims
	if n <= 0 {
		n = defaultMaxSims
	}
	budget, least := opt.Budget, opt.MinSims
	if budget <= 0 {
		budget = 40000
	}
	if least <= 0 {
		least = 40
	}
	if tracked := len(r.tickets); tracked > 0 && budget/tracked < n {
		n = max(budget/tracked, min(least, n))
	}
	res := make([][]int32, r.tracked)
	for i := range res {
		res[i] = make([]int32, n)
	}
	counts := make([]int, n)
	for k := range n {
		counts[k] = r.sim(res, k)
	}
	return r.result(res, counts)
}

// tk is a ticket in the runs: a waiting one, a new one followed without
// taking a place (phantom), or a priority visitor still to come.
type tk struct {
	c       priority.Candidate
	svc     int
	phantom bool
	gone    int64 // when the visitor gives up, in this run; 0: never
	at      int64 // its place in line (QueuedAt), in nanoseconds; ties go by index
}

// line is one line of ticket indexes in line order, called from the head.
type line struct {
	items   []int
	base    int // the items every run starts with; arrivals come after
	head    int
	regular int // regular tickets not yet called
	baseReg int
}

func (l *line) reset() {
	l.items, l.head, l.regular = l.items[:l.base], 0, l.baseReg
}

func (l *line) first() int {
	if l == nil || l.head == len(l.items) {
		return -1
	}
	return l.items[l.head]
}

type desk struct {
	pd    priority.Desk
	svcs  []int // its services
	sent  *line // tickets sent to it
	start int64 // free to call, when it holds nobody
	held  int   // the service of the ticket it holds, or -1
	since int64
	serve bool
	end   int64 // calls no more from then; 0: no end
	off   float64
	free  int64 // in a run
	tie   int
}

type svcLines struct {
	reg, pri line
	dist     LogNormal
	rate     Rate
	name     string
}

// runner holds what every run of one forecast shares.
type runner struct {
	in       queue.ForecastInput
	m        *Model
	opt      Options
	rng      *rand.Rand
	policy   priority.LinePolicy
	history  priority.History
	now      int64
	ivs      [][2]int64
	lastEnd  int64
	svcs     []*svcLines
	svcIndex map[string]int
	sent     map[int]*line
	desks    []*desk
	heap     []*desk
	cur      *desk
	tickets  []tk
	tracked  int // tickets[:tracked] are followed: the waiting ones (n), then the new ones
	waiting  int
	newKeys  []queue.NewTicket
	mu       []float64 // this run's Mu per service
	arrivals []tk      // this run's arrivals, in time order
	admitted []int     // per service, how many of its arrivals are in line
	svcArr   [][]int64 // per service, its arrivals' times in order
	lines    []*line   // every line, for the reset
	rates    []float64 // per service, the rate of the step being drawn
}

func newRunner(in queue.ForecastInput, m *Model, opt Options) *runner {
	r := &runner{in: in, m: m, opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, 0x6c616e67656c6973)),
		policy: in.Policy, now: in.Now.UnixNano(), svcIndex: map[string]int{}, sent: map[int]*line{}}
	if !opt.Public {
		r.history = in.History
	}
	for _, iv := range in.Intervals {
		r.ivs = append(r.ivs, [2]int64{iv.Start.UnixNano(), iv.End.UnixNano()})
	}
	svc := func(name string) int {
		if i, ok := r.svcIndex[name]; ok {
			return i
		}
		r.svcIndex[name] = len(r.svcs)
		s := &svcLines{name: name, dist: m.Services[name], rate: m.Arrivals[name]}
		r.svcs = append(r.svcs, s)
		return len(r.svcs) - 1
	}
	for _, s := range opt.Services {
		svc(s)
	}
	for i, ft := range in.Line {
		c := ft.Candidate
		c.Order = uint64(i)
		if opt.Public {
			c.Category = priority.None
		}
		r.tickets = append(r.tickets, tk{c: c, svc: svc(c.Service), at: c.QueuedAt.UnixNano()})
	}
	r.waiting = len(r.tickets)
	for _, s := range opt.Services {
		for _, p := range []bool{false, true} {
			c := priority.Candidate{Service: s, QueuedAt: in.Now, Order: uint64(len(r.tickets))}
			if p {
				c.Category = priority.Elderly // any group: the policies know only "priority"
			}
			r.tickets = append(r.tickets, tk{c: c, svc: svc(s), phantom: true, at: c.QueuedAt.UnixNano()})
			r.newKeys = append(r.newKeys, queue.NewTicket{Service: s, Priority: p})
		}
	}
	r.tracked = len(r.tickets)
	for i := range r.tickets {
		l := r.lineOf(&r.tickets[i])
		l.items = append(l.items, i)
		if !r.tickets[i].c.Category.IsPriority() {
			l.regular++
		}
	}
	for _, l := range r.allLines() {
		l.base, l.baseReg = len(l.items), l.regular
	}
	for _, d := range in.Desks {
		dk := &desk{pd: priority.Desk{Number: d.Number, Services: d.Services}, sent: r.sent[d.Number],
			start: d.Free.UnixNano(), held: -1, off: m.DeskOffset[d.Number]}
		if !d.End.IsZero() && in.HasClosing {
			dk.end = d.End.UnixNano()
			r.lastEnd = max(r.lastEnd, dk.end)
		}
		for _, s := range d.Services {
			dk.svcs = append(dk.svcs, svc(s))
		}
		if d.Held != "" {
			dk.held, dk.since, dk.serve = svc(d.Held), d.HeldSince.UnixNano(), d.Serving
		}
		r.desks = append(r.desks, dk)
	}
	if !in.HasClosing {
		r.lastEnd = math.MaxInt64
	}
	r.mu = make([]float64, len(r.svcs))
	r.admitted = make([]int, len(r.svcs))
	r.svcArr = make([][]int64, len(r.svcs))
	r.rates = make([]float64, len(r.svcs))
	r.lines = r.allLines()
	return r
}

func (r *runner) lineOf(t *tk) *line {
	if t.c.TargetDesk != 0 {
		l := r.sent[t.c.TargetDesk]
		if l == nil {
			l = &line{}
			r.sent[t.c.TargetDesk] = l
		}
		return l
	}
	if t.c.Category.IsPriority() {
		return &r.svcs[t.svc].pri
	}
	return &r.svcs[t.svc].reg
}

func (r *runner) allLines() []*line {
	var out []*line
	for _, s := range r.svcs {
		out = append(out, &s.reg, &s.pri)
	}
	for _, l := range r.sent {
		out = append(out, l)
	}
	return out
}

// callable moves t out of a break (queue's callable on nanoseconds).
func (r *runner) callable(t int64) int64 {
	for _, iv := range r.ivs {
		if t < iv[0] {
			return iv[0]
		}
		if t < iv[1] {
			return t
		}
	}
	return t
}

// sim runs the rest of the day once, writing each followed ticket's call
// (seconds from now, or notToday) into res[i][k], and returns how many of
// the waiting tickets were called.
func (r *runner) sim(res [][]int32, k int) int {
	for _, l := range r.lines {
		l.reset()
	}
	r.tickets = r.tickets[:r.tracked]
	for i, s := range r.svcs {
		r.mu[i] = s.dist.Mu + s.dist.MuSE*r.rng.NormFloat64()
	}
	if r.m.Cancel > 0 {
		for i := range r.waiting {
			r.tickets[i].gone = r.now + int64(r.rng.ExpFloat64()/r.m.Cancel*float64(time.Minute))
		}
	}
	r.drawArrivals()
	for i := range r.tracked {
		res[i][k] = notToday
	}
	r.heap = r.heap[:0]
	for i, d := range r.desks {
		d.free, d.tie = d.start, i
		if d.held >= 0 {
			// A paused desk's start is when it is back: not before,
			// even when its client is done sooner.
			d.free = max(r.heldEnd(d), d.start)
		}
		d.free = r.callable(d.free)
		r.heap = append(r.heap, d)
	}
	for i := len(r.heap)/2 - 1; i >= 0; i-- {
		r.down(i)
	}
	left, called, next, calls := r.tracked, 0, 0, 0
	h := r.history
	for left > 0 && len(r.heap) > 0 {
		d := r.heap[0]
		if d.end != 0 && d.free >= d.end {
			r.pop()
			continue
		}
		for next < len(r.arrivals) && r.arrivals[next].at <= d.free {
			r.admit(next)
			next++
		}
		r.cur = d
		at := time.Unix(0, d.free)
		c, ok := r.policy.PickLines(r, d.pd, h, at)
		if !ok {
			// Nothing it may call now: it waits for the next visitor of
			// one of its services still to come, if any.
			if wake := r.wake(d); wake > d.free {
				d.free = r.callable(wake)
				r.down(0)
				continue
			}
			r.pop()
			continue
		}
		i := int(c.Order)
		t := &r.tickets[i]
		gone := t.gone != 0 && t.gone <= d.free
		if i < r.tracked {
			res[i][k] = int32((d.free - r.now + int64(time.Second)/2) / int64(time.Second))
			left--
			if i < r.waiting && !gone {
				called++
			}
		}
		if t.phantom || gone {
			r.lineOf(t).head++ // followed, or gone: it takes nobody's place
			continue
		}
		h = r.policy.RecordLines(h, c, r, d.pd)
		l := r.lineOf(t)
		l.head++
		if !c.Category.IsPriority() {
			l.regular--
		}
		d.free = r.callable(d.free + r.deskTime(t.svc, d))
		calls++
		d.tie = -calls // among desks free at once, the one that called last goes first, as in the projection
		r.down(0)
	}
	return called
}

// heldEnd draws when desk d is done with the ticket it holds: a service
// already under way for a while is a long one, so its time is drawn given
// that it has lasted that long. A ticket only called counts as started
// one overhead after its call, as the projection counts it from the call.
func (r *runner) heldEnd(d *desk) int64 {
	dist := r.svcs[d.held].dist
	mu, sigma := r.mu[d.held]+d.off, dist.Sigma
	since := d.since
	if !d.serve {
		since += int64(r.m.Overhead)
	}
	if mu == 0 && sigma == 0 {
		return max(r.now, since) // no distribution: as good as done
	}
	elapsed := float64(r.now-since) / float64(time.Second)
	if elapsed <= 0 {
		return since + ms(r.draw(mu, sigma))
	}
	// X given X > elapsed, by the inverse of the distribution function.
	z0 := (math.Log(elapsed) - mu) / sigma
	p0 := 0.5 * math.Erfc(-z0/math.Sqrt2)
	if p0 > 1-1e-9 {
		return r.now + int64(time.Minute) // far past any usual time: soon, but not this instant
	}
	u := p0 + r.rng.Float64()*(1-p0)
	z := math.Sqrt2 * math.Erfinv(2*u-1)
	return since + ms(math.Exp(mu+sigma*z))
}

// ms is a time in seconds as nanoseconds, to the millisecond: times drawn
// alike stay alike, so desks free at one instant are free at the same one.
func ms(s float64) int64 { return int64(math.Round(s*1000)) * int64(time.Millisecond) }

func (r *runner) draw(mu, sigma float64) float64 {
	return math.Exp(mu + sigma*r.rng.NormFloat64())
}

// deskTime draws how long desk d is taken by a call of service s.
func (r *runner) deskTime(s int, d *desk) int64 {
	if r.m.NoShow > 0 && r.rng.Float64() < r.m.NoShow {
		return int64(r.m.NoShowTime)
	}
	dist := r.svcs[s].dist
	if dist.Mu == 0 && dist.Sigma == 0 {
		return int64(r.m.Overhead)
	}
	return int64(r.m.Overhead) + ms(r.draw(r.mu[s]+d.off, dist.Sigma))
}

// drawArrivals draws this run's priority visitors still to come, in time
// order: a Poisson process whose rate steps with the model's, each visitor
// of a service drawn in proportion to the services' rates.
func (r *runner) drawArrivals() {
	r.arrivals = r.arrivals[:0]
	for i := range r.svcArr {
		r.svcArr[i], r.admitted[i] = r.svcArr[i][:0], 0
	}
	var step time.Duration
	var from time.Time
	steps := 0
	for _, s := range r.svcs {
		if len(s.rate.PerMinute) > 0 {
			step, from, steps = s.rate.Step, s.rate.From, max(steps, len(s.rate.PerMinute))
		}
	}
	for b := range steps {
		lo := from.Add(time.Duration(b) * step).UnixNano()
		hi := lo + int64(step)
		if hi <= r.now || lo >= r.lastEnd {
			continue
		}
		total := 0.0
		for i, s := range r.svcs {
			r.rates[i] = 0
			if s.rate.Step == step && s.rate.From.Equal(from) && b < len(s.rate.PerMinute) {
				r.rates[i] = s.rate.PerMinute[b]
			}
			total += r.rates[i]
		}
		if total <= 0 {
			continue
		}
		t := max(lo, r.now)
		for {
			t += int64(r.rng.ExpFloat64() / total * float64(time.Minute))
			if t >= hi || t >= r.lastEnd {
				break
			}
			u, si := r.rng.Float64()*total, 0
			for si < len(r.rates)-1 && u >= r.rates[si] {
				u -= r.rates[si]
				si++
			}
			c := priority.Candidate{Service: r.svcs[si].name, Category: priority.Elderly, QueuedAt: time.Unix(0, t)}
			r.arrivals = append(r.arrivals, tk{c: c, svc: si, at: t})
			r.svcArr[si] = append(r.svcArr[si], t)
		}
	}
}

// admit puts arrival j in its line.
func (r *runner) admit(j int) {
	t := r.arrivals[j]
	t.c.Order = uint64(len(r.tickets))
	r.tickets = append(r.tickets, t)
	r.svcs[t.svc].pri.items = append(r.svcs[t.svc].pri.items, len(r.tickets)-1)
	r.admitted[t.svc]++
}

// wake is when the next visitor of one of d's services comes, or 0.
func (r *runner) wake(d *desk) int64 {
	var w int64
	for _, s := range d.svcs {
		if a := r.admitted[s]; a < len(r.svcArr[s]) && (w == 0 || r.svcArr[s][a] < w) {
			w = r.svcArr[s][a]
		}
	}
	return w
}

// Targeted implements priority.Lines.
func (r *runner) Targeted(d priority.Desk) (priority.Candidate, bool) {
	if i := r.desk(d).sent.first(); i >= 0 {
		return r.tickets[i].c, true
	}
	return priority.Candidate{}, false
}

// Oldest implements priority.Lines.
func (r *runner) Oldest(d priority.Desk, prio bool) (priority.Candidate, bool) {
	best := -1
	for _, s := range r.desk(d).svcs {
		l := &r.svcs[s].reg
		if prio {
			l = &r.svcs[s].pri
		}
		if i := l.first(); i >= 0 && (best < 0 || r.before(i, best)) {
			best = i
		}
	}
	if best < 0 {
		return priority.Candidate{}, false
	}
	return r.tickets[best].c, true
}

// before is Candidate.Before on indexes: a ticket's index follows its
// Order.
func (r *runner) before(i, j int) bool {
	a, b := r.tickets[i].at, r.tickets[j].at
	return a < b || a == b && i < j
}

// Booked implements priority.Lines. The forward model keeps a checked-in
// booked ticket in the regular line at its check-in time: its slot rule is
// not modelled yet, which errs towards calling booked visitors later.
func (r *runner) Booked(priority.Desk) (priority.Candidate, bool) {
	return priority.Candidate{}, false
}

// RegularWaits implements priority.Lines.
func (r *runner) RegularWaits(d priority.Desk) bool {
	dk := r.desk(d)
	if dk.sent != nil && dk.sent.regular > 0 {
		return true
	}
	for _, s := range dk.svcs {
		if r.svcs[s].reg.regular > 0 {
			return true
		}
	}
	return false
}

func (r *runner) desk(d priority.Desk) *desk {
	if r.cur != nil && r.cur.pd.Number == d.Number {
		return r.cur
	}
	for _, dk := range r.desks {
		if dk.pd.Number == d.Number {
			return dk
		}
	}
	panic("forecast: the policy asked about a desk not in the run")
}

func (r *runner) less(i, j int) bool {
	a, b := r.heap[i], r.heap[j]
	return a.free < b.free || a.free == b.free && a.tie < b.tie
}

func (r *runner) down(i int) {
	h := r.heap
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if rr := l + 1; rr < len(h) && r.less(rr, l) {
			m = rr
		}
		if !r.less(m, i) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

func (r *runner) pop() {
	n := len(r.heap) - 1
	r.heap[0] = r.heap[n]
	r.heap = r.heap[:n]
	r.down(0)
}

// result reads the forecasts off the runs.
func (r *runner) result(res [][]int32, counts []int) Result {
	out := Result{Sims: len(counts), Tickets: map[string]queue.CallForecast{}, New: map[queue.NewTicket]queue.CallForecast{}}
	for i := range r.waiting {
		id := r.in.Line[i].ID
		if r.opt.Only != "" && id != r.opt.Only {
			continue
		}
		out.Tickets[id] = r.callForecast(res[i])
	}
	for j, key := range r.newKeys {
		out.New[key] = r.callForecast(res[r.waiting+j])
	}
	if r.in.HasClosing {
		// The 5th to the 95th percentile. Counts are whole numbers, so the
		// ends hold more than 5 % each as often as not: the range says
		// "at least 90 %", which is what the hall is promised.
		slices.Sort(counts)
		n := len(counts)
		lo := counts[int(float64(n)*(1-countLevel)/2)]
		hi := counts[min(n-1, int(math.Ceil(float64(n)*(1+countLevel)/2))-1)]
		out.Count, out.Counts = &queue.CountRange{Lo: lo, Hi: hi}, counts
	}
	return out
}

// central returns the indexes of the range of sorted runs that holds the
// share level of them, leaving out as much below as above: the 10th to
// the 90th percentile for 80 %. When the runs bunch at either end (called
// the moment they take the ticket in many runs, or not today in many),
// that end holds more than its share: the range then starts (or ends) at
// it and leaves out the whole rest at the other end, so it holds the
// share it says rather than more.
func central(runs []int32, level float64) (int, int) {
	n := len(runs)
	q := func(p float64) int { return min(n-1, max(0, int(p*float64(n)))) }
	tail := (1 - level) / 2
	lo, hi := q(tail), q(1-tail)
	switch {
	case runs[lo] == runs[0]: // a bunch at the low end
		return 0, q(level)
	case runs[hi] == runs[n-1]: // a bunch at the high end
		return q(1 - level), n - 1
	}
	return lo, hi
}

// callForecast reads one ticket's forecast off its runs.
func (r *runner) callForecast(runs []int32) queue.CallForecast {
	slices.Sort(runs)
	n := len(runs)
	at := func(i int) time.Time {
		if runs[i] == notToday {
			return time.Time{}
		}
		return r.in.Now.Add(time.Duration(runs[i]) * time.Second)
	}
	lo, hi := central(runs, callLevel)
	today, _ := slices.BinarySearch(runs, notToday)
	cf := queue.CallForecast{Range: queue.CallRange{Median: at(n / 2), From: at(lo), To: at(hi)},
		PToday: float64(today) / float64(n)}
	if !r.in.HasClosing {
		cf.PToday = 1
	}
	return cf
}
