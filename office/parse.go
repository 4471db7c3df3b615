package office

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"langelis/i18n"
	"langelis/priority"
	"langelis/queue"
)

// maxReported caps the list of mistakes: past a dozen, the first ones are
// usually the cause of the rest.
const maxReported = 12

// Bounds on the work a hostile or broken file can cause (the admin page may
// upload one into a running server). Aliases (*name) let a small file
// stand for a large tree, so the walk counts what it visits; messages quote
// what the file says, so they are cut short; and past maxKept mistakes
// only their number is kept.
const (
	maxVisits = 200_000
	maxMsg    = 300
	maxKept   = 1000
)

// tooComplex aborts the walk when the visit budget is spent.
type tooComplex struct{}

// The parser walks the yaml.Node tree itself instead of decoding into
// structs: yaml.v3 checks unknown fields only for plain structs (KnownFields
// does not reach into custom unmarshalers), and its type errors name a line
// but not the field. Walking the tree gives every message its line and its
// words.
type parser struct {
	file string
	data []byte
	errs []*Error
	// total counts every mistake, including those past maxKept.
	total  int
	visits int

	// letters maps each valid service letter to where it is defined;
	// written holds every letter text seen, valid or not, so that a desk
	// naming a malformed letter is not reported a second time.
	letters map[string]*yaml.Node
	written map[string]bool
	// first is the office's first language: every service needs a name in it.
	first string
	// deskLetters are the desks' service references, checked once all
	// services are known, because desks may come before services.
	deskLetters []deskRef
}

type deskRef struct {
	desk   string // "desk 3", for messages
	number int    // 3; 0 when the number is missing or wrong
	letter string
	node   *yaml.Node
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	if len(p.errs) >= maxKept {
		p.total++ // not worth formatting: it will not be shown
		return
	}
	line := 0
	if n != nil {
		line = n.Line
	}
	p.add(line, fmt.Sprintf(format, args...))
}

func (p *parser) add(line int, msg string) {
	p.total++
	if len(p.errs) >= maxKept {
		return
	}
	if len(msg) > maxMsg {
		cut := maxMsg
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: msg})
}

// keyed reports a mistake that has a keyed message: the file shows msg
// (its English text, plus what only a reader of the file needs), the
// admin pages the key in the person's language.
func (p *parser) keyed(n *yaml.Node, msg, key string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	before := len(p.errs)
	p.add(line, msg)
	if len(p.errs) > before {
		e := p.errs[len(p.errs)-1]
		e.Key, e.Args = key, args
	}
}

// en is a keyed message's English text, as the file reports it.
func en(key string, args ...any) string { return i18n.T("en", key, args...) }

// ofService and plainField take apart the names the range checks are
// given: "target_minutes of service B", "retention_days".
var (
	ofService  = regexp.MustCompile(`^([a-z_]+) of service ([A-Z])$`)
	plainField = regexp.MustCompile(`^[a-z_]+$`)
)

// rangeKeys are outOfRange's keyed messages by op: an office setting's,
// then a service's.
var rangeKeys = map[string][2]string{
	"":          {"err.office.range", "err.office.range_of"},
	"more than": {"err.office.more_than", "err.office.more_than_of"},
	"at least":  {"err.office.at_least", "err.office.at_least_of"},
}

// dateKeys are the keyed messages of a date that is not one.
var dateKeys = map[string]string{"holiday": "err.office.holiday_date", "exception": "err.office.exception_date"}

// dayWords name the weekdays in "hours for monday: …", by time.Weekday.
var dayWords = [7]queue.Word{"err.office.weekday.sunday", "err.office.weekday.monday", "err.office.weekday.tuesday",
	"err.office.weekday.wednesday", "err.office.weekday.thursday", "err.office.weekday.friday", "err.office.weekday.saturday"}

// outOfRange reports a value outside its range, keyed when what is a
// field the admin pages set.
func (p *parser) outOfRange(n *yaml.Node, what string, v, lo, hi any, op, why string) {
	args := []any{"value", v, "lo", lo, "hi", hi}
	key := rangeKeys[op][0]
	switch m := ofService.FindStringSubmatch(what); {
	case m != nil:
		key = rangeKeys[op][1]
		args = append(args, "field", m[1], "letter", m[2])
	case what == "desk number":
		key = "err.office.desk_number"
	case plainField.MatchString(what):
		args = append(args, "field", what)
	default:
		if op == "" {
			p.errorf(n, "%s %v is out of range %v-%v%s", what, v, lo, hi, why)
		} else {
			p.errorf(n, "%s must be %s %v and at most %v, not %v%s", what, op, lo, hi, v, why)
		}
		return
	}
	p.keyed(n, en(key, args...)+why, key, args...)
}

