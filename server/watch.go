package server

import (
	"context"
	"encoding/json"
	"math"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"

	"langelis/queue"
	"langelis/wire"
)

// The ticket stream (wire.StreamTicket) is what a phone's status page
// follows: its own ticket's status, place and estimate (with the cutoff,
// when its page shows it) and the hall's calls, and nothing else of the
// hall. Ten thousand phones then cost one shared write each per call, plus
// one small message each when their own place changes, instead of every
// event and cutoff of the hall and a GET of the ticket after each.
//
// The ticket's state needs the projection under the real policy, which
// only the engine has, so it is computed off the hub's goroutine by the
// watcher: after events (at most every ticketEvery, so a burst of events
// costs one snapshot), and every ticketRefresh in a quiet hall, where the
// estimates move with the clock. It compares each watched ticket with what
// it last sent and hands the hub only the ones that changed.

const (
	ticketEvery   = 500 * time.Millisecond
	ticketRefresh = 30 * time.Second
)

// ticketWatch computes the watched tickets' states.
type ticketWatch struct {
	engine *queue.Engine
	view   func(t queue.Ticket, snap *queue.Snapshot) wire.Ticket
	hub    *Hub
	quit   chan struct{}
	done   chan struct{}

	mu  sync.Mutex
	ids map[string]*watched
}

// watched is one watched ticket: how many streams follow it, and what they
// were last sent (the ticket, and the cutoff as JSON).
type watched struct {
	streams int
	view    wire.Ticket
	cutoff  []byte
	notice  bool
}

func newTicketWatch(s *Server) *ticketWatch {
	w := &ticketWatch{engine: s.engine, view: s.ticketView, hub: s.hub,
		quit: make(chan struct{}), done: make(chan struct{}), ids: map[string]*watched{}}
	go w.run()
	return w
}

func (w *ticketWatch) close() {
	close(w.quit)
	<-w.done
}

func (w *ticketWatch) run() {
	defer close(w.done)
	refresh := time.NewTicker(ticketRefresh)
	defer refresh.Stop()
	pause := time.NewTimer(0)
	<-pause.C
	for {
		select {
		case <-w.hub.ticketsDue:
		case <-refresh.C:
		case <-w.quit:
			return
		}
		w.round()
		// Events that come meanwhile wait for the next round: a burst
		// costs one snapshot.
		pause.Reset(ticketEvery)
		select {
		case <-pause.C:
		case <-w.quit:
			return
		}
	}
}

// add counts a stream of ticket id, which was sent st.
func (w *ticketWatch) add(id string, st wire.TicketState) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if e := w.ids[id]; e != nil {
		e.streams++
		return
	}
	cut, _ := json.Marshal(st.Cutoff)
	w.ids[id] = &watched{streams: 1, view: st.Ticket, cutoff: cut, notice: st.Cutoff != nil && st.Cutoff.Notice}
}

func (w *ticketWatch) remove(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if e := w.ids[id]; e != nil {
		if e.streams--; e.streams <= 0 {
			delete(w.ids, id)
		}
	}
}

// round sends the hub every watched ticket whose state changed.
func (w *ticketWatch) round() {
	w.mu.Lock()
	if len(w.ids) == 0 {
		w.mu.Unlock()
		return
	}
	left := make(map[string]bool, len(w.ids))
	for id := range w.ids {
		left[id] = true
	}
	w.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	snap, err := w.engine.Snapshot(ctx)
	if err != nil {
		return
	}
	r := stateRound{w: w, seq: snap.Seq, cutoff: snap.Public().Cutoff}
	r.cutJSON, _ = json.Marshal(r.cutoff)
	for i := range snap.Tickets {
		t := &snap.Tickets[i]
		if left[t.ID] {
			delete(left, t.ID)
			r.check(w.view(*t, &snap))
		}
	}
	// The rest are no longer active: each is looked up once, when it
	// leaves (finished, cancelled, closed at the day's end).
	for id := range left {
		w.mu.Lock()
		e := w.ids[id]
		was := e != nil && active(e.view.Status)
		w.mu.Unlock()
		if !was {
			continue
		}
		if t, err := w.engine.Ticket(ctx, id); err == nil {
			r.check(w.view(t, nil))
		}
	}
	if len(r.updates) > 0 {
		w.hub.sendTickets(r.updates)
	}
}

// stateRound is one round's snapshot figures and the updates found.
type stateRound struct {
	w       *ticketWatch
	seq     uint64
	cutoff  *queue.Cutoff
	cutJSON []byte
	updates []ticketUpdate
}

// check adds the ticket's message when its page would show something new:
// the ticket changed, or the cutoff changed and the page shows the cutoff
// (a waiting ticket while the notice is due or just ended, or one beyond
// the cutoff).
func (r *stateRound) check(view wire.Ticket) {
	w := r.w
	w.mu.Lock()
	defer w.mu.Unlock()
	e := w.ids[view.ID]
	if e == nil {
		return
	}
	notice := r.cutoff != nil && r.cutoff.Notice
	shows := view.Status == queue.Waiting && (notice || e.notice || (view.ServedToday != nil && !*view.ServedToday))
	if sameView(e.view, view) && (!shows || string(e.cutoff) == string(r.cutJSON)) {
		return
	}
	e.view, e.cutoff, e.notice = view, r.cutJSON, notice
	st := wire.TicketState{Seq: r.seq, Type: wire.KindTicket, Ticket: view, Cutoff: r.cutoff}
	r.updates = append(r.updates, ticketUpdate{id: view.ID, msg: ticketMessage(st)})
}

