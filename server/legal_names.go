package server

import "strings"

// nameAfter is an institution's name as lang puts it after a preposition
// in the legal pages. An office file names the data protection authority
// and the accessibility enforcement body as a list would, in the
// nominative ("Комисия за защита на личните данни"); Bulgarian puts the
// definite article on a named body's first word after "до" and "към":
// "до Комисията за защита на личните данни", "към Министерството на
// електронното управление", "към Държавната агенция …". The rule knows a
// first word ending in а or я (feminine: +та) or in о or е (neuter: +то);
// a masculine or plural first word, or one already with its article, is
// left as the file gives it. The other languages put the name after a
// colon, where the nominative is right.
func nameAfter(lang, name string) string {
	if lang != "bg" || name == "" {
		return name
	}
	first, rest, _ := strings.Cut(name, " ")
	for _, articled := range []string{"ата", "ята", "ото", "ето"} {
		if strings.HasSuffix(strings.ToLower(first), articled) {
			return name
		}
	}
	switch {
	case strings.HasSuffix(first, "а"), strings.HasSuffix(first, "я"):
		first += "та"
	case strings.HasSuffix(first, "о"), strings.HasSuffix(first, "е"):
		first += "то"
	default:
		return name
	}
	if rest == "" {
		return first
	}
	return first + " " + rest
}
