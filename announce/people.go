package announce

import "strings"

// Counts of people (clients, visitors, "people ahead of you") as the
// kiosk's voice says them. A count is not a number read alone: its form
// follows the noun and the words before it.
//
//   - Bulgarian counts persons with the masculine-personal forms of two to
//     six: "двама души", "трима клиенти", "двадесет и четирима души"; "два
//     клиенти" is wrong, and "два клиента" is the count form of things.
//   - After "from … to …" and "at most" (the end of the day's ranges:
//     "nuo dviejų iki aštuonių klientų", "от двух до восьми клиентов",
//     "od dwóch do ośmiu klientów", "від двох до восьми клієнтів") the
//     Lithuanian, Russian, Polish and Ukrainian numbers stand in the
//     genitive, which espeak-ng does not make from digits (it reads "от 2
//     до 8" as "от два до восемь"); so they are spelt. Polish uses the same
//     words after "najwyżej" (the accusative of a masculine-personal count
//     is its genitive: "najwyżej dwóch klientów").

// People returns n as a count of people or clients in lang: Count, except
// that Bulgarian says the masculine-personal form ("двама", "трима",
// "двадесет и четирима").
func People(lang string, n int) string {
	w := Count(lang, n)
	if lang != "bg" {
		return w
	}
	for num, personal := range bgPersonal {
		if w == num || strings.HasSuffix(w, " "+num) {
			return strings.TrimSuffix(w, num) + personal
		}
	}
	return w
}

// bgPersonal are the masculine-personal forms of the counts two to six.
var bgPersonal = map[string]string{"два": "двама", "три": "трима", "четири": "четирима", "пет": "петима", "шест": "шестима"}

// PeopleFromTo returns n as a count of people after "from", "to" or "at
// most" in lang: the genitive in Lithuanian, Russian, Polish and Ukrainian
// (masculine, as the clients are: "dviejų", "двух", "dwóch", "двох";
// "vieno", "одного", "jednego"), People in Bulgarian, and digits in
// English. Past 999 (no day's remaining count is) it is Numeral.
func PeopleFromTo(lang string, n int) string {
	g, ok := genitives[lang]
	if !ok || n < 0 || n > 999 {
		return People(lang, n)
	}
	if n < 20 {
		return g.ones[n]
	}
	var parts []string
	if h := n / 100; h > 0 {
		parts = append(parts, g.hundreds[h])
		n %= 100
	}
	switch {
	case n >= 20:
		parts = append(parts, g.tens[n/10])
		if n%10 == 1 && g.oneInCompound != "" {
			parts = append(parts, g.oneInCompound)
		} else if n%10 > 0 {
			parts = append(parts, g.ones[n%10])
		}
	case n == 1 && g.oneInCompound != "":
		parts = append(parts, g.oneInCompound)
	case n > 0:
		parts = append(parts, g.ones[n])
	}
	return strings.Join(parts, " ")
}

// genitive holds a language's cardinal numbers in the genitive, masculine
// where the gender shows.
type genitive struct {
	ones     [20]string // 0-19
	tens     [10]string // 20, 30, … 90 at 2-9
	hundreds [10]string // 100, 200, … 900 at 1-9
	// oneInCompound is a final 1 after tens or hundreds when it differs
	// from the 1 alone: Polish "dwudziestu jeden", "stu jeden".
	oneInCompound string
}

var genitives = map[string]genitive{
	"lt": {
		ones: [20]string{"nulio", "vieno", "dviejų", "trijų", "keturių", "penkių", "šešių", "septynių", "aštuonių", "devynių",
			"dešimties", "vienuolikos", "dvylikos", "trylikos", "keturiolikos", "penkiolikos", "šešiolikos",
			"septyniolikos", "aštuoniolikos", "devyniolikos"},
		// Every member of a compound number is declined: "dvidešimties
		// trijų", "dviejų šimtų penkių".
		tens: [10]string{2: "dvidešimties", 3: "trisdešimties", 4: "keturiasdešimties", 5: "penkiasdešimties",
			6: "šešiasdešimties", 7: "septyniasdešimties", 8: "aštuoniasdešimties", 9: "devyniasdešimties"},
		hundreds: [10]string{1: "šimto", 2: "dviejų šimtų", 3: "trijų šimtų", 4: "keturių šimtų", 5: "penkių šimtų",
			6: "šešių šimtų", 7: "septynių šimtų", 8: "aštuonių šimtų", 9: "devynių šimtų"},
	},
	"ru": {
		ones: [20]string{"нуля", "одного", "двух", "трёх", "четырёх", "пяти", "шести", "семи", "восьми", "девяти",
			"десяти", "одиннадцати", "двенадцати", "тринадцати", "четырнадцати", "пятнадцати", "шестнадцати",
			"семнадцати", "восемнадцати", "девятнадцати"},
		tens: [10]string{2: "двадцати", 3: "тридцати", 4: "сорока", 5: "пятидесяти", 6: "шестидесяти",
			7: "семидесяти", 8: "восьмидесяти", 9: "девяноста"},
		hundreds: [10]string{1: "ста", 2: "двухсот", 3: "трёхсот", 4: "четырёхсот", 5: "пятисот", 6: "шестисот",
			7: "семисот", 8: "восьмисот", 9: "девятисот"},
	},
	"uk": {
		ones: [20]string{"нуля", "одного", "двох", "трьох", "чотирьох", "п'яти", "шести", "семи", "восьми", "дев'яти",
			"десяти", "одинадцяти", "дванадцяти", "тринадцяти", "чотирнадцяти", "п'ятнадцяти", "шістнадцяти",
			"сімнадцяти", "вісімнадцяти", "дев'ятнадцяти"},
		tens: [10]string{2: "двадцяти", 3: "тридцяти", 4: "сорока", 5: "п'ятдесяти", 6: "шістдесяти",
			7: "сімдесяти", 8: "вісімдесяти", 9: "дев'яноста"},
		hundreds: [10]string{1: "ста", 2: "двохсот", 3: "трьохсот", 4: "чотирьохсот", 5: "п'ятисот", 6: "шестисот",
			7: "семисот", 8: "восьмисот", 9: "дев'ятисот"},
	},
	"pl": {
		ones: [20]string{"zera", "jednego", "dwóch", "trzech", "czterech", "pięciu", "sześciu", "siedmiu", "ośmiu", "dziewięciu",
			"dziesięciu", "jedenastu", "dwunastu", "trzynastu", "czternastu", "piętnastu", "szesnastu",
			"siedemnastu", "osiemnastu", "dziewiętnastu"},
		tens: [10]string{2: "dwudziestu", 3: "trzydziestu", 4: "czterdziestu", 5: "pięćdziesięciu", 6: "sześćdziesięciu",
			7: "siedemdziesięciu", 8: "osiemdziesięciu", 9: "dziewięćdziesięciu"},
		hundreds: [10]string{1: "stu", 2: "dwustu", 3: "trzystu", 4: "czterystu", 5: "pięciuset", 6: "sześciuset",
			7: "siedmiuset", 8: "ośmiuset", 9: "dziewięciuset"},
		oneInCompound: "jeden",
	},
}
