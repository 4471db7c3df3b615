// Package sim simulates office days to measure a call-order policy.
//
// It is a discrete-event simulation that drives the real queue.Engine (and
// so the real priority policy and the real projection) through its public
// methods, with a queue.ManualClock that jumps from event to event and an
// in-memory journal. Nothing of the engine's logic is copied here: the
// simulator only decides when visitors arrive and how long their matters
// take, and reads what the engine did.
package sim

import (
	"container/heap"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand"
	"sort"
	"time"

	"langelis/forecast"
	"langelis/priority"
	"langelis/queue"
)

// Config is one simulation: an office, its visitors and how many days.
type Config struct {
	Office *queue.Office // desks, services, hours and the priority policy
	// Start is a time on the first simulated day; days without opening
	// hours are skipped. Zero: Monday 2026-11-23.
	Start time.Time
	Days  int
	Seed  int64
	// PerDay is the expected number of tickets per day for each service
	// letter. Zero or missing: DefaultPerDay.
	PerDay map[string]float64
	// Profile is the relative arrival rate at a local clock hour (8.5 is
	// 08:30). Nil: DailyProfile. Flat: arrivals at a constant rate.
	Profile func(hour float64) float64
	// PriorityShare is the share of visitors in one of the four groups;
	// they split among the groups as GroupShares says.
	PriorityShare float64
	// ServiceMean is the mean service time per service letter. Missing:
	// the service's target time.
	ServiceMean map[string]time.Duration
	// ServiceCV is the coefficient of variation of the lognormal service
	// time (standard deviation over mean). Zero: 0.8.
	ServiceCV float64
	// Exponential draws service times from the exponential distribution
	// instead, for the check against queueing theory.
	Exponential bool
	// Drain lets desks keep calling after closing until nobody waits, and
	// WarmUp leaves out tickets issued this soon after opening: both only
	// for the check against steady-state theory. A real office does neither.
	Drain  bool
	WarmUp time.Duration
	// MeasureW is the W that Stats.OvertakenBeyondW is measured against;
	// zero: the office's max_wait_minutes.
	MeasureW time.Duration
	// Estimates measures the engine's estimated call times and end-of-day
	// cutoff against what happened. It costs one projection per ticket.
	Estimates bool
	// Forecast measures the forward model (package forecast, learning
	// from the simulated days as a server would) and the oracle (the same
	// model with the simulation's true distributions and arrival rates)
	// at every issue and at the first announcement; it implies
	// Estimates. OracleSims is the oracle's simulated days per forecast
	// (400 when zero).
	Forecast   bool
	OracleSims int
	// Bookings, when set, has a share of the visitors of the bookable
	// services book a time (booking.go).
	Bookings *Bookings
}

// DefaultPerDay is the demo office's daily demand: about two thirds of its
// five desks' capacity over the day, more than all of it at the peaks.
var DefaultPerDay = map[string]float64{"A": 110, "B": 50, "C": 25, "D": 80}

// GroupShares splits the priority visitors among the four groups: mostly
// elderly clients, as in any municipal hall.
var GroupShares = map[priority.Category]float64{
	priority.Elderly: 0.5, priority.Disability: 0.2, priority.Child: 0.2, priority.Pregnant: 0.1,
}

// DailyProfile is a service hall's day: a morning peak around 10:00, a
// dip at lunch, a second peak after lunch around 14:00, and a quiet
// evening.
func DailyProfile(h float64) float64 {
	g := func(mu, sd float64) float64 { return math.Exp(-(h - mu) * (h - mu) / (2 * sd * sd)) }
	return 0.25 + 1.0*g(10, 1.2) + 0.8*g(14, 1.3) - 0.15*g(12.5, 0.4)
}

// Flat is a constant arrival rate.
func Flat(float64) float64 { return 1 }

