package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"langelis/client"
	"langelis/internal/e2e"
)

// Calls announced in quick succession play in call order, each as the
// chime, then Lithuanian, then English, and never two sounds at once. The
// player is a shell script that notes what it plays, with a marker file
// that shows whether another sound was still playing.
func TestSpeakerPlaysCallsInOrder(t *testing.T) {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		t.Skip("espeak-ng is not installed; the server has no speech to play")
	}
	s := e2e.Start(t, e2e.Options{})
	dir := t.TempDir()
	logPath, busy := filepath.Join(dir, "played"), filepath.Join(dir, "busy")
	script := fmt.Sprintf(`[ -e %[1]s ] && echo OVERLAP >> %[2]s; touch %[1]s; wc -c < "$1" >> %[2]s; sleep 0.02; rm %[1]s`, busy, logPath)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := client.New(s.URL, client.WithLogger(log))
	sp := newSpeaker(c, log)
	sp.player = []string{"sh", "-c", script, "player"}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go sp.Run(ctx)
	calls := []call{{"A001", 1}, {"B002", 2}, {"A001", 1}, {"C010", 4}}
	for _, c := range calls {
		sp.Say(c)
	}
	// What each announcement should sound like: its three files' sizes.
	size := func(path string) string {
		b, err := c.Audio(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(len(b))
	}
	var want []string
	for _, cl := range calls {
		a, err := c.Announcement(ctx, cl.Number, cl.Desk)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, size("/static/sounds/chime.wav"), size(a.Items[0].Audio), size(a.Items[1].Audio))
	}
	var got []string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && len(got) < len(want); time.Sleep(50 * time.Millisecond) {
		b, _ := os.ReadFile(logPath)
		got = strings.Fields(string(b))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("played (file sizes) %v\nwant %v", got, want)
	}
}
