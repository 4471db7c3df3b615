package announce

import (
	"encoding/binary"
	"math"
)

// chimeRate is the chime's sample rate; a chime needs no more.
const chimeRate = 22050

// Chime returns the call chime as a WAV file: two soft bell tones falling
// a fourth (E6, then B5), 1.1 s in all. It is synthesized here, so there is
// no recorded sound whose licence to worry about; assets/web/sounds/chime.wav
// is this function's output, kept in step by TestChimeEmbedded.
func Chime() []byte {
	tones := []struct {
		freq, start float64
	}{{1318.5, 0}, {987.8, 0.45}}
	const length = 1.1
	n := int(length * chimeRate)
	samples := make([]float64, n)
	for _, tone := range tones {
		for i := int(tone.start * chimeRate); i < n; i++ {
			t := float64(i)/chimeRate - tone.start
			env := math.Exp(-4.5*t) * math.Min(1, t/0.005) // a 5 ms attack avoids a click
			// A bell: the fundamental with a little of two overtones.
			v := math.Sin(2*math.Pi*tone.freq*t) + 0.3*math.Sin(2*math.Pi*2*tone.freq*t)*math.Exp(-3*t) +
				0.12*math.Sin(2*math.Pi*3.01*tone.freq*t)*math.Exp(-6*t)
			samples[i] += 0.35 * env * v
		}
	}
	// Fade the last 50 ms out so the end does not click either.
	for i := n - chimeRate/20; i < n; i++ {
		samples[i] *= float64(n-i) / (chimeRate / 20)
	}
	pcm := make([]int16, n)
	for i, v := range samples {
		pcm[i] = int16(math.Max(-1, math.Min(1, v)) * 32767)
	}
	return pcmWAV(pcm, chimeRate)
}

// pcmWAV wraps 16-bit mono samples in a WAV header.
func pcmWAV(pcm []int16, rate int) []byte {
	data := len(pcm) * 2
	b := make([]byte, 44+data)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+data))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], uint32(rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(rate*2))
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(data))
	for i, s := range pcm {
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(s))
	}
	return b
}