// Rows lists the categories a Result reports, in order: each group, then
// all priority visitors together, then everyone.
var Rows = []string{"regular", "child", "pregnant", "disability", "elderly", "priority", "all"}

// Stats are one category's figures over all simulated days. Waits are in
// minutes from issue to call.
type Stats struct {
	Category      string  `json:"category"`
	Issued        int     `json:"issued"`
	Served        int     `json:"served"` // called before closing
	Unserved      int     `json:"unserved_at_closing"`
	MeanWait      float64 `json:"mean_wait_min"`
	MedianWait    float64 `json:"median_wait_min"`
	P90Wait       float64 `json:"p90_wait_min"`
	MaxWait       float64 `json:"max_wait_min"`
	OvertakenMean float64 `json:"overtaken_mean"` // tickets of the same service issued later but called earlier
	OvertakenMax  int     `json:"overtaken_max"`
	// OvertakenBeyondW is the longest time, in minutes, that a ticket was
	// still being overtaken after it had waited W (the office's
	// max_wait_minutes, whatever the policy): how far past W a later
	// ticket of its service was called while it still waited.
	OvertakenBeyondW float64 `json:"overtaken_beyond_w_max_min"`
}

// DayEnd compares one day's end-of-day cutoff with what happened: the
// count announced (Cutoff.Count) against how many of the tickets waiting
// at that moment were called before closing.
type DayEnd struct {
	Day            string `json:"day"`
	FirstAt        string `json:"first_at"` // local time of the first announcement
	FirstAnnounced int    `json:"first_announced"`
	FirstServed    int    `json:"first_served"`
	FinalAnnounced int    `json:"final_announced"` // the last projection, one minute before closing
	FinalServed    int    `json:"final_served"`
	UnservedAt     int    `json:"unserved_at_closing"`
	// FirstRange and OracleRange are the forward model's and the oracle's
	// 90 % ranges for FirstServed, at the first announcement (with
	// Config.Forecast).
	FirstRange  *[2]int `json:"first_range,omitempty"`
	OracleRange *[2]int `json:"oracle_range,omitempty"`
}

// Accuracy is how far the estimated call time given at issue was from the
// actual call, in minutes, over served tickets.
type Accuracy struct {
	N   int     `json:"n"`
	MAE float64 `json:"mae_min"`
	P90 float64 `json:"p90_abs_error_min"`
	// Bias is the mean of actual minus estimated call time: positive when
	// visitors are called later than they were told.
	Bias float64 `json:"bias_min"`
	// Cutoff errors: announced minus actually served, mean absolute, at
	// the first announcement and one minute before closing.
	CutoffFirstMAE float64 `json:"cutoff_first_mae"`
	CutoffFinalMAE float64 `json:"cutoff_final_mae"`
}

// Result is what a simulation measured.
type Result struct {
	Policy   string     `json:"policy"`
	Settings Settings   `json:"settings"`
	Days     int        `json:"days"`
	Seed     int64      `json:"seed"`
	Stats    []Stats    `json:"categories"`
	EndOfDay []DayEnd   `json:"end_of_day,omitempty"`
	Estimate *Accuracy  `json:"estimates,omitempty"`
	Forecast *Forecasts `json:"forecasts,omitempty"`
	// Booking is what happened to the booked visitors (Config.Bookings).
	Booking *BookingStats `json:"bookings,omitempty"`
}

// Settings are the policy settings a result was measured with.
type Settings struct {
	MaxStreak      int     `json:"max_streak,omitempty"`
	MaxWaitMinutes float64 `json:"max_wait_minutes,omitempty"`
	HeadStartMin   float64 `json:"head_start_minutes,omitempty"`
	Ratio          int     `json:"ratio,omitempty"`
	AgingFactor    float64 `json:"aging_factor,omitempty"`
}

// Row returns the stats of a category row, by its name in Rows.
func (r Result) Row(name string) Stats {
	for _, s := range r.Stats {
		if s.Category == name {
			return s
		}
	}
	return Stats{Category: name}
}

