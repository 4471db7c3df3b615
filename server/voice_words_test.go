package server_test

import (
	"net/url"
	"strings"
	"testing"

	"langelis/app"
	"langelis/internal/e2e"
	"langelis/queue"
)

// The voice says a count of people the way a native speaker does: the
// Bulgarian masculine-personal "двама души", and the end of the day's
// range and "at most" with their numbers in the case "from … to" and "at
// most" ask for ("nuo dviejų iki aštuonių klientų", not "du–aštuoni
// klientai"); the screens keep their digits.
func TestVoiceCountsPeople(t *testing.T) {
	s := e2e.Start(t, e2e.Options{Configure: func(c *app.Config) {
		c.Office.Languages = queue.Languages
		for i := range c.Office.Services {
			c.Office.Services[i].Names["bg"] = "Услуга " + c.Office.Services[i].Letter
		}
	}})
	rng := func(lang string) url.Values {
		return url.Values{"key": {"eod.banner.range"}, "lang": {lang}, "n": {"8"}, "lo": {"2"}, "hi": {"8"}, "closing": {"17:00"}}
	}
	upto := func(lang, n string) url.Values {
		return url.Values{"key": {"eod.banner.upto"}, "lang": {lang}, "n": {n}, "hi": {n}, "closing": {"17:00"}}
	}
	for _, c := range []struct {
		q    url.Values
		want string
	}{
		{url.Values{"key": {"ticket.ahead"}, "lang": {"bg"}, "n": {"2"}}, "Пред Вас има двама души"},
		{url.Values{"key": {"ticket.ahead"}, "lang": {"bg"}, "n": {"3"}}, "Пред Вас има трима души"},
		{url.Values{"key": {"ticket.ahead"}, "lang": {"bg"}, "n": {"4"}}, "Пред Вас има четирима души"},
		{url.Values{"key": {"ticket.ahead"}, "lang": {"bg"}, "n": {"1"}}, "Пред Вас има един човек"},
		{url.Values{"key": {"ticket.ahead"}, "lang": {"bg"}, "n": {"8"}}, "Пред Вас има осем души"},
		{url.Values{"key": {"eod.kiosk.ahead"}, "lang": {"bg"}, "n": {"2"}}, "Пред Вас има двама клиенти."},
		{url.Values{"key": {"eod.banner.count"}, "lang": {"bg"}, "n": {"22"}, "closing": {"17:00"}}, "още двадесет и двама клиенти."},
		{url.Values{"key": {"eod.banner"}, "lang": {"bg"}, "n": {"3"}, "closing": {"17:00"}, "last": {"A040"}}, "още трима клиенти – до билет"},
		// Characters are no people: "два знака", not "двама знака".
		{url.Values{"key": {"voice.booking.count"}, "lang": {"bg"}, "n": {"2"}}, "Въведени са два знака от осем."},
		{url.Values{"key": {"voice.booking.count"}, "lang": {"bg"}, "n": {"3"}}, "Въведени са три знака от осем."},
		{rng("lt"), "Šiandien dar bus aptarnauta nuo dviejų iki aštuonių klientų."},
		{rng("ru"), "от двух до восьми клиентов."},
		{rng("pl"), "od dwóch do ośmiu klientów."},
		{rng("uk"), "від двох до восьми клієнтів."},
		{rng("bg"), "още от двама до осем клиенти."},
		{rng("en"), "Between 2 and 8 more clients"},
		{upto("lt", "3"), "spėsime aptarnauti iki trijų klientų."},
		{upto("lt", "1"), "spėsime aptarnauti iki vieno kliento."},
		{upto("ru", "3"), "не более трёх клиентов."},
		{upto("pl", "2"), "najwyżej dwóch klientów."},
		{upto("uk", "21"), "не більше двадцяти одного клієнта."},
		{upto("bg", "2"), "най-много двама клиенти."},
		{upto("en", "2"), "At most 2 more clients"},
	} {
		code, v, e := voiceGet(t, s, "", c.q, "")
		if code != 200 || !strings.Contains(v.Text, c.want) {
			t.Errorf("%s: %d %q %+v, want %q", c.q.Encode(), code, v.Text, e, c.want)
		}
	}
}
