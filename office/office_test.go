package office

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"langelis/queue"
)

// minimal is the smallest valid office: seven lines, so that the broken
// files below, which add to it, have lines that are easy to count.
const minimal = `name: Test
services:
  - letter: A
    names: {lt: Deklaravimas}
desks:
  - number: 1
    services: [A]
`

// writeFile writes a real office file, since Load is what the server calls.
func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "office.yaml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func load(t *testing.T, content string) *queue.Office {
	t.Helper()
	o, err := Load(writeFile(t, content))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return o
}

func TestExampleParses(t *testing.T) {
	data, err := os.ReadFile("example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o := load(t, string(data))
	if o.Name != "Vilniaus m. savivaldybės klientų aptarnavimo salė" {
		t.Errorf("name %q", o.Name)
	}
	if o.Names["ru"] == "" || o.SecondLanguage != "en" || o.TimeZone != "Europe/Vilnius" {
		t.Errorf("names %v, second language %q, zone %q", o.Names, o.SecondLanguage, o.TimeZone)
	}
	if len(o.Services) != 4 || len(o.Desks) != 5 {
		t.Fatalf("%d services, %d desks; want 4 and 5", len(o.Services), len(o.Desks))
	}
	if s, _ := o.Service("C"); s.Name("pl") != "Budownictwo i gospodarka gruntami" || s.TargetMinutes != 15 || s.DailyCap != 0 {
		t.Errorf("service C = %+v", s)
	}
	if s, _ := o.Service("B"); s.DailyCap != 400 {
		t.Errorf("service B's daily cap %d, want 400", s.DailyCap)
	}
	// D gives only lt and en: the others fall back to Lithuanian.
	if s, _ := o.Service("D"); s.Name("uk") != "Bendrieji klausimai / konsultacijos" {
		t.Errorf("service D in uk = %q", s.Name("uk"))
	}
	if d, _ := o.DeskDef(5); strings.Join(d.Services, "") != "ABCD" {
		t.Errorf("desk 5 serves %v", d.Services)
	}
	if got := spansString(o.Hours.Week[time.Friday]); got != "08:00-12:00 12:45-15:45" {
		t.Errorf("friday %s", got)
	}
	if o.Hours.Week[time.Saturday] != nil || o.Hours.Week[time.Sunday] != nil {
		t.Errorf("weekend is open: %v %v", o.Hours.Week[time.Saturday], o.Hours.Week[time.Sunday])
	}
	if !o.Hours.Holidays["2026-12-24"] || len(o.Hours.Holidays) != 10 {
		t.Errorf("holidays %v", o.Hours.Holidays)
	}
	if o.Priority != (queue.PrioritySettings{Policy: "default", MaxStreak: 3, MaxWaitMinutes: 40, HeadStartMinutes: 30, Ratio: 3, AgingFactor: 2}) {
		t.Errorf("priority %+v", o.Priority)
	}
}

func spansString(spans []queue.Span) string {
	var parts []string
	for _, s := range spans {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, " ")
}

// TestBroken checks that each mistake is reported at its own line, with
// words that tell a person what to fix.
func TestBroken(t *testing.T) {
	for _, tc := range brokenFiles {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.content)
			_, err := Load(path)
			if err == nil {
				t.Fatal("no error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not *Error: %v", err, err)
			}
			first := strings.SplitN(err.Error(), "\n", 2)[0]
			if e.Line != tc.line || e.File != path {
				t.Errorf("reported at %s:%d, want line %d\n%v", e.File, e.Line, tc.line, err)
			}
			if !strings.Contains(e.Msg, tc.want) {
				t.Errorf("message %q does not contain %q", e.Msg, tc.want)
			}
			if prefix := path + ":"; !strings.HasPrefix(first, prefix) {
				t.Errorf("%q does not start with %q", first, prefix)
			}
		})
	}
}

