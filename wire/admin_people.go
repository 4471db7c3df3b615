package wire

import (
	"time"

	"langelis/queue"
)

// Account is a staff account as /admin/people and `langelis user list`
// see it (GET /api/v1/admin/users): never a hash.
type Account struct {
	Username           string          `json:"username"`
	Name               string          `json:"name"`
	Role               queue.Role      `json:"role"`
	Disabled           bool            `json:"disabled"`
	MustChangePassword bool            `json:"must_change_password"`
	CreatedAt          time.Time       `json:"created_at"`
	Sessions           []SignedInPlace `json:"sessions"`
}

// SignedInPlace is one sign-in of an account: where from, since when, and
// the desks its person holds open.
type SignedInPlace struct {
	ID        string    `json:"id"` // DELETE /api/v1/admin/sessions/{id} ends it
	Addr      string    `json:"addr,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Desks     []int     `json:"desks,omitempty"`
}

// AddUserRequest is the body of POST /api/v1/admin/users. Without a
// password the account gets a one-time password.
type AddUserRequest struct {
	Username string     `json:"username"`
	Name     string     `json:"name"`
	Role     queue.Role `json:"role"`
	Password string     `json:"password,omitempty"`
}

// ResetPasswordRequest is the body of POST
// /api/v1/admin/users/{username}/reset-password. Without a password the
// account gets a one-time password.
type ResetPasswordRequest struct {
	Password string `json:"password,omitempty"`
}

// AccountAnswer answers an account change; OneTimePassword is present only
// when one was made, and is never shown again.
type AccountAnswer struct {
	Account         Account `json:"account"`
	OneTimePassword string  `json:"one_time_password,omitempty"`
}

// ChangePasswordRequest is the body of POST /api/v1/session/password.
type ChangePasswordRequest struct {
	Current string `json:"current"`
	New     string `json:"new"`
}

// PauseServiceRequest is the body of POST
// /api/v1/admin/services/{letter}/pause.
type PauseServiceRequest struct {
	Reason string `json:"reason,omitempty"`
}

// DisplayMessageRequest is the body of POST /api/v1/admin/display-message:
// the message in the office's languages (its first at least) and the
// office time of day it ends today ("16:30").
type DisplayMessageRequest struct {
	Text  map[string]string `json:"text"`
	Until string            `json:"until"`
}
