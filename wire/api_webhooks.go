package wire

import (
	"net/http"
	"time"
)

// The webhooks (package webhook; docs/webhooks.md): URLs that receive the
// hall's events, signed, for a case system to follow.

// Webhook is one hook with its delivery status, as the admin page shows it.
type Webhook struct {
	ID    string   `json:"id"`
	URL   string   `json:"url"`
	Kinds []string `json:"kinds"`
	// SecretHint is the secret's last four characters: the secret itself
	// is shown once, when the hook is added.
	SecretHint string    `json:"secret_hint"`
	Created    time.Time `json:"created"`
	// Delivered is the seq of the last event handled (sent, or not of the
	// hook's kinds); Backlog how many events of the journal come after it.
	Delivered uint64 `json:"delivered"`
	Backlog   uint64 `json:"backlog"`
	// Sent counts the deliveries answered 2xx since the server started.
	Sent        uint64    `json:"sent"`
	LastSuccess time.Time `json:"last_success,omitzero"` // on the office clock
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"` // on the office clock
	// Attempts is how many times the event now at the head was tried and
	// failed; NextTry when it is tried again (on the office clock: the
	// office's now at the failure plus the real wait).
	Attempts int       `json:"attempts"`
	NextTry  time.Time `json:"next_try,omitzero"`
}

// AddWebhookRequest is the body of POST /api/v1/admin/webhooks.
type AddWebhookRequest struct {
	URL   string   `json:"url"`
	Kinds []string `json:"kinds"` // issued, called, finished
	// Secret signs the deliveries; empty: the server makes one.
	Secret string `json:"secret,omitempty"`
}

// AddWebhookAnswer is the hook added, with its secret (shown this once).
type AddWebhookAnswer struct {
	Webhook Webhook `json:"webhook"`
	Secret  string  `json:"secret"`
}

// WebhookTest is the answer of one test delivery.
type WebhookTest struct {
	OK     bool   `json:"ok"`
	Status int    `json:"status,omitempty"` // the receiver's HTTP status
	Error  string `json:"error,omitempty"`
	Millis int64  `json:"millis"`
}

var hookParam = PathParam("id", "999", "the hook's id")

var _ = describe(
	Operation{Method: "GET", Path: "/api/v1/admin/webhooks", Tag: "webhooks", Auth: "admin",
		Summary: "Every webhook with its delivery status", Response: []Webhook{}, Errors: adminOnly},
	Operation{Method: "POST", Path: "/api/v1/admin/webhooks", Tag: "webhooks", Auth: "admin",
		Summary: "Add a webhook: it receives the events after now", Request: AddWebhookRequest{}, Response: AddWebhookAnswer{},
		Success: http.StatusCreated, Errors: adminErrors},
	Operation{Method: "DELETE", Path: "/api/v1/admin/webhooks/{id}", Tag: "webhooks", Auth: "admin",
		Summary: "Remove a webhook (its undelivered events are dropped)", Params: []Param{hookParam},
		Success: http.StatusNoContent, Errors: adminErrors},
	Operation{Method: "POST", Path: "/api/v1/admin/webhooks/{id}/test", Tag: "webhooks", Auth: "admin",
		Summary: "Send the hook one signed test delivery now and say how it was answered", Params: []Param{hookParam},
		Response: WebhookTest{}, Errors: adminErrors},
)
