package reports

import (
	"testing"
	"time"

	"langelis/queue"
)

// The day's figures count the booked visitors who checked in and those
// who never did (no-shows for their slots), by service and slot hour.
func TestBookingFigures(t *testing.T) {
	o := &queue.Office{Name: "T", TimeZone: "Europe/Vilnius", Services: []queue.Service{{Letter: "A", Names: map[string]string{"lt": "A"}}},
		Desks: []queue.DeskDef{{Number: 1, Services: []string{"A"}}}}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	loc := o.Location()
	slot := time.Date(2026, 11, 23, 9, 30, 0, 0, loc)
	ev := func(seq uint64, typ queue.EventType, code string) queue.Event {
		return queue.Event{Seq: seq, Type: typ, Day: "2026-11-23", At: slot.Add(time.Duration(seq) * time.Minute),
			Booking: &queue.Booking{Code: code, Service: "A", Slot: slot}}
	}
	events := []queue.Event{{Seq: 1, Type: queue.DayStarted, Day: "2026-11-23", At: slot.Add(-time.Hour)},
		ev(2, queue.BookingCheckedIn, "AAAAAAAA"), ev(3, queue.BookingMissed, "CCCCCCCC"), ev(4, queue.BookingMissed, "EEEEEEEE")}
	day, _ := Build(o, events, Options{})
	for _, k := range []string{All, ServiceKey("A"), HourKey(9)} {
		if f := day.Groups[k]; f == nil || f.BookedIn != 1 || f.BookedMissed != 2 {
			t.Fatalf("%s: %+v", k, f)
		}
	}
}
