package announce

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os/exec"
	"sync"
)

// ErrNoSpeech means espeak-ng is not installed; the caller falls back to
// the browser's speech or to the chime alone.
var ErrNoSpeech = errors.New("announce: espeak-ng is not installed")

// voices maps a visitor language to its espeak-ng voice.
var voices = map[string]string{"lt": "lt", "en": "en-gb", "ru": "ru", "pl": "pl", "uk": "uk", "bg": "bg"}

// cacheSize bounds the speech cache: a day's calls repeat the same few
// hundred sentences (recalls, the second language), and each is ~100 KB.
const cacheSize = 256

// Espeak makes speech audio with the espeak-ng program and remembers the
// latest results, so a recall or a second display costs nothing. One
// synthesis runs at a time: the hall announces one call at a time anyway,
// and the machine stays free for the queue. The zero value is not usable;
// call NewEspeak.
type Espeak struct {
	path string // "" when espeak-ng is missing

	run   sync.Mutex // one espeak-ng at a time
	mu    sync.Mutex
	cache map[string][]byte
	order []string // cache keys, oldest first
}

// NewEspeak finds espeak-ng on PATH.
func NewEspeak() *Espeak {
	p, _ := exec.LookPath("espeak-ng")
	return &Espeak{path: p, cache: map[string][]byte{}}
}

// Available reports whether espeak-ng was found.
func (e *Espeak) Available() bool { return e.path != "" }

// WAV returns text spoken in lang as a WAV file (16-bit mono PCM).
func (e *Espeak) WAV(ctx context.Context, lang, text string) ([]byte, error) {
	if e.path == "" {
		return nil, ErrNoSpeech
	}
	voice, ok := voices[lang]
	if !ok {
		return nil, fmt.Errorf("announce: no voice for language %q", lang)
	}
	key := lang + "\x00" + text
	if b := e.cached(key); b != nil {
		return b, nil
	}
	e.run.Lock()
	defer e.run.Unlock()
	if b := e.cached(key); b != nil { // made while this call waited its turn
		return b, nil
	}
	var out, errOut bytes.Buffer
	// The text goes in on stdin, never as an argument, so nothing in it can
	// be taken for an option. 150 words a minute, a little under espeak's
	// 175, carries better across a hall.
	cmd := exec.CommandContext(ctx, e.path, "-v", voice, "-s", "150", "--stdout")
	cmd.Stdin = bytes.NewBufferString(text)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("announce: espeak-ng: %w: %s", err, bytes.TrimSpace(errOut.Bytes()))
	}
	wav, err := fixWAVSizes(out.Bytes())
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.cache[key]; !ok {
		e.cache[key] = wav
		e.order = append(e.order, key)
		if len(e.order) > cacheSize {
			delete(e.cache, e.order[0])
			e.order = e.order[1:]
		}
	}
	return wav, nil
}

func (e *Espeak) cached(key string) []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cache[key]
}

// fixWAVSizes writes the real lengths into a WAV header. espeak-ng writing
// to a pipe cannot seek back, so it leaves 0x7ffff000-ish placeholders
// that some players reject and browsers read as a stream of unknown end.
func fixWAVSizes(b []byte) ([]byte, error) {
	if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, errors.New("announce: espeak-ng did not write a WAV file")
	}
	binary.LittleEndian.PutUint32(b[4:8], uint32(len(b)-8))
	for i := 12; i+8 <= len(b); {
		id, size := string(b[i:i+4]), int(binary.LittleEndian.Uint32(b[i+4:i+8]))
		if id == "data" {
			binary.LittleEndian.PutUint32(b[i+4:i+8], uint32(len(b)-i-8))
			return b, nil
		}
		i += 8 + size
	}
	return nil, errors.New("announce: espeak-ng's WAV has no data chunk")
}