// brokenFiles doubles as part of the fuzz seed corpus.
var brokenFiles = []struct {
	name    string
	content string
	line    int    // of the first (or only) mistake
	want    string // in its message
}{
	{"unknown top field", minimal + "nmae: Test\n", 8, `unknown field "nmae" in the office file (did you mean name?)`},
	{"unknown service field", `name: Test
services:
  - letter: A
    names: {lt: Deklaravimas}
    tragt_minutes: 8
desks:
  - number: 1
    services: [A]
`, 5, `unknown field "tragt_minutes" in service (did you mean target_minutes?)`},
	{"unknown desk field", minimal + "  - number: 2\n    servces: [A]\n", 9, `unknown field "servces" in desk (did you mean services?)`},
	{"unknown priority field", minimal + "priority:\n  max_streek: 2\n", 9, `unknown field "max_streek" in priority (did you mean max_streak?)`},
	{"desk serves unknown service", minimal + "  - number: 3\n    services: [A, Z]\n", 9, `desk 3 serves unknown service "Z"`},
	{"duplicate letter", `name: Test
services:
  - letter: A
    names: {lt: Deklaravimas}
  - letter: A
    names: {lt: Išmokos}
desks:
  - number: 1
    services: [A]
`, 5, `service letter "A" is used twice (first at line 3)`},
	{"lower-case letter", strings.Replace(minimal, "letter: A", "letter: a", 1), 3, `must be one capital letter A-Z (did you mean "A"?)`},
	{"no name in the first language", strings.Replace(minimal, "{lt: Deklaravimas}", "{en: Declaration}", 1), 4, `service A has no name in lt, the office's first language`},
	{"no name in an English office's first language", minimal + "languages: [en, lt]\n", 4, `service A has no name in en, the office's first language`},
	{"unknown language in languages", minimal + "languages: [lt, de]\n", 8, `unknown language "de" in languages`},
	{"a language twice", minimal + "languages: [lt, en, lt]\n", 8, `language lt is named twice`},
	{"second language disagrees", minimal + "languages: [lt, ru]\nsecond_language: en\n", 9, `second_language en disagrees with languages, whose second is ru`},
	{"unknown language", strings.Replace(minimal, "{lt: Deklaravimas}", "{lt: Deklaravimas, lv: Deklarēšana}", 1), 4, `unknown language "lv"`},
	{"text for a number", minimal + "recall_limit: two\n", 8, `recall_limit must be a whole number, not "two"`},
	{"text for target minutes", strings.Replace(minimal, "    names: {lt: Deklaravimas}\n", "    names: {lt: Deklaravimas}\n    target_minutes: eight\n", 1), 5, `target_minutes of service A must be a number, not "eight"`},
	{"fraction for a whole number", minimal + "retention_days: 7.5\n", 8, `retention_days must be a whole number, not the number 7.5`},
	{"NaN", minimal + "priority:\n  max_wait_minutes: .nan\n", 9, `max_wait_minutes must be an ordinary number`},
	{"zero recall limit", minimal + "recall_limit: 0\n", 8, `leave the line out to get the default, 2`},
	{"zero daily cap", strings.Replace(minimal, "    names: {lt: Deklaravimas}\n", "    names: {lt: Deklaravimas}\n    daily_cap: 0\n", 1), 5, `daily_cap of service A 0 is out of range 1-99999 (leave the line out for no cap)`},
	{"daily cap too big", strings.Replace(minimal, "    names: {lt: Deklaravimas}\n", "    names: {lt: Deklaravimas}\n    daily_cap: 100000\n", 1), 5, `daily_cap of service A 100000 is out of range 1-99999`},
	{"daily cap text", strings.Replace(minimal, "    names: {lt: Deklaravimas}\n", "    names: {lt: Deklaravimas}\n    daily_cap: many\n", 1), 5, `daily_cap of service A must be a whole number, not "many"`},
	{"zero target wait", strings.Replace(minimal, "    names: {lt: Deklaravimas}\n", "    names: {lt: Deklaravimas}\n    target_wait_minutes: 0\n", 1), 5, `target_wait_minutes of service A must be more than 0 and at most 480`},
	{"audit retention in words", minimal + "audit_retention_days: year\n", 8, `audit_retention_days must be`},
	{"zero feedback retention", minimal + "feedback_retention_days: 0\n", 8, `feedback_retention_days 0 is out of range 1-36600`},
	{"feedback retention in words", minimal + "feedback_retention_days: soon\n", 8, `feedback_retention_days must be a whole number`},
	{"zero target", strings.Replace(minimal, "    names: {lt: Deklaravimas}\n", "    names: {lt: Deklaravimas}\n    target_minutes: 0\n", 1), 5, `must be more than 0 and at most 480`},
	{"desk number text", strings.Replace(minimal, "number: 1", "number: one", 1), 6, `desk number must be a whole number, not "one"`},
	{"desk number out of range", strings.Replace(minimal, "number: 1", "number: 1000", 1), 6, `desk number 1000 is out of range 1-999`},
	{"duplicate desk", minimal + "  - number: 1\n    services: [A]\n", 8, `desk 1 is defined twice (first at line 6)`},
	{"desk without services", minimal + "  - number: 2\n    services: []\n", 9, `desk 2 serves no service`},
	{"desk lists a service twice", minimal + "  - number: 2\n    services:\n      - A\n      - A\n", 11, `desk 2 lists service "A" twice`},
	{"services not a list", "name: Test\nservices: A\ndesks: []\n", 2, `services must be a list`},
	{"no services", "name: Test\ndesks:\n  - number: 1\n    services: [A]\n", 1, `no services defined`},
	{"no name", strings.Replace(minimal, "name: Test\n", "names: {en: Test}\n", 1), 1, `the office has no name`},
	{"empty name", strings.Replace(minimal, "name: Test", `name: ""`, 1), 1, `name is empty`},
	{"duplicate key", minimal + "recall_limit: 2\nrecall_limit: 3\n", 9, `"recall_limit" is given twice in the office file (first at line 8)`},
	{"bad time", minimal + "hours:\n  monday: \"08:00-25:00\"\n", 9, `hours for monday: "25:00" is not a time of day`},
	{"range ends before it starts", minimal + "hours:\n  tuesday: \"08:00-12:00, 17:00-13:00\"\n", 9, `ends before it starts`},
	{"overlapping ranges", minimal + "hours:\n  wednesday: \"08:00-13:00, 12:00-17:00\"\n", 9, `overlaps`},
	{"not a range", minimal + "hours:\n  thursday: \"08:00\"\n", 9, `is not a time range like 08:00-17:00`},
	{"number for hours", minimal + "hours:\n  friday: 8\n", 9, `hours for friday must be text`},
	{"unknown weekday", minimal + "hours:\n  monday: \"08:00-17:00\"\n  tusday: \"08:00-17:00\"\n", 10, `unknown weekday "tusday" in hours (did you mean tuesday?)`},
	{"same weekday twice", minimal + "hours:\n  monday: \"08:00-17:00\"\n  pirmadienis: \"08:00-15:00\"\n", 10, `pirmadienis is the same day as monday at line 9`},
	{"bad holiday", minimal + "holidays:\n  - \"2026-12-24\"\n  - \"2026-13-01\"\n", 10, `holiday "2026-13-01" is not a date like 2026-12-24`},
	{"holidays not a list", minimal + "holidays: \"2026-12-24\"\n", 8, `holidays must be a list like`},
	{"bad exception date", minimal + "exceptions:\n  \"31.12.2026\": \"08:00-13:00\"\n", 9, `exception "31.12.2026" is not a date like 2026-12-31`},
	{"bad exception hours", minimal + "exceptions:\n  \"2026-12-31\": \"08:00-13\"\n", 9, `hours for 2026-12-31: "13" is not a time like 08:00`},
	{"unknown policy", minimal + "priority:\n  policy: fifoo\n", 9, `priority policy "fifoo" is not one of default, fifo, strict, ratio, aging (did you mean fifo?)`},
	{"unknown beyond_cutoff", minimal + "beyond_cutoff: halt\n", 8, `beyond_cutoff "halt" is not one of warn, stop`},
	{"aging factor below 1", minimal + "priority:\n  aging_factor: 0.5\n", 9, `aging_factor must be at least 1`},
	{"unknown time zone", minimal + "time_zone: Europe/Vilnus\n", 8, `unknown time zone "Europe/Vilnus"`},
	{"local time zone", minimal + "time_zone: Local\n", 8, `depends on the computer`},
	{"second language is the first", minimal + "second_language: lt\n", 8, `second_language cannot be lt: it is the first language`},
	{"unknown second language", minimal + "second_language: de\n", 8, `unknown language "de" in second_language`},
	{"priority not a mapping", minimal + "priority: default\n", 8, `priority must be a mapping (key: value lines), not "default"`},
	{"file is a list", "- name: Test\n", 1, `the office file must be a mapping`},
	{"syntax: bad indentation", `name: Test
services:
  - letter: A
   names: {lt: Deklaravimas}
desks:
  - number: 1
    services: [A]
`, 4, `syntax error: did not find expected '-' indicator`},
	{"syntax: unclosed bracket", minimal + "holidays: [\"2026-12-24\"\nretention_days: 30\n", 8, `syntax error: did not find expected ',' or ']'`},
	{"syntax: two colons", minimal + "name2: a: b\n", 8, `syntax error: mapping values are not allowed in this context`},
	{"syntax: tab", "name: Test\nservices:\n\t- letter: A\n", 3, `YAML indents with spaces only`},
	{"syntax: unknown anchor", minimal + "  - number: 2\n    services: *letters\n", 9, `unknown anchor 'letters' referenced`},
	{"second document", minimal + "---\nname: Other\n", 8, `a second YAML document`},
	{"empty file", "", 0, `the file is empty`},
	{"only comments", "# nothing yet\n", 0, `the file is empty`},
	{"not UTF-8", "name: Test\nservices:\n  - letter: A\n    names: {lt: Deklaravimas}\n  - letter: B\n    names: {lt: Socialin\xeb i\xf0mokos}\n", 6, `not UTF-8 text; save it as UTF-8`},
}

