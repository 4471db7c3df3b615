package server_test

import (
	"encoding/binary"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"langelis/announce"
	"langelis/app"
	"langelis/i18n"
	"langelis/internal/e2e"
	"langelis/queue"
	"langelis/wire"
)

// voiceGet asks for a sentence of the kiosk's voice mode.
func voiceGet(t *testing.T, s *e2e.Server, token string, q url.Values, lang string) (int, wire.VoiceSentence, wire.ErrorBody) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/voice?"+q.Encode(), nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v wire.VoiceSentence
	var e wire.ErrorBody
	data, _ := io.ReadAll(resp.Body)
	out := any(&e)
	if resp.StatusCode == 200 {
		out = &v
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("%s: %d %.200s: %v", q.Encode(), resp.StatusCode, data, err)
	}
	return resp.StatusCode, v, e
}

// The server composes each sentence from its own words: a ticket number
// as people say it, counts with their plural form (spelt out in
// Lithuanian), service names as the office gives them; and speaks it.
func TestVoiceSentences(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	for _, c := range []struct {
		q    url.Values
		want string
	}{
		{url.Values{"key": {"voice.your_number"}, "lang": {"lt"}, "number": {"B012"}}, "Jūsų numeris: B dvylika."},
		{url.Values{"key": {"voice.your_number"}, "lang": {"en"}, "number": {"B012"}}, "Your number is B 12."},
		{url.Values{"key": {"voice.your_number"}, "lang": {"ru"}, "number": {"B012"}}, "Ваш номер: бэ 12."},
		{url.Values{"key": {"ticket.ahead"}, "lang": {"lt"}, "n": {"3"}}, "Prieš jus eilėje: trys klientai"},
		{url.Values{"key": {"ticket.ahead"}, "lang": {"lt"}, "n": {"12"}}, "Prieš jus eilėje: dvylika klientų"},
		{url.Values{"key": {"ticket.ahead"}, "lang": {"en"}, "n": {"1"}}, "1 person ahead of you"},
		{url.Values{"key": {"ticket.ahead"}, "lang": {"en"}, "n": {"3"}}, "3 people ahead of you"},
		{url.Values{"key": {"ticket.ahead"}, "lang": {"pl"}, "n": {"5"}}, "Przed Tobą w kolejce: 5 osób"},
		{url.Values{"key": {"ticket.ahead"}, "lang": {"uk"}, "n": {"22"}}, "Перед вами в черзі: 22 клієнти"},
		{url.Values{"key": {"voice.service"}, "lang": {"en"}, "service": {"B"}}, "Social benefits"},
		{url.Values{"key": {"lang.name"}, "lang": {"ru"}}, "русский"},
		{url.Values{"key": {"kiosk.closed"}, "lang": {"uk"}, "when": {"when.tomorrow"}, "time": {"11:00"}}, "об 11:00"},
		{url.Values{"key": {"kiosk.closed"}, "lang": {"en"}, "when": {"when.date"}, "time": {"08:00"}, "day": {"2026-12-28"}}, "28 December"},
		// The end of the day, as the kiosk's notices say it.
		{url.Values{"key": {"eod.banner"}, "lang": {"lt"}, "n": {"12"}, "closing": {"17:00"}, "last": {"A040"}},
			"Darbo diena baigiasi 17:00. Šiandien dar bus aptarnauta dvylika klientų, iki bilieto A keturiasdešimt."},
		{url.Values{"key": {"eod.kiosk.closed"}, "lang": {"ru"}, "next": {"when.weekday.1"}, "time": {"08:00"}}, "в понедельник в 08:00"},
		{url.Values{"key": {"eod.kiosk.stop.title"}, "lang": {"pl"}}, "Dziś nie wydajemy już biletów"},
		// How much of a booking code is typed, each count with its noun.
		{url.Values{"key": {"voice.booking.count"}, "lang": {"lt"}, "n": {"1"}}, "Įvestas vienas ženklas iš aštuonių."},
		{url.Values{"key": {"voice.booking.count"}, "lang": {"lt"}, "n": {"7"}}, "Įvesti septyni ženklai iš aštuonių."},
		{url.Values{"key": {"voice.booking.count"}, "lang": {"en"}, "n": {"1"}}, "1 character typed, of 8."},
		{url.Values{"key": {"voice.booking.count"}, "lang": {"en"}, "n": {"7"}}, "7 characters typed, of 8."},
		{url.Values{"key": {"voice.booking.count"}, "lang": {"ru"}, "n": {"1"}}, "Введён 1 знак из восьми."},
		{url.Values{"key": {"voice.booking.count"}, "lang": {"ru"}, "n": {"3"}}, "Введено 3 знака из восьми."},
		{url.Values{"key": {"voice.booking.count"}, "lang": {"ru"}, "n": {"5"}}, "Введено 5 знаков из восьми."},
		{url.Values{"key": {"voice.booking.count"}, "lang": {"pl"}, "n": {"2"}}, "Wpisano 2 znaki z ośmiu."},
		{url.Values{"key": {"voice.booking.count"}, "lang": {"pl"}, "n": {"7"}}, "Wpisano 7 znaków z ośmiu."},
		{url.Values{"key": {"voice.booking.count"}, "lang": {"uk"}, "n": {"4"}}, "Введено 4 знаки з восьми."},
		{url.Values{"key": {"voice.booking.count"}, "lang": {"uk"}, "n": {"6"}}, "Введено 6 знаків із восьми."},
		{url.Values{"key": {"voice.booking.erased"}, "lang": {"lt"}, "char": {"7"}}, "Ištrinta: septyni."},
		{url.Values{"key": {"voice.booking.early"}, "lang": {"en"}, "time": {"11:45"}, "from": {"11:15"}}, "Your booking is at 11:45. You can check in from 11:15"},
	} {
		code, v, e := voiceGet(t, s, "", c.q, "")
		if code != 200 || !strings.Contains(v.Text, c.want) || v.Lang != c.q.Get("lang") {
			t.Errorf("%s: %d %+v %+v, want %q", c.q.Encode(), code, v, e, c.want)
		}
	}
	// Bulgarian (not among this office's languages): the count as the
	// route composes it, a masculine noun after the spelt number.
	for n, want := range map[int]string{1: "Въведен е един знак от осем.", 2: "Въведени са два знака от осем.", 7: "Въведени са седем знака от осем."} {
		if got := i18n.T("bg", "voice.booking.count", "n", i18n.Spelt{N: n, Words: announce.Count("bg", n)}); got != want {
			t.Errorf("bg voice.booking.count n=%d: %q, want %q", n, got, want)
		}
	}
	code, v, _ := voiceGet(t, s, "", url.Values{"key": {"ticket.ahead"}, "lang": {"lt"}, "n": {"3"}}, "")
	if code != 200 {
		t.Fatal(code)
	}
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		if v.Speech || v.Audio != "" {
			t.Fatalf("speech offered without espeak-ng: %+v", v)
		}
		t.Skip("espeak-ng is not installed; checked the words only")
	}
	resp, err := http.Get(s.URL + v.Audio)
	if err != nil {
		t.Fatal(err)
	}
	wav, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/wav" || len(wav) < 44+22050 ||
		string(wav[0:4]) != "RIFF" || string(wav[8:12]) != "WAVE" || int(binary.LittleEndian.Uint32(wav[4:])) != len(wav)-8 {
		t.Fatalf("speech: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(wav))
	}
}

