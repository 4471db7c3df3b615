package queue

import (
	"slices"
	"time"

	"langelis/priority"
)

// The forward projection asks the policy for one call per waiting ticket.
// Asking it over the whole waiting list each time made the projection
// quadratic; instead the waiting tickets are kept in lines (per service,
// priority apart from regular, and per desk a ticket was sent to), each in
// line order, and the policy reads the heads of its desk's lines
// (priority.Lines). Every call then costs a few head comparisons and a
// desk-heap step: O(n log desks) for n waiting tickets.

// projTicket is a waiting ticket in the forward run.
type projTicket struct {
	c     priority.Candidate
	t     *Ticket
	taken bool // called in the forward run
	est   Estimate
	// promised is a booking not yet checked in (t is nil): capacity the
	// run keeps free, left out of its answer.
	promised bool
}

// fifo is one line: tickets in line order, called from the head.
type fifo struct {
	items   []*projTicket
	head    int
	regular int // regular tickets still in it
}

func (f *fifo) clear() {
	clear(f.items) // let the tickets go
	*f = fifo{items: f.items[:0]}
}

func (f *fifo) push(p *projTicket) {
	f.items = append(f.items, p)
	if !p.c.Category.IsPriority() {
		f.regular++
	}
}

func (f *fifo) peek() (priority.Candidate, bool) {
	if p := f.first(); p != nil {
		return p.c, true
	}
	return priority.Candidate{}, false
}

// first is the head, or nil.
func (f *fifo) first() *projTicket {
	if f == nil || f.head == len(f.items) {
		return nil
	}
	return f.items[f.head]
}

// pop takes the head, which must be id: every policy calls the oldest
// ticket of some line.
func (f *fifo) pop(id string) *projTicket {
	p := f.items[f.head]
	if p.c.ID != id {
		panic("queue: the policy called " + id + ", not the head of its line " + p.c.ID)
	}
	f.head++
	if !p.c.Category.IsPriority() {
		f.regular--
	}
	return p
}

// svcLines are one service's lines of tickets sent to no desk: regular,
// priority, and the checked-in booked ones in due order (one service's
// booked tickets share a lead, so in slot order).
type svcLines struct{ reg, pri, bkd fifo }

// deskLines are the lines a desk may call from.
type deskLines struct {
	sent *fifo       // tickets sent to this desk
	svcs []*svcLines // its services' lines
	// oldest remembers Oldest's answers (regular, priority) until the
	// next call takes a ticket: a policy asks the same twice in one pick.
	oldest [2]struct {
		taken int         // lineIndex.taken when remembered, plus one
		p     *projTicket // nil: none
	}
}

// lineIndex answers priority.Lines from the lines.
type lineIndex struct {
	n     int // tickets put in
	svc   map[string]*svcLines
	sent  map[int]*fifo
	desks map[int]*deskLines
	last  *deskLines // the desk asked about last: a pick asks about one desk several times
	lastN int
	taken int // tickets taken so far
	// calledBy counts the run's calls per desk, and calledFor per service
	// the calls made by desks serving it: a ticket's "ahead" is what the
	// desks able to serve it call before it (aheadOf).
	calledBy  map[int]int
	calledFor map[string]int
}

// reset empties the lines (keeping their storage) and puts pts, in line
// order, into them.
func (x *lineIndex) reset(pts []*projTicket) *lineIndex {
	if x.svc == nil {
		x.svc, x.sent, x.desks = map[string]*svcLines{}, map[int]*fifo{}, map[int]*deskLines{}
		x.calledBy, x.calledFor = map[int]int{}, map[string]int{}
	}
	clear(x.calledBy)
	clear(x.calledFor)
	for _, s := range x.svc {
		s.reg.clear()
		s.pri.clear()
		s.bkd.clear()
	}
	for _, f := range x.sent {
		f.clear()
	}
	clear(x.desks)
	x.n, x.last, x.taken = len(pts), nil, 0
	booked := false
	for _, p := range pts {
		x.line(p.c).push(p)
		booked = booked || p.c.IsBooked()
	}
	if booked {
		for _, s := range x.svc {
			slices.SortStableFunc(s.bkd.items, func(a, b *projTicket) int {
				if a.c.DueBefore(b.c) {
					return -1
				}
				if b.c.DueBefore(a.c) {
					return 1
				}
				return 0
			})
		}
	}
	return x
}

// runBuffers are a forward run's buffers, kept from run to run.
type runBuffers struct {
	pts   []projTicket
	line  []*projTicket
	order []*projTicket
	lines lineIndex
}

// line is the line c waits in.
func (x *lineIndex) line(c priority.Candidate) *fifo {
	if c.TargetDesk != 0 {
		f := x.sent[c.TargetDesk]
		if f == nil {
			f = &fifo{}
			x.sent[c.TargetDesk] = f
		}
		return f
	}
	s := x.svc[c.Service]
	if s == nil {
		s = &svcLines{}
		x.svc[c.Service] = s
	}
	if c.IsBooked() {
		return &s.bkd
	}
	if c.Category.IsPriority() {
		return &s.pri
	}
	return &s.reg
}

// Booked implements priority.Lines.
func (x *lineIndex) Booked(d priority.Desk) (priority.Candidate, bool) {
	var best *projTicket
	for _, s := range x.desk(d).svcs {
		if p := s.bkd.first(); p != nil && (best == nil || p.c.DueBefore(best.c)) {
			best = p
		}
	}
	if best == nil {
		return priority.Candidate{}, false
	}
	return best.c, true
}

