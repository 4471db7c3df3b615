package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole file to w while the server
// keeps running (a bbolt read transaction sees one point in time). A
// backup waits for a running purge to finish its compaction, so that no
// copy holds the pages of what was purged.
func (s *Store) Backup(w io.Writer) (int64, error) {
	s.maint.RLock()
	defer s.maint.RUnlock()
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store: backup: %w", err)
	}
	// The copy keeps the generation it was taken at; the live file moves
	// on, so the copy, if ever put back, starts a new epoch (epoch.go).
	if s.opt.Live {
		if err := s.nextGeneration(); err != nil {
			return n, fmt.Errorf("store: backup: the copy is whole, but the store's generation did not move on: %w", err)
		}
	}
	return n, nil
}

// BackupFile writes a consistent copy to path, via a temporary file and a
// rename so that a half-written copy never carries the final name.
func (s *Store) BackupFile(path string) (int64, error) {
	return WriteFileAtomic(path, func(w io.Writer) (int64, error) { return s.Backup(w) })
}

// WriteFileAtomic writes path through fn into a temporary file in the same
// folder, fsyncs it, renames it into place and fsyncs the folder, so that
// after a crash path is either the old file or the whole new one.
func WriteFileAtomic(path string, fn func(io.Writer) (int64, error)) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".write-*")
	if err != nil {
		return 0, fmt.Errorf("store: write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	n, err := fn(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		return 0, fmt.Errorf("store: write %s: %w", path, err)
	}
	return n, nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
