package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"langelis/priority"
)

// The running configuration. The office starts from its file; the manager
// then changes it while the hall works (the admin pages, the command line)
// by Reconfigure, a command of the engine's one writer like any other:
// validated by the office file's own validator (Options.Validate), checked
// against the queue (no waiting ticket may be left without a desk that
// can serve it), applied at once, and answered only once the change, the
// events that tell the hall and the new running office are durable
// together (ConfigJournal). Offices are never changed in place: each
// change makes a new *Office, so one handed out by Office() stays valid.

// EventOfficeChanged tells the hall that the configuration changed: its
// Desk, when set, is a desk the change added, changed or retired (status
// DeskRetired); without one, pages read GET /api/v1/office again.
const EventOfficeChanged EventType = "office.changed"

// DeskRetired is the status of a desk in the office.changed event that
// retires it: the state forgets the desk (its history stays in the
// journal and the audit).
const DeskRetired DeskStatus = "retired"

// ConfigJournal is a Journal that also keeps the running configuration
// and the audit trail (the store implements it). AppendConfig writes the
// events, the running office and the changes in one durable transaction.
type ConfigJournal interface {
	AppendConfig(events []Event, running *Office, changes []Change) error
}

// Validator checks a proposed office as the office file is checked and
// returns it as the file would read (defaults applied), or the mistakes.
// Package office provides the one the server uses (office.Check); the
// default is Office.Validate.
type Validator func(o *Office) (*Office, error)

// Edit changes a copy of the running office and describes the change
// (Kind, Subject, Old, New); the engine fills in who, when and when it
// takes effect. An Edit refuses with an *Error.
type Edit func(o *Office) (Change, error)

// pendingConfig is what a batch's configuration commands leave, committed
// with its events.
type pendingConfig struct {
	before  *Office   // the office before the batch, restored if it fails
	changes []*Change // numbered by the commit
}

// Clone returns a deep copy of o, validated as o was.
func (o *Office) Clone() *Office {
	data, err := json.Marshal(o)
	if err != nil {
		panic("queue: office does not encode: " + err.Error())
	}
	var c Office
	if err := json.Unmarshal(data, &c); err != nil {
		panic("queue: office does not decode: " + err.Error())
	}
	c.loc = o.loc
	for i := range c.Services {
		c.Services[i].first = o.FirstLanguage()
	}
	return &c
}

// Reconfigure applies one configuration change by edit, as actor, and
// returns the change recorded (with its Seq, and Effective: "now" or the
// office day it takes effect). A change the validator refuses, or that
// would leave a waiting ticket no desk can serve, or that retires an open
// desk, changes nothing.
func (e *Engine) Reconfigure(ctx context.Context, actor string, edit Edit) (Change, error) {
	if _, ok := e.journal.(ConfigJournal); !ok {
		return Change{}, E(EUNAVAILABLE, "err.config.readonly")
	}
	res, err := e.do(ctx, true, func(tx *Tx) (any, error) {
		next := e.office.Clone()
		ch, err := edit(next)
		if err != nil {
			return nil, err
		}
		effective := e.pinToday(tx.now, next)
		// No defaults filled in first: a 0 the person typed must meet the
		// file's "0 means not set" refusal, not become the default.
		valid, err := e.validate(next)
		if err != nil {
			return nil, err
		}
		if err := e.checkQueue(valid); err != nil {
			return nil, err
		}
		ch.Actor, ch.At, ch.Effective = actor, tx.now, effective
		return e.applyOffice(tx, valid, ch), nil
	})
	if err != nil {
		return Change{}, err
	}
	return *res.(*Change), nil
}

// pinToday keeps today's hours when the week changes: a new week takes
// effect tomorrow (the day's tickets, estimates and cutoff were promised
// under today's hours), so today gets an exception with its old spans.
// It returns when the change takes effect.
func (e *Engine) pinToday(now time.Time, next *Office) string {
	if weekEqual(next.Hours.Week, e.office.Hours.Week) {
		return EffectiveNow
	}
	lt := now.In(e.office.Location())
	today := lt.Format(time.DateOnly)
	tomorrow := time.Date(lt.Year(), lt.Month(), lt.Day()+1, 12, 0, 0, 0, lt.Location()).Format(time.DateOnly)
	_, hasEx := next.Hours.Exceptions[today]
	if hasEx || next.Hours.Holidays[today] || slices.Equal(next.Hours.Week[lt.Weekday()], e.office.Hours.Week[lt.Weekday()]) {
		return tomorrow
	}
	if next.Hours.Exceptions == nil {
		next.Hours.Exceptions = map[string][]Span{}
	}
	next.Hours.Exceptions[today] = slices.Clone(e.office.Hours.Week[lt.Weekday()])
	return tomorrow
}

