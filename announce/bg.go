package announce

import "strings"

// Bulgarian, as a hall announcer says it: "Билет а̀ двадесет и едно, гише
// три." (the sentence itself is announce.call in the display's bg.json).
//
// Which form of the numeral. A ticket's number and a desk's number are
// names, not counts ("билет номер двадесет и едно", "гише номер две"):
// Bulgarians read such a number in the counting form, which is the neuter
// one, "едно, две, три", whatever the gender of the noun before it. The
// ticket (билет, masculine) is therefore "двадесет и едно", not "двадесет
// и един", just as a bus line or a room is; the desk, гише, is neuter, so
// the counting form is also its agreeing form: "гише едно", "гише две".
// One form serves both. The thousands are counted with хиляда, which is
// feminine: "хиляда", "две хиляди", "двадесет и една хиляди". The teens
// and tens are the standard written forms ("дванадесет", "двадесет"), not
// the colloquial "дванайсет", "двайсет": a public announcement uses the
// standard language, and espeak-ng reads both.
//
// "и" (and) stands before the last member of the number and only there:
// 21 "двадесет и едно", 105 "сто и пет", 112 "сто и дванадесет", 125 "сто
// двадесет и пет", 2001 "две хиляди и едно", 1100 "хиляда и сто". A teen
// and a round ten are one member.

var (
	bgOnes = []string{"нула", "едно", "две", "три", "четири", "пет", "шест", "седем", "осем", "девет",
		"десет", "единадесет", "дванадесет", "тринадесет", "четиринадесет", "петнадесет", "шестнадесет",
		"седемнадесет", "осемнадесет", "деветнадесет"}
	bgTens = []string{"", "", "двадесет", "тридесет", "четиридесет", "петдесет", "шестдесет",
		"седемдесет", "осемдесет", "деветдесет"}
	bgHundreds = []string{"", "сто", "двеста", "триста", "четиристотин", "петстотин", "шестстотин",
		"седемстотин", "осемстотин", "деветстотин"}
)

// bgLetters name the Latin ticket letters as Bulgarians name them (the
// names used at school and in formulas: "аш две о", "хикс", "игрек").
// espeak-ng's Bulgarian voice reads a lone Latin "A" in English ("ei"), and
// runs an unstressed vowel letter into the next word as if it were the
// conjunction "а" ("билет адвадесет"); the vowels therefore carry the
// stress mark of Bulgarian spelling (а̀, ѐ, ѝ, у̀; "о" is stressed anyway),
// which espeak-ng honours and which a reader of the text understands.
var bgLetters = []string{"а̀", "бе", "це", "де", "ѐ", "еф", "ге", "аш", "ѝ", "йот", "ка", "ел", "ем",
	"ен", "о", "пе", "ку", "ер", "ес", "те", "у̀", "ве", "дубъл ве", "хикс", "игрек", "зет"}

// bgWords spells 0 ≤ n < 1,000,000 as a Bulgarian cardinal in the counting
// (neuter) form: 12 "дванадесет", 21 "двадесет и едно", 105 "сто и пет",
// 200 "двеста", 1000 "хиляда", 2000 "две хиляди", 10000 "десет хиляди".
func bgWords(n int) string {
	if n == 0 {
		return bgOnes[0]
	}
	return bgJoin(bgMembers(n, "едно"))
}

// bgMembers are the members of n (1 ≤ n < 1,000,000) before "и" is put in:
// the thousands, the hundreds, the tens, the units, a teen as one. one is
// the word for a final 1 ("едно", or "една" counting хиляди).
func bgMembers(n int, one string) []string {
	var parts []string
	if k := n / 1000; k > 0 {
		if k == 1 {
			parts = append(parts, "хиляда")
		} else {
			parts = append(parts, bgJoin(bgMembers(k, "една"))+" хиляди")
		}
		n %= 1000
	}
	if h := n / 100; h > 0 {
		parts = append(parts, bgHundreds[h])
		n %= 100
	}
	if n >= 20 {
		parts = append(parts, bgTens[n/10])
		n %= 10
	}
	switch {
	case n == 1:
		parts = append(parts, one)
	case n > 0:
		parts = append(parts, bgOnes[n])
	}
	return parts
}

// bgJoin puts "и" before the last member.
func bgJoin(parts []string) string {
	if len(parts) > 1 {
		parts[len(parts)-1] = "и " + parts[len(parts)-1]
	}
	return strings.Join(parts, " ")
}