func TestAllMistakesAreReported(t *testing.T) {
	_, err := Parse("office.yaml", []byte(`name: Test
services:
  - letter: A
    names: {lt: Deklaravimas}
    tragt_minutes: 8
desks:
  - number: 1
    services: [A, Z]
recall_limit: many
`))
	want := []string{
		`office.yaml:5: unknown field "tragt_minutes" in service (did you mean target_minutes?)`,
		`office.yaml:8: desk 1 serves unknown service "Z"`,
		`office.yaml:9: recall_limit must be a whole number, not "many"`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("got\n%v\nwant\n%s", err, strings.Join(want, "\n"))
	}
}

// A broken service letter must not be reported again at every desk that
// uses it.
func TestNoCascade(t *testing.T) {
	_, err := Parse("office.yaml", []byte(strings.ReplaceAll(minimal, "A", "AA")))
	if err == nil || strings.Count(err.Error(), "\n") != 0 || !strings.Contains(err.Error(), `office.yaml:3: service letter "AA"`) {
		t.Errorf("got %v", err)
	}
}

func TestTooManyMistakes(t *testing.T) {
	var b strings.Builder
	b.WriteString(minimal)
	for i := 0; i < 20; i++ {
		b.WriteString("  - number: 1\n    services: [A]\n")
	}
	_, err := Parse("office.yaml", []byte(b.String()))
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != maxReported+1 || lines[maxReported] != "office.yaml: 8 more mistakes not shown" {
		t.Errorf("got %d lines, last %q", len(lines), lines[len(lines)-1])
	}
}