// ticket is what the simulator saw of one ticket.
type ticket struct {
	id       string
	service  string
	cat      priority.Category
	issued   time.Time
	order    int
	called   time.Time
	callSeq  int // position in the day's call sequence; 0 = never called
	estimate time.Time
	counted  bool                // issued after the warm-up
	takes    time.Duration       // how long the visitor's matter will take at the desk
	fc, or   *queue.CallForecast // the forward model's and the oracle's forecasts at issue
	booked   *booker             // a visitor who booked (booking.go); issued is then their arrival
}

// Run simulates the days and measures them.
func Run(ctx context.Context, c Config) (Result, error) {
	if c.Office == nil {
		return Result{}, fmt.Errorf("sim: no office")
	}
	if c.Days <= 0 {
		c.Days = 1
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2026, 11, 23, 12, 0, 0, 0, c.Office.Location())
	}
	if c.Profile == nil {
		c.Profile = DailyProfile
	}
	if c.ServiceCV == 0 {
		c.ServiceCV = 0.8
	}
	if c.Forecast {
		c.Estimates = true
		if c.OracleSims <= 0 {
			c.OracleSims = 400
		}
	}
	pol, err := priority.New(c.Office.PrioritySettings())
	if err != nil {
		return Result{}, fmt.Errorf("sim: %w", err)
	}
	ps := c.Office.Priority
	res := Result{Policy: pol.Name(), Days: c.Days, Seed: c.Seed}
	switch pol.Name() {
	case "default":
		res.Settings = Settings{MaxStreak: ps.MaxStreak, MaxWaitMinutes: ps.MaxWaitMinutes, HeadStartMin: ps.HeadStartMinutes}
	case "ratio":
		res.Settings = Settings{Ratio: ps.Ratio}
	case "aging":
		res.Settings = Settings{AgingFactor: ps.AgingFactor}
	}
	rng := rand.New(rand.NewSource(c.Seed))
	var fc *forecast.Forecaster
	if c.Forecast {
		// One forecaster for all the days, as one server process: it
		// learns each day from the events and carries the recent days.
		fc = forecast.New(c.Office, forecast.Config{})
	}
	var all []*ticket
	var past []map[string][]time.Duration // the last queue.RecentDays days' service times, oldest first
	day := c.Start
	for done := 0; done < c.Days; day = day.AddDate(0, 0, 1) {
		ivs := c.Office.OpenIntervals(day)
		if len(ivs) == 0 {
			continue
		}
		// Each day gets its own stream, so a change on one day does not
		// shift every later day's visitors.
		dayRng := rand.New(rand.NewSource(rng.Int63()))
		// The engine starts each morning from the recent days' service
		// times, as the server does (langelis serve reads them from the
		// store); the first simulated day starts from the targets.
		recent := map[string][]time.Duration{}
		for _, m := range past {
			for svc, ds := range m {
				recent[svc] = append(recent[svc], ds...)
			}
		}
		j := &memJournal{}
		ts, de, err := runDay(ctx, c, ivs, dayRng, j, recent, fc)
		if err != nil {
			return Result{}, err
		}
		if past = append(past, queue.ServiceTimes(j.events)); len(past) > queue.RecentDays {
			past = past[1:]
		}
		all = append(all, ts...)
		if de != nil {
			res.EndOfDay = append(res.EndOfDay, *de)
		}
		done++
	}
	w := c.MeasureW
	if w == 0 {
		w = time.Duration(ps.MaxWaitMinutes * float64(time.Minute))
	}
	res.Stats = summarise(all, w)
	if c.Estimates {
		res.Estimate = accuracy(all, res.EndOfDay)
	}
	if c.Forecast {
		res.Forecast = forecastAccuracy(all, res.EndOfDay)
	}
	if c.Bookings != nil {
		res.Booking = bookingStats(all)
	}
	return res, nil
}

