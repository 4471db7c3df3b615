package queue

import (
	"context"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"langelis/priority"
)

// The manager's hold on the running hall (/admin/live): pausing the calls
// of a service, and a short message on the hall display. Both are events
// of the journal like any desk action: durable, ordered, replayed after a
// restart, heard live by every screen. Both last until they are lifted (a
// resume, the message's end time) or the day ends.
//
// A paused service is skipped by Next at every desk (and by the numbers a
// desk sees coming); a clerk may still call one of its tickets by number.
// The kiosk still issues its tickets, and the estimates still count on its
// desks: a pause is for minutes (a system down behind the counter, a
// meeting), and refusing visitors at the door for it would send them home
// for nothing. Only staff hear of a pause: the hall sees its line stand.

// The hall events.
const (
	ServicePaused  EventType = "service.paused"
	ServiceResumed EventType = "service.resumed"
	DisplayMessage EventType = "display.message"
)

// ServicePause is a service whose calls the manager paused.
type ServicePause struct {
	Service string    `json:"service"`
	By      string    `json:"by"`
	Since   time.Time `json:"since"`
	Reason  string    `json:"reason,omitempty"`
}

// HallMessage is a short message on the hall display, in the office's
// first two languages, until its end time (office clock). An event with an
// empty message takes the message down.
type HallMessage struct {
	Text  map[string]string `json:"text"` // by language
	Until time.Time         `json:"until"`
}

// MaxHallMessage is the longest message in one language, in characters:
// what the display's message line shows at 1920x1080 without covering the
// calls.
const MaxHallMessage = 140

// MaxHallMessageHours is how far ahead a message may end.
const MaxHallMessageHours = 12

// Showing reports whether m is on the display at now.
func (m *HallMessage) Showing(now time.Time) bool {
	return m != nil && len(m.Text) > 0 && now.Before(m.Until)
}

// hall is the state's part the manager holds.
type hall struct {
	paused  map[string]ServicePause
	message *HallMessage
}

// applyHall folds a hall event into the state; it reports whether ev was
// one.
func (st *State) applyHall(ev Event) bool {
	switch ev.Type {
	case ServicePaused:
		if ev.Pause != nil {
			if st.hall.paused == nil {
				st.hall.paused = map[string]ServicePause{}
			}
			st.hall.paused[ev.Pause.Service] = *ev.Pause
		}
	case ServiceResumed:
		if ev.Pause != nil {
			delete(st.hall.paused, ev.Pause.Service)
		}
	case DisplayMessage:
		st.hall.message = nil
		if ev.Message != nil && len(ev.Message.Text) > 0 {
			m := *ev.Message
			m.Text = maps.Clone(m.Text)
			st.hall.message = &m
		}
	default:
		return false
	}
	return true
}

// callable is desk d as Next sees it: its services less the paused ones.
func (st *State) callable(d *Desk) priority.Desk {
	pd := policyDesk(d)
	if len(st.hall.paused) == 0 {
		return pd
	}
	pd.Services = slices.DeleteFunc(slices.Clone(pd.Services), func(s string) bool {
		_, paused := st.hall.paused[s]
		return paused
	})
	return pd
}

// pausedList is the paused services by letter.
func (st *State) pausedList() []ServicePause {
	out := make([]ServicePause, 0, len(st.hall.paused))
	for _, p := range st.hall.paused {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Service < out[j].Service })
	return out
}

// PauseService pauses the calls of a service at every desk.
func (e *Engine) PauseService(ctx context.Context, letter, reason string, a Actor) (ServicePause, error) {
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		if _, ok := e.office.Service(letter); !ok {
			return nil, E(ENOTFOUND, "err.service.unknown", "service", Clip(letter))
		}
		if _, ok := e.st.hall.paused[letter]; ok {
			return nil, E(ECONFLICT, "err.service.already_paused", "service", letter)
		}
		reason, err := checkReason(reason, false)
		if err != nil {
			return nil, err
		}
		p := ServicePause{Service: letter, By: a.User, Since: tx.now, Reason: reason}
		tx.emit(Event{Type: ServicePaused, Actor: a.User, Reason: reason, Pause: &p})
		return p, nil
	})
	if err != nil {
		return ServicePause{}, err
	}
	return res.(ServicePause), nil
}

// ResumeService lets the desks call a paused service again.
func (e *Engine) ResumeService(ctx context.Context, letter string, a Actor) (ServicePause, error) {
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		p, ok := e.st.hall.paused[letter]
		if !ok {
			return nil, E(ECONFLICT, "err.service.not_paused", "service", Clip(letter))
		}
		tx.emit(Event{Type: ServiceResumed, Actor: a.User, Pause: &p})
		return p, nil
	})
	if err != nil {
		return ServicePause{}, err
	}
	return res.(ServicePause), nil
}

// SetHallMessage puts a message on the hall display until its end time,
// or with no text takes the current one down. The texts must be in the
// office's first language at least; each language's text is at most
// MaxHallMessage characters, one line.
func (e *Engine) SetHallMessage(ctx context.Context, m HallMessage, a Actor) (*HallMessage, error) {
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		text := map[string]string{}
		for lang, s := range m.Text {
			s = strings.Join(strings.Fields(s), " ")
			if s == "" {
				continue
			}
			if !slices.Contains(e.office.Languages, lang) && lang != e.office.FirstLanguage() {
				return nil, E(EINVALID, "err.message.language", "lang", Clip(lang))
			}
			if utf8.RuneCountInString(s) > MaxHallMessage {
				return nil, E(EINVALID, "err.message.long", "n", MaxHallMessage)
			}
			text[lang] = s
		}
		if len(text) == 0 {
			if !e.st.hall.message.Showing(tx.now) {
				return nil, E(ECONFLICT, "err.message.none")
			}
			tx.emit(Event{Type: DisplayMessage, Actor: a.User})
			return (*HallMessage)(nil), nil
		}
		if first := e.office.FirstLanguage(); text[first] == "" {
			return nil, E(EINVALID, "err.message.first_language", "lang", first)
		}
		if !m.Until.After(tx.now) {
			return nil, E(EINVALID, "err.message.until_past")
		}
		if m.Until.After(tx.now.Add(MaxHallMessageHours * time.Hour)) {
			return nil, E(EINVALID, "err.message.until_far", "n", MaxHallMessageHours)
		}
		nm := HallMessage{Text: text, Until: m.Until}
		tx.emit(Event{Type: DisplayMessage, Actor: a.User, Message: &nm})
		return &nm, nil
	})
	if err != nil {
		return nil, err
	}
	return res.(*HallMessage), nil
}
