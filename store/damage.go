package store

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// DamagedError says the store file cannot be read as it should: a
// truncated file, a page overwritten by something else, a record that
// does not decode. Nothing was written to it.
type DamagedError struct {
	Path  string
	Cause error
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("store: %s is damaged: %v", e.Path, e.Cause)
}

func (e *DamagedError) Unwrap() error { return e.Cause }

// errBadRecord marks a record that does not decode: the file is damaged.
var errBadRecord = errors.New("a record does not decode")

func badRecord(kind, id string, err error) error {
	return fmt.Errorf("%w: %s %s: %v", errBadRecord, kind, id, err)
}

// safely runs fn, turning a panic inside it into a *DamagedError: bbolt
// panics on pages that are not what it expects ("invalid freelist page",
// "page expected to be N"), and follows page numbers read from the file,
// so a damaged file makes it read outside the memory map. That is a
// memory fault, which Go makes a panic only in a goroutine that asked for
// it: this one does for as long as fn runs. Damaged data is the one cause
// of both here; a bug of ours that panics inside a transaction is
// reported the same way, which is still better than the hall going dark.
func safely(path string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = &DamagedError{Path: path, Cause: fmt.Errorf("bbolt: %v", r)}
		}
	}()
	err = fn()
	if errors.Is(err, errBadRecord) {
		err = &DamagedError{Path: path, Cause: err}
	}
	return err
}

// openChecked opens the bbolt file at path and checks all of it before
// anything is written: that its pages are all there, that every page of
// every bucket reads as the page it should be, and bbolt's own
// consistency check (every page either in use once or free, keys in
// order). A file that fails is closed again, unchanged, with a
// *DamagedError. On a file of 30 busy days (180 MB) the check takes
// about 50 ms with the file in the page cache (see BenchmarkOpenCheck).
func openChecked(path string) (*bolt.DB, error) {
	// bbolt keeps its file to itself; when it panics inside Open it has
	// not handed the database back, so this is how the file is closed
	// (and its lock released) again.
	var file *os.File
	opts := &bolt.Options{Timeout: 2 * time.Second, OpenFile: func(name string, flag int, mode os.FileMode) (*os.File, error) {
		f, err := os.OpenFile(name, flag, mode)
		file = f
		return f, err
	}}
	var db *bolt.DB
	err := safely(path, func() error {
		var err error
		db, err = bolt.Open(path, 0o600, opts)
		return err
	})
	switch {
	case err == nil:
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("store: %s is in use by another process (is a server already running on it?)", path)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, &DamagedError{Path: path, Cause: fmt.Errorf("its header pages: %w", err)}
	default:
		if db == nil && file != nil {
			file.Close()
		}
		var de *DamagedError
		if errors.As(err, &de) {
			if fi, serr := os.Stat(path); serr == nil {
				de.Cause = fmt.Errorf("%w (the file holds %d bytes)", de.Cause, fi.Size())
			}
			return nil, err
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := check(path, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// check reads the whole open file (see openChecked).
func check(path string, db *bolt.DB) error {
	return safely(path, func() error {
		return db.View(func(tx *bolt.Tx) error {
			fi, err := os.Stat(path)
			if err != nil {
				return err
			}
			if fi.Size() < tx.Size() {
				return &DamagedError{Path: path, Cause: fmt.Errorf("the file is cut short: %d bytes where its pages reach %d", fi.Size(), tx.Size())}
			}
			// Reach every page first, in this goroutine, where a page
			// number read from a damaged page faults into a panic that
			// safely catches. tx.Check reads in a goroutine of its own,
			// where a fault would end the program; after this walk it
			// only meets pages that read.
			if err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walk(b) }); err != nil {
				return err
			}
			var errs []error
			for err := range tx.Check() { // read to the end: Check's goroutine waits for each
				if len(errs) < 3 {
					errs = append(errs, err)
				}
			}
			if len(errs) > 0 {
				return &DamagedError{Path: path, Cause: fmt.Errorf("bbolt's consistency check: %w", errors.Join(errs...))}
			}
			return nil
		})
	})
}

// walk reads every key of b and of the buckets inside it.
func walk(b *bolt.Bucket) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v != nil {
			continue
		}
		if inner := b.Bucket(k); inner != nil {
			if err := walk(inner); err != nil {
				return err
			}
		}
	}
	return nil
}