// visit spends one unit of the walk's budget.
func (p *parser) visit() {
	p.visits++
	if p.visits > maxVisits {
		panic(tooComplex{})
	}
}

// err returns the mistakes in line order, a single one unwrapped so that
// errors.As and the message stay simple in the common case.
func (p *parser) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
	if len(p.errs) == 1 {
		return p.errs[0]
	}
	shown := p.errs
	if len(shown) > maxReported {
		shown = shown[:maxReported]
	}
	list := make([]error, 0, len(shown)+1)
	for _, e := range shown {
		list = append(list, e)
	}
	if n := p.total - len(shown); n > 0 {
		list = append(list, &Error{File: p.file, Msg: fmt.Sprintf("%d more mistakes not shown", n)})
	}
	return errors.Join(list...)
}

var (
	yamlLine   = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// syntaxError turns a yaml.v3 error ("yaml: line 3: ...") into our form
// and adds a hint for the mistakes people make in a text editor.
func (p *parser) syntaxError(err error) {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		line = p.problemLine(line, msg)
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		if m := yamlAnchor.FindStringSubmatch(msg); m != nil {
			line = p.lineOf("*" + m[1])
		}
	}
	msg = strings.ReplaceAll(msg, "\n", " ")
	if strings.Contains(msg, "cannot start any token") && bytes.Contains(p.lineText(line), []byte("\t")) {
		msg += " (a tab: YAML indents with spaces only)"
	}
	p.add(line, "syntax error: "+msg)
}

// problemLine finds the line a syntax error is on. yaml.v3 reports the
// line where the enclosing block starts ("services:"), not the line that
// breaks it, which sends a person looking in the wrong place. The parser
// reads from the top and stops at the first mistake, so every prefix of
// the file (cut after a whole line) that contains the breaking line fails
// with the very same error, and the shortest such prefix ends at it.
// Shorter prefixes can fail too, but with errors of their own (an
// unclosed bracket), which read differently. Binary search keeps this to
// a few parses even for a long file.
func (p *parser) problemLine(ctxLine int, msg string) int {
	lines := bytes.SplitAfter(p.data, []byte("\n"))
	if ctxLine < 1 || ctxLine > len(lines) {
		return ctxLine
	}
	want := fmt.Sprintf("yaml: line %d: %s", ctxLine, msg)
	lo, hi := ctxLine, len(lines) // the whole file fails that way
	for lo < hi {
		mid := lo + (hi-lo)/2
		if err := decodeAll(bytes.Join(lines[:mid], nil)); err != nil && err.Error() == want {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return hi
}

func decodeAll(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// lineOf returns the first line containing s, or 0.
func (p *parser) lineOf(s string) int {
	i := bytes.Index(p.data, []byte(s))
	if i < 0 {
		return 0
	}
	return 1 + bytes.Count(p.data[:i], []byte("\n"))
}

func (p *parser) lineText(line int) []byte {
	if line < 1 {
		return nil
	}
	lines := bytes.Split(p.data, []byte("\n"))
	if line > len(lines) {
		return nil
	}
	return lines[line-1]
}

// parse returns what it could read; the caller looks at p.errs first.
func (p *parser) parse() *queue.Office {
	o := &queue.Office{}
	// A file saved in a legacy code page (Windows-1257 is the usual one
	// for Lithuanian) would otherwise get yaml's "invalid leading UTF-8
	// octet" with no line.
	if !utf8.Valid(p.data) {
		line := 1 + bytes.Count(p.data[:firstInvalidUTF8(p.data)], []byte("\n"))
		p.add(line, "the file is not UTF-8 text; save it as UTF-8")
		return o
	}
	dec := yaml.NewDecoder(bytes.NewReader(p.data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			p.add(0, "the file is empty")
		} else {
			p.syntaxError(err)
		}
		return o
	}
	var more yaml.Node
	if err := dec.Decode(&more); err == nil {
		p.errorf(&more, "a second YAML document (after ---); the office file holds one")
		return o
	} else if err != io.EOF {
		p.syntaxError(err)
		return o
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		p.add(0, "the file is empty")
		return o
	}
	p.letters = map[string]*yaml.Node{}
	p.written = map[string]bool{}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(tooComplex); !ok {
				panic(r)
			}
			// Kept even past maxKept: it explains why the list stops.
			p.total++
			p.errs = append(p.errs, &Error{File: p.file, Msg: fmt.Sprintf("the file is too complex to read: more than %d values, counting every use of an alias (*name)", maxVisits)})
		}
	}()
	p.office(resolve(doc.Content[0]), o)
	return o
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// resolve follows an alias (*name) to its anchor, so that anchors work
// anywhere a value may stand. The bound guards against malformed trees.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	n = resolve(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// describe names what a node is, for "must be X, not Y" messages.
func describe(n *yaml.Node) string {
	n = resolve(n)
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping (key: value lines)"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "empty"
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return n.Value
		}
		return strconv.Quote(n.Value)
	}
	return "something else"
}

