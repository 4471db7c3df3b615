package store

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Epochs: the journal's sequence numbers name events outside the hall (the
// city link's message ids are hall/epoch/seq). When the journal is restored
// from a backup, the seqs after the copy's last are written again with
// other events, so the store starts a new epoch whose first seq is the one
// after the restored journal's last: the ids never collide, and whoever
// holds the older epoch's events past that point knows to drop them.
//
// The store knows it was restored by a generation kept twice: in the file
// (meta/generation) and in the marker beside it. Every backup moves the
// live file and the marker to a new generation after its copy is taken,
// so no copy ever carries the marker's generation: a copy put back in the
// folder shows a mismatch at the next start, and a new epoch begins. A
// file whose marker is missing or of another generation for any other
// reason (a crash between the two writes, a folder restored from
// elsewhere) gets a new epoch too: an epoch too many costs nothing,
// one too few would lose events at the centre.

var (
	keyEpochs     = []byte("epochs")
	keyGeneration = []byte("generation")
)

// Epoch is one stretch of the journal's history.
type Epoch struct {
	ID    string    `json:"id"`
	Base  uint64    `json:"base"` // its first seq
	Since time.Time `json:"since"`
	Why   string    `json:"why,omitempty"`
}

// newID returns a fresh, time-ordered id: 20260315T101502Z-3f9a1c.
func newID(now time.Time) string {
	var b [3]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("store: no randomness: " + err.Error())
	}
	return now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

func readEpochs(tx *bolt.Tx) ([]Epoch, error) {
	data := tx.Bucket(bucketMeta).Get(keyEpochs)
	if data == nil {
		return nil, nil
	}
	var out []Epoch
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, badRecord("meta", string(keyEpochs), err)
	}
	return out, nil
}

func putEpochs(tx *bolt.Tx, es []Epoch) error {
	data, err := json.Marshal(es)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keyEpochs, data)
}

// Epochs returns the journal's epochs, oldest first; the last is the
// current one.
func (s *Store) Epochs() ([]Epoch, error) {
	var out []Epoch
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = readEpochs(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: epochs: %w", err)
	}
	return out, nil
}

// NewEpoch starts a new epoch at seq base (at most the journal's last + 1):
// for a consumer that learns from outside that events up to its own
// acknowledgement came from another history of this journal (a file put
// back by other means than langelis backup).
func (s *Store) NewEpoch(base uint64, why string) (Epoch, error) {
	var e Epoch
	err := s.update(func(tx *bolt.Tx) error {
		es, err := readEpochs(tx)
		if err != nil {
			return err
		}
		last := uint64(0)
		if k, _ := tx.Bucket(bucketEvents).Cursor().Last(); k != nil {
			last = btoi(k)
		}
		base = min(max(base, 1), last+1)
		now := s.now()
		e = Epoch{ID: newID(now), Base: base, Since: now.UTC(), Why: why}
		return putEpochs(tx, append(es, e))
	})
	if err != nil {
		return e, fmt.Errorf("store: new epoch: %w", err)
	}
	return e, nil
}

// checkEpoch compares the file's generation with the marker's, for the
// live store at open, and starts a new epoch when they differ.
func (s *Store) checkEpoch() error {
	m, _ := readMarker(s.path)
	var gen string
	err := s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		fileGen := string(meta.Get(keyGeneration))
		switch {
		case fileGen != "" && fileGen == m.Generation:
			return errNoChange
		case fileGen != "" || m.Generation != "":
			// Restored, or moved on without its marker: a new epoch.
			es, err := readEpochs(tx)
			if err != nil {
				return err
			}
			last := uint64(0)
			if k, _ := tx.Bucket(bucketEvents).Cursor().Last(); k != nil {
				last = btoi(k)
			}
			now := s.now()
			es = append(es, Epoch{ID: newID(now), Base: last + 1, Since: now.UTC(),
				Why: "the store's generation differs from its marker's: restored from a copy"})
			if err := putEpochs(tx, es); err != nil {
				return err
			}
		}
		// A file from before generations (or a new one) just takes one.
		gen = newID(s.now())
		return meta.Put(keyGeneration, []byte(gen))
	})
	if err != nil || gen == "" {
		return err
	}
	return writeMarkerGeneration(s.path, gen)
}

// nextGeneration moves the live file and its marker to a new generation:
// after a backup, so that the copy's is no longer the marker's.
func (s *Store) nextGeneration() error {
	gen := newID(s.now())
	err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyGeneration, []byte(gen)) })
	if err != nil {
		return err
	}
	return writeMarkerGeneration(s.path, gen)
}

// readMarker reads the marker of the store at path.
func readMarker(path string) (Marker, error) {
	var m Marker
	data, err := os.ReadFile(MarkerPath(path))
	if err != nil {
		return m, err
	}
	err = json.Unmarshal(data, &m)
	return m, err
}

// writeMarkerGeneration writes the marker with generation gen, keeping
// when it was created.
func writeMarkerGeneration(path, gen string) error {
	m, err := readMarker(path)
	if err != nil {
		m = newMarker(path)
	}
	m.Generation = gen
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if _, err := WriteFileAtomic(MarkerPath(path), func(w io.Writer) (int64, error) {
		n, err := w.Write(append(data, '\n'))
		return int64(n), err
	}); err != nil {
		return fmt.Errorf("store: marker: %w", err)
	}
	return nil
}
