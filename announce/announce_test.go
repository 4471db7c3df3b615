package announce

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"io/fs"
	"os"
	"testing"

	"langelis/assets"
	"langelis/queue"
)

func TestText(t *testing.T) {
	cases := []struct {
		lang, number string
		desk         int
		want         string
	}{
		{"lt", "A012", 3, "Bilietas A dvylika, langelis trys."},
		{"lt", "B001", 1, "Bilietas B vienas, langelis vienas."},
		{"lt", "C100", 12, "Bilietas C šimtas, langelis dvylika."},
		{"lt", "A245", 21, "Bilietas A du šimtai keturiasdešimt penki, langelis dvidešimt vienas."},
		{"lt", "A010", 30, "Bilietas A dešimt, langelis trisdešimt."},
		// A day past 999 tickets: read as numbers, never digit by digit.
		{"lt", "D1000", 2, "Bilietas D tūkstantis, langelis du."},
		{"lt", "A1001", 2, "Bilietas A tūkstantis vienas, langelis du."},
		{"lt", "A2024", 2, "Bilietas A du tūkstančiai dvidešimt keturi, langelis du."},
		{"lt", "A10000", 2, "Bilietas A dešimt tūkstančių, langelis du."},
		{"lt", "A12345", 4, "Bilietas A dvylika tūkstančių trys šimtai keturiasdešimt penki, langelis keturi."},
		{"lt", "A21500", 4, "Bilietas A dvidešimt vienas tūkstantis penki šimtai, langelis keturi."},
		{"lt", "A111000", 4, "Bilietas A šimtas vienuolika tūkstančių, langelis keturi."},
		{"lt", "A999999", 4, "Bilietas A devyni šimtai devyniasdešimt devyni tūkstančiai devyni šimtai devyniasdešimt devyni, langelis keturi."},
		{"en", "B99999", 5, "Ticket B 99999, desk 5."},
		{"en", "A012", 3, "Ticket A 12, desk 3."},
		{"ru", "B012", 3, "Билет бэ 12, окно 3."},
		{"uk", "A007", 4, "Квиток а 7, вікно 4."},
		{"pl", "A012", 3, "Bilet A 12, stanowisko 3."},
		{"bg", "A021", 3, "Билет а̀ двадесет и едно, гише три."},
		{"bg", "B105", 2, "Билет бе сто и пет, гише две."},
		{"bg", "C2001", 1, "Билет це две хиляди и едно, гише едно."},
		{"bg", "A112", 12, "Билет а̀ сто и дванадесет, гише дванадесет."},
	}
	for _, c := range cases {
		got, err := Text(c.lang, c.number, c.desk)
		if err != nil || got != c.want {
			t.Errorf("Text(%s, %s, %d) = %q, %v; want %q", c.lang, c.number, c.desk, got, err, c.want)
		}
	}
	for _, bad := range []struct {
		number string
		desk   int
	}{{"a012", 1}, {"A1234567", 1}, {"A01-", 1}, {"", 1}, {"A012", 0}, {"A012", 1000}} {
		if got, err := Text("lt", bad.number, bad.desk); err == nil {
			t.Errorf("Text(%q, %d) = %q, want an error", bad.number, bad.desk, got)
		}
	}
}

var update = flag.Bool("update", false, "rewrite assets/web/sounds/chime.wav from Chime() (then run the test again: the old file is embedded in this binary)")

