package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"langelis/store"
)

// openStore opens the office's store in dir for the admin commands, as
// the server opens it: a damaged, missing or emptied file is explained,
// never started afresh.
func openStore(dir string) (*store.Store, error) {
	s, err := store.OpenWith(filepath.Join(dir, store.FileName), store.Options{Live: true, Evidence: []string{infoFile}})
	return s, explainStore(err, dir)
}

// explainStore turns the store's refusals into what the operator does
// next (README "Backup and restore"); other errors pass as they are.
func explainStore(err error, dir string) error {
	var damaged *store.DamagedError
	var missing *store.MissingError
	switch {
	case errors.As(err, &damaged):
		return refusal(err, `%s is damaged, so the office was not started on it.
  What is wrong: %v
Nothing was written to it. To go on (README, "Backup and restore"):
  1. keep the damaged file aside:  mv %s %s.damaged
  2. put the newest backup in its place:  cp BACKUP.db %s
     (backups are what "langelis backup --data %s FILE" wrote)
  3. start the server again.
Tickets issued after that backup are not in it: check the numbers handed out since.`,
			damaged.Path, damaged.Cause, damaged.Path, damaged.Path, damaged.Path, dir)
	case errors.As(err, &missing):
		what := "is missing"
		if missing.Empty {
			what = "is empty (0 bytes)"
		}
		return refusal(err, `%s %s, but this folder shows that an office already ran here:
  %s
Starting an empty store would number today's tickets from A001 again while
the tickets already handed out carry those numbers. To go on (README, "Backup and restore"):
  - if the file was moved or its disk swapped, put it back;
  - or put the newest backup in its place:  cp BACKUP.db %s
    (backups are what "langelis backup --data %s FILE" wrote);
  - or, to start a new, empty store on purpose, run the server with --new-store.`,
			missing.Path, what, strings.Join(missing.Evidence, "\n  "), missing.Path, dir)
	}
	return err
}

// storeRefusal is the store's error told for the operator.
type storeRefusal struct {
	msg string
	err error
}

func refusal(err error, format string, args ...any) error {
	return &storeRefusal{msg: fmt.Sprintf(format, args...), err: err}
}

func (r *storeRefusal) Error() string { return r.msg }
func (r *storeRefusal) Unwrap() error { return r.err }
