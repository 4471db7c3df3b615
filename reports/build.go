package reports

import (
	"strings"
	"time"

	"langelis/queue"
)

// Options say how Build reads a day.
type Options struct {
	// ReasonCode turns a refusal's or a pause's free text into a code; nil
	// is DefaultReasonCode. The text itself is never kept.
	ReasonCode func(text string) string
	// Estimates replays the day through the real engine to learn the call
	// time it told each ticket at issue, and the cutoff it announced (see
	// replay.go); Recent are the recent days' service times the engine
	// started the day with (store.RecentServiceTimes).
	Estimates bool
	Recent    map[string][]time.Duration
	// MaxReplays bounds the replays of a day: each costs an engine started
	// on the day so far, so a day of thousands of tickets has an evenly
	// spread sample of this many measured (DefaultMaxReplays when zero).
	MaxReplays int
}

// DefaultMaxReplays is how many tickets of a day have their estimate
// replayed at most: every ticket of an ordinary hall's day.
const DefaultMaxReplays = 400

// The reason codes a free text is reduced to.
const (
	ReasonNone  = "none"  // no reason given
	ReasonOther = "other" // a reason the office did not list
)

// KnownReasons are the refusal reasons the desk page offers, by code (the
// desk's reason.CODE texts).
var KnownReasons = []string{"intoxicated", "aggressive"}

// DefaultReasonCode is a code when text is one ("intoxicated"), else
// ReasonNone or ReasonOther.
func DefaultReasonCode(text string) string {
	text = strings.ToLower(strings.TrimSpace(text))
	if text == "" {
		return ReasonNone
	}
	for _, c := range KnownReasons {
		if text == c {
			return c
		}
	}
	return ReasonOther
}

// ticketSeen is what Build remembers of one ticket while it reads the day.
type ticketSeen struct {
	service, first string // its service now, and at issue
	issued         time.Time
	hour           int // local hour of issue
	called         bool
	callAt         time.Time // the latest call (not recall) by a desk
	desk           int
	told           time.Time // the call time told at issue (zero: unknown)
}

type deskSeen struct {
	status queue.DeskStatus
	since  time.Time
	clerk  string
	reason string
}

type builder struct {
	o      *queue.Office
	loc    *time.Location
	code   func(string) string
	day    *Day
	staff  *Staff
	ts     map[string]*ticketSeen
	desks  map[int]*deskSeen
	told   map[string]time.Time
	target map[string]int32 // target wait seconds per service
}

// Build aggregates one business day's events (oldest first) into its
// anonymous figures and its per-clerk figures. It reads no clock: the
// same events give the same figures, which is what lets a stored day be
// checked against a rebuild. Desks still open at the end count as open
// until the day's last event.
func Build(o *queue.Office, events []queue.Event, opt Options) (Day, Staff) {
	b := &builder{o: o, loc: o.Location(), code: opt.ReasonCode, ts: map[string]*ticketSeen{},
		desks: map[int]*deskSeen{}, target: map[string]int32{}}
	if b.code == nil {
		b.code = DefaultReasonCode
	}
	for _, s := range o.Services {
		b.target[s.Letter] = int32(s.TargetWait().Seconds())
	}
	day := ""
	for _, ev := range events {
		if ev.Day != "" {
			day = ev.Day
			break
		}
	}
	b.day = &Day{Version: Version, Day: day, Groups: map[string]*Figures{}}
	b.staff = &Staff{Version: Version, Day: day, Clerks: map[string]*Figures{}}
	if opt.Estimates {
		if opt.MaxReplays <= 0 {
			opt.MaxReplays = DefaultMaxReplays
		}
		b.told = toldAtIssue(o, events, opt.Recent, opt.MaxReplays)
		b.day.Cutoff = cutoffCheck(o, events, opt.Recent)
	}
	for _, ev := range events {
		b.apply(ev)
	}
	if len(events) > 0 {
		end := events[len(events)-1].At
		for n, d := range b.desks {
			b.deskUntil(n, d, end)
		}
	}
	return *b.day, *b.staff
}

