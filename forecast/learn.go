package forecast

import (
	"math"
	"slices"
	"time"

	"langelis/queue"
)

// What the Learner keeps and how much it trusts it.
const (
	// RecentDays is how many past business days it learns from.
	RecentDays = queue.RecentDays
	// maxSamples bounds the service times a fit uses per service, newest
	// first: today's, then the recent days'.
	maxSamples = 300
	// priorWeight is how many samples the prior (the service's target
	// time, spread like service times usually are) counts for in the
	// spread, and priorMeanWeight in the mean: a target is set from
	// experience, so with no sample yet the mean is taken to be within
	// a factor of about 1.5 of it (90 %), and each day's samples soon
	// outweigh it.
	priorWeight     = 3
	priorMeanWeight = 8
	// priorCV is that spread: a coefficient of variation of 0.8 (Brown et
	// al., JASA 2005, and what municipal halls show).
	priorCV = 0.8
	// deskWeight is how many samples a desk needs before half of its own
	// pace counts: a clerk is judged on a fair number of clients.
	deskWeight = 20
	// shareWeight and priorShare: the share of priority visitors counts
	// as one in ten over this many visitors until the days say otherwise.
	shareWeight = 10
	priorShare  = 0.1
	// bucket is the step of the arrival rates.
	bucket   = 30 * time.Minute
	nBuckets = int(24 * time.Hour / bucket)
)

// Learner learns a Model from the office's committed events: today's and
// the recent days'. It is not safe for concurrent use; a Forecaster owns
// one.
type Learner struct {
	office  *queue.Office
	today   *dayData
	recent  []*dayData // oldest first
	lastSeq uint64
}

// dayData is what one business day showed.
type dayData struct {
	day      string
	arrivals map[string]*[nBuckets]int // all tickets issued, per service and half hour of local time
	prio     map[string]*[nBuckets]int // the priority ones among them
	priority map[string]bool           // ticket ID → counted as priority, for corrections
	samples  map[string][]sample       // service times per service, oldest first
	overhead []time.Duration           // call to start
	calls    int
	noShows  int
	noShowT  time.Duration
	cancels  int
	waited   time.Duration // time waited by the tickets that stopped waiting
}

type sample struct {
	desk int
	log  float64 // log of the service time in seconds
}

func newDay(day string) *dayData {
	return &dayData{day: day, arrivals: map[string]*[nBuckets]int{}, prio: map[string]*[nBuckets]int{},
		priority: map[string]bool{}, samples: map[string][]sample{}}
}

// NewLearner returns a learner that knows nothing yet: its model is the
// services' target times.
func NewLearner(o *queue.Office) *Learner {
	return &Learner{office: o}
}

// Observe learns from committed events, in commit order. Events of the
// day it has seen (by sequence number) are skipped, so the journal read
// at start and the events heard since may overlap.
func (l *Learner) Observe(evs []queue.Event) {
	for i := range evs {
		l.observe(&evs[i])
	}
}

