// Package office reads the office definition file: the one file a hall's
// administrator edits by hand to say what the hall serves, at which desks
// and when.
//
// Because a person edits it, every mistake is reported the way a compiler
// reports one, as FILE:LINE: what is wrong, and as many mistakes as can be
// found are reported at once, so one round of editing fixes them all.
// Anything the file does not say is filled in by queue.Office.ApplyDefaults,
// and queue.Office.Validate has the last word, so this package and the
// domain cannot disagree about what a valid office is.
//
// example.yaml in this folder is the commented reference of the format;
// demo.yaml is the built-in demo office behind Demo.
package office

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	// The office time zone is looked up by name (Europe/Vilnius by
	// default). Kiosk PCs and slim containers often have no zoneinfo
	// database; the embedded copy is only used when the system has none.
	_ "time/tzdata"

	"langelis/queue"
)

// MaxSize bounds the office file. A real one is a few kilobytes; the bound
// keeps a wrong path (a log file, a disk image) from being read whole.
const MaxSize = 1 << 20

// Error is one mistake in an office file. It is exported so a caller such
// as the admin page can point at the line instead of parsing the message.
type Error struct {
	File string // the name given to Parse, or the path given to Load
	Line int    // 1-based; 0 when the mistake has no single place
	Msg  string
	// Key and Args, when Key is set, are the mistake as a keyed message
	// (assets/web/i18n/errors), for the admin pages to say in the
	// person's language; Msg is its English text plus what only a reader
	// of the file needs (a line to compare with, a guess at a typo).
	Key  string
	Args []any
}

// Error formats the mistake as FILE:LINE: message, the form editors and
// terminals recognise, or FILE: message when there is no line.
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Load reads and validates the office file at path. Messages name the file
// by path as given, so they can be pasted into an editor's "go to" prompt.
func Load(path string) (*queue.Office, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, readError(path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, readError(path, err)
	}
	return Parse(path, data)
}

// readError drops the path that fs.PathError repeats, so the message still
// starts with the file name exactly once; fs.ErrNotExist and its kin still
// match through errors.Is.
func readError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: cannot read the office file: %w", path, err)
}

// Parse parses data; name is used in error messages (the file name).
// The returned office has its defaults applied and has passed Validate.
func Parse(name string, data []byte) (*queue.Office, error) {
	if len(data) > MaxSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("the file is larger than %d bytes; is it really the office file?", MaxSize)}
	}
	p := &parser{file: name, data: data}
	o := p.parse()
	if err := p.err(); err != nil {
		return nil, err
	}
	o.ApplyDefaults()
	if err := o.Validate(); err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	return o, nil
}

//go:embed demo.yaml
var demoYAML []byte

//go:embed busy.yaml
var busyYAML []byte

// Busy returns the built-in busy office: a district hall with more
// visitors in the afternoon than its four desks serve, closing at 17:00
// and at 15:45 on Friday (busy.yaml). The simulator measures forecasts
// and policies on it. Each call returns a fresh office.
func Busy() *queue.Office {
	o, err := Parse("busy.yaml", busyYAML)
	if err != nil {
		panic("office: the built-in busy office is broken: " + err.Error())
	}
	return o
}

//go:embed demo-bg.yaml
var demoBGYAML []byte

// DemoNamed returns a built-in demo office by name, validated and fresh:
// "" (or "lt") is Demo, the Vilnius hall with Lithuanian first; "bg" the
// Sofia hall with Bulgarian first (demo-bg.yaml).
func DemoNamed(name string) (*queue.Office, error) {
	switch name {
	case "", "lt":
		return Demo(), nil
	case "bg":
		o, err := Parse("demo-bg.yaml", demoBGYAML)
		if err != nil {
			panic("office: the built-in Bulgarian demo is broken: " + err.Error())
		}
		return o, nil
	}
	return nil, fmt.Errorf("no demo office %q: give --demo alone for the Vilnius one, or --demo=bg", name)
}

// Demo returns the built-in demo office, validated. It is kept as a YAML
// file rather than Go code so that it is one more worked example of the
// format, and so that the demo and real offices take the same path.
// Each call returns a fresh office that the caller may change.
func Demo() *queue.Office {
	o, err := Parse("demo.yaml", demoYAML)
	if err != nil {
		// The tests parse demo.yaml, so this only fires after an untested edit.
		panic("office: the built-in demo is broken: " + err.Error())
	}
	return o
}
