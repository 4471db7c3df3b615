package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"langelis/queue"
	"langelis/store"
)

// Migration 5→6 gives a file from before appointments its bookings and
// contacts buckets; its journal is untouched and bookings then persist.
func TestMigrationToV6Bookings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	downgrade(t, path, 5, "bookings", "booking_contacts")
	s = open(t, path)
	defer s.Close()
	if v, _ := s.Version(); v != store.SchemaVersion {
		t.Fatalf("version %d after migration", v)
	}
	if evs, last, err := s.Recover(); err != nil || len(evs) != 1 || last != 1 {
		t.Fatalf("journal after migration: %d events, last %d, %v", len(evs), last, err)
	}
	slot := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	bk := queue.Booking{Code: "ACEF3479", Service: "A", Slot: slot, End: slot.Add(15 * time.Minute), Status: queue.Booked}
	e := ev(2, queue.BookingMade, "2026-11-23", nil)
	e.Booking = &bk
	c := ev(3, queue.SlotClosed, "2026-11-23", nil)
	c.SlotClosure = &queue.SlotClosure{Service: "A", Slot: slot, Closed: true}
	if err := s.Append([]queue.Event{e, c}); err != nil {
		t.Fatal(err)
	}
	list, closed, err := s.Bookings()
	if err != nil || len(list) != 1 || list[0].Code != bk.Code || !list[0].Slot.Equal(slot) || len(closed) != 1 {
		t.Fatalf("bookings %+v closed %+v, %v", list, closed, err)
	}
	o := ev(4, queue.SlotOpened, "2026-11-23", nil)
	o.SlotClosure = &queue.SlotClosure{Service: "A", Slot: slot}
	if err := s.Append([]queue.Event{o}); err != nil {
		t.Fatal(err)
	}
	if _, closed, _ := s.Bookings(); len(closed) != 0 {
		t.Fatalf("slot still closed after opening: %+v", closed)
	}
}

// A contact is kept apart from the journal and is gone the day after the
// visit, not before.
func TestContactDeletedTheDayAfter(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	defer s.Close()
	if err := s.PutContact("ACEF3479", "jonas@example.lt", "2026-11-25"); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PurgeContacts("2026-11-25"); err != nil || n != 0 {
		t.Fatalf("purged %d on the visit's day, %v", n, err)
	}
	if c, ok, _ := s.Contact("ACEF3479"); !ok || c.Value != "jonas@example.lt" {
		t.Fatalf("contact %+v %v on the visit's day", c, ok)
	}
	if n, err := s.PurgeContacts("2026-11-26"); err != nil || n != 1 {
		t.Fatalf("purged %d the day after, %v", n, err)
	}
	if _, ok, _ := s.Contact("ACEF3479"); ok {
		t.Fatal("contact kept after the day after the visit")
	}
	evs, _, _ := s.Recover()
	for _, e := range evs {
		if e.Booking != nil {
			t.Fatal("a contact call wrote to the journal")
		}
	}
}
