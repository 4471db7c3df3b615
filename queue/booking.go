package queue

import (
	"crypto/rand"
	"fmt"
	"math"
	"strings"
	"time"
)

// Appointments (DESIGN.md "Appointments in the call order"). A booked slot
// is desk capacity promised in advance: per service, the manager says
// which share of each stretch of the day's desk capacity may be booked,
// how far ahead and in slots of what length (BookingSettings, in the
// office file). The bookings are the engine's like the queue is: made,
// moved, cancelled and checked in by commands of its one writer, so two
// visitors racing for the last place of a slot get one place between them.
//
// Unlike the queue, bookings outlive the business day: the store keeps
// their current state in a bucket of its own, written in the same
// transaction as the events that change it (BookingJournal), and the
// engine reads it back on every recovery.

// BookingSettings make a service bookable.
type BookingSettings struct {
	// Shares are the bookable shares of the service's desk capacity, each
	// for a stretch of the day; a slot outside every stretch is not
	// offered.
	Shares []BookingShare `json:"shares"`
	// DaysAhead is how many days ahead a slot may be booked (today is 0).
	DaysAhead int `json:"days_ahead"`
	// SlotMinutes is the slots' length.
	SlotMinutes int `json:"slot_minutes"`
	// CheckInBefore and CheckInAfter are the check-in window around the
	// slot's start, in minutes.
	CheckInBefore int `json:"check_in_before_minutes"`
	CheckInAfter  int `json:"check_in_after_minutes"`
	// GraceMinutes is how long past its slot a checked-in booked ticket
	// may wait while a desk serving its service is free (the bound the
	// call order holds).
	GraceMinutes int `json:"grace_minutes"`
}

// BookingShare is the bookable share of a stretch of the day, in percent.
type BookingShare struct {
	Span    Span    `json:"span"`
	Percent float64 `json:"percent"`
}

// The booking defaults, filled in by ApplyDefaults.
const (
	DefaultDaysAhead     = 30
	DefaultSlotMinutes   = 15
	DefaultCheckInBefore = 30
	DefaultCheckInAfter  = 15
	DefaultGraceMinutes  = 5
)

func (b *BookingSettings) applyDefaults() {
	if b.DaysAhead == 0 {
		b.DaysAhead = DefaultDaysAhead
	}
	if b.SlotMinutes == 0 {
		b.SlotMinutes = DefaultSlotMinutes
	}
	if b.CheckInBefore == 0 {
		b.CheckInBefore = DefaultCheckInBefore
	}
	if b.CheckInAfter == 0 {
		b.CheckInAfter = DefaultCheckInAfter
	}
	if b.GraceMinutes == 0 {
		b.GraceMinutes = DefaultGraceMinutes
	}
}

// validate checks one service's booking settings.
func (b *BookingSettings) validate(letter string) error {
	if len(b.Shares) == 0 {
		return fmt.Errorf("service %s: booking has no shares (say which share of which hours may be booked)", letter)
	}
	for i, s := range b.Shares {
		if s.Span.Start < 0 || s.Span.End > 24*60 || s.Span.End <= s.Span.Start {
			return fmt.Errorf("service %s: booking share %s is not a time range of one day", letter, s.Span)
		}
		if i > 0 && s.Span.Start < b.Shares[i-1].Span.End {
			return fmt.Errorf("service %s: booking share %s overlaps or precedes the one before it", letter, s.Span)
		}
		if !(s.Percent > 0 && s.Percent <= 100) {
			return fmt.Errorf("service %s: booking share %v%% of %s is out of range 1-100", letter, s.Percent, s.Span)
		}
	}
	switch {
	case b.DaysAhead < 0 || b.DaysAhead > 366:
		return fmt.Errorf("service %s: booking days_ahead %d is out of range 0-366", letter, b.DaysAhead)
	case b.SlotMinutes < 5 || b.SlotMinutes > 240:
		return fmt.Errorf("service %s: booking slot_minutes %d is out of range 5-240", letter, b.SlotMinutes)
	case b.CheckInBefore < 0 || b.CheckInBefore > 240 || b.CheckInAfter < 0 || b.CheckInAfter > 240:
		return fmt.Errorf("service %s: booking check-in minutes must be 0-240", letter)
	case b.GraceMinutes < 0 || b.GraceMinutes > 120:
		return fmt.Errorf("service %s: booking grace_minutes %d is out of range 0-120", letter, b.GraceMinutes)
	}
	return nil
}

// share is the bookable percentage at minute m of the day, 0 outside
// every stretch.
func (b *BookingSettings) share(m int) float64 {
	for _, s := range b.Shares {
		if m >= s.Span.Start && m < s.Span.End {
			return s.Percent
		}
	}
	return 0
}

