package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The marker is a small file beside the office's live store (langelis.id
// beside langelis.db), written once the store exists. A store file that is
// missing or empty where the marker is, is not a first start: the file was
// lost, moved or wiped, and starting an empty store would start the day's
// numbering again at A001 while the morning's paper tickets are out.

// Marker is what the marker file holds.
type Marker struct {
	File    string    `json:"file"`    // the store's file name
	Created time.Time `json:"created"` // when this store was first opened
	Note    string    `json:"note"`
	// Generation is the live file's generation (epoch.go): a file whose
	// own differs was put back from a copy.
	Generation string `json:"generation,omitempty"`
}

// MarkerPath is the marker file of the store at path.
func MarkerPath(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".id"
}

// MissingError says the office's store file is missing or empty in a data
// folder that shows an office already ran there.
type MissingError struct {
	Path     string
	Empty    bool     // the file is there with 0 bytes
	Evidence []string // the files that show an office ran here
	Since    time.Time
}

func (e *MissingError) Error() string {
	what := "is missing"
	if e.Empty {
		what = "is empty (0 bytes)"
	}
	since := ""
	if !e.Since.IsZero() {
		since = fmt.Sprintf(" (its store was created %s)", e.Since.Format("2006-01-02 15:04"))
	}
	return fmt.Sprintf("store: %s %s, but %s show that an office already ran in this folder%s",
		e.Path, what, strings.Join(e.Evidence, ", "), since)
}

// refuseMissing returns a *MissingError when the file at path is missing
// or empty while its folder holds the marker, a file named in extra, or
// another store file (a backup kept beside it).
func refuseMissing(path string, extra []string) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.Size() > 0:
		return nil
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("store: %w", err)
	}
	dir := filepath.Dir(path)
	var evidence []string
	var since time.Time
	if data, err := os.ReadFile(MarkerPath(path)); err == nil {
		evidence = append(evidence, MarkerPath(path))
		var m Marker
		if json.Unmarshal(data, &m) == nil {
			since = m.Created
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		full := filepath.Join(dir, name)
		if full == path || e.IsDir() {
			continue
		}
		for _, x := range extra {
			if name == x {
				evidence = append(evidence, full)
			}
		}
		if filepath.Ext(name) == ".db" {
			evidence = append(evidence, full)
		}
	}
	if len(evidence) == 0 {
		return nil
	}
	return &MissingError{Path: path, Empty: err == nil, Evidence: evidence, Since: since}
}

func newMarker(path string) Marker {
	return Marker{File: filepath.Base(path), Created: time.Now().UTC(),
		Note: "Langelis keeps this office's data in " + filepath.Base(path) + " beside this file. " +
			"While this file is here, a missing or empty " + filepath.Base(path) + " is refused at start " +
			"(restore a backup, or start a new store with --new-store)."}
}

// writeMarker writes the marker of the store at path unless it is there.
func writeMarker(path string) error {
	mp := MarkerPath(path)
	if _, err := os.Stat(mp); err == nil {
		return nil
	}
	data, err := json.MarshalIndent(newMarker(path), "", "  ")
	if err != nil {
		return err
	}
	if _, err := WriteFileAtomic(mp, func(w io.Writer) (int64, error) {
		n, err := w.Write(append(data, '\n'))
		return int64(n), err
	}); err != nil {
		return fmt.Errorf("store: marker: %w", err)
	}
	return nil
}