// A small file can stand for a huge tree through aliases; reading it must
// stay cheap and still end in an error.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: x\nnames: &n {lt: a")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, ", k%d: b", i)
	}
	b.WriteString("}\nservices: [&s {letter: A, names: *n}")
	b.WriteString(strings.Repeat(", *s", 5000))
	b.WriteString("]\n")
	start := time.Now()
	_, err := Parse("office.yaml", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "too complex") {
		t.Errorf("got %.300v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestLongValuesAreCut(t *testing.T) {
	_, err := Parse("office.yaml", []byte(minimal+"beyond_cutoff: "+strings.Repeat("ž", 10000)+"\n"))
	var e *Error
	if !errors.As(err, &e) || len(e.Msg) > maxMsg+len("…") || !utf8.ValidString(e.Msg) {
		t.Errorf("got %d bytes: %.100v", len(e.Msg), err)
	}
}

func TestLithuanianWeekdays(t *testing.T) {
	o := load(t, minimal+`hours:
  pirmadienis: "08:00-17:00"
  antradienis: "08:00-16:00"
  trečiadienis: "08:00-15:00"
  ketvirtadienis: "08:00-14:00"
  penktadienis: "08:00-13:00"
  šeštadienis: "09:00-12:00"
  sekmadienis: closed
`)
	want := map[time.Weekday]string{
		time.Monday: "08:00-17:00", time.Tuesday: "08:00-16:00", time.Wednesday: "08:00-15:00",
		time.Thursday: "08:00-14:00", time.Friday: "08:00-13:00", time.Saturday: "09:00-12:00",
		time.Sunday: "",
	}
	for day, w := range want {
		if got := spansString(o.Hours.Week[day]); got != w {
			t.Errorf("%v: %q, want %q", day, got, w)
		}
	}
}

// Not every keyboard has ė, š and č, and people capitalise day names.
func TestWeekdaysWithoutLithuanianLetters(t *testing.T) {
	o := load(t, minimal+`hours:
  Treciadienis: "08:00-15:00"
  sestadienis: "09:00-12:00"
  Monday: "08:00-17:00"
`)
	if o.Hours.Week[time.Wednesday] == nil || o.Hours.Week[time.Saturday] == nil || o.Hours.Week[time.Monday] == nil {
		t.Errorf("week %v", o.Hours.Week)
	}
}

func TestHolidaysAndExceptions(t *testing.T) {
	o := load(t, minimal+`hours:
  monday: "08:00-12:00, 12:45-17:00"
  tuesday: "08:00-17:00"
  wednesday: "08:00-17:00"
  thursday: "08:00-17:00"
  friday: "08:00-15:45"
holidays: ["2026-12-24", "2026-12-25"]
exceptions:
  "2026-12-31": "08:00-13:00"
  "2026-12-30": closed
  "2026-12-29":
  "2026-12-25": "10:00-12:00"
`)
	vilnius, err := time.LoadLocation("Europe/Vilnius")
	if err != nil {
		t.Fatal(err)
	}
	at := func(date string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, date, vilnius)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(12 * time.Hour)
	}
	for date, want := range map[string]string{
		"2026-12-21": "08:00-12:00 12:45-17:00", // an ordinary Monday
		"2026-12-24": "",                        // holiday
		"2026-12-25": "10:00-12:00",             // an exception wins over a holiday
		"2026-12-29": "",                        // empty exception: closed
		"2026-12-30": "",                        // closed exception
		"2026-12-31": "08:00-13:00",             // early close
	} {
		var got []string
		for _, iv := range o.OpenIntervals(at(date)) {
			got = append(got, iv.Start.Format("15:04")+"-"+iv.End.Format("15:04"))
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: open %v, want %q", date, got, want)
		}
	}
	if !o.Hours.Holidays["2026-12-24"] || len(o.Hours.Holidays) != 2 {
		t.Errorf("holidays %v", o.Hours.Holidays)
	}
	if spans, ok := o.Hours.Exceptions["2026-12-30"]; !ok || spans != nil {
		t.Errorf("closed exception: %v, %v", spans, ok)
	}
}