type entry struct {
	key string
	k   *yaml.Node // the key, for messages about the key itself
	v   *yaml.Node // the value, aliases resolved
}

// mapping checks that n is a mapping whose keys are known and not repeated,
// and returns its entries in file order. A null value is an empty mapping,
// so "priority:" with nothing under it means "all defaults". known == nil
// allows any key; the caller checks them. where completes "unknown field
// "x" ..." and "... must be a mapping".
func (p *parser) mapping(n *yaml.Node, where string, known []string) ([]entry, bool) {
	n = resolve(n)
	if isNull(n) {
		return nil, true
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s must be a mapping (key: value lines), not %s", where, describe(n))
		return nil, false
	}
	var out []entry
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		p.visit()
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k == nil || k.Kind != yaml.ScalarNode {
			p.errorf(n.Content[i], "a key in %s must be a plain word", where)
			continue
		}
		if line, dup := seen[k.Value]; dup {
			p.errorf(k, "%q is given twice in %s (first at line %d)", k.Value, where, line)
			continue
		}
		seen[k.Value] = k.Line
		if known != nil && !contains(known, k.Value) {
			p.errorf(k, "unknown field %q in %s%s", k.Value, where, didYouMean(k.Value, known))
			continue
		}
		out = append(out, entry{key: k.Value, k: k, v: v})
	}
	return out, true
}

// sequence returns the items of a list, aliases resolved; a null value is
// an empty list. example shows the expected form in the message.
func (p *parser) sequence(n *yaml.Node, what, example string) ([]*yaml.Node, bool) {
	n = resolve(n)
	if isNull(n) {
		return nil, true
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s must be a list like %s, not %s", what, example, describe(n))
		return nil, false
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		p.visit()
		out = append(out, resolve(c))
	}
	return out, true
}

// text reads a scalar as text. Numbers and dates are accepted as their
// written form, so that an office named 2026 or a date left unquoted works.
func (p *parser) text(n *yaml.Node, what string) (string, bool) {
	n = resolve(n)
	if isNull(n) {
		return "", true
	}
	if n.Kind == yaml.ScalarNode {
		switch n.ShortTag() {
		case "!!str", "!!int", "!!float", "!!bool", "!!timestamp":
			return n.Value, true
		}
	}
	p.errorf(n, "%s must be text, not %s", what, describe(n))
	return "", false
}

// integer reads a whole number within [lo, hi]; present is false for a
// missing or empty value, which leaves the default in place.
func (p *parser) integer(n *yaml.Node, what string, lo, hi int, why string) (v int, present bool) {
	n = resolve(n)
	if isNull(n) {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&v) != nil {
		p.errorf(n, "%s must be a whole number, not %s", what, describe(n))
		return 0, false
	}
	if v < lo || v > hi {
		if v != 0 {
			why = ""
		}
		p.outOfRange(n, what, v, lo, hi, "", why)
		return 0, false
	}
	return v, true
}

// number reads a finite number greater than lo (or equal when incl) and
// at most hi. NaN must be caught here: it passes every comparison in
// queue.Office.Validate.
func (p *parser) number(n *yaml.Node, what string, lo float64, incl bool, hi float64, why string) (v float64, present bool) {
	n = resolve(n)
	if isNull(n) {
		return 0, false
	}
	tag := n.ShortTag()
	if n.Kind != yaml.ScalarNode || (tag != "!!int" && tag != "!!float") || n.Decode(&v) != nil {
		p.errorf(n, "%s must be a number, not %s", what, describe(n))
		return 0, false
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		p.errorf(n, "%s must be an ordinary number, not %s", what, n.Value)
		return 0, false
	}
	if v < lo || (v == lo && !incl) || v > hi {
		op := "more than"
		if incl {
			op = "at least"
		}
		if v != 0 {
			why = ""
		}
		p.outOfRange(n, what, v, lo, hi, op, why)
		return 0, false
	}
	return v, true
}

