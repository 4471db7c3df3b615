package forecast

import (
	"context"
	"hash/fnv"
	"sync"
	"time"

	"langelis/priority"
	"langelis/queue"
)

// Source is the engine as the forecaster uses it.
type Source interface {
	ForecastInput(ctx context.Context) (queue.ForecastInput, error)
	SetForecast(ctx context.Context, f *queue.Forecast) error
	DayTickets(ctx context.Context) ([]queue.Ticket, uint64, error)
}

// Config configures a Forecaster.
type Config struct {
	// Every is the least time between two forecasts of different states
	// (5 s when zero): a flood of changes costs one forecast per Every.
	// Refresh is the most between two forecasts of the same state
	// (30 s when zero): time passing changes the answer too.
	Every, Refresh time.Duration
	// Pace bounds the work: after a forecast of s simulated days of n
	// tickets, the next waits at least 2·s·n/Pace seconds (the two runs),
	// so a long line is forecast less often rather than costing more CPU
	// (10,000 ticket-days a second when zero: a few ms of CPU a second).
	Pace    float64
	Options Options // the runs' bounds; Seed, Public, Services and Only are set per forecast
	// Clock is real time, on which Every, Refresh and Pace are measured:
	// they bound the machine's work, so a test that races the office
	// clock ahead does not make the forecaster run more (the system
	// clock when nil). The forecasts themselves are of the office clock's
	// now (ForecastInput.Now).
	Clock queue.Clock
	// History, when set, returns the recent days' events (before
	// today), oldest day first: read once, at the first Refresh, so that
	// a restarted server knows the days before (Start learns today).
	History func() ([][]queue.Event, error)
}

// Forecaster keeps the engine's forecast fresh: Observe hears the
// committed events, Refresh (run every few seconds of real time by its
// owner) learns from them and, when the state changed or time
// passed, runs the model and hands the answer to the engine.
type Forecaster struct {
	office *queue.Office
	cfg    Config
	src    Source

	mu      sync.Mutex
	pending []queue.Event // heard, not yet learned

	run     sync.Mutex // one Refresh or Forecast at a time
	learn   *Learner
	warm    bool
	ran     bool
	lastSeq uint64
	lastRun time.Time     // real time (Config.Clock) of the last forecast
	gap     time.Duration // the least real time to the next forecast
}

// Gap is the least time after a forecast of sims simulated days of a line
// of n tickets before the next one (Config.Every and Config.Pace).
func Gap(cfg Config, sims, n int) time.Duration {
	if cfg.Every <= 0 {
		cfg.Every = 5 * time.Second
	}
	if cfg.Pace <= 0 {
		cfg.Pace = 10000
	}
	work := 2 * float64(sims) * float64(n)
	return max(cfg.Every, time.Duration(work/cfg.Pace*float64(time.Second)))
}

// New returns a forecaster for office o; Attach gives it the engine.
func New(o *queue.Office, cfg Config) *Forecaster {
	if cfg.Every <= 0 {
		cfg.Every = 5 * time.Second
	}
	if cfg.Refresh <= 0 {
		cfg.Refresh = 30 * time.Second
	}
	if cfg.Pace <= 0 {
		cfg.Pace = 10000
	}
	if cfg.Clock == nil {
		cfg.Clock = queue.SystemClock{}
	}
	return &Forecaster{office: o, cfg: cfg, learn: NewLearner(o)}
}

// Attach sets the engine the forecaster reads and answers.
func (f *Forecaster) Attach(src Source) { f.src = src }

// maxPending bounds what Observe keeps between two Refreshes; past it the
// events are learned at once.
const maxPending = 1 << 16

// Observe hears committed events (a queue.Publisher). It only keeps them:
// the engine's goroutine calls it after every commit.
func (f *Forecaster) Observe(evs []queue.Event) {
	f.mu.Lock()
	f.pending = append(f.pending, evs...)
	flush := len(f.pending) > maxPending && f.run.TryLock()
	var todo []queue.Event
	if flush {
		todo, f.pending = f.pending, nil
	}
	f.mu.Unlock()
	if flush {
		f.learn.Observe(todo)
		f.run.Unlock()
	}
}

// absorb learns what was heard; the caller holds f.run. It first takes
// the engine's running office, which a configuration change replaces
// (queue.Engine.Reconfigure): a new service is forecast, new hours count.
func (f *Forecaster) absorb() {
	if src, ok := f.src.(interface{ Office() *queue.Office }); ok {
		if o := src.Office(); o != nil && o != f.office {
			f.office, f.learn.office = o, o
		}
	}
	if !f.warm && f.cfg.History != nil {
		f.warm = true
		if days, err := f.cfg.History(); err == nil {
			for _, evs := range days {
				f.learn.LearnDay(evs)
			}
		}
	}
	f.warm = true
	f.mu.Lock()
	todo := f.pending
	f.pending = nil
	f.mu.Unlock()
	f.learn.Observe(todo)
}