func TestDefaults(t *testing.T) {
	o := load(t, minimal)
	want := queue.PrioritySettings{Policy: "default", MaxStreak: 3, MaxWaitMinutes: 40, HeadStartMinutes: 30, Ratio: 3, AgingFactor: 2}
	if o.Priority != want {
		t.Errorf("priority %+v, want %+v", o.Priority, want)
	}
	if o.TimeZone != "Europe/Vilnius" || o.RetentionDays != 30 || o.RecallLimit != 2 ||
		o.NoticeMinutes != 60 || o.DayEndMinutes != 60 || o.BeyondCutoff != "warn" ||
		strings.Join(o.Languages, " ") != strings.Join(queue.Languages, " ") || o.Second() != "en" {
		t.Errorf("defaults not applied: %+v", o)
	}
	if o.Services[0].TargetMinutes != 10 {
		t.Errorf("target minutes %v, want 10", o.Services[0].TargetMinutes)
	}
	for d, spans := range o.Hours.Week {
		if spans != nil {
			t.Errorf("%v is open without hours: %v", time.Weekday(d), spans)
		}
	}
	// An empty section means all its defaults, not a mistake.
	o = load(t, minimal+"priority:\nsecond_language:\nholidays: []\n")
	if o.Priority != want || o.Second() != "en" {
		t.Errorf("empty sections: %+v", o)
	}
}

func TestSettingsAreRead(t *testing.T) {
	o := load(t, minimal+`time_zone: Europe/Warsaw
second_language: pl
priority: {policy: ratio, max_streak: 5, max_wait_minutes: 12.5, head_start_minutes: 10, ratio: 4, aging_factor: 1.5}
retention_days: 7
recall_limit: 1
notice_minutes: 45
day_end_minutes: 15
beyond_cutoff: stop
`)
	want := queue.PrioritySettings{Policy: "ratio", MaxStreak: 5, MaxWaitMinutes: 12.5, HeadStartMinutes: 10, Ratio: 4, AgingFactor: 1.5}
	if o.Priority != want {
		t.Errorf("priority %+v", o.Priority)
	}
	if o.TimeZone != "Europe/Warsaw" || o.SecondLanguage != "pl" || o.RetentionDays != 7 || o.RecallLimit != 1 ||
		o.NoticeMinutes != 45 || o.DayEndMinutes != 15 || o.BeyondCutoff != "stop" {
		t.Errorf("settings %+v", o)
	}
}