// memJournal is an in-memory queue.Journal: a simulator is not a
// durability test, and an fsync per event would make a year of days slow.
// It keeps one day's events, from which the next morning learns.
type memJournal struct{ events []queue.Event }

func (j *memJournal) Append(evs []queue.Event) error {
	j.events = append(j.events, evs...)
	return nil
}

func (j *memJournal) Recover() ([]queue.Event, uint64, error) { return nil, 0, nil }

// Bookings implements queue.BookingJournal: each simulated day starts a
// fresh engine, and its bookings are made that day, so there is nothing
// to read back.
func (j *memJournal) Bookings() ([]queue.Booking, []queue.SlotClosure, error) { return nil, nil, nil }

// The kinds of simulated events, in the order they run at the same instant:
// a desk finishes before a visitor arrives, and the cutoff is observed
// after both.
const (
	evFinish = iota
	evArrive
	evObserve
)

type event struct {
	at   time.Time
	kind int
	seq  int
	desk int      // evFinish
	t    *ticket  // evArrive
	obs  *observe // evObserve
}

type observe struct {
	final     bool
	announced int
	waiting   []string
	at        time.Time
	rng, orng *[2]int // the forward model's and the oracle's count ranges
}

type events []*event

func (h events) Len() int { return len(h) }
func (h events) Less(i, j int) bool {
	a, b := h[i], h[j]
	if !a.at.Equal(b.at) {
		return a.at.Before(b.at)
	}
	if a.kind != b.kind {
		return a.kind < b.kind
	}
	return a.seq < b.seq
}
func (h events) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *events) Push(x any)   { *h = append(*h, x.(*event)) }
func (h *events) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// arrivals draws one day's visitors: for each service a Poisson process
// whose rate follows the profile, by thinning (Lewis and Shedler).
func arrivals(c Config, ivs []queue.Interval, rng *rand.Rand) []*ticket {
	loc := c.Office.Location()
	hour := func(t time.Time) float64 { return hourOf(t, loc) }
	// The profile's integral and peak over the open minutes, to scale it
	// to the day's expected count.
	area, peak := profileArea(c, ivs)
	var out []*ticket
	if area == 0 {
		return out
	}
	for _, svc := range c.Office.Services {
		perDay := perDayOf(c, svc.Letter)
		if perDay <= 0 {
			continue
		}
		scale := perDay / area // tickets per minute per unit of profile
		max := peak * scale * 1.0001
		for _, iv := range ivs {
			t := iv.Start
			for {
				t = t.Add(time.Duration(rng.ExpFloat64() / max * float64(time.Minute)))
				if !t.Before(iv.End) {
					break
				}
				if rng.Float64()*max > c.Profile(hour(t))*scale {
					continue
				}
				// The matter's length is drawn with the visitor, not at
				// the call, so that every policy compared on a seed
				// serves the very same visitors (common random numbers).
				out = append(out, &ticket{service: svc.Letter, cat: category(c.PriorityShare, rng),
					issued: t.Truncate(time.Second), takes: serviceTime(c, svc, rng)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].issued.Before(out[j].issued) })
	return out
}

func category(share float64, rng *rand.Rand) priority.Category {
	if rng.Float64() >= share {
		return priority.None
	}
	u := rng.Float64()
	for _, g := range priority.Categories {
		u -= GroupShares[g]
		if u < 0 {
			return g
		}
	}
	return priority.Elderly
}

// serviceTime draws how long a matter takes: lognormal with the given mean
// and coefficient of variation (Brown et al., JASA 2005), or exponential.
func serviceTime(c Config, svc queue.Service, rng *rand.Rand) time.Duration {
	mean := c.ServiceMean[svc.Letter]
	if mean == 0 {
		mean = svc.Target()
	}
	if c.Exponential {
		return time.Duration(rng.ExpFloat64() * float64(mean))
	}
	s2 := math.Log(1 + c.ServiceCV*c.ServiceCV)
	mu := math.Log(float64(mean)) - s2/2
	return time.Duration(math.Exp(mu + math.Sqrt(s2)*rng.NormFloat64()))
}

// runDay simulates one business day on a fresh engine.
func runDay(ctx context.Context, c Config, ivs []queue.Interval, rng *rand.Rand, j *memJournal,
	recent map[string][]time.Duration, fc *forecast.Forecaster) ([]*ticket, *DayEnd, error) {
	opening, closing := ivs[0].Start, ivs[len(ivs)-1].End
	clk := queue.NewManualClock(opening)
	opt := queue.Options{Clock: clk, Recent: recent, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var oracle *oracle
	if fc != nil {
		opt.Observe = fc.Observe
		oracle = newOracle(c, ivs)
	}
	eng, err := queue.NewEngine(c.Office, j, opt)
	if err != nil {
		return nil, nil, fmt.Errorf("sim: %w", err)
	}
	defer eng.Close()

	arr := arrivals(c, ivs, rng)
	if err := book(ctx, c, eng, clk, opening, arr, rng); err != nil {
		return nil, nil, err
	}
	var bookers []*ticket // they count whether or not they come
	kept := arr[:0]
	for _, t := range arr {
		if t.booked != nil {
			if t.issued.Before(opening) {
				t.issued = opening // the hall's door opens at opening
			}
			if t.booked.noShow {
				bookers = append(bookers, t)
				continue
			}
		}
		kept = append(kept, t)
	}
	arr = kept
	sort.SliceStable(arr, func(i, j int) bool { return arr[i].issued.Before(arr[j].issued) })
	h := &events{}
	seq := 0
	push := func(e *event) {
		seq++
		e.seq = seq
		heap.Push(h, e)
	}
	for _, t := range arr {
		push(&event{at: t.issued, kind: evArrive, t: t})
	}
	var first, final *observe
	if c.Estimates && !c.Drain {
		first = &observe{at: closing.Add(-time.Duration(c.Office.NoticeMinutes) * time.Minute)}
		final = &observe{at: closing.Add(-time.Minute), final: true}
		push(&event{at: first.at, kind: evObserve, obs: first})
		push(&event{at: final.at, kind: evObserve, obs: final})
	}

	actor := func(n int) queue.Actor { return queue.Actor{User: fmt.Sprint("sim", n), Name: fmt.Sprint("Desk ", n)} }
	desks := make([]int, 0, len(c.Office.Desks))
	for _, d := range c.Office.Desks {
		if _, err := eng.OpenDesk(ctx, d.Number, actor(d.Number)); err != nil {
			return nil, nil, fmt.Errorf("sim: open desk %d: %w", d.Number, err)
		}
		desks = append(desks, d.Number)
	}
	sort.Ints(desks)
	busy := map[int]bool{}
	byID := map[string]*ticket{}
	var issued []*ticket
	calls := 0

	call := func(n int, now time.Time) error {
		if !c.Drain && !now.Before(closing) {
			return nil // the clerk finishes the client admitted and calls nobody new
		}
		r, err := eng.Next(ctx, n, actor(n))
		if err != nil {
			return fmt.Errorf("sim: desk %d next: %w", n, err)
		}
		if r.Ticket == nil {
			return nil
		}
		t := byID[r.Ticket.ID]
		calls++
		t.called, t.callSeq = r.Ticket.CalledAt, calls
		if _, err := eng.Start(ctx, n, actor(n)); err != nil {
			return fmt.Errorf("sim: desk %d start: %w", n, err)
		}
		busy[n] = true
		push(&event{at: now.Add(t.takes), kind: evFinish, desk: n})
		return nil
	}
	callIdle := func(now time.Time) error {
		for _, n := range desks {
			if !busy[n] {
				if err := call(n, now); err != nil {
					return err
				}
			}
		}
		return nil
	}

	for h.Len() > 0 {
		e := heap.Pop(h).(*event)
		clk.Set(e.at)
		switch e.kind {
		case evFinish:
			if _, err := eng.Finish(ctx, e.desk, actor(e.desk)); err != nil {
				return nil, nil, fmt.Errorf("sim: desk %d finish: %w", e.desk, err)
			}
			busy[e.desk] = false
			if err := call(e.desk, e.at); err != nil {
				return nil, nil, err
			}
		case evArrive:
			req := queue.IssueRequest{Service: e.t.service, Category: e.t.cat, Channel: queue.ChannelKiosk}
			var pl queue.Placed // the kiosk's answer, with the estimated call time
			var err error
			if e.t.booked != nil {
				var again time.Time
				pl.Ticket, again, err = checkIn(ctx, eng, e.t, e.at)
				if err != nil {
					return nil, nil, err
				}
				if !again.IsZero() {
					push(&event{at: again, kind: evArrive, t: e.t}) // too early: at the window's start
					continue
				}
				e.t.issued = e.at
			} else if c.Estimates {
				pl, err = eng.IssuePlaced(ctx, req, queue.Actor{User: "kiosk:sim"})
			} else {
				pl.Ticket, err = eng.Issue(ctx, req, queue.Actor{User: "kiosk:sim"})
			}
			if err != nil {
				return nil, nil, fmt.Errorf("sim: issue: %w", err)
			}
			qt := pl.Ticket
			e.t.id, e.t.order = qt.ID, len(issued)
			// The rows are the walk-ins' (and the late bookers'): a booked
			// visitor's wait is measured from their slot (Result.Booking).
			e.t.counted = !e.t.issued.Before(opening.Add(c.WarmUp)) && (e.t.booked == nil || !e.t.booked.in)
			byID[qt.ID] = e.t
			issued = append(issued, e.t)
			if c.Estimates && pl.Place != nil {
				e.t.estimate = pl.Place.CallAt
			}
			if fc != nil {
				if err := forecastTicket(ctx, eng, fc, oracle, e.t); err != nil {
					return nil, nil, err
				}
			}
			if err := callIdle(e.at); err != nil {
				return nil, nil, err
			}
		case evObserve:
			snap, err := eng.Snapshot(ctx)
			if err != nil {
				return nil, nil, fmt.Errorf("sim: snapshot: %w", err)
			}
			if snap.Cutoff != nil {
				e.obs.announced = snap.Cutoff.Count
			}
			for _, t := range snap.Tickets {
				if t.Status == queue.Waiting {
					e.obs.waiting = append(e.obs.waiting, t.ID)
				}
			}
			if fc != nil && !e.obs.final {
				if e.obs.rng, e.obs.orng, err = forecastCount(ctx, eng, fc, oracle); err != nil {
					return nil, nil, err
				}
			}
		}
	}
	// The bookers who never came, after the day's tickets (their order
	// continues the day's, so overtakes still finds the day's end).
	for _, t := range bookers {
		t.order = len(issued) + 1
	}
	if first == nil {
		return append(issued, bookers...), nil, nil
	}
	servedOf := func(o *observe) int {
		n := 0
		for _, id := range o.waiting {
			if t := byID[id]; t.callSeq > 0 && t.called.Before(closing) {
				n++
			}
		}
		return n
	}
	de := &DayEnd{Day: c.Office.Day(opening), FirstAt: first.at.In(c.Office.Location()).Format("15:04"),
		FirstAnnounced: first.announced, FirstServed: servedOf(first),
		FinalAnnounced: final.announced, FinalServed: servedOf(final), FirstRange: first.rng, OracleRange: first.orng}
	for _, t := range issued {
		if t.callSeq == 0 {
			de.UnservedAt++
		}
	}
	return append(issued, bookers...), de, nil
}

func rowOf(c priority.Category) string {
	if c == priority.None {
		return "regular"
	}
	return string(c)
}

// summarise computes each row's figures; w is the office's W.
func summarise(all []*ticket, w time.Duration) []Stats {
	overtaken, lastOvertake := overtakes(all)
	waits := map[string][]float64{}
	over := map[string][]int{}
	out := make([]Stats, len(Rows))
	idx := map[string]int{}
	for i, r := range Rows {
		out[i].Category = r
		idx[r] = i
	}
	for i, t := range all {
		if !t.counted {
			continue
		}
		rows := []string{rowOf(t.cat), "all"}
		if t.cat.IsPriority() {
			rows = append(rows, "priority")
		}
		for _, r := range rows {
			s := &out[idx[r]]
			s.Issued++
			over[r] = append(over[r], overtaken[i])
			if l := lastOvertake[i]; !l.IsZero() {
				s.OvertakenBeyondW = max(s.OvertakenBeyondW, round(l.Sub(t.issued.Add(w)).Minutes()))
			}
			if t.callSeq == 0 {
				s.Unserved++
				continue
			}
			s.Served++
			waits[r] = append(waits[r], t.called.Sub(t.issued).Minutes())
		}
	}
	for i := range out {
		s := &out[i]
		w := waits[s.Category]
		sort.Float64s(w)
		s.MeanWait = round(mean(w))
		s.MedianWait = round(percentile(w, 0.5))
		s.P90Wait = round(percentile(w, 0.9))
		if len(w) > 0 {
			s.MaxWait = round(w[len(w)-1])
		}
		sum := 0
		for _, o := range over[s.Category] {
			sum += o
			if o > s.OvertakenMax {
				s.OvertakenMax = o
			}
		}
		if len(over[s.Category]) > 0 {
			s.OvertakenMean = round(float64(sum) / float64(len(over[s.Category])))
		}
	}
	return out
}

// overtakes counts, for each ticket, the tickets of the same service and
// day issued after it but called before it (an unserved ticket is
// overtaken by every later ticket that was called), and the time of the
// last such call.
func overtakes(all []*ticket) ([]int, []time.Time) {
	out := make([]int, len(all))
	last := make([]time.Time, len(all))
	// Tickets of one day are contiguous in all, with order restarting at 0.
	start := 0
	for start < len(all) {
		end := start + 1
		for end < len(all) && all[end].order != 0 {
			end++
		}
		for i := start; i < end; i++ {
			a := all[i]
			for j := i + 1; j < end; j++ {
				b := all[j]
				if b.service == a.service && b.callSeq > 0 && (a.callSeq == 0 || b.callSeq < a.callSeq) {
					out[i]++
					if b.called.After(last[i]) {
						last[i] = b.called
					}
				}
			}
		}
		start = end
	}
	return out, last
}

func accuracy(all []*ticket, eod []DayEnd) *Accuracy {
	var errs, signed []float64
	for _, t := range all {
		if t.callSeq == 0 || t.estimate.IsZero() {
			continue
		}
		d := t.called.Sub(t.estimate).Minutes()
		signed = append(signed, d)
		errs = append(errs, math.Abs(d))
	}
	sort.Float64s(errs)
	a := &Accuracy{N: len(errs), MAE: round(mean(errs)), P90: round(percentile(errs, 0.9)), Bias: round(mean(signed))}
	var f, l float64
	for _, d := range eod {
		f += math.Abs(float64(d.FirstAnnounced - d.FirstServed))
		l += math.Abs(float64(d.FinalAnnounced - d.FinalServed))
	}
	if len(eod) > 0 {
		a.CutoffFirstMAE = round(f / float64(len(eod)))
		a.CutoffFinalMAE = round(l / float64(len(eod)))
	}
	return a
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// percentile is the nearest-rank percentile of sorted xs.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	if i < 0 {
		i = 0
	}
	return sorted[i]
}

func round(x float64) float64 { return math.Round(x*100) / 100 }
