// Package announce turns a call ("A012 to desk 3") into the sentence the
// hall hears, and that sentence into speech audio with espeak-ng.
//
// How a number is read is decided here, once, for the display page, the
// terminal board and the audio endpoint alike: the letter, then the serial
// as a whole number without its leading zeros ("A012" is "A dvylika", not
// "A nulis vienas du"), then the desk. People hear their number the way
// they would say it; the screen shows the zeros. Lithuanian and Bulgarian
// numbers are spelt out in words so that any speaker, the browser's
// included, reads them in the right language and form (bg.go says which);
// the other languages keep digits, which every speaker reads natively.
package announce

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"langelis/i18n"
)

// numberRE is a ticket number as queue.FormatNumber makes it: a letter and
// at least three digits, more on a day past 999 tickets of a service (up to
// queue.MaxDailyCap's five, and a sixth for a service without a cap). The
// bound only keeps nonsense out of the synthesizer.
var numberRE = regexp.MustCompile(`^([A-Z])([0-9]{1,6})$`)

// MaxDesk bounds the desk numbers the text is made for.
const MaxDesk = 999

// Text returns the announcement of ticket number at desk in lang, such as
// "Bilietas A dvylika, langelis trys." for ("lt", "A012", 3).
func Text(lang, number string, desk int) (string, error) {
	if err := Check(number, desk); err != nil {
		return "", err
	}
	m := numberRE.FindStringSubmatch(number)
	serial, _ := strconv.Atoi(m[2])
	spoken := letter(lang, m[1]) + " " + numeral(lang, serial)
	return i18n.T(lang, "announce.call", "number", spoken, "desk", numeral(lang, desk)), nil
}

// Check reports whether Text can announce number at desk, in any
// language: a ticket number like A012 and a desk from 1 to MaxDesk.
func Check(number string, desk int) error {
	if !numberRE.MatchString(number) {
		return fmt.Errorf("announce: %q is not a ticket number like A012", number)
	}
	if desk < 1 || desk > MaxDesk {
		return fmt.Errorf("announce: desk %d is not between 1 and %d", desk, MaxDesk)
	}
	return nil
}

// numeral is n as a speaker should read it in lang.
func numeral(lang string, n int) string {
	switch {
	case lang == "lt" && n < 1000000:
		return ltWords(n)
	case lang == "bg" && n < 1000000:
		return bgWords(n)
	}
	return strconv.Itoa(n)
}

// letter is the ticket letter as a speaker of lang reads it. Russian,
// Ukrainian and Bulgarian voices read a Latin "A" as the English "ei", so
// for them the letter is spelt the way its name is said in that language.
func letter(lang, l string) string {
	var names string
	switch lang {
	case "bg":
		return bgLetters[l[0]-'A']
	case "ru":
		names = "а бэ цэ дэ е эф гэ аш и йот ка эль эм эн о пэ ку эр эс тэ у вэ дубль-вэ икс игрек зэт"
	case "uk":
		names = "а бе це де е еф ге аш і йот ка ель ем ен о пе ку ер ес те у ве дубль-ве ікс ігрек зет"
	default:
		return l
	}
	return strings.Fields(names)[l[0]-'A']
}

var (
	ltOnes = []string{"nulis", "vienas", "du", "trys", "keturi", "penki", "šeši", "septyni", "aštuoni", "devyni",
		"dešimt", "vienuolika", "dvylika", "trylika", "keturiolika", "penkiolika", "šešiolika", "septyniolika",
		"aštuoniolika", "devyniolika"}
	ltTens = []string{"", "", "dvidešimt", "trisdešimt", "keturiasdešimt", "penkiasdešimt", "šešiasdešimt",
		"septyniasdešimt", "aštuoniasdešimt", "devyniasdešimt"}
)

// ltWords spells 0 ≤ n < 1,000,000 as a Lithuanian cardinal in the
// nominative: 112 is "šimtas dvylika", 305 "trys šimtai penki", 1000
// "tūkstantis" (a day past 999 tickets reads A1000 as a number, never digit
// by digit), 2024 "du tūkstančiai dvidešimt keturi", 10000 "dešimt
// tūkstančių".
func ltWords(n int) string {
	if n >= 1000 {
		k, rest := n/1000, n%1000
		var thousands string
		switch m10, m100 := k%10, k%100; {
		case k == 1:
			thousands = "tūkstantis"
		case m10 == 1 && m100 != 11:
			thousands = ltWords(k) + " tūkstantis"
		case m10 >= 2 && (m100 < 12 || m100 > 19):
			thousands = ltWords(k) + " tūkstančiai"
		default: // 0 at the end, or 11-19: the genitive plural
			thousands = ltWords(k) + " tūkstančių"
		}
		if rest == 0 {
			return thousands
		}
		return thousands + " " + ltWords(rest)
	}
	if n < 20 {
		return ltOnes[n]
	}
	var parts []string
	if h := n / 100; h > 0 {
		if h == 1 {
			parts = append(parts, "šimtas")
		} else {
			parts = append(parts, ltOnes[h], "šimtai")
		}
		n %= 100
	}
	switch {
	case n >= 20:
		parts = append(parts, ltTens[n/10])
		if n%10 > 0 {
			parts = append(parts, ltOnes[n%10])
		}
	case n > 0:
		parts = append(parts, ltOnes[n])
	}
	return strings.Join(parts, " ")
}
