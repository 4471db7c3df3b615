package main

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"langelis/client"
	"langelis/queue"
	"langelis/wire"
)

// keyAction is one desk action on a letter and a numeric-keypad digit; the
// same keys as the /desk page, so a clerk can switch between them.
type keyAction struct {
	letter, digit rune
	action        string
	label         string
}

var keyActions = []keyAction{
	{'n', '1', "next", "Next"},
	{'r', '2', "recall", "Recall"},
	{'s', '3', "start", "Start"},
	{'f', '4', "finish", "Finish"},
	{'x', '5', "no-show", "No-show"},
	{'b', '6', "return", "Return to queue"},
	{'t', '7', "transfer", "Transfer"},
	{'c', '8', "call", "Call a number"},
	{'d', '9', "refuse", "Refuse"},
	{'p', '0', "pause", "Pause/Resume"},
	{'q', '.', "close", "Close desk and quit"},
}

// Keys with no action of their own.
const (
	keyEnter  = '\r'
	keyEsc    = 0x1b
	keyBack   = 0x7f
	keyCtrlC  = 0x03
	keyCtrlH  = 0x08
	keyLF     = '\n'
	maxPrompt = 200
)

// prompt is a line the clerk is typing for an action that needs one (a
// transfer target, a number, a reason), or a one-key choice.
type prompt struct {
	action string
	label  string
	buf    []rune
	choice bool // close with a ticket in service: f or b, no typing
}

// Model is the keyboard program's state: the desk as the server last said
// it is, the message of the last action, and a prompt in progress. All of
// its methods run on one goroutine (the program's loop); it holds no locks.
type Model struct {
	c      *client.Client
	desk   int
	office queue.Office
	view   queue.DeskView
	msg    string
	prompt *prompt
	online bool
	done   bool // the program should end
}