// An office names its languages in its own order; the first need not be
// Lithuanian, and second_language alone still puts one second.
func TestLanguages(t *testing.T) {
	o := load(t, strings.Replace(minimal, "{lt: Deklaravimas}", "{en: Declaration, lt: Deklaravimas}", 1)+"languages: [en, lt]\n")
	if o.FirstLanguage() != "en" || o.Second() != "lt" || strings.Join(o.Languages, " ") != "en lt" {
		t.Errorf("languages %v: first %q, second %q", o.Languages, o.FirstLanguage(), o.Second())
	}
	if n := o.Services[0].Name("ru"); n != "Declaration" {
		t.Errorf("a service without a Russian name is named %q in Russian, want its name in the first language", n)
	}
	o = load(t, minimal+"second_language: ru\n")
	if strings.Join(o.Languages, " ") != "lt ru en pl uk bg" || o.SecondLanguage != "ru" {
		t.Errorf("second_language ru gave languages %v", o.Languages)
	}
}

// Notepad on Windows saves with a byte-order mark and CRLF line ends.
func TestWindowsFile(t *testing.T) {
	data, err := os.ReadFile("example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	crlf := "\ufeff" + strings.ReplaceAll(string(data), "\n", "\r\n")
	if o := load(t, crlf); len(o.Services) != 4 {
		t.Errorf("%d services", len(o.Services))
	}
	broken := "\ufeff" + strings.ReplaceAll(minimal+"nmae: x\n", "\n", "\r\n")
	_, err = Parse("office.yaml", []byte(broken))
	if err == nil || !strings.HasPrefix(err.Error(), "office.yaml:8: ") {
		t.Errorf("got %v", err)
	}
}

func TestAnchors(t *testing.T) {
	o := load(t, `name: Test
services:
  - {letter: A, names: {lt: Deklaravimas}}
  - {letter: B, names: {lt: Išmokos}}
desks:
  - {number: 1, services: &all [A, B]}
  - {number: 2, services: *all}
hours:
  monday: &day "08:00-17:00"
  tuesday: *day
`)
	if d, _ := o.DeskDef(2); strings.Join(d.Services, "") != "AB" {
		t.Errorf("desk 2 serves %v", d.Services)
	}
	if spansString(o.Hours.Week[time.Tuesday]) != "08:00-17:00" {
		t.Errorf("tuesday %v", o.Hours.Week[time.Tuesday])
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nowhere.yaml")
	_, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), path+": ") || strings.Count(err.Error(), path) != 1 {
		t.Errorf("got %v", err)
	}
}

func TestTooLarge(t *testing.T) {
	_, err := Load(writeFile(t, minimal+strings.Repeat("# padding\n", MaxSize/10)))
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("got %v", err)
	}
}

func TestDemo(t *testing.T) {
	o := Demo()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(o.Name, "Langelis demo") || o.SecondLanguage != "en" || o.TimeZone != "Europe/Vilnius" {
		t.Errorf("office %q, second language %q, zone %q", o.Name, o.SecondLanguage, o.TimeZone)
	}
	if len(o.Services) != 4 || len(o.Desks) != 5 {
		t.Fatalf("%d services, %d desks; want 4 and 5", len(o.Services), len(o.Desks))
	}
	wantLT := map[string]string{
		"A": "Gyvenamosios vietos deklaravimas",
		"B": "Socialinės išmokos",
		"C": "Statybos ir žemėtvarka",
		"D": "Bendrieji klausimai / konsultacijos",
	}
	served := map[string]int{}
	for _, d := range o.Desks {
		for _, l := range d.Services {
			served[l]++
		}
	}
	for _, s := range o.Services {
		if s.Names["lt"] != wantLT[s.Letter] {
			t.Errorf("%s: %q", s.Letter, s.Names["lt"])
		}
		for _, lang := range queue.Languages {
			if s.Names[lang] == "" {
				t.Errorf("%s has no %s name", s.Letter, lang)
			}
		}
		if !strings.ContainsAny(s.Names["ru"]+s.Names["uk"], "абвгдежзийклмнопрстуфхцчшщыьэюяієї") {
			t.Errorf("%s: ru/uk names are not Cyrillic: %q %q", s.Letter, s.Names["ru"], s.Names["uk"])
		}
		if s.TargetMinutes < 6 || s.TargetMinutes > 15 {
			t.Errorf("%s: target %v", s.Letter, s.TargetMinutes)
		}
		if served[s.Letter] < 2 {
			t.Errorf("%s is served at %d desks; the demo should show overlap", s.Letter, served[s.Letter])
		}
	}
	// Open 08:00-20:00 on every day of a week, Vilnius time. The week
	// ends on the Sunday clocks go forward, a 23-hour day.
	vilnius, _ := time.LoadLocation("Europe/Vilnius")
	for d := 23; d <= 29; d++ {
		at := func(h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, vilnius) }
		if o.IsOpen(at(7, 59)) || !o.IsOpen(at(8, 0)) || !o.IsOpen(at(19, 59)) || o.IsOpen(at(20, 0)) {
			t.Errorf("%v: hours %v", at(12, 0).Weekday(), o.OpenIntervals(at(12, 0)))
		}
	}
	// Every call is a fresh office: one caller's change is not another's.
	o.Services[0].Names["lt"] = "changed"
	o.Desks = nil
	if again := Demo(); again.Services[0].Names["lt"] != wantLT["A"] || len(again.Desks) != 5 {
		t.Error("Demo returned shared state")
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "abc", 0}, {"tragt", "targt", 1}, {"mondy", "monday", 1}, {"šeštadienis", "sestadienis", 2}, {"a", "b", 1}} {
		if got := distance(tc.a, tc.b); got != tc.d {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
	}
}

