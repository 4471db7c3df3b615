package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/feedback"
	"langelis/queue"
)

// Complaints, suggestions and thanks (package feedback) live in their own
// bucket (since schema version 6), apart from the journal, whose Purge
// never touches them: feedback/entries holds each registration without
// its contact, feedback/contacts the contact a visitor chose to give (the
// personal data, kept apart so that nothing else reads it by accident),
// feedback/years the last registration number of each year.
var (
	bucketFeedback   = []byte("feedback")
	bucketFbEntries  = []byte("entries")
	bucketFbContacts = []byte("contacts")
	bucketFbYears    = []byte("years")
)

// ErrNoFeedback is returned for a registration number that is not there.
var ErrNoFeedback = errors.New("store: no such registration")

func feedbackBuckets(tx *bolt.Tx) (entries, contacts, years *bolt.Bucket) {
	fb := tx.Bucket(bucketFeedback)
	return fb.Bucket(bucketFbEntries), fb.Bucket(bucketFbContacts), fb.Bucket(bucketFbYears)
}

// AddFeedback registers e with the next number of its registration's year
// (in loc), and its contact when there is one, in one transaction; it
// returns e with its ID.
func (s *Store) AddFeedback(e feedback.Entry, contact string, loc *time.Location) (feedback.Entry, error) {
	err := s.update(func(tx *bolt.Tx) error {
		entries, contacts, years := feedbackBuckets(tx)
		year := e.Registered.In(loc).Year()
		key := []byte(strconv.Itoa(year))
		n := btoi(years.Get(key)) + 1
		if err := years.Put(key, itob(n)); err != nil {
			return err
		}
		e.ID = feedback.FormatID(year, int(n))
		e.HasContact = contact != ""
		if e.HasContact {
			if err := contacts.Put([]byte(e.ID), []byte(contact)); err != nil {
				return err
			}
		}
		return putEntry(entries, e)
	})
	if err != nil {
		return feedback.Entry{}, fmt.Errorf("store: feedback: %w", err)
	}
	return e, nil
}

func putEntry(b *bolt.Bucket, e feedback.Entry) error {
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.Put([]byte(e.ID), data)
}

// Feedback returns every registration, oldest first, with the contacts by
// registration number (staff data: for the admin's page and export only).
func (s *Store) Feedback() ([]feedback.Entry, map[string]string, error) {
	var out []feedback.Entry
	cs := map[string]string{}
	err := s.view(func(tx *bolt.Tx) error {
		entries, contacts, _ := feedbackBuckets(tx)
		if err := entries.ForEach(func(k, v []byte) error {
			var e feedback.Entry
			if err := json.Unmarshal(v, &e); err != nil {
				return badRecord("feedback", string(k), err)
			}
			out = append(out, e)
			return nil
		}); err != nil {
			return err
		}
		return contacts.ForEach(func(k, v []byte) error {
			cs[string(k)] = string(v)
			return nil
		})
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: feedback: %w", err)
	}
	return out, cs, nil
}

// UpdateFeedback reads registration id, lets change alter it (an error
// leaves it as it was) and writes it back, in one transaction.
func (s *Store) UpdateFeedback(id string, change func(e *feedback.Entry) error) (feedback.Entry, error) {
	var e feedback.Entry
	err := s.update(func(tx *bolt.Tx) error {
		entries, _, _ := feedbackBuckets(tx)
		v := entries.Get([]byte(id))
		if v == nil {
			return ErrNoFeedback
		}
		if err := json.Unmarshal(v, &e); err != nil {
			return badRecord("feedback", id, err)
		}
		if err := change(&e); err != nil {
			return err
		}
		return putEntry(entries, e)
	})
	if err != nil {
		var qe *queue.Error
		if errors.As(err, &qe) || errors.Is(err, ErrNoFeedback) {
			return feedback.Entry{}, err
		}
		return feedback.Entry{}, fmt.Errorf("store: feedback %s: %w", id, err)
	}
	return e, nil
}

// PurgeFeedback deletes the contact, the text and the notes of every
// registration answered more than days before now (feedback.Entry.
// ContactExpired), keeping its anonymous record for the reports, and marks
// the file for compaction so that the next journal purge wipes them from
// its free pages too. It returns how many it purged.
func (s *Store) PurgeFeedback(days int, now time.Time) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		entries, contacts, _ := feedbackBuckets(tx)
		var due []feedback.Entry
		if err := entries.ForEach(func(k, v []byte) error {
			var e feedback.Entry
			if err := json.Unmarshal(v, &e); err != nil {
				return badRecord("feedback", string(k), err)
			}
			if !e.Purged && e.ContactExpired(days, now) {
				due = append(due, e)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, e := range due {
			if err := contacts.Delete([]byte(e.ID)); err != nil {
				return err
			}
			e.Text, e.HasContact, e.Purged = "", false, true
			for i := range e.History {
				e.History[i].Note = ""
			}
			if err := putEntry(entries, e); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return errNoChange
		}
		return tx.Bucket(bucketMeta).Put(keyCompactPending, []byte(s.now().UTC().Format(time.RFC3339)))
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge feedback: %w", err)
	}
	return n, nil
}
