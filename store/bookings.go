package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
)

// The bookings (schema version 6). The journal keeps every booking event,
// but it recovers one business day, and a booking lives for weeks; so the
// current state of each booking, and the slots the manager closed, are
// kept beside it, written in the same transaction as the events that
// change them (appendEvents), and read back by the engine
// (queue.BookingJournal).
//
// A contact the visitor gives (an e-mail address, a phone number) is
// personal data that the append-only journal must never hold: it lives in
// booking_contacts, apart, and is deleted the day after the visit
// (PurgeContacts).
var (
	bucketBookings = []byte("bookings")
	bucketBkCodes  = []byte("codes")
	bucketBkClosed = []byte("closed")
	bucketContacts = []byte("booking_contacts")
)

// putBookings records the bookings and slot closures events carry, inside
// the transaction that appends them.
func putBookings(tx *bolt.Tx, events []queue.Event) error {
	var codes, closed *bolt.Bucket
	for _, ev := range events {
		if ev.Booking == nil && ev.SlotClosure == nil {
			continue
		}
		if codes == nil {
			b := tx.Bucket(bucketBookings)
			if b == nil {
				return fmt.Errorf("the file has no bookings bucket")
			}
			codes, closed = b.Bucket(bucketBkCodes), b.Bucket(bucketBkClosed)
		}
		if bk := ev.Booking; bk != nil {
			data, err := json.Marshal(bk)
			if err != nil {
				return err
			}
			if err := codes.Put([]byte(bk.Code), data); err != nil {
				return err
			}
		}
		if c := ev.SlotClosure; c != nil {
			k := []byte(c.Service + "/" + c.Slot.UTC().Format(time.RFC3339))
			if !c.Closed {
				if err := closed.Delete(k); err != nil {
					return err
				}
				continue
			}
			data, err := json.Marshal(c)
			if err != nil {
				return err
			}
			if err := closed.Put(k, data); err != nil {
				return err
			}
		}
	}
	return nil
}

// Bookings implements queue.BookingJournal.
func (s *Store) Bookings() ([]queue.Booking, []queue.SlotClosure, error) {
	var list []queue.Booking
	var closed []queue.SlotClosure
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBookings)
		err := b.Bucket(bucketBkCodes).ForEach(func(k, v []byte) error {
			var bk queue.Booking
			if err := json.Unmarshal(v, &bk); err != nil {
				return fmt.Errorf("booking %s: %w", k, err)
			}
			list = append(list, bk)
			return nil
		})
		if err != nil {
			return err
		}
		return b.Bucket(bucketBkClosed).ForEach(func(k, v []byte) error {
			var c queue.SlotClosure
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("closed slot %s: %w", k, err)
			}
			closed = append(closed, c)
			return nil
		})
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: bookings: %w", err)
	}
	return list, closed, nil
}

// Booking returns the booking with code as the bucket last recorded it,
// and whether there is one: the engine forgets settled bookings at day
// start, but their visitors may still open their link.
func (s *Store) Booking(code string) (queue.Booking, bool, error) {
	var bk queue.Booking
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketBookings).Bucket(bucketBkCodes).Get([]byte(code))
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &bk)
	})
	if err != nil {
		return queue.Booking{}, false, fmt.Errorf("store: booking %s: %w", code, err)
	}
	return bk, found, nil
}

// Contact is what a visitor gave to be reached about a booking, and the
// office day after which it is deleted.
type Contact struct {
	Value string `json:"value"`
	Until string `json:"until"` // YYYY-MM-DD: the visit's day; deleted the day after
}

// PutContact keeps the contact of booking code until the end of day
// until (the visit's day; a move calls it again with the new day). An
// empty value deletes it.
func (s *Store) PutContact(code, value, until string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketContacts)
		if value == "" {
			return b.Delete([]byte(code))
		}
		data, err := json.Marshal(Contact{Value: value, Until: until})
		if err != nil {
			return err
		}
		return b.Put([]byte(code), data)
	})
	if err != nil {
		return fmt.Errorf("store: contact: %w", err)
	}
	return nil
}

// Contact returns the contact kept for booking code, if any.
func (s *Store) Contact(code string) (Contact, bool, error) {
	var c Contact
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketContacts).Get([]byte(code))
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &c)
	})
	if err != nil {
		return Contact{}, false, fmt.Errorf("store: contact: %w", err)
	}
	return c, ok, nil
}

// PurgeContacts deletes the contacts whose visit day is before today
// (the office day, YYYY-MM-DD): a contact lives until the day after the
// visit. It returns how many it deleted.
func (s *Store) PurgeContacts(today string) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketContacts)
		var gone [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var c Contact
			if json.Unmarshal(v, &c) != nil || c.Until < today {
				gone = append(gone, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range gone {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(gone)
		if n == 0 {
			return errNoChange
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge contacts: %w", err)
	}
	return n, nil
}

// PurgeBookings deletes the settled bookings (checked in, cancelled,
// missed) whose office day, by dayOf, is before keepFrom (YYYY-MM-DD),
// and the closures of slots before it: the office's retention_days, as
// for the journal, whose events about them go with their days. A booking
// still booked stays whatever its day: the engine settles it as missed
// first. It marks the file for compaction, so that the next Purge leaves
// nothing of them in its bytes, and returns how many bookings it deleted.
// The engine has let them go already, at the start of the day after
// theirs; the day's figures (package reports) keep their counts.
func (s *Store) PurgeBookings(keepFrom string, dayOf func(time.Time) string) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketBookings)
		var gone, shut [][]byte
		err := b.Bucket(bucketBkCodes).ForEach(func(k, v []byte) error {
			var bk queue.Booking
			if err := json.Unmarshal(v, &bk); err != nil {
				return fmt.Errorf("booking %s: %w", k, err)
			}
			if bk.Status != queue.Booked && dayOf(bk.Slot) < keepFrom {
				gone = append(gone, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = b.Bucket(bucketBkClosed).ForEach(func(k, v []byte) error {
			var c queue.SlotClosure
			if json.Unmarshal(v, &c) != nil || dayOf(c.Slot) < keepFrom {
				shut = append(shut, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(gone)+len(shut) == 0 {
			return errNoChange
		}
		for _, k := range gone {
			if err := b.Bucket(bucketBkCodes).Delete(k); err != nil {
				return err
			}
		}
		for _, k := range shut {
			if err := b.Bucket(bucketBkClosed).Delete(k); err != nil {
				return err
			}
		}
		n = len(gone)
		return tx.Bucket(bucketMeta).Put(keyCompactPending, []byte(s.now().UTC().Format(time.RFC3339)))
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge bookings: %w", err)
	}
	return n, nil
}
