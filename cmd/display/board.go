package main

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"langelis/i18n"
	"langelis/queue"
)

// recentCalls is how many calls the board lists under the newest, as the
// page does.
const recentCalls = 6

// Board is what the terminal shows: everything Render needs, so a test
// can render a frame to a string without a terminal.
type Board struct {
	Office    *queue.Office
	Second    string       // the office's second language, "" for its first only
	Calls     []queue.Call // newest first
	Waiting   map[string]int
	Cutoff    *queue.Cutoff
	Now       time.Time // the office's clock
	Connected bool
	Fresh     bool // the newest call is new: highlight it
	Color     bool // ANSI colours (off for tests and dumb terminals)
}

// Render draws the board as width×height text: the office and clock, the
// newest call in block letters, the recent calls, the waiting counts, the
// end-of-day banner and, while the connection is down, "reconnecting".
func Render(b Board, width, height int) string {
	width, height = max(width, 40), max(height, 12)
	var lines []string
	add := func(s string) { lines = append(lines, s) }
	rule := strings.Repeat("─", width)
	first := b.Office.FirstLanguage()
	label := func(key string) string {
		s := i18n.T(first, key)
		if b.Second != "" {
			s += " / " + i18n.T(b.Second, key)
		}
		return strings.ToUpper(s)
	}

	clock := ""
	if !b.Now.IsZero() {
		now := b.Now.In(b.Office.Location())
		clock = now.Format("15:04  2006-01-02")
	}
	name := b.Office.Name
	if n := b.Office.Names[first]; n != "" {
		name = n
	}
	add(spread(name, clock, width))
	add(rule)

	calls := dedupe(b.Calls)
	add(label("display.now"))
	if len(calls) == 0 {
		add("")
		add(center(i18n.T(first, "display.none"), width))
		add("")
	} else {
		c := calls[0]
		text := fmt.Sprintf("%s > %d", c.Number, c.Desk)
		scale := 1
		if w := utf8.RuneCountInString(big(text, 2)[0]); w <= width-4 {
			scale = 2
		}
		for _, row := range big(text, scale) {
			row = center(row, width)
			if b.Fresh && b.Color {
				row = "\x1b[1;33m" + row + "\x1b[0m"
			}
			add(row)
		}
		add(center(fmt.Sprintf("%s → %s %d", c.Number, i18n.T(first, "display.desk"), c.Desk), width))
	}
	add(rule)

	add(label("display.recent"))
	rest := calls[min(1, len(calls)):]
	rest = rest[:min(recentCalls, len(rest))]
	cols := max(1, min(3, width/16))
	for i := 0; i < len(rest); i += cols {
		var row strings.Builder
		for _, c := range rest[i:min(i+cols, len(rest))] {
			row.WriteString(pad(fmt.Sprintf("  %s → %d", c.Number, c.Desk), width/cols))
		}
		add(row.String())
	}
	add(rule)

	var waiting strings.Builder
	waiting.WriteString(label("display.waiting") + ":")
	for _, s := range b.Office.Services {
		fmt.Fprintf(&waiting, "   %s %d", s.Letter, b.Waiting[s.Letter])
	}
	add(waiting.String())

	if b.Cutoff != nil && b.Cutoff.Notice {
		closing := b.Cutoff.Closing.In(b.Office.Location()).Format("15:04")
		for _, lang := range []string{first, b.Second} {
			if lang == "" {
				continue
			}
			add(bannerText(lang, b.Cutoff, closing))
		}
	}
	if !b.Connected {
		add("⟳ " + i18n.T(first, "reconnecting"))
	}

	for len(lines) < height {
		lines = append(lines, "")
	}
	lines = lines[:height]
	for i, l := range lines {
		if !strings.Contains(l, "\x1b[") {
			lines[i] = pad(l, width)
		}
	}
	return strings.Join(lines, "\n")
}

// dedupe keeps each number's latest call: a recall moves it to the top
// rather than listing it twice.
func dedupe(calls []queue.Call) []queue.Call {
	seen := map[string]bool{}
	var out []queue.Call
	for _, c := range calls {
		if !seen[c.Number] {
			seen[c.Number] = true
			out = append(out, c)
		}
	}
	return out
}

// pad cuts or fills s to exactly width columns.
func pad(s string, width int) string {
	n := utf8.RuneCountInString(s)
	if n > width {
		return string([]rune(s)[:width])
	}
	return s + strings.Repeat(" ", width-n)
}

func center(s string, width int) string {
	n := utf8.RuneCountInString(s)
	if n >= width {
		return pad(s, width)
	}
	return strings.Repeat(" ", (width-n)/2) + s
}

// spread puts left at the left edge and right at the right edge.
func spread(left, right string, width int) string {
	room := width - utf8.RuneCountInString(right) - 1
	return pad(pad(left, max(room, 0))+" "+right, width)
}

// bannerText is the end-of-day banner in lang: the forecast's range when
// it has one ("12–15 clients", "at most 3"), else one number, with the
// last ticket when the number is the projection's (eod.js's bannerText).
func bannerText(lang string, c *queue.Cutoff, closing string) string {
	if c.Waiting == 0 {
		// a count of 0 here is an empty hall, not a full day
		return i18n.T(lang, "eod.banner.empty", "closing", closing)
	}
	n := c.Count
	if r := c.CountRange; r != nil {
		switch {
		case r[0] != r[1] && r[0] == 0:
			return i18n.T(lang, "eod.banner.upto", "n", r[1], "hi", r[1], "closing", closing)
		case r[0] != r[1]:
			return i18n.T(lang, "eod.banner.range", "n", r[1], "lo", r[0], "hi", r[1], "closing", closing)
		}
		n = r[0]
	}
	switch {
	case n == 0:
		return i18n.T(lang, "eod.banner.none", "closing", closing)
	case n == c.Count && c.Last != "":
		return i18n.T(lang, "eod.banner", "n", n, "closing", closing, "last", c.Last)
	}
	return i18n.T(lang, "eod.banner.count", "n", n, "closing", closing)
}