// g returns the figures of a Day group, made on first use.
func (b *builder) g(key string) *Figures {
	f := b.day.Groups[key]
	if f == nil {
		f = &Figures{}
		b.day.Groups[key] = f
	}
	return f
}

// clerk returns a clerk's figures; nil for the system and kiosks.
func (b *builder) clerk(user string) *Figures {
	if user == "" || user == "system" || user == "visitor" || strings.Contains(user, ":") {
		return nil
	}
	f := b.staff.Clerks[user]
	if f == nil {
		f = &Figures{}
		b.staff.Clerks[user] = f
	}
	return f
}

// each runs fn on the figures of every group named (nil ones skipped).
func each(fn func(f *Figures), fs ...*Figures) {
	for _, f := range fs {
		if f != nil {
			fn(f)
		}
	}
}

func (b *builder) hourOf(t time.Time) int { return t.In(b.loc).Hour() }

func secs(d time.Duration) int32 { return int32(d / time.Second) }

func (b *builder) apply(ev queue.Event) {
	if ev.Desk != nil {
		b.desk(ev)
	}
	if bk := ev.Booking; bk != nil {
		groups := []*Figures{b.g(All), b.g(ServiceKey(bk.Service)), b.g(HourKey(b.hourOf(bk.Slot)))}
		switch ev.Type {
		case queue.BookingCheckedIn:
			each(func(f *Figures) { f.BookedIn++ }, groups...)
		case queue.BookingMissed:
			each(func(f *Figures) { f.BookedMissed++ }, groups...)
		}
	}
	t := ev.Ticket
	if t == nil {
		return
	}
	if ev.Type == queue.TicketIssued {
		s := &ticketSeen{service: t.Service, first: t.Service, issued: t.IssuedAt, hour: b.hourOf(t.IssuedAt)}
		if at, ok := b.told[t.ID]; ok {
			s.told = at
		}
		b.ts[t.ID] = s
		each(func(f *Figures) { f.Issued++ }, b.g(All), b.g(ServiceKey(t.Service)), b.g(HourKey(s.hour)))
		return
	}
	s := b.ts[t.ID]
	if s == nil {
		return // issued on a day whose events are not here
	}
	all, svc, hr := b.g(All), b.g(ServiceKey(s.service)), b.g(HourKey(b.hourOf(ev.At)))
	var desk *Figures
	if t.Desk != 0 {
		desk = b.g(DeskKey(t.Desk))
	}
	clerk := b.clerk(ev.Actor)
	switch ev.Type {
	case queue.TicketCalled:
		s.callAt, s.desk = ev.At, t.Desk
		if s.called {
			return
		}
		s.called = true
		wait := secs(ev.At.Sub(s.issued))
		first := b.g(ServiceKey(s.first))
		issueHour := b.g(HourKey(s.hour))
		each(func(f *Figures) {
			f.Called++
			f.SLBase++
			if wait <= b.target[s.first] {
				f.InTarget++
			}
			f.Wait = insert(f.Wait, wait)
			if !s.told.IsZero() {
				f.EstErr = insert(f.EstErr, secs(ev.At.Sub(s.told)))
			}
		}, all, first, issueHour, desk)
	case queue.TicketStarted:
		if !s.callAt.IsZero() {
			d := secs(ev.At.Sub(s.callAt))
			each(func(f *Figures) { f.CallToStart = insert(f.CallToStart, d) }, all, svc, hr, desk, clerk)
		}
	case queue.TicketFinished:
		each(func(f *Figures) {
			f.Served++
			if !t.StartedAt.IsZero() {
				f.Service = insert(f.Service, secs(t.EndedAt.Sub(t.StartedAt)))
			}
		}, all, svc, hr, desk, clerk)
	case queue.TicketNoShow:
		each(func(f *Figures) { f.NoShow++ }, all, svc, hr, desk, clerk)
	case queue.TicketRefused:
		code := b.code(t.Reason)
		each(func(f *Figures) {
			if f.Refused == nil {
				f.Refused = map[string]int{}
			}
			f.Refused[code]++
		}, all, svc, hr, desk, clerk)
	case queue.TicketMoved:
		if s.desk != 0 {
			desk = b.g(DeskKey(s.desk))
		}
		each(func(f *Figures) { f.Transferred++ }, all, svc, hr, desk, clerk)
		s.service = t.Service
	case queue.TicketRated:
		if ev.Rating == nil || ev.Rating.Face < 1 || ev.Rating.Face > queue.RatingFaces {
			return
		}
		// Only the face: the comment is free text and stays in the journal.
		i := ev.Rating.Face - 1
		each(func(f *Figures) {
			if len(f.Ratings) < queue.RatingFaces {
				f.Ratings = append(f.Ratings, make([]int, queue.RatingFaces-len(f.Ratings))...)
			}
			f.Ratings[i]++
		}, all, svc, hr, desk)
		return
	case queue.TicketCancelled, queue.TicketClosed:
		gone := func(f *Figures) {
			if ev.Type == queue.TicketCancelled {
				f.Cancelled++
			} else {
				f.Closed++
			}
		}
		each(gone, all, svc, hr)
		// Leaving uncalled after waiting past the target is a miss of the
		// service level; leaving sooner is the visitor's own choice.
		if !s.called && secs(ev.At.Sub(s.issued)) > b.target[s.first] {
			each(func(f *Figures) { f.SLBase++ }, all, b.g(ServiceKey(s.first)), b.g(HourKey(s.hour)))
		}
	}
	if ev.Type != queue.TicketCalled && ev.Type != queue.TicketRecalled && ev.Type != queue.TicketStarted {
		s.service = t.Service
	}
}

