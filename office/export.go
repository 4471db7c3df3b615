package office

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"langelis/queue"
)

// Export writes o as a commented office file that Parse reads back to the
// same office: the running configuration, to keep in git or to start a
// server with. header, when not empty, is a first comment line (who
// exported it and when). Every setting is written, defaults included, so
// that the file says what the office runs with whatever a later version's
// defaults are.
func Export(o *queue.Office, header string) []byte {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	if header != "" {
		w("# %s\n", oneLine(header))
	}
	w("# Langelis office file, written from the running configuration. It reads\n")
	w("# back to the same configuration; example.yaml explains every field.\n\n")
	w("name: %s\n", q(o.Name))
	if len(o.Names) > 0 {
		w("names:\n")
		for _, l := range langOrder(o.Names) {
			w("  %s: %s\n", l, q(o.Names[l]))
		}
	}
	w("time_zone: %s\n", q(o.TimeZone))
	w("# The office's languages: the first is its own, the second is shown after it.\n")
	w("languages: [%s]\n\n", strings.Join(o.Languages, ", "))
	w("# The services: a letter each, names per language, target minutes.\n")
	writeServices(&b, "services", o.Services)
	if len(o.RetiredServices) > 0 {
		w("# Retired services: no longer offered; kept for their history.\n")
		writeServices(&b, "retired_services", o.RetiredServices)
	}
	w("\n# The desks and the services each serves.\ndesks:\n")
	for _, d := range o.Desks {
		w("  - number: %d\n    services: [%s]\n", d.Number, strings.Join(d.Services, ", "))
	}
	if len(o.RetiredDesks) > 0 {
		nums := make([]string, len(o.RetiredDesks))
		for i, n := range o.RetiredDesks {
			nums[i] = strconv.Itoa(n)
		}
		w("# Retired desks: no longer in the hall.\nretired_desks: [%s]\n", strings.Join(nums, ", "))
	}
	writeHours(&b, o.Hours)
	p := o.Priority
	w("\n# The call order (README \"Priority\").\npriority:\n")
	w("  policy: %s\n  max_streak: %d\n  max_wait_minutes: %s\n  head_start_minutes: %s\n  ratio: %d\n  aging_factor: %s\n",
		p.Policy, p.MaxStreak, num(p.MaxWaitMinutes), num(p.HeadStartMinutes), p.Ratio, num(p.AgingFactor))
	w("\n# Days the ticket journal is kept; days the audit trail of changes is kept.\n")
	w("retention_days: %d\n", o.RetentionDays)
	if o.AuditRetentionDays > 0 {
		w("audit_retention_days: %d\n", o.AuditRetentionDays)
	}
	if o.FeedbackRetentionDays != 0 { // a negative one too: Check refuses it
		w("# Days a complaint's contact and text are kept after its answer.\n")
		w("feedback_retention_days: %d\n", o.FeedbackRetentionDays)
	}
	w("# Recalls before a call becomes a no-show.\nrecall_limit: %d\n", o.RecallLimit)
	w("# The end of the day: notices this long before closing, waiting tickets\n")
	w("# closed this long after it, and what the kiosk does past the cutoff.\n")
	w("notice_minutes: %d\nday_end_minutes: %d\nbeyond_cutoff: %s\n", o.NoticeMinutes, o.DayEndMinutes, o.BeyondCutoff)
	if c := o.Contact; c != (queue.Contact{}) {
		w("\n# How people reach the office about their data and the pages' accessibility\n")
		w("# (/privacy and /accessibility are written from it).\ncontact:\n")
		for _, f := range []struct{ key, v string }{{"email", c.Email}, {"phone", c.Phone}, {"address", c.Address},
			{"dpo", c.DPO}, {"supervisor", c.Supervisor}, {"enforcement", c.Enforcement}, {"accessibility_reviewed", c.Reviewed}} {
			if f.v != "" {
				w("  %s: %s\n", f.key, q(f.v))
			}
		}
	}
	return b.Bytes()
}

