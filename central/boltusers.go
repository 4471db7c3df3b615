package central

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"

	"langelis/queue"
)

// PutUser adds or replaces a staff account of the centre.
func (s *Bolt) PutUser(u queue.User) error {
	data, err := json.Marshal(u)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketUsers).Put([]byte(u.Username), data) })
}

// User returns one staff account, or ErrNotFound.
func (s *Bolt) User(name string) (queue.User, error) {
	var u queue.User
	err := s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucketUsers).Get([]byte(name))
		if data == nil {
			return ErrNotFound
		}
		return json.Unmarshal(data, &u)
	})
	return u, err
}

// Users lists the staff accounts.
func (s *Bolt) Users() ([]queue.User, error) {
	var out []queue.User
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(_, v []byte) error {
			var u queue.User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	})
	return out, err
}

func tokenKey(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return []byte(hex.EncodeToString(h[:]))
}

// PutSession keeps a sign-in by the hash of its token.
func (s *Bolt) PutSession(token string, ss queue.Session) error {
	data, err := json.Marshal(ss)
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSessions).Put(tokenKey(token), data) })
}

// Session returns the sign-in of token, or ErrNotFound (also when expired at now).
func (s *Bolt) Session(token string, now time.Time) (queue.Session, error) {
	var ss queue.Session
	err := s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucketSessions).Get(tokenKey(token))
		if data == nil {
			return ErrNotFound
		}
		return json.Unmarshal(data, &ss)
	})
	if err == nil && !now.Before(ss.ExpiresAt) {
		return ss, ErrNotFound
	}
	return ss, err
}

// DeleteSession ends a sign-in.
func (s *Bolt) DeleteSession(token string) error {
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSessions).Delete(tokenKey(token)) })
}

// ExpireSessions deletes the sign-ins expired at now.
func (s *Bolt) ExpireSessions(now time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSessions)
		var gone [][]byte
		b.ForEach(func(k, v []byte) error {
			var ss queue.Session
			if json.Unmarshal(v, &ss) != nil || !now.Before(ss.ExpiresAt) {
				gone = append(gone, append([]byte(nil), k...))
			}
			return nil
		})
		for _, k := range gone {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}