func (l *Learner) observe(ev *queue.Event) {
	if ev.Day == "" {
		return
	}
	if l.today == nil || ev.Day != l.today.day {
		if l.today != nil && ev.Day < l.today.day {
			return // an older day's event after a newer one: not ours to learn
		}
		l.rollTo(ev.Day)
	}
	if ev.Seq != 0 {
		if ev.Seq <= l.lastSeq {
			return
		}
		l.lastSeq = ev.Seq
	}
	t := ev.Ticket
	if t == nil {
		return
	}
	d := l.today
	switch ev.Type {
	case queue.TicketIssued:
		b := l.bucketOf(t.IssuedAt)
		count(d.arrivals, t.Service, b)
		if t.Category.IsPriority() {
			count(d.prio, t.Service, b)
			d.priority[t.ID] = true
		}
	case queue.TicketCategory:
		if was, now := d.priority[t.ID], t.Category.IsPriority(); was != now {
			c := d.prio[t.Service]
			if c == nil {
				c = &[nBuckets]int{}
				d.prio[t.Service] = c
			}
			if now {
				c[l.bucketOf(t.IssuedAt)]++
			} else {
				c[l.bucketOf(t.IssuedAt)]--
			}
			d.priority[t.ID] = now
		}
	case queue.TicketCalled:
		d.calls++
		if w := t.CalledAt.Sub(t.QueuedAt); w > 0 {
			d.waited += w
		}
	case queue.TicketFinished:
		if t.Status == queue.Done && !t.StartedAt.IsZero() && t.EndedAt.After(t.StartedAt) {
			s := max(t.EndedAt.Sub(t.StartedAt).Seconds(), 5) // a double click is not a five-second matter
			d.samples[t.Service] = append(d.samples[t.Service], sample{desk: t.Desk, log: math.Log(s)})
			if o := t.StartedAt.Sub(t.CalledAt); o >= 0 && !t.CalledAt.IsZero() {
				d.overhead = append(d.overhead, o)
			}
		}
	case queue.TicketNoShow:
		d.noShows++
		if w := t.EndedAt.Sub(t.CalledAt); w > 0 && !t.CalledAt.IsZero() {
			d.noShowT += w
		}
	case queue.TicketCancelled:
		if t.CalledAt.IsZero() {
			d.cancels++
			if w := t.EndedAt.Sub(t.QueuedAt); w > 0 {
				d.waited += w
			}
		}
	}
}

func count(m map[string]*[nBuckets]int, svc string, b int) {
	c := m[svc]
	if c == nil {
		c = &[nBuckets]int{}
		m[svc] = c
	}
	c[b]++
}

// LearnTickets learns day from its tickets as they stand at seq (a model
// that starts after a restart: queue.Engine.DayTickets), as if it had
// heard their events; events up to seq are then skipped.
func (l *Learner) LearnTickets(day string, ts []queue.Ticket, seq uint64) {
	if l.today == nil || day > l.today.day {
		l.rollTo(day)
	}
	if day != l.today.day {
		return
	}
	for i := range ts {
		t := ts[i]
		ev := queue.Event{Day: day, Ticket: &t}
		for _, typ := range ticketEvents(&t) {
			ev.Type = typ
			l.observe(&ev)
		}
	}
	l.lastSeq = max(l.lastSeq, seq)
}

// ticketEvents are the events of a ticket's life that the learner reads,
// as its final state tells them.
func ticketEvents(t *queue.Ticket) []queue.EventType {
	out := []queue.EventType{queue.TicketIssued}
	if !t.CalledAt.IsZero() {
		out = append(out, queue.TicketCalled)
	}
	switch t.Status {
	case queue.Done:
		out = append(out, queue.TicketFinished)
	case queue.NoShow:
		out = append(out, queue.TicketNoShow)
	case queue.Cancelled:
		out = append(out, queue.TicketCancelled)
	}
	return out
}

// LearnDay learns a past day from its journal, among the recent days in
// date order: what a model that starts late reads of the days before.
func (l *Learner) LearnDay(evs []queue.Event) {
	if len(evs) == 0 {
		return
	}
	day := evs[0].Day
	if l.today != nil && day >= l.today.day {
		l.Observe(evs)
		return
	}
	keep, keepSeq := l.today, l.lastSeq
	l.today, l.lastSeq = newDay(day), 0
	for i := range evs {
		if evs[i].Day == day {
			l.observe(&evs[i])
		}
	}
	d := l.today
	l.today, l.lastSeq = keep, keepSeq
	for i, r := range l.recent {
		if r.day == day {
			return // already known
		}
		if r.day > day {
			l.recent = slices.Insert(l.recent, i, d)
			l.trim()
			return
		}
	}
	l.recent = append(l.recent, d)
	l.trim()
}

func (l *Learner) trim() {
	if len(l.recent) > RecentDays {
		l.recent = slices.Delete(l.recent, 0, len(l.recent)-RecentDays)
	}
}

// rollTo starts day, keeping the day before among the recent ones.
func (l *Learner) rollTo(day string) {
	// A learner started before the engine's first day ("": a new store)
	// has no day to keep: kept, it would count as a recent day on which
	// nobody came, and the model would differ from a restarted one's.
	if l.today != nil && l.today.day != "" {
		l.recent = append(l.recent, l.today)
		l.trim()
	}
	l.today, l.lastSeq = newDay(day), 0
}

