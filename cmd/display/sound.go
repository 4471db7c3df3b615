package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"sync"

	"langelis/announce"
	"langelis/client"
)

// players are the local sound players tried in turn; the first on PATH
// plays the WAV files.
var players = [][]string{
	{"pw-play"},
	{"paplay"},
	{"aplay", "-q"},
	{"ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"},
	{"afplay"},
}

// call is one announcement to make.
type call struct {
	Number string
	Desk   int
}

// speaker plays the chime and the spoken call, one call after another,
// in the order the calls came; none is dropped.
type speaker struct {
	c      *client.Client
	log    *slog.Logger
	player []string
	local  *announce.Espeak // speaks when the server cannot, if installed here

	mu    sync.Mutex
	queue []call
	wake  chan struct{}
	chime []byte
}

// newSpeaker finds a player; without one the board stays silent and says
// so in the log.
func newSpeaker(c *client.Client, log *slog.Logger) *speaker {
	s := &speaker{c: c, log: log, wake: make(chan struct{}, 1), local: announce.NewEspeak()}
	for _, p := range players {
		if _, err := exec.LookPath(p[0]); err == nil {
			s.player = p
			break
		}
	}
	return s
}

// Mode says how the board sounds, for the log.
func (s *speaker) Mode() string {
	if s.player == nil {
		return "silent: no sound player found (install alsa-utils for aplay, or pipewire/pulseaudio)"
	}
	how := "the server's espeak-ng audio"
	if s.local.Available() {
		how += ", or the local espeak-ng when the server has none"
	}
	return fmt.Sprintf("chime and %s, played with %s", how, s.player[0])
}

// Say queues a call's announcement.
func (s *speaker) Say(c call) {
	if s.player == nil {
		return
	}
	s.mu.Lock()
	s.queue = append(s.queue, c)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run announces the queued calls until ctx ends.
func (s *speaker) Run(ctx context.Context) {
	for {
		s.mu.Lock()
		var next *call
		if len(s.queue) > 0 {
			next = &s.queue[0]
			s.queue = s.queue[1:]
		}
		s.mu.Unlock()
		if next == nil {
			select {
			case <-ctx.Done():
				return
			case <-s.wake:
			}
			continue
		}
		if err := s.announce(ctx, *next); err != nil && ctx.Err() == nil {
			s.log.Warn("display: announcement", "number", next.Number, "err", err)
		}
	}
}

func (s *speaker) announce(ctx context.Context, c call) error {
	if s.chime == nil {
		chime, err := s.c.Audio(ctx, "/static/sounds/chime.wav")
		if err != nil {
			return err
		}
		s.chime = chime
	}
	if err := s.play(ctx, s.chime); err != nil {
		return err
	}
	a, err := s.c.Announcement(ctx, c.Number, c.Desk)
	if err != nil {
		return err
	}
	for _, it := range a.Items {
		var wav []byte
		switch {
		case it.Audio != "":
			wav, err = s.c.Audio(ctx, it.Audio)
		case s.local.Available():
			wav, err = s.local.WAV(ctx, it.Lang, it.Text)
		default:
			continue // the chime alone
		}
		if err != nil {
			return err
		}
		if err := s.play(ctx, wav); err != nil {
			return err
		}
	}
	return nil
}

// play writes wav to a temporary file and plays it to its end.
func (s *speaker) play(ctx context.Context, wav []byte) error {
	f, err := os.CreateTemp("", "langelis-*.wav")
	if err != nil {
		return fmt.Errorf("display: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(wav); err != nil {
		f.Close()
		return fmt.Errorf("display: %w", err)
	}
	f.Close()
	cmd := exec.CommandContext(ctx, s.player[0], append(s.player[1:], f.Name())...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("display: %s: %w: %s", s.player[0], err, out)
	}
	return nil
}
