package queue

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"langelis/priority"
)

// Languages are the languages Langelis has texts in. An office offers
// some or all of them, in its own order (Office.Languages).
//
// This is the one list: the translations (package i18n loads one bundle
// per entry), the voices (package announce), the command line and the
// pages' LANGS (assets/web/js/i18n.js, kept equal by a test) follow it.
// Adding a language is adding it here and writing its files
// (docs/i18n.md). Its order is only the order of the language buttons
// of an office file that names no languages (defaultLanguages); no code
// takes the first entry for the office's own language.
var Languages = []string{"lt", "en", "ru", "pl", "uk", "bg"}

// ValidLanguage reports whether lang is one of Languages.
func ValidLanguage(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Office is the definition of one service hall: what it serves, where and
// when. It is read from the office file and does not change while the
// server runs.
type Office struct {
	Name     string            `json:"name"`
	Names    map[string]string `json:"names,omitempty"` // office name per language, when it differs
	TimeZone string            `json:"time_zone"`
	// Languages are the office's visitor languages in its order: the first
	// is the office's own (pages start in it, people whose language is not
	// known are answered in it, every service is named in it); the second
	// is shown and spoken after the first in the hall. ApplyDefaults fills
	// it; the office file may instead give only second_language.
	Languages []string `json:"languages,omitempty"`
	// SecondLanguage is Languages[1] (or empty), kept for office files and
	// programs from before Languages.
	SecondLanguage string    `json:"second_language,omitempty"`
	Services       []Service `json:"services"`
	Desks          []DeskDef `json:"desks"`
	// RetiredServices are services no longer offered, kept so that their
	// history (the journal's tickets, reports, the audit) keeps its names;
	// RetiredDesks the numbers of desks no longer in the hall.
	RetiredServices []Service        `json:"retired_services,omitempty"`
	RetiredDesks    []int            `json:"retired_desks,omitempty"`
	Hours           Hours            `json:"hours"`
	Priority        PrioritySettings `json:"priority"`
	RetentionDays   int              `json:"retention_days"`
	// AuditRetentionDays is how long configuration and account changes
	// (the audit trail, Change) are kept; apart from RetentionDays, the
	// ticket journal's.
	AuditRetentionDays int `json:"audit_retention_days,omitempty"`
	// FeedbackRetentionDays is how long after a complaint or suggestion
	// was answered its contact, text and notes are kept (package
	// feedback); its anonymous record (kind, dates, status) stays for the
	// reports.
	FeedbackRetentionDays int    `json:"feedback_retention_days,omitempty"`
	RecallLimit           int    `json:"recall_limit"`    // recalls allowed before a call becomes a no-show
	NoticeMinutes         int    `json:"notice_minutes"`  // end-of-day announcements start this long before closing
	DayEndMinutes         int    `json:"day_end_minutes"` // waiting tickets are closed this long after closing
	BeyondCutoff          string `json:"beyond_cutoff"`   // "warn" or "stop": what the kiosk does past the cutoff
	// Contact is how people reach the office about their data and the
	// pages' accessibility (contact.go).
	Contact Contact `json:"contact,omitzero"`

	loc *time.Location
}

// Service is a kind of matter with its own ticket letter.
type Service struct {
	Letter        string            `json:"letter"`
	Names         map[string]string `json:"names"`
	TargetMinutes float64           `json:"target_minutes"`
	// DailyCap is the most tickets the service issues in a day; 0 is no
	// cap. The manager sets it to bound what a flood can put in the queue.
	DailyCap int `json:"daily_cap,omitempty"`
	// Colour marks the service on the kiosk and the hall display, as
	// "#rrggbb"; empty is the pages' own.
	Colour string `json:"colour,omitempty"`
	// TargetWaitMinutes is the service level's bound: the share of
	// visitors called within it is what the reports measure.
	TargetWaitMinutes float64 `json:"target_wait_minutes,omitempty"`
	// Booking, when set, lets visitors book a time for the service
	// (booking.go).
	Booking *BookingSettings `json:"booking,omitempty"`

	first string // the office's first language, set by Validate for Name
}

// DefaultTargetWaitMinutes is a service's target wait when the office
// file names none.
const DefaultTargetWaitMinutes = 15

// TargetWait is the service level's bound for the service.
func (s Service) TargetWait() time.Duration {
	m := s.TargetWaitMinutes
	if m == 0 {
		m = DefaultTargetWaitMinutes
	}
	return time.Duration(m * float64(time.Minute))
}

// MaxDailyCap bounds Service.DailyCap: five-digit ticket numbers, far more
// than any hall serves in a day.
const MaxDailyCap = 99999

// Name returns the service's name in lang, falling back to the office's
// first language (which Validate makes sure it has), then to any.
func (s Service) Name(lang string) string {
	if n, ok := s.Names[lang]; ok && n != "" {
		return n
	}
	if n := s.Names[s.first]; n != "" {
		return n
	}
	for _, l := range Languages {
		if n := s.Names[l]; n != "" {
			return n
		}
	}
	return s.Letter
}

// FirstLanguage is the office's own language: the first of Languages.
// An office not yet through ApplyDefaults or Validate has the first its
// file would get (defaultLanguages).
func (o *Office) FirstLanguage() string {
	if len(o.Languages) > 0 {
		return o.Languages[0]
	}
	return o.defaultLanguages()[0]
}

// LegacyFirstLanguage is the first language of an office file that names
// no languages (neither languages nor only second_language): such files
// were written before offices chose their languages, when every office was
// a Lithuanian one. It is a rule for reading old files, not a default
// anything else may use; an office's own language is FirstLanguage.
const LegacyFirstLanguage = "lt"

// Second is the office's second language, shown and spoken after the
// first in the hall; "" when the office has one language.
func (o *Office) Second() string {
	if len(o.Languages) > 1 {
		return o.Languages[1]
	}
	return ""
}

// defaultLanguages orders the office's languages when the definition
// names none: LegacyFirstLanguage, then second_language, then the rest in
// the order of Languages.
func (o *Office) defaultLanguages() []string {
	out := []string{LegacyFirstLanguage}
	if o.SecondLanguage != "" && o.SecondLanguage != out[0] {
		out = append(out, o.SecondLanguage)
	}
	for _, l := range Languages {
		if l != out[0] && l != o.SecondLanguage {
			out = append(out, l)
		}
	}
	return out
}

// Target returns the target service time.
func (s Service) Target() time.Duration {
	return time.Duration(s.TargetMinutes * float64(time.Minute))
}

// DeskDef is a configured desk: its number and the services it serves.
type DeskDef struct {
	Number   int      `json:"number"`
	Services []string `json:"services"`
}

// PrioritySettings chooses the call-order policy and its limits.
type PrioritySettings struct {
	Policy         string  `json:"policy"`           // default, fifo, strict, ratio, aging
	MaxStreak      int     `json:"max_streak"`       // default policy: K consecutive priority calls
	MaxWaitMinutes float64 `json:"max_wait_minutes"` // default policy: W, a regular ticket's longest wait
	// HeadStartMinutes is the default policy's head start: a priority
	// ticket goes ahead of those issued up to this long before it.
	HeadStartMinutes float64 `json:"head_start_minutes"`
	Ratio            int     `json:"ratio"`        // ratio policy: N priority calls to 1 regular
	AgingFactor      float64 `json:"aging_factor"` // aging policy: how much faster priority urgency grows
}

// Span is a stretch of a day in minutes from local midnight, [Start, End).
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// String formats the span as "08:00-17:00".
func (s Span) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", s.Start/60, s.Start%60, s.End/60, s.End%60)
}

