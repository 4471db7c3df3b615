package server

import (
	"log/slog"
	"sync"
	"time"
)

// alarmEvery is how often one kind of alarm may reach the log. A flood is
// thousands of refusals a minute; the person reading the log needs one line
// that says it is happening, and how much, not thousands.
const alarmEvery = time.Minute

// alarm writes a warning to the log when a guard refuses a flood (of
// tickets, of sign-ins), at most once per alarmEvery for each kind, with
// the number of refusals held back since the last line. It runs on real
// time, like the guards themselves.
type alarm struct {
	log *slog.Logger

	mu   sync.Mutex
	last map[string]time.Time // kind → when it was last logged
	held map[string]int       // kind → refusals since then, not logged
}

func newAlarm(log *slog.Logger) *alarm {
	return &alarm{log: log, last: map[string]time.Time{}, held: map[string]int{}}
}

// raise reports one refusal of kind. args are the refusal's details (the
// address, the kiosk); the held-back count is added to them.
func (a *alarm) raise(now time.Time, kind, msg string, args ...any) {
	a.mu.Lock()
	last, ok := a.last[kind]
	if ok && now.Sub(last) < alarmEvery {
		a.held[kind]++
		a.mu.Unlock()
		return
	}
	held := a.held[kind]
	a.last[kind], a.held[kind] = now, 0
	a.mu.Unlock()
	a.log.Warn(msg, append(args, "kind", kind, "refused_since_last_alarm", held)...)
}
