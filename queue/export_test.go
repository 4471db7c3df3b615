package queue

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"langelis/priority"
)

// StateForTest returns everything the engine rebuilds on a restart (the
// day's state and today's learned service times), for tests that compare
// two engines with reflect.DeepEqual. Times read back from the store carry
// another *time.Location than the clock's, so compare a running engine
// with a restarted one by StateJSONForTest instead.
func StateForTest(e *Engine) any {
	res, err := e.do(context.Background(), false, func(tx *Tx) (any, error) {
		return struct {
			St    *State
			Today map[string][]time.Duration
		}{e.st, e.expected.today}, nil
	})
	if err != nil {
		panic(err)
	}
	return res
}

// StateJSONForTest is StateForTest written out in full as JSON.
func StateJSONForTest(e *Engine) string {
	res, err := e.do(context.Background(), false, func(tx *Tx) (any, error) {
		st := e.st
		d := struct {
			Seq      uint64
			Day      string
			Tickets  []CheckpointTicket
			ByNumber map[string]string
			Counters map[string]int
			Desks    []Desk
			History  priority.History
			Calls    []Call
			Line     []string
			Today    map[string][]time.Duration
		}{Seq: st.seq, Day: st.day, ByNumber: map[string]string{}, Counters: st.counters, History: st.history,
			Calls: st.calls, Today: e.expected.today}
		for _, t := range st.tickets {
			d.Tickets = append(d.Tickets, CheckpointTicket{Ticket: *t, Order: st.order[key(t)]})
		}
		sort.Slice(d.Tickets, func(i, j int) bool { return d.Tickets[i].Order < d.Tickets[j].Order })
		for n, t := range st.byNumber {
			d.ByNumber[n] = t.ID
		}
		for _, dk := range st.sortedDesks() {
			d.Desks = append(d.Desks, *dk)
		}
		for _, t := range st.line {
			d.Line = append(d.Line, t.ID)
		}
		b, err := json.Marshal(d)
		return string(b), err
	})
	if err != nil {
		panic(err)
	}
	return res.(string)
}