// SpanError is a mistake in a day's hours: the text key of its message
// (assets/web/i18n/errors) and the part of the hours it is about. Error
// gives the English message the office file reports.
type SpanError struct {
	Key  string
	Part string
}

// spanMessages are the English messages of SpanError, as the office file
// reports them.
var spanMessages = map[string]string{
	"err.office.span.range":   "%q is not a time range like 08:00-17:00",
	"err.office.span.time":    "%q is not a time like 08:00",
	"err.office.span.clock":   "%q is not a time of day",
	"err.office.span.order":   "%q ends before it starts",
	"err.office.span.overlap": "%q overlaps or precedes the range before it",
}

func (e *SpanError) Error() string { return fmt.Sprintf(spanMessages[e.Key], e.Part) }

// TextKey and TextArgs make a SpanError a message inside another one
// (i18n.Message), in the person's language.
func (e *SpanError) TextKey() string { return e.Key }

// TextArgs returns the message's arguments; see TextKey.
func (e *SpanError) TextArgs() []any { return []any{"part", e.Part} }

// ParseSpans parses "08:00-12:00, 12:45-17:00" (or "closed") into spans.
func ParseSpans(s string) ([]Span, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "closed") {
		return nil, nil
	}
	var out []Span
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		a, b, ok := strings.Cut(part, "-")
		if !ok {
			return nil, &SpanError{Key: "err.office.span.range", Part: part}
		}
		start, err := parseClock(a)
		if err != nil {
			return nil, err
		}
		end, err := parseClock(b)
		if err != nil {
			return nil, err
		}
		if end <= start {
			return nil, &SpanError{Key: "err.office.span.order", Part: part}
		}
		if n := len(out); n > 0 && start < out[n-1].End {
			return nil, &SpanError{Key: "err.office.span.overlap", Part: part}
		}
		out = append(out, Span{start, end})
	}
	return out, nil
}