// Nothing a caller sends is spoken as sent: only the kiosk's keys, values
// of their kind, the office's languages and services; each refusal says
// why in the person's language.
func TestVoiceRefusesWhatIsNotTheKiosks(t *testing.T) {
	s := e2e.Start(t, e2e.Options{})
	for _, c := range []struct {
		q          url.Values
		lang, want string
	}{
		{url.Values{"key": {"no.such.key"}, "lang": {"lt"}}, "lt", "Kioskas neturi sakinio „no.such.key“"},
		{url.Values{"key": {"err.signin.locked"}, "lang": {"en"}, "n": {"1"}}, "en", "no sentence “err.signin.locked”"},
		{url.Values{"key": {"status.title"}, "lang": {"en"}}, "en", "no sentence “status.title”"},
		{url.Values{"key": {"kiosk.title"}, "lang": {"de"}}, "ru", "Киоск говорит на языках: lt, en, ru, pl, uk; языка «de» среди них нет."},
		{url.Values{"key": {"kiosk.title"}, "lang": {"en"}, "text": {"you fool"}}, "en", "no value named “text”"},
		{url.Values{"key": {"ticket.ahead"}, "lang": {"en"}, "n": {"you fool"}}, "en", "n cannot be “you fool”"},
		{url.Values{"key": {"ticket.ahead"}, "lang": {"en"}}, "en", "needs the value n"},
		{url.Values{"key": {"voice.your_number"}, "lang": {"pl"}, "number": {"A12;rm"}}, "pl", "number w wypowiadanym zdaniu"},
		{url.Values{"key": {"voice.service"}, "lang": {"uk"}, "service": {"Z"}}, "uk", "немає послуги «Z»"},
		{url.Values{"key": {"kiosk.closed"}, "lang": {"en"}, "when": {"status.title"}, "time": {"08:00"}}, "en", "when cannot be"},
	} {
		code, _, e := voiceGet(t, s, "", c.q, c.lang)
		if code != 400 || e.Error.Code != "invalid" || !strings.Contains(e.Error.Message, c.want) {
			t.Errorf("%s: %d %+v, want 400 saying %q", c.q.Encode(), code, e, c.want)
		}
	}
}

