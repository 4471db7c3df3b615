package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"sort"
	"time"

	"langelis/queue"
)

// Bookings model appointments (issue 17): a share of the visitors of each
// bookable service book the first slot with room at or after the time
// they would have come, then arrive around their slot, and some never
// come. The simulator books and checks in through the engine's own
// commands, so the call order measured is the real one.
type Bookings struct {
	// Share is the share of a bookable service's visitors who book.
	Share float64
	// NoShow is the share of bookers who never come.
	NoShow float64
	// ArriveMean and ArriveSD are when a booker arrives relative to their
	// slot (normal; negative is early). Zero mean and SD: 8 minutes early,
	// give or take 6.
	ArriveMean, ArriveSD time.Duration
}

// BookingStats are what happened to the booked visitors.
type BookingStats struct {
	Booked    int `json:"booked"`
	CheckedIn int `json:"checked_in"`
	NoShows   int `json:"no_shows"`
	// Late arrived after their check-in window and took a walk-in ticket.
	Late int `json:"late"`
	// WithinGrace is the share of checked-in booked visitors called no
	// later than the grace time after the later of their slot and their
	// check-in, over those called.
	WithinGrace float64 `json:"within_grace"`
	// PastSlotMean and PastSlotP95 are minutes from the later of slot and
	// check-in to the call.
	PastSlotMean float64 `json:"past_slot_mean_min"`
	PastSlotP95  float64 `json:"past_slot_p95_min"`
}

// booker is one visitor who booked.
type booker struct {
	code   string
	slot   time.Time
	grace  time.Duration
	noShow bool
	late   bool
	in     bool // checked in
}

// book turns a share of arr's visitors of bookable services into bookers,
// booking through the engine at the start of the day (before opening).
func book(ctx context.Context, c Config, eng *queue.Engine, clk *queue.ManualClock, opening time.Time,
	arr []*ticket, rng *rand.Rand) error {
	b := c.Bookings
	if b == nil || b.Share <= 0 {
		return nil
	}
	mean, sd := b.ArriveMean, b.ArriveSD
	if mean == 0 && sd == 0 {
		mean, sd = -8*time.Minute, 6*time.Minute
	}
	clk.Set(opening.Add(-time.Hour))
	defer clk.Set(opening)
	slots := map[string][]queue.Slot{}
	for _, t := range arr {
		svc, _ := c.Office.Service(t.service)
		if svc.Booking == nil || rng.Float64() >= b.Share {
			continue
		}
		list, ok := slots[t.service]
		if !ok {
			var err error
			if list, err = eng.Slots(ctx, t.service, opening, false); err != nil {
				return fmt.Errorf("sim: slots: %w", err)
			}
			slots[t.service] = list
		}
		i := sort.Search(len(list), func(i int) bool { return !list[i].Start.Before(t.issued) })
		for ; i < len(list) && list[i].Free() == 0; i++ {
		}
		if i == len(list) {
			continue // nothing left after their time: they come as a walk-in
		}
		bk, err := eng.Book(ctx, queue.BookRequest{Service: t.service, Slot: list[i].Start}, queue.Actor{User: "visitor"})
		if err != nil {
			return fmt.Errorf("sim: book: %w", err)
		}
		list[i].Taken++
		t.booked = &booker{code: bk.Code, slot: bk.Slot, grace: time.Duration(svc.Booking.GraceMinutes) * time.Minute,
			noShow: rng.Float64() < b.NoShow}
		t.issued = bk.Slot.Add(time.Duration(float64(mean) + rng.NormFloat64()*float64(sd))).Truncate(time.Second)
	}
	return nil
}

// checkIn is a booker's arrival: a ticket by the booking within its
// window; before it, they wait for it to open (the event again at its
// start); after it, a walk-in ticket. It returns the ticket, or a time to
// come again.
func checkIn(ctx context.Context, eng *queue.Engine, t *ticket, now time.Time) (queue.Ticket, time.Time, error) {
	r, err := eng.CheckIn(ctx, queue.CheckInRequest{Code: t.booked.code}, queue.Actor{User: "kiosk:sim"})
	var qe *queue.Error
	switch {
	case err == nil:
		t.booked.in = true
		return r.Ticket, time.Time{}, nil
	case errors.As(err, &qe) && qe.Code == queue.EEARLY:
		from, _ := eng.Office().CheckInWindow(queue.Booking{Service: t.service, Slot: t.booked.slot})
		return queue.Ticket{}, from, nil
	case errors.As(err, &qe) && qe.Code == queue.ELATE:
		t.booked.late = true
		tk, err := eng.Issue(ctx, queue.IssueRequest{Service: t.service, Channel: queue.ChannelKiosk}, queue.Actor{User: "kiosk:sim"})
		return tk, time.Time{}, err
	}
	return queue.Ticket{}, time.Time{}, fmt.Errorf("sim: check in at %v: %w", now, err)
}

// bookingStats sums up the bookers of all days.
func bookingStats(all []*ticket) *BookingStats {
	s := &BookingStats{}
	var past []float64
	within := 0
	for _, t := range all {
		b := t.booked
		if b == nil {
			continue
		}
		s.Booked++
		switch {
		case b.noShow:
			s.NoShows++
		case b.late:
			s.Late++
		case b.in:
			s.CheckedIn++
			if t.callSeq == 0 {
				continue
			}
			from := b.slot
			if t.issued.After(from) {
				from = t.issued
			}
			d := t.called.Sub(from)
			if d < 0 {
				d = 0 // called early, by an idle desk
			}
			if d <= b.grace {
				within++
			}
			past = append(past, d.Minutes())
		}
	}
	if len(past) > 0 {
		sort.Float64s(past)
		s.WithinGrace = math.Round(float64(within)/float64(len(past))*1000) / 1000
		s.PastSlotMean = round(mean(past))
		s.PastSlotP95 = round(percentile(past, 0.95))
	}
	return s
}
