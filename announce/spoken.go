package announce

import (
	"fmt"
	"strconv"
	"strings"
)

// The kiosk's voice mode reads a visitor's own ticket number, the hall's
// last number and the counts of the end of the day the way a call reads
// them: these are the same rules, exported.

// Spoken returns a ticket number as people say it in lang: "A dvylika"
// for ("lt", "A012"), "эр 5" for ("ru", "R005").
func Spoken(lang, number string) (string, error) {
	m := numberRE.FindStringSubmatch(number)
	if m == nil {
		return "", fmt.Errorf("announce: %q is not a ticket number like A012", number)
	}
	serial, _ := strconv.Atoi(m[2])
	return letter(lang, m[1]) + " " + numeral(lang, serial), nil
}

// Numeral returns 0 ≤ n < 1,000,000 as a speaker of lang should read it:
// Lithuanian in words, the other languages in digits, which their voices
// read natively.
func Numeral(lang string, n int) string { return numeral(lang, n) }

// Count returns n as a count of something in lang, which is Numeral
// except in Bulgarian: a ticket or desk number is a name, read in the
// neuter counting form ("гише едно"), but a count of people or clients
// agrees with its masculine noun: "един човек", "двадесет и два клиента".
func Count(lang string, n int) string {
	w := numeral(lang, n)
	if lang != "bg" {
		return w
	}
	switch {
	case w == "едно" || strings.HasSuffix(w, " едно"):
		return strings.TrimSuffix(w, "едно") + "един"
	case w == "две" || strings.HasSuffix(w, " две"):
		return strings.TrimSuffix(w, "две") + "два"
	}
	return w
}

// Character returns one character of a booking code (a capital Latin
// letter or a digit) as a speaker of lang reads it alone.
func Character(lang string, ch byte) string {
	if ch >= 'A' && ch <= 'Z' {
		return letter(lang, string(ch))
	}
	if ch >= '0' && ch <= '9' {
		return numeral(lang, int(ch-'0'))
	}
	return ""
}