func (l *Learner) bucketOf(t time.Time) int {
	lt := t.In(l.office.Location())
	return min(nBuckets-1, (lt.Hour()*60+lt.Minute())/int(bucket/time.Minute))
}

// days returns today then the recent days, newest first.
func (l *Learner) days() []*dayData {
	var out []*dayData
	if l.today != nil {
		out = append(out, l.today)
	}
	for i := len(l.recent) - 1; i >= 0; i-- {
		out = append(out, l.recent[i])
	}
	return out
}

// Model returns the model for the rest of the day that contains now.
func (l *Learner) Model(now time.Time) *Model {
	if day := l.office.Day(now); l.today == nil || day > l.today.day {
		l.rollTo(day) // no event yet today: the days before are recent
	}
	m := &Model{Services: map[string]LogNormal{}, DeskOffset: map[int]float64{}, Arrivals: map[string]Rate{}}
	days := l.days()
	for _, svc := range l.office.Services {
		m.Services[svc.Letter] = l.fit(svc, days)
	}
	l.deskOffsets(m)
	var calls, noShows, cancels int
	var noShowT, waited, over time.Duration
	var overN int
	for _, d := range days {
		calls += d.calls
		noShows += d.noShows
		noShowT += d.noShowT
		cancels += d.cancels
		waited += d.waited
		for _, o := range d.overhead {
			over += o
		}
		overN += len(d.overhead)
	}
	// With nothing seen, nobody is assumed to be a no-show or to leave:
	// the projection assumes the same.
	m.NoShow = float64(noShows) / float64(calls+20)
	m.NoShowTime = 2 * time.Minute
	if noShows > 0 {
		m.NoShowTime = noShowT / time.Duration(noShows)
	}
	if overN > 0 {
		m.Overhead = over / time.Duration(overN)
	}
	m.Cancel = float64(cancels) / (waited.Minutes() + 600)
	l.arrivalRates(m, now)
	return m
}

// fit fits a lognormal to the newest service times of svc, shrunk towards
// the prior (the target time with the usual spread) by priorWeight
// samples' worth.
func (l *Learner) fit(svc queue.Service, days []*dayData) LogNormal {
	prior := FromMeanCV(svc.Target(), priorCV)
	if svc.Target() <= 0 {
		prior = FromMeanCV(5*time.Minute, priorCV)
	}
	var n int
	var sum, sum2 float64
	for _, d := range days {
		s := d.samples[svc.Letter]
		for i := len(s) - 1; i >= 0 && n < maxSamples; i-- {
			sum += s[i].log
			sum2 += s[i].log * s[i].log
			n++
		}
	}
	if n == 0 {
		prior.MuSE = prior.Sigma / math.Sqrt(priorMeanWeight)
		return prior
	}
	mean := sum / float64(n)
	ss := max(sum2-float64(n)*mean*mean, 0) // sum of squares about the mean
	w, wm := float64(priorWeight), float64(priorMeanWeight)
	mu := (wm*prior.Mu + float64(n)*mean) / (wm + float64(n))
	// The prior's spread counts as w samples' worth of squares.
	s2 := (w*prior.Sigma*prior.Sigma + ss) / (w + float64(n) - 1)
	sigma := math.Sqrt(s2)
	return LogNormal{Mu: mu, Sigma: sigma, MuSE: sigma / math.Sqrt(wm+float64(n))}
}

// deskOffsets learns each desk's pace from today's services: the mean of
// its services' logs against their services' fitted means, shrunk towards
// none by deskWeight samples.
func (l *Learner) deskOffsets(m *Model) {
	if l.today == nil {
		return
	}
	sum, n := map[int]float64{}, map[int]int{}
	for svc, ss := range l.today.samples {
		dist, ok := m.Services[svc]
		if !ok {
			continue
		}
		for _, s := range ss {
			sum[s.desk] += s.log - dist.Mu
			n[s.desk]++
		}
	}
	for d, s := range sum {
		m.DeskOffset[d] = s / float64(n[d]+deskWeight)
	}
}