// colourRe is a service's colour: #rrggbb.
var colourRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// clockRe is strict on purpose: "12:3" is more likely a typo for 12:30
// than a wish for 12:03.
var clockRe = regexp.MustCompile(`^([0-9]{1,2}):([0-9]{2})$`)

func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	m := clockRe.FindStringSubmatch(s)
	if m == nil {
		return 0, &SpanError{Key: "err.office.span.time", Part: s}
	}
	h, _ := strconv.Atoi(m[1])
	mm, _ := strconv.Atoi(m[2])
	if h > 24 || mm > 59 || (h == 24 && mm != 0) {
		return 0, &SpanError{Key: "err.office.span.clock", Part: s}
	}
	return h*60 + mm, nil
}

// Hours are the opening hours: a week of spans, holidays and one-off days.
type Hours struct {
	Week       [7][]Span         `json:"week"` // indexed by time.Weekday
	Holidays   map[string]bool   `json:"holidays,omitempty"`
	Exceptions map[string][]Span `json:"exceptions,omitempty"` // date → spans, e.g. an early close
}

// Location returns the office time zone, as Validate loaded it. It never
// writes to the office, so offices are safe to share between goroutines.
func (o *Office) Location() *time.Location {
	if o.loc != nil {
		return o.loc
	}
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Day returns the business day of t in the office time zone, as 2006-01-02.
func (o *Office) Day(t time.Time) string {
	return t.In(o.Location()).Format(time.DateOnly)
}

// Interval is an absolute stretch of time.
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// OpenIntervals returns the opening intervals of the business day that
// contains t. A daylight-saving change is handled by building each instant
// from the local wall clock.
func (o *Office) OpenIntervals(t time.Time) []Interval {
	loc := o.Location()
	lt := t.In(loc)
	date := lt.Format(time.DateOnly)
	var spans []Span
	if ex, ok := o.Hours.Exceptions[date]; ok {
		spans = ex
	} else if o.Hours.Holidays[date] {
		spans = nil
	} else {
		spans = o.Hours.Week[lt.Weekday()]
	}
	y, m, d := lt.Date()
	out := make([]Interval, 0, len(spans))
	for _, s := range spans {
		out = append(out, Interval{
			Start: time.Date(y, m, d, s.Start/60, s.Start%60, 0, 0, loc),
			End:   time.Date(y, m, d, s.End/60, s.End%60, 0, 0, loc),
		})
	}
	return out
}

// IsOpen reports whether the office is open at t.
func (o *Office) IsOpen(t time.Time) bool {
	for _, iv := range o.OpenIntervals(t) {
		if !t.Before(iv.Start) && t.Before(iv.End) {
			return true
		}
	}
	return false
}

// Closing returns the final closing time of t's business day, and false
// when the office does not open that day.
func (o *Office) Closing(t time.Time) (time.Time, bool) {
	ivs := o.OpenIntervals(t)
	if len(ivs) == 0 {
		return time.Time{}, false
	}
	return ivs[len(ivs)-1].End, true
}

// NextOpening returns the first opening at or after t within two weeks.
func (o *Office) NextOpening(t time.Time) (time.Time, bool) {
	loc := o.Location()
	lt := t.In(loc)
	for i := 0; i < 15; i++ {
		day := time.Date(lt.Year(), lt.Month(), lt.Day()+i, 12, 0, 0, 0, loc)
		for _, iv := range o.OpenIntervals(day) {
			if iv.End.After(t) {
				if iv.Start.Before(t) {
					return t, true
				}
				return iv.Start, true
			}
		}
	}
	return time.Time{}, false
}

// Service returns the service with the given letter.
func (o *Office) Service(letter string) (Service, bool) {
	for _, s := range o.Services {
		if s.Letter == letter {
			return s, true
		}
	}
	return Service{}, false
}

// DeskDef returns the configured desk with number n.
func (o *Office) DeskDef(n int) (DeskDef, bool) {
	for _, d := range o.Desks {
		if d.Number == n {
			return d, true
		}
	}
	return DeskDef{}, false
}

// ApplyDefaults fills settings left at zero with the documented defaults.
func (o *Office) ApplyDefaults() {
	if o.TimeZone == "" {
		o.TimeZone = "Europe/Vilnius"
	}
	if o.Priority.Policy == "" {
		o.Priority.Policy = "default"
	}
	if o.Priority.MaxStreak == 0 {
		o.Priority.MaxStreak = 3
	}
	if o.Priority.MaxWaitMinutes == 0 {
		o.Priority.MaxWaitMinutes = 40 // chosen with langelis simulate: README "Priority"
	}
	if o.Priority.HeadStartMinutes == 0 {
		o.Priority.HeadStartMinutes = priority.DefaultHeadStart.Minutes() // README "Priority"
	}
	if o.Priority.Ratio == 0 {
		o.Priority.Ratio = 3
	}
	if o.Priority.AgingFactor == 0 {
		o.Priority.AgingFactor = 2
	}
	if o.RetentionDays == 0 {
		o.RetentionDays = 30
	}
	if o.AuditRetentionDays == 0 {
		o.AuditRetentionDays = DefaultAuditRetentionDays
	}
	if o.FeedbackRetentionDays == 0 {
		o.FeedbackRetentionDays = DefaultFeedbackRetentionDays
	}
	if o.RecallLimit == 0 {
		o.RecallLimit = 2
	}
	if o.NoticeMinutes == 0 {
		o.NoticeMinutes = 60
	}
	if o.DayEndMinutes == 0 {
		o.DayEndMinutes = 60
	}
	if o.BeyondCutoff == "" {
		o.BeyondCutoff = "warn"
	}
	if len(o.Languages) == 0 {
		o.Languages = o.defaultLanguages()
	}
	for i := range o.Services {
		if o.Services[i].TargetMinutes == 0 {
			o.Services[i].TargetMinutes = 10
		}
		if o.Services[i].TargetWaitMinutes == 0 {
			o.Services[i].TargetWaitMinutes = DefaultTargetWaitMinutes
		}
		if b := o.Services[i].Booking; b != nil {
			b.applyDefaults()
		}
	}
}

// Validate checks the definition as a whole. The office file parser reports
// positions; this is the last word on what a valid office is.
func (o *Office) Validate() error {
	if strings.TrimSpace(o.Name) == "" {
		return fmt.Errorf("office name is empty")
	}
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		return fmt.Errorf("unknown time zone %q", o.TimeZone)
	}
	o.loc = loc
	if len(o.Services) == 0 {
		return fmt.Errorf("no services defined")
	}
	letters := map[string]bool{}
	for _, s := range o.Services {
		if len(s.Letter) != 1 || s.Letter[0] < 'A' || s.Letter[0] > 'Z' {
			return fmt.Errorf("service letter %q must be one capital letter A-Z", s.Letter)
		}
		if letters[s.Letter] {
			return fmt.Errorf("service letter %q is used twice", s.Letter)
		}
		letters[s.Letter] = true
		if s.Names[o.FirstLanguage()] == "" {
			return fmt.Errorf("service %s has no name in %s, the office's first language", s.Letter, o.FirstLanguage())
		}
		for lang := range s.Names {
			if !ValidLanguage(lang) {
				return fmt.Errorf("service %s: unknown language %q (use one of %s)", s.Letter, lang, strings.Join(Languages, ", "))
			}
		}
		if !(s.TargetMinutes >= 0 && s.TargetMinutes <= 480) { // also refuses NaN
			return fmt.Errorf("service %s: target minutes %v is out of range 0-480", s.Letter, s.TargetMinutes)
		}
		if !(s.TargetWaitMinutes >= 0 && s.TargetWaitMinutes <= 480) {
			return fmt.Errorf("service %s: target wait minutes %v is out of range 1-480", s.Letter, s.TargetWaitMinutes)
		}
		if s.DailyCap < 0 || s.DailyCap > MaxDailyCap {
			return fmt.Errorf("service %s: daily cap %d is out of range 1-%d", s.Letter, s.DailyCap, MaxDailyCap)
		}
		if s.Colour != "" && !colourRe.MatchString(s.Colour) {
			return fmt.Errorf("service %s: colour %q is not a colour like #1f6feb", s.Letter, s.Colour)
		}
		if s.Booking != nil {
			if err := s.Booking.validate(s.Letter); err != nil {
				return err
			}
		}
	}
	for _, s := range o.RetiredServices {
		if letters[s.Letter] {
			return fmt.Errorf("service letter %q is both offered and retired", s.Letter)
		}
	}
	if len(o.Desks) == 0 {
		return fmt.Errorf("no desks defined")
	}
	nums := map[int]bool{}
	for _, d := range o.Desks {
		if d.Number <= 0 || d.Number > 999 {
			return fmt.Errorf("desk number %d must be 1-999", d.Number)
		}
		if nums[d.Number] {
			return fmt.Errorf("desk %d is defined twice", d.Number)
		}
		nums[d.Number] = true
		if len(d.Services) == 0 {
			return fmt.Errorf("desk %d serves no service", d.Number)
		}
		for _, l := range d.Services {
			if !letters[l] {
				return fmt.Errorf("desk %d serves unknown service %q", d.Number, l)
			}
		}
	}
	for _, n := range o.RetiredDesks {
		if nums[n] {
			return fmt.Errorf("desk %d is both in the hall and retired", n)
		}
	}
	switch o.Priority.Policy {
	case "default", "fifo", "strict", "ratio", "aging":
	default:
		return fmt.Errorf("unknown priority policy %q (use default, fifo, strict, ratio or aging)", o.Priority.Policy)
	}
	if o.Priority.MaxStreak < 1 || !(o.Priority.MaxWaitMinutes > 0 && o.Priority.MaxWaitMinutes < 24*60) ||
		!(o.Priority.HeadStartMinutes > 0 && o.Priority.HeadStartMinutes < 24*60) ||
		o.Priority.Ratio < 1 || !(o.Priority.AgingFactor >= 1 && o.Priority.AgingFactor <= 100) {
		return fmt.Errorf("priority limits must be positive (max_streak ≥ 1, max_wait_minutes > 0, head_start_minutes > 0, ratio ≥ 1, aging_factor ≥ 1)")
	}
	if err := o.validateLanguages(); err != nil {
		return err
	}
	if o.RetentionDays < 1 {
		return fmt.Errorf("retention days must be at least 1")
	}
	if o.AuditRetentionDays < 0 {
		return fmt.Errorf("audit_retention_days must be at least 1")
	}
	if o.FeedbackRetentionDays < 0 {
		return fmt.Errorf("feedback_retention_days must be at least 1")
	}
	if o.RecallLimit < 0 || o.NoticeMinutes < 0 || o.DayEndMinutes < 0 {
		return fmt.Errorf("recall_limit, notice_minutes and day_end_minutes must not be negative")
	}
	for lang := range o.Names {
		if !ValidLanguage(lang) {
			return fmt.Errorf("office name: unknown language %q", lang)
		}
	}
	if o.BeyondCutoff != "warn" && o.BeyondCutoff != "stop" {
		return fmt.Errorf("beyond_cutoff must be warn or stop, not %q", o.BeyondCutoff)
	}
	for date := range o.Hours.Holidays {
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			return fmt.Errorf("holiday %q is not a date like 2026-12-24", date)
		}
	}
	for date := range o.Hours.Exceptions {
		if _, err := time.Parse(time.DateOnly, date); err != nil {
			return fmt.Errorf("exception %q is not a date like 2026-12-31", date)
		}
	}
	sort.Slice(o.Desks, func(i, j int) bool { return o.Desks[i].Number < o.Desks[j].Number })
	for i := range o.Services {
		o.Services[i].first = o.FirstLanguage()
	}
	for i := range o.RetiredServices {
		o.RetiredServices[i].first = o.FirstLanguage()
	}
	return nil
}

// validateLanguages checks Languages (filling it from SecondLanguage when
// empty) and keeps SecondLanguage equal to its second.
func (o *Office) validateLanguages() error {
	if len(o.Languages) == 0 {
		o.Languages = o.defaultLanguages()
	}
	seen := map[string]bool{}
	for _, l := range o.Languages {
		if !ValidLanguage(l) {
			return fmt.Errorf("unknown language %q in languages (use %s)", l, strings.Join(Languages, ", "))
		}
		if seen[l] {
			return fmt.Errorf("language %s is named twice in languages", l)
		}
		seen[l] = true
	}
	if o.SecondLanguage != "" && o.SecondLanguage != o.Second() {
		return fmt.Errorf("second_language %q is not the second of languages %v; give only languages", o.SecondLanguage, o.Languages)
	}
	o.SecondLanguage = o.Second()
	return nil
}