// desk follows a desk's status: the time it was open counts as capacity,
// by the hours it fell in; the time it was paused counts by reason.
func (b *builder) desk(ev queue.Event) {
	nd := ev.Desk
	d := b.desks[nd.Number]
	if d == nil {
		d = &deskSeen{status: queue.DeskClosed}
		b.desks[nd.Number] = d
	}
	b.deskUntil(nd.Number, d, ev.At)
	if ev.Type == queue.EventDeskPaused && d.status != queue.DeskPaused {
		code := b.code(nd.PauseReason)
		each(func(f *Figures) {
			if f.Pauses == nil {
				f.Pauses = map[string]Pause{}
			}
			p := f.Pauses[code]
			p.N++
			f.Pauses[code] = p
		}, b.g(All), b.g(DeskKey(nd.Number)), b.clerk(nd.Clerk))
		d.reason = code
	}
	d.status, d.since = nd.Status, ev.At
	if nd.Clerk != "" || nd.Status == queue.DeskClosed {
		d.clerk = nd.Clerk
	}
}

// deskUntil counts desk n's time from its last change to at.
func (b *builder) deskUntil(n int, d *deskSeen, at time.Time) {
	if d.since.IsZero() || !at.After(d.since) {
		d.since = at
		return
	}
	switch d.status {
	case queue.DeskOpen:
		// Split the open time by the local hours it covers.
		for from := d.since; from.Before(at); {
			lt := from.In(b.loc)
			next := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour()+1, 0, 0, 0, b.loc)
			to := next
			if at.Before(to) {
				to = at
			}
			sec := int(secs(to.Sub(from)))
			each(func(f *Figures) { f.OpenSeconds += sec }, b.g(All), b.g(DeskKey(n)), b.g(HourKey(lt.Hour())), b.clerk(d.clerk))
			from = to
		}
	case queue.DeskPaused:
		sec := int(secs(at.Sub(d.since)))
		each(func(f *Figures) {
			if f.Pauses == nil {
				f.Pauses = map[string]Pause{}
			}
			p := f.Pauses[d.reason]
			p.Seconds += sec
			f.Pauses[d.reason] = p
		}, b.g(All), b.g(DeskKey(n)), b.clerk(d.clerk))
	}
	d.since = at
}

// insert puts v into sorted xs.
func insert(xs []int32, v int32) []int32 {
	i := len(xs)
	for i > 0 && xs[i-1] > v {
		i--
	}
	xs = append(xs, 0)
	copy(xs[i+1:], xs[i:])
	xs[i] = v
	return xs
}