// Slot is one bookable time of a service: its start and end, the places
// the manager's share gives it, how many are taken, and whether the
// manager closed it.
type Slot struct {
	Service string    `json:"service"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Places  int       `json:"places"`
	Taken   int       `json:"taken"`
	Closed  bool      `json:"closed,omitempty"`
}

// Free is how many more visitors the slot takes.
func (s Slot) Free() int {
	if s.Closed || s.Taken >= s.Places {
		return 0
	}
	return s.Places - s.Taken
}

// DeskShare is the share of desk d's time that goes to service letter:
// a desk serving several services is shared among them in proportion to
// their target times (a service whose visits take longer takes more of
// the desk).
func (o *Office) DeskShare(d DeskDef, letter string) float64 {
	var mine, all float64
	for _, l := range d.Services {
		s, ok := o.Service(l)
		if !ok {
			continue
		}
		all += s.TargetMinutes
		if l == letter {
			mine = s.TargetMinutes
		}
	}
	if all == 0 {
		return 0
	}
	return mine / all
}

// DeskMinutes is how many desk-minutes of each minute of opening go to
// the service: the sum of its desks' shares.
func (o *Office) DeskMinutes(letter string) float64 {
	var sum float64
	for _, d := range o.Desks {
		sum += o.DeskShare(d, letter)
	}
	return sum
}

// SlotsOn returns the service's slots on the business day containing day,
// by the office's hours, holidays and exceptions, with the places its
// bookable share gives each (none taken, none closed: the engine's
// bookings fill those in). The places of a day are its bookable
// desk-minutes divided by the service's target time, spread over the
// slots so that fractions carry from one slot to the next instead of
// being lost in each. Nil when the service is not bookable or the office
// does not open that day.
func (o *Office) SlotsOn(letter string, day time.Time) []Slot {
	svc, ok := o.Service(letter)
	if !ok || svc.Booking == nil || svc.TargetMinutes <= 0 {
		return nil
	}
	b := svc.Booking
	per := o.DeskMinutes(letter) // desk-minutes per minute of opening
	length := time.Duration(b.SlotMinutes) * time.Minute
	loc := o.Location()
	var out []Slot
	var cum float64
	for _, iv := range o.OpenIntervals(day) {
		for start := iv.Start; !start.Add(length).After(iv.End); start = start.Add(length) {
			lt := start.In(loc)
			pct := b.share(lt.Hour()*60 + lt.Minute())
			if pct == 0 {
				continue
			}
			before := math.Floor(cum/svc.TargetMinutes + 1e-9)
			cum += pct / 100 * per * float64(b.SlotMinutes)
			places := int(math.Floor(cum/svc.TargetMinutes+1e-9) - before)
			out = append(out, Slot{Service: letter, Start: start, End: start.Add(length), Places: places})
		}
	}
	return out
}

// BookingStatus is where a booking stands.
type BookingStatus string

// The booking statuses.
const (
	Booked    BookingStatus = "booked"
	CheckedIn BookingStatus = "checked_in"
	// BookingVoid is a booking the visitor or the office cancelled.
	BookingVoid BookingStatus = "cancelled"
	// Missed is a booking nobody checked in for before its window ended:
	// a no-show for its slot.
	Missed BookingStatus = "missed"
)

// Holds reports whether a booking with this status takes its slot's place.
func (s BookingStatus) Holds() bool { return s == Booked || s == CheckedIn }

// Booking is one booked visit. The code is its key and the visitor's
// proof: unguessable enough with the server's rate limits (NewBookingCode).
// It holds no name; a contact the visitor gives is kept apart by the
// store and never enters the journal.
type Booking struct {
	Code    string        `json:"code"`
	Service string        `json:"service"`
	Slot    time.Time     `json:"slot"`
	End     time.Time     `json:"end"`
	Status  BookingStatus `json:"status"`
	Lang    string        `json:"lang"`
	MadeAt  time.Time     `json:"made_at"`
	// Ticket and Number are the ticket its check-in issued.
	Ticket string `json:"ticket,omitempty"`
	Number string `json:"number,omitempty"`
	// Reason is why the office cancelled it, when it did.
	Reason string `json:"reason,omitempty"`
}

// Day is the booking's business day in the office's time zone.
func (b Booking) Day(o *Office) string { return o.Day(b.Slot) }

// SlotClosure is a slot the manager closed to bookings (or opened again):
// a desk will be missing.
type SlotClosure struct {
	Service string    `json:"service"`
	Slot    time.Time `json:"slot"`
	Closed  bool      `json:"closed"`
}

// CodeAlphabet is the booking codes' alphabet: capital letters and digits
// without the ones people confuse (0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V).
const CodeAlphabet = "ACEFGHJKMNPRTWXY34679"

// CodeLength is a booking code's length: 21^8 ≈ 3.8·10^10 codes, of which
// an office holds at most a few thousand at a time, so a guesser held to
// the server's rate limits needs years for one hit.
const CodeLength = 8

// NewBookingCode returns a random booking code from crypto/rand.
func NewBookingCode() string {
	var b [CodeLength]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("queue: no randomness: " + err.Error())
	}
	out := make([]byte, CodeLength)
	for i, x := range b {
		// 252 = 12·21: bytes at or above it would favour the first letters.
		for x >= 252 {
			var r [1]byte
			if _, err := rand.Read(r[:]); err != nil {
				panic("queue: no randomness: " + err.Error())
			}
			x = r[0]
		}
		out[i] = CodeAlphabet[int(x)%len(CodeAlphabet)]
	}
	return string(out)
}

// NormalizeCode reads a code as a person types it: any case, with spaces
// or dashes. It returns "" for what cannot be a code.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '\t':
			continue
		}
		if !strings.ContainsRune(CodeAlphabet, r) {
			return ""
		}
		b.WriteRune(r)
	}
	if b.Len() != CodeLength {
		return ""
	}
	return b.String()
}

// FormatCode writes a code in two groups of four, as pages show it.
func FormatCode(code string) string {
	if len(code) != CodeLength {
		return code
	}
	return code[:4] + "-" + code[4:]
}
