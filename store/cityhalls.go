package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// What the city's centre sends down the wire, kept in the config bucket
// as it came (JSON), so a hall has it while cut off and after a restart:
// the list of halls (city_halls), and the names of the accounts the
// centre manages here (city_staff: staff who work in several halls; the
// accounts themselves are in users/ like any other).

var (
	keyCityHalls = []byte("city_halls")
	keyCityStaff = []byte("city_staff")
)

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

// SaveCityStaff keeps the names of the accounts the centre manages here.
func (s *Store) SaveCityStaff(names []string) error {
	data, err := json.Marshal(names)
	if err != nil {
		return err
	}
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketConfig).Put(keyCityStaff, data) }); err != nil {
		return fmt.Errorf("store: city staff: %w", err)
	}
	return nil
}

// CityStaff returns the names of the accounts the centre manages here.
func (s *Store) CityStaff() ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketConfig).Get(keyCityStaff); v != nil {
			return json.Unmarshal(v, &out)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: city staff: %w", err)
	}
	return out, nil
}