// oneOf reads a text that must be one of choices, suggesting the nearest.
func (p *parser) oneOf(n *yaml.Node, what string, choices []string) (string, bool) {
	s, ok := p.text(n, what)
	if !ok || s == "" {
		return "", false
	}
	if contains(choices, s) {
		return s, true
	}
	p.errorf(resolve(n), "%s %q is not one of %s%s", what, s, strings.Join(choices, ", "), didYouMean(s, choices))
	return "", false
}

var topFields = []string{
	"name", "names", "time_zone", "languages", "second_language", "services", "desks",
	"retired_services", "retired_desks",
	"hours", "holidays", "exceptions", "priority", "retention_days", "audit_retention_days",
	"feedback_retention_days",
	"recall_limit", "notice_minutes", "day_end_minutes", "beyond_cutoff", "contact",
}

// defaultIs explains, next to a rejected 0, why 0 is not allowed where it
// might make sense: queue.Office.ApplyDefaults takes 0 as "not set" and
// would silently put the default in its place.
func defaultIs(v any) string {
	return fmt.Sprintf(" (0 means \"not set\"; leave the line out to get the default, %v)", v)
}

func (p *parser) office(n *yaml.Node, o *queue.Office) {
	entries, ok := p.mapping(n, "the office file", topFields)
	if !ok {
		return
	}
	var servicesKey, desksKey *yaml.Node
	servicesOK, desksOK := true, true
	// The languages first, wherever they stand: the services need the first.
	p.first = queue.LegacyFirstLanguage // a file naming no languages: ApplyDefaults
	if e, ok := p.find(entries, "languages"); ok {
		if o.Languages = p.languageList(e.v); len(o.Languages) > 0 {
			p.first = o.Languages[0]
		}
	}
	for _, e := range entries {
		switch e.key {
		case "name":
			var ok bool
			if o.Name, ok = p.text(e.v, "name"); ok && strings.TrimSpace(o.Name) == "" {
				p.errorf(e.v, "name is empty")
			}
		case "names":
			o.Names = p.languages(e.v, "names", "the office name")
		case "time_zone":
			o.TimeZone = p.timeZone(e.v)
		case "second_language":
			o.SecondLanguage = p.secondLanguage(e.v, o.Languages)
		case "services":
			servicesKey = e.k
			before := p.total
			o.Services = p.services(e.v)
			servicesOK = p.total == before
		case "retired_services":
			// Letters of their own: a desk may not serve a retired service,
			// and the "used twice" check still spans both lists.
			offered := p.letters
			p.letters = map[string]*yaml.Node{}
			o.RetiredServices = p.services(e.v)
			for l, n := range p.letters {
				if first := offered[l]; first != nil {
					p.errorf(n, "service letter %q is both offered and retired (offered at line %d)", l, first.Line)
				}
			}
			p.letters = offered
		case "retired_desks":
			o.RetiredDesks = p.retiredDesks(e.v)
		case "desks":
			desksKey = e.k
			before := p.total
			o.Desks = p.desks(e.v)
			desksOK = p.total == before
		case "hours":
			o.Hours.Week = p.week(e.v)
		case "holidays":
			o.Hours.Holidays = p.holidays(e.v)
		case "exceptions":
			o.Hours.Exceptions = p.exceptions(e.v)
		case "priority":
			o.Priority = p.priority(e.v)
		case "retention_days":
			o.RetentionDays, _ = p.integer(e.v, "retention_days", 1, 100*366, defaultIs(30))
		case "audit_retention_days":
			o.AuditRetentionDays, _ = p.integer(e.v, "audit_retention_days", 1, 100*366, defaultIs(queue.DefaultAuditRetentionDays))
		case "feedback_retention_days":
			o.FeedbackRetentionDays, _ = p.integer(e.v, "feedback_retention_days", 1, 100*366, defaultIs(queue.DefaultFeedbackRetentionDays))
		case "recall_limit":
			o.RecallLimit, _ = p.integer(e.v, "recall_limit", 1, 100, defaultIs(2))
		case "notice_minutes":
			o.NoticeMinutes, _ = p.integer(e.v, "notice_minutes", 1, 24*60, defaultIs(60))
		case "day_end_minutes":
			o.DayEndMinutes, _ = p.integer(e.v, "day_end_minutes", 1, 24*60, defaultIs(60))
		case "beyond_cutoff":
			o.BeyondCutoff, _ = p.oneOf(e.v, "beyond_cutoff", []string{"warn", "stop"})
		case "contact":
			o.Contact = p.contact(e.v)
		}
	}
	if _, hasName := p.find(entries, "name"); !hasName {
		p.errorf(n, "the office has no name (add name: ...)")
	}
	// An empty list caused by broken items has been reported already.
	if len(o.Services) == 0 && servicesOK {
		at := n
		if servicesKey != nil {
			at = servicesKey
		}
		p.errorf(at, "no services defined (add services: with at least one letter and name)")
	}
	if len(o.Desks) == 0 && desksOK {
		at := n
		if desksKey != nil {
			at = desksKey
		}
		p.errorf(at, "no desks defined (add desks: with at least one number and its services)")
	}
	for _, r := range p.deskLetters {
		if p.letters[r.letter] == nil && !p.written[r.letter] {
			guess := didYouMean(r.letter, sortedKeys(p.letters))
			if r.number != 0 {
				p.keyed(r.node, en("err.office.desk_unknown", "desk", r.number, "letter", r.letter)+guess, "err.office.desk_unknown", "desk", r.number, "letter", r.letter)
			} else {
				p.errorf(r.node, "%s serves unknown service %q%s", r.desk, r.letter, guess)
			}
		}
	}
}