// The embedded chime is the synthesized one: change Chime, run
// go test ./announce -run TestChimeEmbedded -update.
func TestChimeEmbedded(t *testing.T) {
	want := Chime()
	if *update {
		if err := os.WriteFile("../assets/web/sounds/chime.wav", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := fs.ReadFile(assets.FS, "web/sounds/chime.wav")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("assets/web/sounds/chime.wav is not Chime()'s output; run with -update")
	}
	checkWAV(t, want)
}

// checkWAV asserts a RIFF/WAVE PCM file whose sizes match its length and
// that is not silent.
func checkWAV(t *testing.T, b []byte) {
	t.Helper()
	if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" {
		t.Fatalf("not a WAV file: % x", b[:min(len(b), 44)])
	}
	if size := binary.LittleEndian.Uint32(b[4:]); int(size) != len(b)-8 {
		t.Fatalf("RIFF size %d, file %d", size, len(b))
	}
	if size := binary.LittleEndian.Uint32(b[40:]); int(size) != len(b)-44 {
		t.Fatalf("data size %d, file %d", size, len(b))
	}
	peak := 0
	for i := 44; i+1 < len(b); i += 2 {
		peak = max(peak, abs(int(int16(binary.LittleEndian.Uint16(b[i:])))))
	}
	if peak < 3000 {
		t.Fatalf("peak %d: the sound is (nearly) silent", peak)
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func TestEspeakLithuanian(t *testing.T) {
	e := NewEspeak()
	if !e.Available() {
		if os.Getenv("CI") != "" {
			t.Fatal("espeak-ng is not installed; .ci/run must install it")
		}
		t.Skip("espeak-ng is not installed (apt-get install espeak-ng)")
	}
	text, _ := Text("lt", "A012", 3)
	wav, err := e.WAV(context.Background(), "lt", text)
	if err != nil {
		t.Fatal(err)
	}
	checkWAV(t, wav)
	// Over a second of speech at espeak's 22050 Hz: a sentence, not a blip.
	if len(wav) < 44+22050*2 {
		t.Fatalf("only %d bytes of speech", len(wav))
	}
	again, _ := e.WAV(context.Background(), "lt", text)
	if &again[0] != &wav[0] {
		t.Error("the same sentence was synthesized twice, not cached")
	}
	if _, err := e.WAV(context.Background(), "de", "Hallo"); err == nil {
		t.Error("a language without a voice was accepted")
	}
}

// Bulgarian numbers as people say them, in the counting form (bg.go).
func TestBulgarianNumerals(t *testing.T) {
	for n, want := range map[int]string{
		0: "нула", 1: "едно", 2: "две", 11: "единадесет", 12: "дванадесет", 20: "двадесет",
		21: "двадесет и едно", 100: "сто", 101: "сто и едно", 105: "сто и пет", 112: "сто и дванадесет",
		125: "сто двадесет и пет", 200: "двеста", 999: "деветстотин деветдесет и девет",
		1000: "хиляда", 1001: "хиляда и едно", 1100: "хиляда и сто", 2000: "две хиляди",
		2001: "две хиляди и едно", 2345: "две хиляди триста четиридесет и пет",
		10000: "десет хиляди", 21005: "двадесет и една хиляди и пет", 201000: "двеста и една хиляди",
		999999: "деветстотин деветдесет и девет хиляди деветстотин деветдесет и девет",
	} {
		if got := bgWords(n); got != want {
			t.Errorf("bgWords(%d) = %q, want %q", n, got, want)
		}
	}
	if got := letter("bg", "B") + "|" + letter("bg", "A") + "|" + letter("bg", "X"); got != "бе|а̀|хикс" {
		t.Errorf("letters B, A, X in Bulgarian: %q", got)
	}
}

// Every language Langelis has is spoken: espeak-ng has its voice and says
// the call (a missing voice makes espeak-ng fail, not fall back).
func TestEspeakEveryLanguage(t *testing.T) {
	e := NewEspeak()
	if !e.Available() {
		if os.Getenv("CI") != "" {
			t.Fatal("espeak-ng is not installed; .ci/run must install it")
		}
		t.Skip("espeak-ng is not installed (apt-get install espeak-ng)")
	}
	for _, lang := range queue.Languages {
		text, err := Text(lang, "A021", 2)
		if err != nil {
			t.Fatal(err)
		}
		wav, err := e.WAV(context.Background(), lang, text)
		if err != nil {
			t.Errorf("%s: %v", lang, err)
			continue
		}
		checkWAV(t, wav)
		if len(wav) < 44+22050*2 {
			t.Errorf("%s: only %d bytes of speech for %q", lang, len(wav), text)
		}
	}
}

// A count agrees with its noun: a Bulgarian count of people or clients is
// masculine ("един човек", "двадесет и два"), while a number that names a
// ticket or desk stays neuter (TestBulgarianNumerals); other languages
// count as they read numbers.
func TestCount(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{{"bg", 1, "един"}, {"bg", 2, "два"}, {"bg", 3, "три"}, {"bg", 21, "двадесет и един"}, {"bg", 102, "сто и два"},
		{"bg", 12, "дванадесет"}, {"bg", 2000, "две хиляди"}, {"lt", 3, "trys"}, {"en", 2, "2"}} {
		if got := Count(c.lang, c.n); got != c.want {
			t.Errorf("Count(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

// A count of people takes the form its noun and its words ask for: the
// Bulgarian masculine-personal "двама души", and after "from … to …" or
// "at most" the genitive ("nuo dviejų iki aštuonių klientų", "от двух до
// восьми клиентов"), spelt because a voice reads "2" in the nominative.
func TestPeople(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{{"bg", 1, "един"}, {"bg", 2, "двама"}, {"bg", 3, "трима"}, {"bg", 4, "четирима"}, {"bg", 6, "шестима"},
		{"bg", 7, "седем"}, {"bg", 8, "осем"}, {"bg", 12, "дванадесет"}, {"bg", 22, "двадесет и двама"}, {"bg", 21, "двадесет и един"},
		{"bg", 103, "сто и трима"}, {"lt", 2, "du"}, {"ru", 2, "2"}, {"en", 2, "2"}} {
		if got := People(c.lang, c.n); got != c.want {
			t.Errorf("People(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{{"lt", 2, "dviejų"}, {"lt", 8, "aštuonių"}, {"lt", 1, "vieno"}, {"lt", 12, "dvylikos"}, {"lt", 20, "dvidešimties"},
		{"lt", 23, "dvidešimties trijų"}, {"lt", 205, "dviejų šimtų penkių"},
		{"ru", 2, "двух"}, {"ru", 8, "восьми"}, {"ru", 1, "одного"}, {"ru", 21, "двадцати одного"}, {"ru", 40, "сорока"}, {"ru", 300, "трёхсот"},
		{"uk", 2, "двох"}, {"uk", 8, "восьми"}, {"uk", 15, "п'ятнадцяти"}, {"uk", 90, "дев'яноста"},
		{"pl", 2, "dwóch"}, {"pl", 8, "ośmiu"}, {"pl", 1, "jednego"}, {"pl", 21, "dwudziestu jeden"}, {"pl", 500, "pięciuset"},
		{"bg", 2, "двама"}, {"bg", 8, "осем"}, {"en", 8, "8"}, {"ru", 1500, "1500"}} {
		if got := PeopleFromTo(c.lang, c.n); got != c.want {
			t.Errorf("PeopleFromTo(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}
