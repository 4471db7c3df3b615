// Package password hashes and checks account passwords with bcrypt.
package password

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// Cost is bcrypt's work factor: about 50 ms a check on the target machines,
// slow enough for a stolen hash, fast enough for a sign-in.
var Cost = bcrypt.DefaultCost

// MinLength is the shortest password accepted.
const MinLength = 8

// Hash returns the bcrypt hash of pw.
func Hash(pw string) ([]byte, error) {
	if len(pw) < MinLength {
		return nil, fmt.Errorf("password: at least %d characters", MinLength)
	}
	if len(pw) > 72 {
		return nil, errors.New("password: at most 72 bytes")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), Cost)
	if err != nil {
		return nil, fmt.Errorf("password: %w", err)
	}
	return h, nil
}

// Check reports whether pw matches hash.
func Check(hash []byte, pw string) bool {
	return bcrypt.CompareHashAndPassword(hash, []byte(pw)) == nil
}