func (p *parser) find(entries []entry, key string) (entry, bool) {
	for _, e := range entries {
		if e.key == key {
			return e, true
		}
	}
	return entry{}, false
}

func (p *parser) timeZone(n *yaml.Node) string {
	s, ok := p.text(n, "time_zone")
	if !ok || s == "" {
		return ""
	}
	if s == "Local" {
		p.errorf(resolve(n), `time_zone "Local" depends on the computer the server runs on; name the zone, e.g. Europe/Vilnius`)
		return ""
	}
	if _, err := time.LoadLocation(s); err != nil {
		p.errorf(resolve(n), "unknown time zone %q (use a name like Europe/Vilnius)", s)
		return ""
	}
	return s
}

// languageList reads languages: [lt, en, ...], the office's languages in
// its order.
func (p *parser) languageList(n *yaml.Node) []string {
	items, _ := p.sequence(n, "languages", "[lt, en, ru]")
	var out []string
	seen := map[string]bool{}
	for _, item := range items {
		s, ok := p.text(item, "a language")
		switch {
		case !ok:
		case !queue.ValidLanguage(s):
			p.errorf(item, "unknown language %q in languages (use %s)%s", s, strings.Join(queue.Languages, ", "), didYouMean(s, queue.Languages))
		case seen[s]:
			p.errorf(item, "language %s is named twice in languages", s)
		default:
			seen[s] = true
			out = append(out, s)
		}
	}
	if len(items) > 0 && len(out) == 0 {
		return nil
	}
	return out
}

// secondLanguage reads second_language, the older way to name the language
// shown after the first; with languages it must agree with them.
func (p *parser) secondLanguage(n *yaml.Node, langs []string) string {
	s, ok := p.text(n, "second_language")
	if !ok || s == "" {
		return ""
	}
	switch {
	case !queue.ValidLanguage(s):
		p.errorf(resolve(n), "unknown language %q in second_language (use one of %s)", s, strings.Join(queue.Languages, ", "))
	case s == p.first:
		p.errorf(resolve(n), "second_language cannot be %s: it is the first language; name another, or list them all in languages: [...]", s)
	case len(langs) > 1 && langs[1] != s:
		p.errorf(resolve(n), "second_language %s disagrees with languages, whose second is %s; give only languages", s, langs[1])
	default:
		return s
	}
	return ""
}

// languages reads a {lt: ..., en: ...} mapping of names. Empty names are
// left out, so that the Lithuanian fallback applies to them.
func (p *parser) languages(n *yaml.Node, where, what string) map[string]string {
	entries, ok := p.mapping(n, where, nil)
	if !ok || len(entries) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, e := range entries {
		if !queue.ValidLanguage(e.key) {
			p.errorf(e.k, "unknown language %q in %s (use one of %s)", e.key, where, strings.Join(queue.Languages, ", "))
			continue
		}
		s, ok := p.text(e.v, fmt.Sprintf("the %s name of %s", e.key, what))
		if ok && strings.TrimSpace(s) != "" {
			out[e.key] = s
		}
	}
	return out
}