func active(st queue.Status) bool {
	return st == queue.Waiting || st == queue.Called || st == queue.Serving
}

// sameView reports whether a ticket's holder would see no difference.
func sameView(a, b wire.Ticket) bool {
	return a.Status == b.Status && a.Desk == b.Desk && a.CalledAt.Equal(b.CalledAt) && a.RecalledAt.Equal(b.RecalledAt) && a.BeyondCutoff == b.BeyondCutoff && a.DesksNotYetOpened == b.DesksNotYetOpened &&
		samePtr(a.Ahead, b.Ahead, func(x, y int) bool { return x == y }) &&
		samePtr(a.ServedToday, b.ServedToday, func(x, y bool) bool { return x == y }) &&
		samePtr(a.EstimatedCallAt, b.EstimatedCallAt, time.Time.Equal) &&
		samePtr(a.OpenDesks, b.OpenDesks, func(x, y int) bool { return x == y }) &&
		samePtr(a.ServedTodayProbability, b.ServedTodayProbability, sameChance) &&
		samePtr(a.EstimatedCallRange, b.EstimatedCallRange, sameRange)
}

// sameChance reports whether two probabilities of a call today read the
// same on a page: the same tenth (the page says "about 70 %") and the same
// side of every threshold the pages act on. The forecast moves a little on
// every run; a phone hears of it only when its words would change.
func sameChance(a, b float64) bool {
	side := func(p float64) [4]bool {
		return [4]bool{p >= queue.LikelyFrom, p < queue.UnlikelyBelow, p < queue.WarnBelow, p < queue.StopBelow}
	}
	return math.Round(a*10) == math.Round(b*10) && side(a) == side(b)
}

// sameRange reports whether two call ranges read the same to the minute.
func sameRange(a, b queue.CallRange) bool {
	m := func(t time.Time) time.Time { return t.Truncate(time.Minute) }
	return m(a.Median).Equal(m(b.Median)) && m(a.From).Equal(m(b.From)) && m(a.To).Equal(m(b.To))
}

func samePtr[T any](a, b *T, eq func(T, T) bool) bool {
	if a == nil || b == nil {
		return a == b
	}
	return eq(*a, *b)
}

// ticketView is t as its holder sees it (the answer of GET
// /api/v1/tickets/{id}), placed by snap when it waits.
func (s *Server) ticketView(t queue.Ticket, snap *queue.Snapshot) wire.Ticket {
	v := s.ticketResponse(t, nil)
	if snap == nil || t.Status != queue.Waiting {
		return v
	}
	pt := snap.PublicTicket(t) // its place under the office's policy: for its holder only
	v.Ahead, v.ServedToday = pt.Ahead, pt.Today
	if !pt.EstimateAt.IsZero() {
		at := pt.EstimateAt
		v.EstimatedCallAt = &at
	}
	v.BeyondCutoff = pt.Today != nil && !*pt.Today
	open := snap.OpenDesks(t)
	v.OpenDesks = &open
	v.DesksNotYetOpened = open == 0 && queue.DesksNotYetOpened(snap.Desks, s.engine.Office(), snap.Now)
	// The forecast's range and chance, as GET /api/v1/tickets/{id} tells
	// them: the status page's end-of-day words follow the chance.
	if cf, ok := snap.Forecast[t.ID]; ok {
		r := cf.Range
		v.EstimatedCallRange = &r
		if snap.Cutoff != nil {
			p := cf.PToday
			v.ServedTodayProbability = &p
		}
	}
	return v
}

func ticketMessage(st wire.TicketState) *message {
	b, _ := json.Marshal(st)
	return newMessage(st.Seq, b)
}

// joinTicket opens a ticket stream: it reads the watch message (the token
// comes inside the connection, not in the URL, so it stays out of access
// logs and Referer headers), sends the ticket with the cutoff, and
// registers the stream. A token the engine does not know ends the stream
// with wire.CloseUnknownTicket.
func (s *Server) joinTicket(c echo.Context, conn *websocket.Conn, cl *wsClient) bool {
	conn.SetReadLimit(wire.MaxClientMessage)
	_ = conn.SetReadDeadline(time.Now().Add(wire.WatchWait))
	var req wire.Watch
	if err := conn.ReadJSON(&req); err != nil || req.Type != wire.KindWatch || req.Ticket == "" {
		closeWS(conn, websocket.ClosePolicyViolation, `send {"type":"watch","ticket":TOKEN} first`)
		return false
	}
	ctx := c.Request().Context()
	t, err := s.engine.Ticket(ctx, req.Ticket)
	if err != nil {
		if queue.ErrorCode(err) == queue.ENOTFOUND {
			closeWS(conn, wire.CloseUnknownTicket, "no such ticket")
		}
		return false
	}
	snap, err := s.engine.Snapshot(ctx)
	if err != nil {
		return false
	}
	for _, at := range snap.Tickets { // its state in this snapshot, not the one read before it
		if at.ID == t.ID {
			t = at
			break
		}
	}
	st := wire.TicketState{Seq: snap.Seq, Type: wire.KindTicket, Ticket: s.ticketView(t, &snap), Cutoff: snap.Public().Cutoff}
	cl.ticket = t.ID
	s.watch.add(t.ID, st)
	if !s.hub.join(cl, 0, ticketMessage(st)) {
		s.watch.remove(t.ID)
		return false
	}
	return true
}

// closeWS ends a connection with a close code and reason the client can act on.
func closeWS(conn *websocket.Conn, code int, reason string) {
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(wire.WriteWait))
}