// NewModel signs in, opens the desk and reads its state.
func NewModel(ctx context.Context, c *client.Client, user, pass string, desk int) (*Model, error) {
	c.SetLanguage("en") // the program's own words are English: so are the server's messages to it
	if _, err := c.Login(ctx, user, pass); err != nil {
		return nil, fmt.Errorf("desk: sign in: %w", err)
	}
	o, err := c.Office(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: office: %w", err)
	}
	if _, err := c.Desk(ctx, desk, "open", nil); err != nil {
		return nil, fmt.Errorf("desk: open desk %d: %w", desk, err)
	}
	m := &Model{c: c, desk: desk, office: o, online: true}
	if err := m.Refresh(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// Refresh reads the desk again (after an action, or when the websocket
// says something changed).
func (m *Model) Refresh(ctx context.Context) error {
	v, err := m.c.DeskView(ctx, m.desk)
	if err != nil {
		m.msg = err.Error()
		return fmt.Errorf("desk: read desk %d: %w", m.desk, err)
	}
	m.view = v
	if v.Desk.Status == queue.DeskClosed {
		m.msg = fmt.Sprintf("Desk %d was closed (by an administrator, or your session ended).", m.desk)
		m.done = true
	}
	return nil
}

// SetOnline records whether the live connection is up, for the status line.
func (m *Model) SetOnline(up bool) { m.online = up }

// Done reports whether the program should end.
func (m *Model) Done() bool { return m.done }

// Key handles one key press.
func (m *Model) Key(ctx context.Context, k rune) {
	if m.prompt != nil {
		m.promptKey(ctx, k)
		return
	}
	if k == keyCtrlC {
		m.done = true
		m.msg = fmt.Sprintf("Desk %d stays open; run desk again to go on.", m.desk)
		return
	}
	if k == keyEnter || k == keyLF {
		k = 'n' // Enter on the keypad calls the next client
	}
	k = toLower(k)
	for _, a := range keyActions {
		if k != a.letter && k != a.digit {
			continue
		}
		switch a.action {
		case "transfer":
			m.ask(a.action, "Transfer to (service letter or desk number): ")
		case "call":
			m.ask(a.action, "Call number: ")
		case "refuse":
			m.ask(a.action, "Reason for refusing service: ")
		case "pause":
			if m.view.Desk.Status == queue.DeskPaused {
				m.run(ctx, "resume", nil)
			} else {
				m.ask(a.action, "Reason for the pause: ")
			}
		case "close":
			if t := m.view.Ticket; t != nil && t.Status == queue.Serving {
				m.prompt = &prompt{action: "close", choice: true,
					label: t.Number + " is still being served: F finish it, B return it to the queue, Esc cancel"}
				return
			}
			m.closeDesk(ctx, "")
		default:
			m.run(ctx, a.action, nil)
		}
		return
	}
}

func toLower(k rune) rune {
	if k >= 'A' && k <= 'Z' {
		return k + 'a' - 'A'
	}
	return k
}

func (m *Model) ask(action, label string) {
	m.prompt = &prompt{action: action, label: label}
}

func (m *Model) promptKey(ctx context.Context, k rune) {
	p := m.prompt
	switch {
	case k == keyEsc || k == keyCtrlC:
		m.prompt = nil
		m.msg = ""
	case p.choice:
		switch toLower(k) {
		case 'f':
			m.prompt = nil
			m.closeDesk(ctx, "finish")
		case 'b':
			m.prompt = nil
			m.closeDesk(ctx, "return")
		}
	case k == keyEnter || k == keyLF:
		m.prompt = nil
		m.submit(ctx, p.action, strings.TrimSpace(string(p.buf)))
	case k == keyBack || k == keyCtrlH:
		if len(p.buf) > 0 {
			p.buf = p.buf[:len(p.buf)-1]
		}
	case k >= ' ' && len(p.buf) < maxPrompt:
		p.buf = append(p.buf, k)
	}
}

func (m *Model) submit(ctx context.Context, action, text string) {
	switch action {
	case "transfer":
		if n, err := strconv.Atoi(text); err == nil {
			m.run(ctx, action, &wire.DeskRequest{Desk: n})
		} else {
			m.run(ctx, action, &wire.DeskRequest{Service: strings.ToUpper(text)})
		}
	case "call":
		m.run(ctx, action, &wire.DeskRequest{Number: text})
	default: // refuse, pause
		m.run(ctx, action, &wire.DeskRequest{Reason: text})
	}
}

// run sends a desk action and reads the desk again.
func (m *Model) run(ctx context.Context, action string, body *wire.DeskRequest) {
	r, err := m.c.Desk(ctx, m.desk, action, body)
	switch {
	case err != nil:
		m.msg = err.Error()
	case action == "next" && r == nil:
		m.msg = "Nobody is waiting."
	case r != nil && r.Ticket != nil:
		m.msg = fmt.Sprintf("%s: %s.", r.Ticket.Number, strings.ReplaceAll(string(r.Ticket.Status), "_", "-"))
	default:
		m.msg = ""
	}
	_ = m.Refresh(ctx)
}

func (m *Model) closeDesk(ctx context.Context, mode string) {
	var body *wire.DeskRequest
	if mode != "" {
		body = &wire.DeskRequest{Ticket: mode}
	}
	if _, err := m.c.Desk(ctx, m.desk, "close", body); err != nil {
		m.msg = err.Error()
		return
	}
	_ = m.c.Logout(ctx)
	m.msg = fmt.Sprintf("Desk %d is closed.", m.desk)
	m.done = true
}

func (m *Model) serviceName(letter string) string {
	for _, s := range m.office.Services {
		if s.Letter == letter {
			return s.Name(m.office.FirstLanguage())
		}
	}
	return letter
}

func minSec(sec float64) string {
	s := int(sec + 0.5)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// View is the screen, one line per element; the program draws it whole
// after every change.
func (m *Model) View() string {
	var b strings.Builder
	v := m.view
	state := string(v.Desk.Status)
	if v.Desk.Status == queue.DeskPaused {
		state = "paused: " + v.Desk.PauseReason
	}
	conn := "live"
	if !m.online {
		conn = "reconnecting…"
	}
	fmt.Fprintf(&b, "Langelis · desk %d · %s · %s\n\n", m.desk, state, conn)
	if t := v.Ticket; t != nil {
		fmt.Fprintf(&b, "  %s  %s · %s · waited %s", t.Number, t.Status, m.serviceName(t.Service), minSec(v.Waited))
		if t.Recalls > 0 {
			fmt.Fprintf(&b, " · recalled %d", t.Recalls)
		}
		b.WriteString("\n\n")
	} else {
		b.WriteString("  No client at the desk.\n\n")
	}
	letters := make([]string, 0, len(v.Waiting))
	for l := range v.Waiting {
		letters = append(letters, l)
	}
	sort.Strings(letters)
	b.WriteString("Waiting:")
	for _, l := range letters {
		fmt.Fprintf(&b, "  %s %d", l, v.Waiting[l])
	}
	b.WriteString("\nNext:   ")
	if len(v.Upcoming) == 0 {
		b.WriteString(" —")
	}
	for _, n := range v.Upcoming {
		b.WriteString(" " + n)
	}
	fmt.Fprintf(&b, "\nToday:   %d served", v.Served)
	if v.Served > 0 {
		fmt.Fprintf(&b, ", mean %s", minSec(v.MeanSvc))
	}
	b.WriteString("\n\n")
	for i, a := range keyActions {
		fmt.Fprintf(&b, "%c/%c %-20s", a.letter, a.digit, a.label)
		if i%3 == 2 {
			b.WriteString("\n")
		}
	}
	b.WriteString("\nEnter = Next · Esc cancels · Ctrl-C quits and leaves the desk open\n\n")
	if m.prompt != nil {
		b.WriteString(m.prompt.label + string(m.prompt.buf))
		if !m.prompt.choice {
			b.WriteString("_")
		}
		b.WriteString("\n")
	} else if m.msg != "" {
		b.WriteString(m.msg + "\n")
	}
	return b.String()
}
