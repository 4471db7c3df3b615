package announce

import (
	"fmt"
	"strconv"
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
