package citynats

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"langelis/city"
	"langelis/queue"
)

// statusLoop sends the hall's live status every StatusEvery, and within a
// second of a change, while connected. Nothing waits for it: a status
// lost is replaced by the next.
func (l *Link) statusLoop(ctx context.Context) {
	t := time.NewTicker(l.cfg.StatusEvery)
	defer t.Stop()
	var sentSeq uint64
	var sentAt time.Time
	for {
		_, next := l.st.Committed()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-next:
			// A change: at most one status a second.
			if d := time.Until(sentAt.Add(time.Second)); d > 0 {
				select {
				case <-time.After(d):
				case <-ctx.Done():
					return
				}
			}
		}
		if !l.nc.IsConnected() {
			continue
		}
		s, err := l.Status(ctx)
		if err != nil {
			l.log.Debug("city link: status", "err", err)
			continue
		}
		if s.Seq == sentSeq && time.Since(sentAt) < l.cfg.StatusEvery/2 {
			continue
		}
		data, err := json.Marshal(s)
		if err != nil {
			continue
		}
		if err := l.nc.Publish(city.StatusSubject(l.cfg.Hall), data); err == nil {
			sentSeq, sentAt = s.Seq, time.Now()
		}
	}
}

// Status is the hall's live status as the city sees it: what its public
// screens show (waiting counts, estimates for a ticket taken now, the
// cutoff computed as if nobody had priority), and the link's backlog.
func (l *Link) Status(ctx context.Context) (city.Status, error) {
	o := l.eng.Office()
	snap, err := l.eng.Snapshot(ctx)
	if err != nil {
		return city.Status{}, err
	}
	now := snap.Now
	st := city.Status{Hall: l.cfg.Hall, Name: o.Name, Names: o.Names, URL: l.cfg.URL, At: now, Day: snap.Day,
		Open: snap.Open, Hours: hours(o, now), Seq: snap.Seq, Started: l.started, Desks: len(o.Desks),
		Cutoff: snap.Cutoff, RetentionDays: o.RetentionDays}
	st.Epoch = l.Stats().Epoch
	for _, d := range snap.Desks {
		if d.Status != queue.DeskClosed {
			st.DesksOpen++
		}
	}
	longest := map[string]time.Time{}
	for _, t := range snap.Tickets {
		if t.Status != queue.Waiting {
			continue
		}
		if at, ok := longest[t.Service]; !ok || t.IssuedAt.Before(at) {
			longest[t.Service] = t.IssuedAt
		}
	}
	for _, svc := range o.Services {
		ss := city.ServiceStatus{Letter: svc.Letter, Names: svc.Names, Waiting: snap.Waiting[svc.Letter], EstimatedWait: -1}
		if at, ok := longest[svc.Letter]; ok {
			ss.LongestWait = int64(now.Sub(at) / time.Second)
		}
		pv, err := l.eng.Preview(ctx, svc.Letter, "")
		if err != nil {
			return city.Status{}, err
		}
		ss.Action = pv.Action
		ss.Issuing = pv.Action == "issue"
		if !pv.EstimateAt.IsZero() {
			ss.EstimatedWait = max(0, int64(pv.EstimateAt.Sub(now)/time.Second))
		}
		st.Services = append(st.Services, ss)
	}
	b, err := l.ob.Backlog()
	if err != nil {
		return city.Status{}, err
	}
	st.Backlog = city.Backlog{Count: b.Count, Oldest: b.Oldest, Acked: l.ob.Acked(), Connected: l.nc.IsConnected()}
	return st, nil
}

// hours is the day's opening hours, e.g. "08:00-12:00, 12:45-17:00".
func hours(o *queue.Office, now time.Time) string {
	var parts []string
	for _, iv := range o.OpenIntervals(now) {
		parts = append(parts, iv.Start.Format("15:04")+"-"+iv.End.Format("15:04"))
	}
	return strings.Join(parts, ", ")
}