func writeServices(b *bytes.Buffer, key string, ss []queue.Service) {
	fmt.Fprintf(b, "%s:\n", key)
	for _, s := range ss {
		fmt.Fprintf(b, "  - letter: %s\n    names:\n", s.Letter)
		for _, l := range langOrder(s.Names) {
			fmt.Fprintf(b, "      %s: %s\n", l, q(s.Names[l]))
		}
		fmt.Fprintf(b, "    target_minutes: %s\n", num(s.TargetMinutes))
		// Written unless it is the default, which the file leaves out;
		// left out, every change on /admin (which goes through the file,
		// Check) would reset it to the default.
		if s.TargetWaitMinutes > 0 && s.TargetWaitMinutes != queue.DefaultTargetWaitMinutes {
			fmt.Fprintf(b, "    target_wait_minutes: %s\n", num(s.TargetWaitMinutes))
		}
		if s.DailyCap > 0 {
			fmt.Fprintf(b, "    daily_cap: %d\n", s.DailyCap)
		}
		if s.Colour != "" {
			fmt.Fprintf(b, "    colour: %s\n", q(s.Colour))
		}
		if s.Booking != nil {
			writeBooking(func(f string, a ...any) { fmt.Fprintf(b, f, a...) }, s.Booking)
		}
	}
}

var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func writeHours(b *bytes.Buffer, h queue.Hours) {
	fmt.Fprintf(b, "\n# Opening hours per weekday (closed: not open).\nhours:\n")
	for _, d := range weekOrder {
		fmt.Fprintf(b, "  %s: %s\n", strings.ToLower(d.String()), spans(h.Week[d]))
	}
	if len(h.Holidays) > 0 {
		days := sortedKeys(h.Holidays)
		for i, d := range days {
			days[i] = q(d)
		}
		fmt.Fprintf(b, "# Days the office is closed.\nholidays: [%s]\n", strings.Join(days, ", "))
	}
	if len(h.Exceptions) > 0 {
		fmt.Fprintf(b, "# One-off days: other hours, or closed.\nexceptions:\n")
		for _, d := range sortedKeys(h.Exceptions) {
			fmt.Fprintf(b, "  %s: %s\n", q(d), spans(h.Exceptions[d]))
		}
	}
}

func spans(ss []queue.Span) string {
	if len(ss) == 0 {
		return "closed"
	}
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.String()
	}
	return q(strings.Join(parts, ", "))
}

// q quotes a text for YAML: a JSON string is a YAML double-quoted scalar.
func q(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// langOrder lists a names map in the order of queue.Languages.
func langOrder(m map[string]string) []string {
	var out []string
	for _, l := range queue.Languages {
		if _, ok := m[l]; ok {
			out = append(out, l)
		}
	}
	return out
}

// Check validates a proposed office (a change from the admin pages or the
// command line) with the office file's own validator: it is written as
// an office file and read back, so a bad value is refused with the very
// message the file would get. It returns the office as the file reads,
// defaults applied; a refusal is a *queue.Error (EINVALID) whose message
// quotes the file's.
func Check(o *queue.Office) (*queue.Office, error) {
	parsed, err := Parse("office", Export(o, ""))
	if err != nil {
		// One mistake with a keyed message is said in the person's
		// language; the rest as the file says them.
		var one *Error
		if _, many := err.(interface{ Unwrap() []error }); !many && errors.As(err, &one) && one.Key != "" {
			return nil, queue.E(queue.EINVALID, "err.config.invalid", "why", queue.E(queue.EINVALID, one.Key, one.Args...))
		}
		return nil, queue.E(queue.EINVALID, "err.config.invalid", "why", messages(err))
	}
	return parsed, nil
}

// messages joins the file's messages without their file and line: the
// line is of a file the person never saw.
func messages(err error) string {
	var list []string
	var one *Error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if errors.As(e, &one) {
				list = append(list, one.Msg)
			}
		}
	} else if errors.As(err, &one) {
		list = append(list, one.Msg)
	}
	if len(list) == 0 {
		return err.Error()
	}
	return lineRef.ReplaceAllString(strings.Join(list, "; "), "")
}

// lineRef is a message's pointer to another line of the file, which the
// person changing one value on a page never saw.
var lineRef = regexp.MustCompile(` \((first|offered) at line \d+\)`)