func (x *lineIndex) desk(d priority.Desk) *deskLines {
	if x.last != nil && x.lastN == d.Number {
		return x.last
	}
	dl := x.desks[d.Number]
	if dl == nil {
		dl = &deskLines{sent: x.sent[d.Number]}
		for _, s := range d.Services {
			if sl := x.svc[s]; sl != nil {
				dl.svcs = append(dl.svcs, sl)
			}
		}
		x.desks[d.Number] = dl
	}
	x.last, x.lastN = dl, d.Number
	return dl
}

// Targeted implements priority.Lines.
func (x *lineIndex) Targeted(d priority.Desk) (priority.Candidate, bool) {
	if d.Number == 0 {
		return priority.Candidate{}, false
	}
	return x.desk(d).sent.peek()
}

// Oldest implements priority.Lines.
func (x *lineIndex) Oldest(d priority.Desk, prio bool) (priority.Candidate, bool) {
	dl := x.desk(d)
	i := 0
	if prio {
		i = 1
	}
	m := &dl.oldest[i]
	if m.taken != x.taken+1 {
		var best *projTicket
		for _, s := range dl.svcs {
			f := &s.reg
			if prio {
				f = &s.pri
			}
			if p := f.first(); p != nil && (best == nil || p.c.Before(best.c)) {
				best = p
			}
		}
		m.taken, m.p = x.taken+1, best
	}
	if m.p == nil {
		return priority.Candidate{}, false
	}
	return m.p.c, true
}

// RegularWaits implements priority.Lines.
func (x *lineIndex) RegularWaits(d priority.Desk) bool {
	dl := x.desk(d)
	if dl.sent != nil && dl.sent.regular > 0 {
		return true
	}
	for _, s := range dl.svcs {
		if s.reg.regular > 0 {
			return true
		}
	}
	return false
}

// aheadOf is how many tickets the run has so far seen called by the desks
// able to serve c: the desk it was sent to, else every desk serving its
// service. Tickets other desks call are not in c's way, however early.
func (x *lineIndex) aheadOf(c priority.Candidate) int {
	if c.TargetDesk != 0 {
		return x.calledBy[c.TargetDesk]
	}
	return x.calledFor[c.Service]
}

// called counts a call by desk d for aheadOf.
func (x *lineIndex) called(d *Desk) {
	x.calledBy[d.Number]++
	for _, s := range d.Services {
		x.calledFor[s]++
	}
}

// take removes c, just called, from its line.
func (x *lineIndex) take(c priority.Candidate) *projTicket {
	p := x.line(c).pop(c.ID)
	p.taken = true
	x.taken++
	return p
}

// slot is one desk in the forward run: when it is next free to call, and
// the moment after which it calls no more today.
type slot struct {
	d    *Desk
	pd   priority.Desk
	dl   *deskLines // its lines, once the run has them
	free time.Time
	end  time.Time
	key  int64 // free, in Unix nanoseconds, for the heap
	tie  int   // among desks free at the same time, the lower goes first
}

// slotHeap orders the desks by when they are free. Among desks free at
// the same instant the one that called last goes first, then the others in
// desk order: the order the projection has always used (a stable sort of
// the desks by free time after each call), kept so estimates do not move.
// It is a plain binary heap on the slice, typed, because the forward run
// moves its top once per call.
type slotHeap []*slot

func (h slotHeap) less(i, j int) bool {
	return h[i].key < h[j].key || h[i].key == h[j].key && h[i].tie < h[j].tie
}

func (h slotHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

// down moves slot i down to its place.
func (h slotHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// pop removes the top.
func (h *slotHeap) pop() {
	old := *h
	n := len(old) - 1
	old[0] = old[n]
	*h = old[:n]
	h.down(0)
}

// forward runs the desks over the lines: each desk, when it becomes free
// and is not on a break, calls its next ticket by the policy and holds it
// for the expected service time, until its end of the day. It appends the
// called tickets to order, in call order, with their estimates.
func (e *Engine) forward(order []*projTicket, slots []*slot, x *lineIndex, h priority.History,
	ivs []Interval, hasClosing bool) []*projTicket {
	sh := slotHeap(slots)
	for i, s := range sh {
		s.tie, s.key, s.dl = i, s.free.UnixNano(), x.desk(s.pd)
	}
	sh.init()
	left := x.n
	for left > 0 && len(sh) > 0 {
		s := sh[0]
		if hasClosing && !s.free.Before(s.end) {
			sh.pop() // this desk calls no more today
			continue
		}
		x.last, x.lastN = s.dl, s.d.Number // what the policy asks about
		c, ok := e.policy.PickLines(x, s.pd, h, s.free)
		if !ok {
			sh.pop() // this desk has nothing more to call
			continue
		}
		h = e.policy.RecordLines(h, c, x, s.pd)
		pt := x.take(c)
		pt.est = Estimate{Ahead: x.aheadOf(c), CallAt: s.free, Desk: s.d.Number, Today: hasClosing}
		x.called(s.d)
		order = append(order, pt)
		s.free = callable(s.free.Add(e.expected.Duration(c.Service)), ivs)
		left--
		s.key, s.tie = s.free.UnixNano(), left-x.n // the tie lower than every desk's before
		sh.down(0)
	}
	return order
}
