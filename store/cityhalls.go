package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The list of halls the city's centre sends down the wire, kept in the
// config bucket as it came (JSON), so a hall has it while cut off and
// after a restart.

var keyCityHalls = []byte("city_halls")

// SaveCityHalls keeps the centre's list of halls.
func (s *Store) SaveCityHalls(data []byte) error {
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketConfig).Put(keyCityHalls, data) }); err != nil {
		return fmt.Errorf("store: city halls: %w", err)
	}
	return nil
}

// CityHalls returns the list of halls last received; nil when none was.
func (s *Store) CityHalls() ([]byte, error) {
	var out []byte
	err := s.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketConfig).Get(keyCityHalls); v != nil {
			out = append([]byte(nil), v...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: city halls: %w", err)
	}
	return out, nil
}