// FuzzParse holds Parse to two promises on any input: it does not panic,
// and a failure names the file first on every line, so a person (or an
// editor) can always find where to look. An accepted office must be valid.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"example.yaml", "demo.yaml", "busy.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(minimal))
	for _, tc := range brokenFiles {
		f.Add([]byte(tc.content))
	}
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte("name: x\nservices: &s [*s]\ndesks: [{number: 1, services: *s}]\n"))
	f.Add([]byte("<<: {name: x}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.yaml"
		o, err := Parse(name, data)
		if err != nil {
			if o != nil {
				t.Errorf("an office and an error: %v", err)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, name+":") {
					t.Errorf("error line %q does not start with %q", line, name+":")
				}
			}
			return
		}
		if o == nil {
			t.Fatal("no office and no error")
		}
		if err := o.Validate(); err != nil {
			t.Errorf("accepted an office Validate rejects: %v", err)
		}
	})
}

// The busy office closes early on Friday and not at all at the weekend.
func TestBusy(t *testing.T) {
	o := Busy()
	if len(o.Desks) != 4 || len(o.Services) != 3 {
		t.Fatalf("busy office: %d desks, %d services", len(o.Desks), len(o.Services))
	}
	if got := spansString(o.Hours.Week[time.Friday]); got != "08:00-15:45" {
		t.Errorf("friday %s", got)
	}
	if o.Hours.Week[time.Saturday] != nil || o.Hours.Week[time.Sunday] != nil {
		t.Errorf("the busy office opens at the weekend")
	}
}

