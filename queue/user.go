package queue

import "time"

// Role says what a signed-in account may do.
type Role string

// The roles.
const (
	RoleClerk Role = "clerk" // works a desk
	RoleAdmin Role = "admin" // everything a clerk may, plus accounts and backups
	RoleKiosk Role = "kiosk" // a kiosk station: hears its own tickets and reports printer faults
)

// ValidRole reports whether r is a known role.
func ValidRole(r Role) bool { return r == RoleClerk || r == RoleAdmin || r == RoleKiosk }

// User is an account. PasswordHash is never sent to anyone.
type User struct {
	Username     string `json:"username"`
	Name         string `json:"name"`
	Role         Role   `json:"role"`
	PasswordHash []byte `json:"password_hash,omitempty"`
	Disabled     bool   `json:"disabled,omitempty"`
	// MustChangePassword is set by a one-time password (a reset by an
	// admin): its sessions may do nothing but change it.
	MustChangePassword bool      `json:"must_change_password,omitempty"`
	CreatedAt          time.Time `json:"created_at"`
}

// Session is a signed-in account. Only a hash of its token is stored, so a
// stolen backup does not sign anyone in.
type Session struct {
	Username  string    `json:"username"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// Addr is the address the sign-in came from, so an admin sees where
	// each person is signed in.
	Addr string `json:"addr,omitempty"`
}