// Start learns the day so far from the engine's tickets and forecasts at
// once: a server that starts (or restarts) mid-day tells its visitors and
// its hall the ranges from the first moment, without reading the journal
// (the recent days come with the first Refresh).
func (f *Forecaster) Start(ctx context.Context) error {
	f.run.Lock()
	defer f.run.Unlock()
	ts, seq, err := f.src.DayTickets(ctx)
	if err != nil {
		return err
	}
	in, err := f.src.ForecastInput(ctx)
	if err != nil {
		return err
	}
	f.learn.LearnTickets(in.Day, ts, seq)
	f.mu.Lock()
	todo := f.pending
	f.pending = nil
	f.mu.Unlock()
	f.learn.Observe(todo) // those up to seq are skipped: the tickets told them
	fc, sims := f.forecast(in)
	f.ran, f.lastSeq, f.lastRun = true, in.Seq, f.cfg.Clock.Now()
	f.gap = Gap(f.cfg, sims, len(in.Line))
	return f.src.SetForecast(ctx, fc)
}

// Refresh forecasts the engine's state when it is due: the state changed
// and Every has passed since the last forecast, or Refresh has (both in
// real time). It reports whether it ran.
func (f *Forecaster) Refresh(ctx context.Context) (bool, error) {
	f.run.Lock()
	defer f.run.Unlock()
	f.absorb()
	in, err := f.src.ForecastInput(ctx)
	if err != nil {
		return false, err
	}
	now := f.cfg.Clock.Now()
	since := now.Sub(f.lastRun)
	if f.ran && since >= 0 && (since < f.gap || in.Seq == f.lastSeq && since < f.cfg.Refresh) {
		return false, nil
	}
	fc, sims := f.forecast(in)
	f.ran, f.lastSeq, f.lastRun = true, in.Seq, now
	f.gap = Gap(f.cfg, sims, len(in.Line))
	return true, f.src.SetForecast(ctx, fc)
}

// Forecast learns what was heard and forecasts in, without asking or
// telling the engine: the simulator's way in. With only set it forecasts
// that ticket alone, under the policy (no Count, no Preview).
func (f *Forecaster) Forecast(in queue.ForecastInput, only string) *queue.Forecast {
	f.run.Lock()
	defer f.run.Unlock()
	f.absorb()
	opt := f.cfg.Options
	opt.Only = only
	fc, _ := f.forecastWith(in, opt)
	return fc
}

func (f *Forecaster) forecast(in queue.ForecastInput) (*queue.Forecast, int) {
	return f.forecastWith(in, f.cfg.Options)
}

// forecastWith runs the model twice: under the office's policy for each
// holder's answer, and without priority information for the hall's
// cutoff and the kiosk's preview. When no waiting ticket has priority and
// no streak is running the two are the same run, made once, as the
// public one. It also returns the days the public run simulated: the
// pace of the next forecast (Gap) follows them, never the private run's,
// which only exists when someone waiting has priority; a watcher timing
// the cutoff's updates would otherwise learn that (forecast
// TestPublicForecastKnowsNoPriority).
func (f *Forecaster) forecastWith(in queue.ForecastInput, opt Options) (*queue.Forecast, int) {
	m := f.learn.Model(in.Now)
	opt.Seed = seed(in)
	for _, s := range f.office.Services {
		opt.Services = append(opt.Services, s.Letter)
	}
	if opt.Only != "" {
		r := Run(in, m, opt)
		return &queue.Forecast{Seq: in.Seq, Day: in.Day, At: in.Now, Sims: r.Sims, Tickets: r.Tickets, New: r.New}, r.Sims
	}
	pub := opt
	pub.Public = true
	// The hall's range rests on the runs' tails (the 5th and 95th
	// percentiles of a count): twice the runs, within the same budget.
	pub.MaxSims = 2 * max(opt.MaxSims, defaultMaxSims)
	public := Run(in, m, pub)
	private := public
	if !plain(in) {
		private = Run(in, m, opt)
	}
	fc := &queue.Forecast{Seq: in.Seq, Day: in.Day, At: in.Now, Sims: private.Sims, Tickets: private.Tickets,
		New: private.New, Preview: public.New, Count: public.Count}
	return fc, public.Sims
}

// plain reports whether the public run is the run under the policy: no
// ticket with priority waits and no priority streak runs.
func plain(in queue.ForecastInput) bool {
	if in.History.Streak != 0 {
		return false
	}
	for _, t := range in.Line {
		if t.Category != priority.None {
			return false
		}
	}
	return true
}

// seed makes a forecast's randomness a function of the state it
// forecasts, so the same state is always told the same.
func seed(in queue.ForecastInput) uint64 {
	h := fnv.New64a()
	h.Write([]byte(in.Day))
	var b [16]byte
	for i := range 8 {
		b[i] = byte(in.Seq >> (8 * i))
		b[8+i] = byte(in.Now.Unix() >> (8 * i))
	}
	h.Write(b[:])
	return h.Sum64()
}
