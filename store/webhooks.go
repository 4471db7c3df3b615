package store

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
)

// The webhooks (schema version 8; package webhook): each hook an admin
// configured, keyed by its id (the bucket's sequence, never reused, so a
// removed hook's outbox consumer "webhook:ID" is never taken by another).
// A hook's secret is kept here because signing needs it; a backup carries
// it like the rest of the file.

var bucketWebhooks = []byte("webhooks")

// Webhook is one configured hook.
type Webhook struct {
	ID     string   `json:"id"`
	URL    string   `json:"url"`
	Secret string   `json:"secret"`
	Kinds  []string `json:"kinds"`
	// From is the journal's last seq when the hook was added: it follows
	// the events after it, not the journal's whole history.
	From    uint64 `json:"from"`
	Created string `json:"created"` // RFC 3339, office clock
}

// AddWebhook stores a new hook with a fresh id and records the change,
// in one transaction; it returns the hook with its id.
func (s *Store) AddWebhook(h Webhook, c queue.Change) (Webhook, error) {
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketWebhooks)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		h.ID = strconv.FormatUint(seq, 10)
		data, err := json.Marshal(h)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(h.ID), data); err != nil {
			return err
		}
		c.Subject = "webhook " + h.ID
		return putChange(tx, &c)
	})
	if err != nil {
		return h, fmt.Errorf("store: add webhook: %w", err)
	}
	return h, nil
}

// RemoveWebhook deletes a hook and its outbox cursor and records the
// change, in one transaction; ErrNotFound when there is no such hook.
func (s *Store) RemoveWebhook(id, consumer string, c queue.Change) error {
	s.cursors.mu.Lock()
	delete(s.cursors.m, consumer)
	s.cursors.mu.Unlock()
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketWebhooks)
		if b.Get([]byte(id)) == nil {
			return ErrNotFound
		}
		if err := b.Delete([]byte(id)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketOutbox).Delete([]byte(consumer)); err != nil {
			return err
		}
		return putChange(tx, &c)
	})
	if errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: remove webhook: %w", err)
	}
	return nil
}

// Webhooks returns every hook, by id.
func (s *Store) Webhooks() ([]Webhook, error) {
	var out []Webhook
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketWebhooks).ForEach(func(k, v []byte) error {
			var h Webhook
			if err := json.Unmarshal(v, &h); err != nil {
				return badRecord("webhook", string(k), err)
			}
			out = append(out, h)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: webhooks: %w", err)
	}
	// Keys are decimal strings: "10" sorts before "2" in the bucket.
	slices.SortFunc(out, func(a, b Webhook) int { return cmp.Compare(idNum(a.ID), idNum(b.ID)) })
	return out, nil
}

func idNum(id string) uint64 { n, _ := strconv.ParseUint(id, 10, 64); return n }
