package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
)

// SaveOffice records the office definition the server runs with.
func (s *Store) SaveOffice(o *queue.Office) error {
	data, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("store: save office: %w", err)
	}
	err = s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketConfig).Put([]byte("office"), data) })
	if err != nil {
		return fmt.Errorf("store: save office: %w", err)
	}
	return nil
}

// ErrNotFound is returned when a user or session does not exist.
var ErrNotFound = errors.New("store: not found")

// PutUser creates or replaces an account.
func (s *Store) PutUser(u queue.User) error {
	data, err := json.Marshal(u)
	if err != nil {
		return fmt.Errorf("store: put user: %w", err)
	}
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketUsers).Put([]byte(u.Username), data) }); err != nil {
		return fmt.Errorf("store: put user: %w", err)
	}
	return nil
}

// User returns an account, or ErrNotFound.
func (s *Store) User(username string) (queue.User, error) {
	var u queue.User
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketUsers).Get([]byte(username))
		if v == nil {
			return ErrNotFound
		}
		if err := json.Unmarshal(v, &u); err != nil {
			return badRecord("user", username, err)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return u, ErrNotFound
		}
		return u, fmt.Errorf("store: user: %w", err)
	}
	return u, nil
}

// Users lists all accounts by username.
func (s *Store) Users() ([]queue.User, error) {
	var out []queue.User
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
			var u queue.User
			if err := json.Unmarshal(v, &u); err != nil {
				return badRecord("user", string(k), err)
			}
			out = append(out, u)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	return out, nil
}

func sessionKey(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return []byte(hex.EncodeToString(h[:]))
}

// PutSession stores a session under a hash of its token.
func (s *Store) PutSession(token string, ss queue.Session) error {
	data, err := json.Marshal(ss)
	if err != nil {
		return fmt.Errorf("store: put session: %w", err)
	}
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSessions).Put(sessionKey(token), data) }); err != nil {
		return fmt.Errorf("store: put session: %w", err)
	}
	return nil
}

// Session returns the session of a token, or ErrNotFound.
func (s *Store) Session(token string) (queue.Session, error) {
	var ss queue.Session
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get(sessionKey(token))
		if v == nil {
			return ErrNotFound
		}
		if err := json.Unmarshal(v, &ss); err != nil {
			return badRecord("session", "", err)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return ss, ErrNotFound
		}
		return ss, fmt.Errorf("store: session: %w", err)
	}
	return ss, nil
}

// DeleteSession signs a token out.
func (s *Store) DeleteSession(token string) error {
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSessions).Delete(sessionKey(token)) }); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// ExpireSessions deletes the sessions expired at now and returns them.
func (s *Store) ExpireSessions(now time.Time) ([]queue.Session, error) {
	var gone []queue.Session
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		var keys [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var ss queue.Session
			if err := json.Unmarshal(v, &ss); err != nil || !now.Before(ss.ExpiresAt) {
				keys = append(keys, append([]byte(nil), k...))
				gone = append(gone, ss)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(keys) == 0 {
			return errNoChange // no commit: an idle night leaves the file as it is
		}
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: expire sessions: %w", err)
	}
	return gone, nil
}

// SignedIn returns the usernames that have a valid session at now, from one
// read of the sessions: the server asks every few seconds which desks have
// lost their clerk.
func (s *Store) SignedIn(now time.Time) (map[string]bool, error) {
	out := map[string]bool{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(_, v []byte) error {
			var ss queue.Session
			if json.Unmarshal(v, &ss) == nil && now.Before(ss.ExpiresAt) {
				out[ss.Username] = true
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: signed in: %w", err)
	}
	return out, nil
}

// SessionInfo is a stored session with its id: the hash of its token (a
// handle an admin may use to end it, useless to sign in with).
type SessionInfo struct {
	ID string
	queue.Session
}

// Sessions lists the sessions valid at now.
func (s *Store) Sessions(now time.Time) ([]SessionInfo, error) {
	var out []SessionInfo
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(k, v []byte) error {
			var ss queue.Session
			if json.Unmarshal(v, &ss) == nil && now.Before(ss.ExpiresAt) {
				out = append(out, SessionInfo{ID: string(k), Session: ss})
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store: sessions: %w", err)
	}
	return out, nil
}

// DeleteSessionByID ends the session with that id (see SessionInfo) and
// returns it, or ErrNotFound.
func (s *Store) DeleteSessionByID(id string) (queue.Session, error) {
	var ss queue.Session
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		v := b.Get([]byte(id))
		if v == nil {
			return ErrNotFound
		}
		_ = json.Unmarshal(v, &ss)
		return b.Delete([]byte(id))
	})
	if errors.Is(err, ErrNotFound) {
		return ss, ErrNotFound
	}
	if err != nil {
		return ss, fmt.Errorf("store: delete session: %w", err)
	}
	return ss, nil
}

// DeleteSessionsOf ends every session of username (a disabled account, a
// reset password) and says how many there were.
func (s *Store) DeleteSessionsOf(username string) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		var keys [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var ss queue.Session
			if json.Unmarshal(v, &ss) == nil && ss.Username == username {
				keys = append(keys, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(keys) == 0 {
			return errNoChange
		}
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		n = len(keys)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: delete sessions of %s: %w", username, err)
	}
	return n, nil
}

// SavedOffice returns the office definition the server last started with
// (SaveOffice), or ErrNotFound when none ever ran on this store.
func (s *Store) SavedOffice() (*queue.Office, error) {
	var o *queue.Office
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketConfig).Get([]byte("office"))
		if v == nil {
			return ErrNotFound
		}
		o = &queue.Office{}
		if err := json.Unmarshal(v, o); err != nil {
			return badRecord("config", "office", err)
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: saved office: %w", err)
	}
	return o, nil
}
