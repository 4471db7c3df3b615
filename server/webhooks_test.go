package server_test

import (
	"net/http"
	"strings"
	"testing"

	"langelis/i18n"
	"langelis/queue"
	"langelis/store"
	"langelis/wire"
)

// The webhooks' admin endpoints: a bad address, no kind or an unknown
// kind is refused in the admin's language and adds nothing; a clerk may
// not; an added hook and its removal are in the audit trail, its secret
// is not.
func TestWebhookAdminRoutes(t *testing.T) {
	s := newTS(t)
	s.addUser("boss", queue.RoleAdmin)
	boss, clerk := s.login("boss"), s.login("clerk1")
	for _, c := range []struct {
		req wire.AddWebhookRequest
		key string
		arg []any
	}{
		{wire.AddWebhookRequest{URL: "ftp://x.example/in", Kinds: []string{"issued"}}, "err.webhook.url", []any{"url", "ftp://x.example/in"}},
		{wire.AddWebhookRequest{URL: "https://x.example/in"}, "err.webhook.no_kind", nil},
		{wire.AddWebhookRequest{URL: "https://x.example/in", Kinds: []string{"rated"}}, "err.webhook.kind", []any{"kind", "rated"}},
		{wire.AddWebhookRequest{URL: "https://x.example/in", Kinds: []string{"issued"}, Secret: "short"}, "err.webhook.secret", []any{"min", 16, "max", 200}},
	} {
		var e wire.ErrorBody
		if code := s.do("POST", "/api/v1/admin/webhooks?lang=pl", boss, c.req, &e); code != http.StatusBadRequest ||
			e.Error.Message != i18n.T("pl", c.key, c.arg...) {
			t.Errorf("%+v: %d %q, want 400 %q", c.req, code, e.Error.Message, i18n.T("pl", c.key, c.arg...))
		}
	}
	var list []wire.Webhook
	if code := s.do("GET", "/api/v1/admin/webhooks", boss, nil, &list); code != 200 || len(list) != 0 {
		t.Fatalf("after refusals: %d %+v", code, list)
	}
	if code := s.do("POST", "/api/v1/admin/webhooks", clerk, wire.AddWebhookRequest{URL: "https://x.example/in", Kinds: []string{"issued"}}, nil); code != http.StatusForbidden {
		t.Fatalf("a clerk adding a hook: %d", code)
	}
	var added wire.AddWebhookAnswer
	if code := s.do("POST", "/api/v1/admin/webhooks", boss, wire.AddWebhookRequest{URL: "https://x.example/in?token=t0ps3cr3t",
		Kinds: []string{"called"}, Secret: "a-secret-of-my-own"}, &added); code != http.StatusCreated || added.Secret != "a-secret-of-my-own" {
		t.Fatalf("add: %d %+v", code, added)
	}
	if code := s.do("DELETE", "/api/v1/admin/webhooks/999", boss, nil, nil); code != http.StatusNotFound {
		t.Fatalf("remove an unknown hook: %d", code)
	}
	if code := s.do("DELETE", "/api/v1/admin/webhooks/"+added.Webhook.ID, boss, nil, nil); code != http.StatusNoContent {
		t.Fatalf("remove: %d", code)
	}
	s.do("GET", "/api/v1/admin/webhooks", boss, nil, &list)
	if len(list) != 0 {
		t.Fatalf("after removal: %+v", list)
	}
	chs, err := s.Store.Changes(store.ChangeFilter{Kind: "webhook."})
	if err != nil || len(chs) != 2 || chs[0].Actor != "boss" || chs[1].Kind != "webhook.removed" {
		t.Fatalf("audit: %+v %v", chs, err)
	}
	for _, c := range chs {
		for _, raw := range [][]byte{c.Old, c.New} {
			if s := string(raw); len(s) > 0 && (strings.Contains(s, "t0ps3cr3t") || strings.Contains(s, "a-secret-of-my-own")) {
				t.Fatalf("the audit keeps a secret: %s", s)
			}
		}
	}
}