// checkQueue refuses an office that would strand today's active tickets:
// every waiting ticket needs a desk that serves its service, and a desk
// that is open (or holds a ticket) cannot be retired.
func (e *Engine) checkQueue(next *Office) error {
	serves := map[string]bool{}
	for _, d := range next.Desks {
		for _, s := range d.Services {
			serves[s] = true
		}
	}
	stranded := map[string]int{}
	for _, t := range e.st.waiting() {
		if !serves[t.Service] {
			stranded[t.Service]++
		}
	}
	if len(stranded) > 0 {
		letters := slices.Sorted(maps.Keys(stranded))
		n := 0
		for _, c := range stranded {
			n += c
		}
		return E(ECONFLICT, "err.config.stranded", "n", n, "service", letters[0])
	}
	for _, d := range e.st.sortedDesks() {
		if _, ok := next.DeskDef(d.Number); !ok && (d.Status != DeskClosed || d.Ticket != "") {
			return E(ECONFLICT, "err.config.desk_open", "desk", d.Number)
		}
	}
	return nil
}

// applyOffice makes next the running office inside tx: the events that
// tell the hall (each desk added, changed or retired, then the office
// change itself), and the change to commit with them.
func (e *Engine) applyOffice(tx *Tx, next *Office, ch Change) *Change {
	for _, def := range next.Desks {
		d, ok := e.st.desks[def.Number]
		if ok && slices.Equal(d.Services, def.Services) {
			continue
		}
		nd := Desk{Number: def.Number, Status: DeskClosed}
		if ok {
			nd = *d
		}
		nd.Services = slices.Clone(def.Services)
		tx.emit(Event{Type: EventOfficeChanged, Actor: ch.Actor, Reason: ch.Kind, Desk: &nd})
	}
	for _, d := range e.st.sortedDesks() {
		if _, ok := next.DeskDef(d.Number); !ok {
			nd := Desk{Number: d.Number, Services: slices.Clone(d.Services), Status: DeskRetired}
			tx.emit(Event{Type: EventOfficeChanged, Actor: ch.Actor, Reason: ch.Kind, Desk: &nd})
		}
	}
	tx.emit(Event{Type: EventOfficeChanged, Actor: ch.Actor, Reason: ch.Kind})
	if tx.config == nil {
		tx.config = &pendingConfig{before: e.office}
	}
	tx.config.changes = append(tx.config.changes, &ch)
	e.setOffice(next)
	return &ch
}

// setOffice makes o the running office of the engine and its parts. Run
// goroutine only (or before it starts).
func (e *Engine) setOffice(o *Office) {
	if o.Priority != e.office.Priority {
		if p, err := priority.New(o.PrioritySettings()); err == nil {
			e.policy = p
		}
	}
	e.office = o
	e.shared.Store(o)
	e.st.office = o
	e.expected.office = o
	e.snapCache.ok = false
	e.views.forget()
	e.cutoffDue = true
}

// commitConfig makes a batch with configuration changes durable: events,
// running office and changes in one transaction. It numbers the changes.
func (e *Engine) commitConfig(events []Event, pc *pendingConfig) error {
	cj := e.journal.(ConfigJournal)
	cs := make([]Change, len(pc.changes))
	for i, c := range pc.changes {
		cs[i] = *c
	}
	if err := cj.AppendConfig(events, e.office, cs); err != nil {
		return err
	}
	for i, c := range pc.changes {
		c.Seq = cs[i].Seq
	}
	e.ckpt.note(events)
	return nil
}

// ChangeJSON encodes v for Change.Old or Change.New.
func ChangeJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(fmt.Sprintf("%q", err.Error()))
	}
	return data
}

// undoConfig puts back the office a failed batch had changed, before the
// state is rebuilt from the journal.
func (e *Engine) undoConfig(tx *Tx) {
	if tx.config != nil {
		e.setOffice(tx.config.before)
		tx.config = nil
	}
}

func weekEqual(a, b [7][]Span) bool {
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}