// A service's target wait (the service level's bound) is 15 minutes unless
// the file says otherwise; the staff data's retention a year.
func TestTargetWaitAndAuditRetention(t *testing.T) {
	o, err := Parse("office.yaml", []byte(strings.Replace(minimal, "    names: {lt: Deklaravimas}\n", "    names: {lt: Deklaravimas}\n    target_wait_minutes: 25\n", 1)+"audit_retention_days: 90\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := o.Service("A"); s.TargetWaitMinutes != 25 || s.TargetWait() != 25*time.Minute || o.AuditRetentionDays != 90 {
		t.Fatalf("target wait %v, audit retention %d", s.TargetWaitMinutes, o.AuditRetentionDays)
	}
	o, err = Parse("office.yaml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := o.Service("A"); s.TargetWaitMinutes != 15 || o.AuditRetentionDays != 365 {
		t.Fatalf("defaults: target wait %v, audit retention %d", s.TargetWaitMinutes, o.AuditRetentionDays)
	}
}

// A complaint's contact is kept 90 days after its answer unless the file
// says otherwise, and the setting goes through Check (the admin's
// validator) and the export unchanged.
func TestFeedbackRetention(t *testing.T) {
	o, err := Parse("office.yaml", []byte(minimal+"feedback_retention_days: 30\n"))
	if err != nil {
		t.Fatal(err)
	}
	if o.FeedbackRetentionDays != 30 {
		t.Fatalf("feedback retention %d", o.FeedbackRetentionDays)
	}
	c, err := Check(o)
	if err != nil || c.FeedbackRetentionDays != 30 {
		t.Fatalf("checked: %v %v", c, err)
	}
	o.FeedbackRetentionDays = -1
	if _, err := Check(o); err == nil {
		t.Fatal("a negative feedback retention passed the check")
	}
	o, err = Parse("office.yaml", []byte(minimal))
	if err != nil || o.FeedbackRetentionDays != queue.DefaultFeedbackRetentionDays {
		t.Fatalf("default feedback retention %d, %v", o.FeedbackRetentionDays, err)
	}
}

// A contact's review date must be a date; its fields are text.
func TestContactReviewDate(t *testing.T) {
	base := "name: X\nservices:\n  - letter: A\n    names: {lt: A}\n    target_minutes: 5\ndesks:\n  - number: 1\n    services: [A]\n"
	o, err := Parse("ok.yaml", []byte(base+"contact:\n  email: a@example.lt\n  accessibility_reviewed: \"2026-11-30\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Contact.Email != "a@example.lt" || o.Contact.Reviewed != "2026-11-30" {
		t.Errorf("contact = %+v", o.Contact)
	}
	_, err = Parse("bad.yaml", []byte(base+"contact:\n  accessibility_reviewed: soon\n  fax: 123\n"))
	if err == nil || !strings.Contains(err.Error(), "bad.yaml:10: contact accessibility_reviewed \"soon\" is not a date") ||
		!strings.Contains(err.Error(), "fax") {
		t.Errorf("a bad contact: %v", err)
	}
}

// The Bulgarian demo: Bulgarian first, Sofia's clock, Bulgaria's week and
// holidays (with the Labour Code's days off for a holiday on a weekend).
func TestDemoBG(t *testing.T) {
	o, err := DemoNamed("bg")
	if err != nil {
		t.Fatal(err)
	}
	if o.FirstLanguage() != "bg" || o.Second() != "en" || o.TimeZone != "Europe/Sofia" {
		t.Errorf("languages %v, zone %q", o.Languages, o.TimeZone)
	}
	if !strings.Contains(o.Name, "Център за административно обслужване") {
		t.Errorf("name %q", o.Name)
	}
	if len(o.Services) != 4 || len(o.Desks) != 5 {
		t.Fatalf("%d services, %d desks; want 4 and 5", len(o.Services), len(o.Desks))
	}
	for _, s := range o.Services {
		for _, lang := range o.Languages {
			if s.Names[lang] == "" {
				t.Errorf("%s has no %s name", s.Letter, lang)
			}
		}
		if !strings.ContainsAny(s.Names["bg"], "абвгдежзийклмнопрстуфхцчшщъьюя") {
			t.Errorf("%s: the Bulgarian name is not Bulgarian: %q", s.Letter, s.Names["bg"])
		}
	}
	sofia, _ := time.LoadLocation("Europe/Sofia")
	at := func(date string, h, m int) time.Time {
		d, err := time.ParseInLocation("2006-01-02", date, sofia)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	// An ordinary Tuesday, 08:30-17:30 Sofia time (06:30 UTC in winter).
	if o.IsOpen(at("2026-12-01", 8, 29)) || !o.IsOpen(at("2026-12-01", 8, 30)) || !o.IsOpen(at("2026-12-01", 17, 29)) || o.IsOpen(at("2026-12-01", 17, 30)) {
		t.Errorf("Tuesday 1 Dec 2026: hours %v", o.OpenIntervals(at("2026-12-01", 12, 0)))
	}
	if o.IsOpen(at("2026-12-05", 10, 0)) || o.IsOpen(at("2026-12-06", 10, 0)) {
		t.Error("open at the weekend")
	}
	closed := []string{
		"2026-03-03", "2026-04-10", "2026-04-13", "2026-05-06", "2026-09-22", "2026-12-24", "2026-12-25",
		"2026-05-25", "2026-09-07", "2026-12-28", // art. 154(2): 24 May, 6 Sep on a Sunday, 26 Dec on a Saturday
		"2027-01-01", "2027-04-30", "2027-05-03", "2027-05-06", "2027-05-24", "2027-09-06", "2027-12-24",
		"2027-05-04", "2027-12-27", "2027-12-28", // 1 May on Easter Saturday; 25 and 26 Dec at a weekend
	}
	for _, d := range closed {
		if o.IsOpen(at(d, 10, 0)) {
			t.Errorf("open on the holiday %s", d)
		}
	}
	for _, d := range []string{"2026-12-29", "2027-05-05", "2027-12-29", "2026-11-02"} {
		if !o.IsOpen(at(d, 10, 0)) {
			t.Errorf("closed on the working day %s", d)
		}
	}
	if _, err := DemoNamed("xx"); err == nil {
		t.Error("an unknown demo was accepted")
	}
}