// Only a kiosk may have the server speak: a computer on the kiosk network,
// a kiosk's account, or an admin; a stranger elsewhere is told to sign in,
// a clerk that the voice is the kiosk's.
func TestVoiceIsTheKiosks(t *testing.T) {
	_, far, _ := net.ParseCIDR("192.0.2.0/24") // the kiosks are elsewhere: loopback is no kiosk
	s := e2e.Start(t, e2e.Options{Configure: func(c *app.Config) { c.Server.KioskNets = append(c.Server.KioskNets, far) }})
	q := url.Values{"key": {"kiosk.title"}, "lang": {"en"}}
	if code, _, e := voiceGet(t, s, "", url.Values{"key": {"kiosk.title"}, "lang": {"lt"}}, ""); code != 401 || !strings.Contains(e.Error.Message, "prisijunkite") {
		t.Errorf("a stranger: %d %+v, want 401 in Lithuanian", code, e)
	}
	for _, wav := range []string{"/api/v1/voice/speech.wav?", "/api/v1/voice?"} {
		if code := s.JSON("GET", wav+q.Encode(), "", nil, nil); code != 401 {
			t.Errorf("a stranger, %s: %d, want 401", wav, code)
		}
	}
	s.AddUser("clerk7", queue.RoleClerk)
	if code, _, e := voiceGet(t, s, s.Login("clerk7"), q, "en"); code != 403 {
		t.Errorf("a clerk: %d %+v, want 403", code, e)
	}
	s.AddUser("kiosk7", queue.RoleKiosk)
	kiosk := s.Login("kiosk7")
	if code, v, e := voiceGet(t, s, kiosk, q, ""); code != 200 || v.Text != "Take a queue ticket" {
		t.Errorf("a kiosk's account: %d %+v %+v", code, v, e)
	}
	// The Internet side has no voice at all, whoever asks.
	at, err := s.App.ListenPublic("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v1/voice?", "/api/v1/voice/speech.wav?"} {
		if code := e2e.Do(t, "http://"+at, "GET", path+q.Encode(), kiosk, nil, nil); code != 404 {
			t.Errorf("%s on the public listener, a kiosk's token: %d, want 404", path, code)
		}
	}
}

// On the kiosk network the kiosk speaks whoever is signed in in its
// browser: a clerk's session left there once made every sentence a 403,
// and the kiosk fell silent (trial 5).
func TestVoiceOnTheKioskNetworkWhoeverIsSignedIn(t *testing.T) {
	s := e2e.Start(t, e2e.Options{}) // loopback is the kiosk network
	s.AddUser("clerk7", queue.RoleClerk)
	q := url.Values{"key": {"kiosk.title"}, "lang": {"en"}}
	for who, tok := range map[string]string{"nobody": "", "a clerk": s.Login("clerk7")} {
		if code, v, e := voiceGet(t, s, tok, q, ""); code != 200 || v.Text != "Take a queue ticket" {
			t.Errorf("%s on the kiosk network: %d %+v %+v", who, code, v, e)
		}
	}
}
