package store_test

import (
	"errors"
	"path/filepath"
	"testing"

	"langelis/queue"
	"langelis/store"
)

// Migration 7→8 adds the webhooks bucket to a file version 7 wrote; hooks
// then persist, get ids never reused, and removing one drops its outbox
// cursor and records both changes in the audit trail.
func TestMigrationToV8Webhooks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	if err := s.Append([]queue.Event{ev(1, queue.DayStarted, "2026-11-23", nil)}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	downgrade(t, path, 7, "webhooks")
	s = open(t, path)
	if v, _ := s.Version(); v != store.SchemaVersion {
		t.Fatalf("version %d after migration", v)
	}
	if hs, err := s.Webhooks(); err != nil || len(hs) != 0 {
		t.Fatalf("hooks of a migrated file: %+v %v", hs, err)
	}
	var ids []string
	for range 2 {
		h, err := s.AddWebhook(store.Webhook{URL: "https://cases.example/in", Secret: "s3cret-s3cret-s3cret", Kinds: []string{"issued"}, From: 1},
			queue.Change{Actor: "boss", Kind: "webhook.added"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, h.ID)
	}
	if ids[0] == ids[1] {
		t.Fatalf("two hooks got id %s", ids[0])
	}
	s.SaveCursor("webhook:"+ids[0], 1)
	if err := s.FlushCursors(); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveWebhook(ids[0], "webhook:"+ids[0], queue.Change{Actor: "boss", Kind: "webhook.removed", Subject: "webhook " + ids[0]}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveWebhook(ids[0], "webhook:"+ids[0], queue.Change{}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("removing a removed hook: %v", err)
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	hs, err := s.Webhooks()
	if err != nil || len(hs) != 1 || hs[0].ID != ids[1] || hs[0].Secret != "s3cret-s3cret-s3cret" || hs[0].From != 1 {
		t.Fatalf("hooks after a restart: %+v %v", hs, err)
	}
	if c, _ := s.CursorOf("webhook:" + ids[0]); c.Seq != 0 {
		t.Fatalf("the removed hook's cursor is still there: %+v", c)
	}
	h, _ := s.AddWebhook(store.Webhook{URL: "https://x.example"}, queue.Change{Kind: "webhook.added"})
	if h.ID == ids[0] || h.ID == ids[1] {
		t.Fatalf("a new hook took a used id %s", h.ID)
	}
	chs, err := s.Changes(store.ChangeFilter{Kind: "webhook."})
	if err != nil || len(chs) != 4 || chs[2].Kind != "webhook.removed" || chs[0].Subject != "webhook "+ids[0] {
		t.Fatalf("changes %+v %v", chs, err)
	}
}