// arrivalRates estimates the priority visitors still to come today per
// service and half hour: the recent days' rate at that time of day,
// scaled by how busy today has been against them so far, times the
// recent days' share of priority visitors. Today's own priority visitors
// do not move the share, so nothing public (the hall's cutoff) moves when
// one is issued. With no recent days, today's rate so far stands for the
// rest of the day.
func (l *Learner) arrivalRates(m *Model, now time.Time) {
	loc := l.office.Location()
	midnight := Midnight(now, loc)
	todayOpen := l.openMinutes(now)
	var prio, all int
	for _, d := range l.recent {
		for svc, c := range d.arrivals {
			for b := range c {
				all += c[b]
				if p := d.prio[svc]; p != nil {
					prio += p[b]
				}
			}
		}
	}
	share := (float64(prio) + shareWeight*priorShare) / (float64(all) + shareWeight)
	nowB := l.bucketOf(now)
	// rate[svc][b]: all tickets a minute, pooled over the recent days open then.
	rate := map[string]*[nBuckets]float64{}
	if len(l.recent) > 0 {
		open := [nBuckets]float64{}
		for _, d := range l.recent {
			if t, err := time.ParseInLocation(time.DateOnly, d.day, loc); err == nil {
				om := l.openMinutes(t.Add(12 * time.Hour))
				for b := range open {
					open[b] += om[b]
				}
			}
		}
		for _, d := range l.recent {
			for svc, c := range d.arrivals {
				r := rate[svc]
				if r == nil {
					r = &[nBuckets]float64{}
					rate[svc] = r
				}
				for b := range c {
					if open[b] > 0 {
						r[b] += float64(c[b]) / open[b]
					}
				}
			}
		}
		// Today so far against the recent days' rate over the same hours.
		var seen, expected float64
		for svc, r := range rate {
			for b := 0; b < nowB; b++ {
				expected += r[b] * todayOpen[b]
			}
			if c := l.today.arrivals[svc]; c != nil {
				for b := 0; b < nowB; b++ {
					seen += float64(c[b])
				}
			}
		}
		scale := (seen + 10) / (expected + 10)
		for _, r := range rate {
			for b := range r {
				r[b] *= scale
			}
		}
	} else if l.today != nil {
		var elapsed float64
		for b := 0; b < nowB; b++ {
			elapsed += todayOpen[b]
		}
		if elapsed >= 30 {
			for svc, c := range l.today.arrivals {
				var seen float64
				for b := 0; b < nowB; b++ {
					seen += float64(c[b])
				}
				r := &[nBuckets]float64{}
				for b := range r {
					r[b] = seen / elapsed
				}
				rate[svc] = r
			}
		}
	}
	for svc, r := range rate {
		per := make([]float64, nBuckets)
		for b := range per {
			per[b] = share * r[b] * todayOpen[b] / bucket.Minutes()
		}
		m.Arrivals[svc] = Rate{From: midnight, Step: bucket, PerMinute: per}
	}
}

// openMinutes is how many minutes of each half hour the office is open on
// t's day.
func (l *Learner) openMinutes(t time.Time) [nBuckets]float64 {
	var out [nBuckets]float64
	copy(out[:], OpenMinutes(l.office.OpenIntervals(t), Midnight(t, l.office.Location()), bucket))
	return out
}

// Midnight is the local midnight that starts t's day in loc: where the
// steps of a Rate start.
func Midnight(t time.Time, loc *time.Location) time.Time {
	lt := t.In(loc)
	return time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc)
}

// OpenMinutes is how many minutes of each step of a day from midnight
// fall within the intervals: what scales a Rate to the opening hours.
func OpenMinutes(ivs []queue.Interval, midnight time.Time, step time.Duration) []float64 {
	out := make([]float64, int(24*time.Hour/step))
	for _, iv := range ivs {
		for b := range out {
			from := midnight.Add(time.Duration(b) * step)
			s, e := from, from.Add(step)
			if iv.Start.After(s) {
				s = iv.Start
			}
			if iv.End.Before(e) {
				e = iv.End
			}
			if e.After(s) {
				out[b] += e.Sub(s).Minutes()
			}
		}
	}
	return out
}
