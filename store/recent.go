package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
)

// RecentServiceTimes returns the service times of the finished services of
// the last days business days before the day before (2006-01-02), per
// service letter, oldest first: what the engine's expected times start from
// in the morning (queue.Options.Recent). Only the newest queue.SamplesKept
// of each service are returned, all the engine keeps.
//
// It runs at every start, over days that may hold 100,000 events each, so
// it reads the journal backwards from the newest day and decodes only the
// finished services, until each service has its samples.
func (s *Store) RecentServiceTimes(before string, days int) (map[string][]time.Duration, error) {
	newestFirst := map[string][]time.Duration{}
	err := s.view(func(tx *bolt.Tx) error {
		type span struct{ from, to []byte } // [from, to) of one day's seqs; to nil for the journal's end
		var spans []span
		dc := tx.Bucket(bucketDays).Cursor()
		var next []byte
		for k, v := dc.Last(); k != nil && len(spans) < days; k, v = dc.Prev() {
			if string(k) < before {
				spans = append(spans, span{from: v, to: next})
			}
			next = v
		}
		c := tx.Bucket(bucketEvents).Cursor()
		for _, sp := range spans {
			k, v := c.Last()
			if sp.to != nil {
				if k, v = c.Seek(sp.to); k == nil {
					k, v = c.Last()
				} else {
					k, v = c.Prev()
				}
			}
			for ; k != nil && bytes.Compare(k, sp.from) >= 0; k, v = c.Prev() {
				if err := takeSample(newestFirst, k, v); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: recent service times: %w", err)
	}
	out := make(map[string][]time.Duration, len(newestFirst))
	for svc, ds := range newestFirst {
		for i, j := 0, len(ds)-1; i < j; i, j = i+1, j-1 {
			ds[i], ds[j] = ds[j], ds[i]
		}
		out[svc] = ds
	}
	return out, nil
}

// finishedType is how a finished service's event starts its JSON (the
// field order of queue.Event): the other events need not be decoded.
var finishedType = []byte(`"type":"` + string(queue.TicketFinished) + `"`)

// takeSample adds the service time of event v, when it is a finished
// service and its service has fewer than queue.SamplesKept.
func takeSample(into map[string][]time.Duration, k, v []byte) error {
	if !bytes.Contains(v[:min(len(v), 64)], finishedType) {
		return nil
	}
	if svc, ok := serviceOf(v); ok && len(into[svc]) >= queue.SamplesKept {
		return nil
	}
	var ev struct {
		Type   queue.EventType `json:"type"`
		Ticket *struct {
			Service   string       `json:"service"`
			Status    queue.Status `json:"status"`
			StartedAt time.Time    `json:"started_at"`
			EndedAt   time.Time    `json:"ended_at"`
		} `json:"ticket"`
	}
	if err := json.Unmarshal(v, &ev); err != nil {
		return badRecord("event", fmt.Sprint(btoi(k)), err)
	}
	t := ev.Ticket
	if ev.Type != queue.TicketFinished || t == nil || t.Status != queue.Done || t.StartedAt.IsZero() || t.EndedAt.Before(t.StartedAt) {
		return nil
	}
	if len(into[t.Service]) < queue.SamplesKept {
		into[t.Service] = append(into[t.Service], t.EndedAt.Sub(t.StartedAt))
	}
	return nil
}

var serviceKey = []byte(`"service":"`)

// serviceOf finds the ticket's service letter in an event's JSON without
// decoding it (the desk's field is "services", a list).
func serviceOf(v []byte) (string, bool) {
	i := bytes.Index(v, serviceKey)
	if i < 0 {
		return "", false
	}
	rest := v[i+len(serviceKey):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return "", false
	}
	return string(rest[:j]), true
}