var serviceFields = []string{"letter", "names", "target_minutes", "target_wait_minutes", "daily_cap", "colour", "booking"}

// colourRe is a service's colour, #rrggbb.
var colourRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// retiredDesks reads retired_desks: [7, 8], desks no longer in the hall.
func (p *parser) retiredDesks(n *yaml.Node) []int {
	items, _ := p.sequence(n, "retired_desks", "[7, 8]")
	var out []int
	for _, item := range items {
		if d, ok := p.integer(item, "a retired desk number", 1, 999, ""); ok {
			out = append(out, d)
		}
	}
	return out
}

func (p *parser) services(n *yaml.Node) []queue.Service {
	items, _ := p.sequence(n, "services", "[{letter: A, names: {lt: ...}}]")
	var out []queue.Service
	for _, item := range items {
		before := p.total
		entries, ok := p.mapping(item, "service", serviceFields)
		if !ok {
			continue
		}
		// A misspelt field is reported as such, not again as a missing one.
		typo := p.total > before
		if isNull(item) {
			p.errorf(item, "an empty service (give at least letter: and names:)")
			continue
		}
		s := queue.Service{}
		label := "service"
		e, hasLetter := p.find(entries, "letter")
		if hasLetter {
			s.Letter = p.letter(e.v)
			if s.Letter != "" {
				label = "service " + s.Letter
			}
		} else if !typo {
			p.errorf(item, "service has no letter (add letter: A)")
		}
		var namesNode *yaml.Node
		namesOK := true
		for _, e := range entries {
			switch e.key {
			case "names":
				namesNode = e.v
				before := p.total
				s.Names = p.languages(e.v, "names of "+label, label)
				namesOK = p.total == before
			case "target_minutes":
				s.TargetMinutes, _ = p.number(e.v, "target_minutes of "+label, 0, false, 480, defaultIs(10))
			case "target_wait_minutes":
				s.TargetWaitMinutes, _ = p.number(e.v, "target_wait_minutes of "+label, 0, false, 480, defaultIs(queue.DefaultTargetWaitMinutes))
			case "daily_cap":
				s.DailyCap, _ = p.integer(e.v, "daily_cap of "+label, 1, queue.MaxDailyCap, " (leave the line out for no cap)")
			case "booking":
				s.Booking = p.booking(e.v, label)
			case "colour":
				if c, ok := p.text(e.v, "colour of "+label); ok && c != "" {
					if colourRe.MatchString(c) {
						s.Colour = c
					} else {
						p.errorf(resolve(e.v), "colour of %s %q is not a colour like \"#1f6feb\"", label, c)
					}
				}
			}
		}
		if s.Names[p.first] == "" && namesOK && !typo {
			at := item
			if namesNode != nil {
				at = namesNode
			}
			if s.Letter != "" {
				p.keyed(at, en("err.office.no_name", "letter", s.Letter, "lang", p.first)+fmt.Sprintf(" (add names: {%s: ...})", p.first),
					"err.office.no_name", "letter", s.Letter, "lang", p.first)
			} else {
				p.errorf(at, "%s has no name in %s, the office's first language (add names: {%s: ...})", label, p.first, p.first)
			}
		}
		out = append(out, s)
	}
	return out
}

// letter reads a service letter and remembers it for the desks' check.
func (p *parser) letter(n *yaml.Node) string {
	n = resolve(n)
	s, ok := p.text(n, "letter")
	if !ok {
		return ""
	}
	p.written[s] = true
	if len(s) != 1 || s[0] < 'A' || s[0] > 'Z' {
		hint := ""
		if up := strings.ToUpper(s); len(up) == 1 && up[0] >= 'A' && up[0] <= 'Z' {
			hint = fmt.Sprintf(" (did you mean %q?)", up)
		}
		p.keyed(n, en("err.office.letter", "letter", s)+hint, "err.office.letter", "letter", s)
		return ""
	}
	if first := p.letters[s]; first != nil {
		p.keyed(n, en("err.office.letter_twice", "letter", s)+fmt.Sprintf(" (first at line %d)", first.Line), "err.office.letter_twice", "letter", s)
		return ""
	}
	p.letters[s] = n
	return s
}

var deskFields = []string{"number", "services"}

