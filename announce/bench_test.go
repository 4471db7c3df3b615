package announce

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkEspeakFresh is the cost of a sentence the server has not said
// yet (a first call); BenchmarkEspeakCached that of a recall or a second
// display asking for the same sentence.
func BenchmarkEspeakFresh(b *testing.B) {
	e := NewEspeak()
	if !e.Available() {
		b.Skip("espeak-ng is not installed")
	}
	for i := 0; b.Loop(); i++ {
		text, _ := Text("lt", fmt.Sprintf("A%03d", i%1000), 1+i/1000)
		if _, err := e.WAV(context.Background(), "lt", text); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEspeakCached(b *testing.B) {
	e := NewEspeak()
	if !e.Available() {
		b.Skip("espeak-ng is not installed")
	}
	text, _ := Text("lt", "A012", 3)
	e.WAV(context.Background(), "lt", text)
	for b.Loop() {
		if _, err := e.WAV(context.Background(), "lt", text); err != nil {
			b.Fatal(err)
		}
	}
}
