package server

import "testing"

// The article goes on a feminine or neuter first word, noun or adjective;
// a masculine or plural one, or one that has it, stays as given.
func TestNameAfter(t *testing.T) {
	for _, c := range []struct{ lang, name, want string }{
		{"bg", "Комисия за защита на личните данни", "Комисията за защита на личните данни"},
		{"bg", "Министерство на електронното управление", "Министерството на електронното управление"},
		{"bg", "Държавна агенция „Електронно управление“", "Държавната агенция „Електронно управление“"},
		{"bg", "Комисията за защита на личните данни", "Комисията за защита на личните данни"},
		{"bg", "Омбудсман на Република България", "Омбудсман на Република България"},
		{"bg", "Агенция", "Агенцията"},
		{"lt", "Valstybinė duomenų apsaugos inspekcija", "Valstybinė duomenų apsaugos inspekcija"},
		{"bg", "", ""},
	} {
		if got := nameAfter(c.lang, c.name); got != c.want {
			t.Errorf("nameAfter(%s, %q) = %q, want %q", c.lang, c.name, got, c.want)
		}
	}
}