func (p *parser) desks(n *yaml.Node) []queue.DeskDef {
	items, _ := p.sequence(n, "desks", "[{number: 1, services: [A, B]}]")
	var out []queue.DeskDef
	numbers := map[int]int{}
	for _, item := range items {
		before := p.total
		entries, ok := p.mapping(item, "desk", deskFields)
		if !ok {
			continue
		}
		typo := p.total > before
		if isNull(item) {
			p.errorf(item, "an empty desk (give number: and services:)")
			continue
		}
		d := queue.DeskDef{}
		label := "desk"
		if e, has := p.find(entries, "number"); has {
			d.Number, _ = p.integer(e.v, "desk number", 1, 999, "")
			if d.Number != 0 {
				label = fmt.Sprintf("desk %d", d.Number)
				if line, dup := numbers[d.Number]; dup {
					p.keyed(e.v, en("err.office.desk_twice", "desk", d.Number)+fmt.Sprintf(" (first at line %d)", line), "err.office.desk_twice", "desk", d.Number)
				}
				numbers[d.Number] = e.v.Line
			}
		} else if !typo {
			p.errorf(item, "desk has no number (add number: 1)")
		}
		e, has := p.find(entries, "services")
		var letters []*yaml.Node
		if has {
			letters, ok = p.sequence(e.v, "services of "+label, "[A, B]")
		}
		if ok && len(letters) == 0 && (has || !typo) {
			at := item
			if has {
				at = e.v
			}
			if d.Number != 0 {
				p.keyed(at, en("err.office.desk_empty", "desk", d.Number)+" (add services: [A, B])", "err.office.desk_empty", "desk", d.Number)
			} else {
				p.errorf(at, "%s serves no service (add services: [A, B])", label)
			}
		}
		seen := map[string]bool{}
		for _, l := range letters {
			s, ok := p.text(l, "a service of "+label)
			if !ok {
				continue
			}
			if seen[s] {
				p.errorf(l, "%s lists service %q twice", label, s)
				continue
			}
			seen[s] = true
			d.Services = append(d.Services, s)
			p.deskLetters = append(p.deskLetters, deskRef{desk: label, number: d.Number, letter: s, node: l})
		}
		out = append(out, d)
	}
	return out
}

// weekdays maps the accepted weekday names to time.Weekday: English, and
// Lithuanian with and without its letters, since not every keyboard in a
// municipal office has them.
var weekdays = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
	"sunday": time.Sunday,

	"pirmadienis": time.Monday, "antradienis": time.Tuesday,
	"trečiadienis": time.Wednesday, "treciadienis": time.Wednesday,
	"ketvirtadienis": time.Thursday, "penktadienis": time.Friday,
	"šeštadienis": time.Saturday, "sestadienis": time.Saturday,
	"sekmadienis": time.Sunday,
}

func (p *parser) week(n *yaml.Node) [7][]queue.Span {
	var week [7][]queue.Span
	entries, _ := p.mapping(n, "hours", nil)
	var first [7]*yaml.Node
	for _, e := range entries {
		day, ok := weekdays[strings.ToLower(e.key)]
		if !ok {
			p.errorf(e.k, "unknown weekday %q in hours%s", e.key, didYouMean(strings.ToLower(e.key), sortedKeys(weekdays)))
			continue
		}
		if f := first[day]; f != nil {
			p.errorf(e.k, "%s is the same day as %s at line %d", e.key, f.Value, f.Line)
			continue
		}
		first[day] = e.k
		week[day] = p.spans(e.v, "hours for "+e.key, DayWord(day))
	}
	return week
}

// spans reads "08:00-12:00, 12:45-17:00" or "closed"; empty means closed.
// spans reads one day's hours; what names them in the file's message
// ("hours for monday"), day in the keyed one (a DayWord, or the date).
func (p *parser) spans(n *yaml.Node, what string, day any) []queue.Span {
	n = resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		p.errorf(n, `%s must be text like "08:00-12:00, 12:45-17:00" or closed, not %s`, what, describe(n))
		return nil
	}
	spans, err := queue.ParseSpans(n.Value)
	if err != nil {
		var se *queue.SpanError
		if errors.As(err, &se) {
			p.keyed(n, fmt.Sprintf("%s: %v", what, err), "err.office.hours", "day", day, "why", se)
		} else {
			p.errorf(n, "%s: %v", what, err)
		}
		return nil
	}
	return spans
}

// DayWord names a weekday in a keyed message about its hours ("hours for
// monday"), translated where the message is.
func DayWord(d time.Weekday) queue.Word { return dayWords[d] }

func (p *parser) date(n *yaml.Node, what, example string) (string, bool) {
	n = resolve(n)
	s, ok := p.text(n, what)
	if !ok {
		return "", false
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		p.keyed(n, fmt.Sprintf("%s %q is not a date like %s", what, s, example), dateKeys[what], "date", s)
		return "", false
	}
	return s, true
}

func (p *parser) holidays(n *yaml.Node) map[string]bool {
	items, _ := p.sequence(n, "holidays", `["2026-12-24", "2026-12-25"]`)
	if len(items) == 0 {
		return nil
	}
	out := map[string]bool{}
	for _, item := range items {
		if d, ok := p.date(item, "holiday", "2026-12-24"); ok {
			out[d] = true
		}
	}
	return out
}

// exceptions reads one-off days; a closed one (null or "closed") is kept
// as a date with no spans, which is how queue.Office tells it apart from
// an ordinary day.
func (p *parser) exceptions(n *yaml.Node) map[string][]queue.Span {
	entries, _ := p.mapping(n, "exceptions", nil)
	if len(entries) == 0 {
		return nil
	}
	out := map[string][]queue.Span{}
	for _, e := range entries {
		d, ok := p.date(e.k, "exception", "2026-12-31")
		if !ok {
			continue
		}
		out[d] = p.spans(e.v, "hours for "+d, d)
	}
	return out
}

var contactFields = []string{"email", "phone", "address", "dpo", "supervisor", "enforcement", "accessibility_reviewed"}

// contact reads how people reach the office about their data and the
// pages' accessibility: text each, and a date for the review.
func (p *parser) contact(n *yaml.Node) queue.Contact {
	var c queue.Contact
	entries, _ := p.mapping(n, "contact", contactFields)
	for _, e := range entries {
		v, _ := p.text(e.v, "contact "+e.key)
		v = strings.TrimSpace(v)
		switch e.key {
		case "email":
			c.Email = v
		case "phone":
			c.Phone = v
		case "address":
			c.Address = v
		case "dpo":
			c.DPO = v
		case "supervisor":
			c.Supervisor = v
		case "enforcement":
			c.Enforcement = v
		case "accessibility_reviewed":
			if _, err := time.Parse(time.DateOnly, v); v != "" && err != nil {
				p.errorf(e.v, "contact accessibility_reviewed %q is not a date like 2026-11-30", v)
				continue
			}
			c.Reviewed = v
		}
	}
	return c
}

var priorityFields = []string{"policy", "max_streak", "max_wait_minutes", "head_start_minutes", "ratio", "aging_factor"}

func (p *parser) priority(n *yaml.Node) queue.PrioritySettings {
	var ps queue.PrioritySettings
	entries, _ := p.mapping(n, "priority", priorityFields)
	for _, e := range entries {
		switch e.key {
		case "policy":
			ps.Policy, _ = p.oneOf(e.v, "priority policy", []string{"default", "fifo", "strict", "ratio", "aging"})
		case "max_streak":
			ps.MaxStreak, _ = p.integer(e.v, "max_streak", 1, 1000, defaultIs(3))
		case "max_wait_minutes":
			ps.MaxWaitMinutes, _ = p.number(e.v, "max_wait_minutes", 0, false, 24*60, defaultIs(40))
		case "head_start_minutes":
			ps.HeadStartMinutes, _ = p.number(e.v, "head_start_minutes", 0, false, 24*60, defaultIs(priority.DefaultHeadStart.Minutes()))
		case "ratio":
			ps.Ratio, _ = p.integer(e.v, "ratio", 1, 1000, defaultIs(3))
		case "aging_factor":
			ps.AgingFactor, _ = p.number(e.v, "aging_factor", 1, true, 1000, defaultIs(2))
		}
	}
	return ps
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// didYouMean suggests the closest candidate for a typo, or nothing when
// none is close enough to be a likely intent.
func didYouMean(s string, candidates []string) string {
	best, bestD := "", math.MaxInt
	for _, c := range candidates {
		if strings.EqualFold(s, c) {
			return fmt.Sprintf(" (did you mean %s?)", c)
		}
		if d := distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	// Short words get no suggestion: every letter is one edit from "A".
	limit := min(3, utf8.RuneCountInString(best)/3)
	if best == "" || bestD > limit {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

// distance is the optimal string alignment distance: edits plus swaps of
// neighbours, the commonest typing slip ("tragt" for "targt").
func distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	if len(s) > 64 || len(t) > 64 {
		return math.MaxInt // nobody typos a 64-letter key; keep the cost bounded
	}
	d := make([][]int, len(s)+1)
	for i := range d {
		d[i] = make([]int, len(t)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(s)][len(t)]
}
