package central_test

import (
	"path/filepath"
	"testing"

	"langelis/central"
	"langelis/central/storetest"
	"langelis/city"
)

func TestBolt(t *testing.T) {
	storetest.Run(t, func(t *testing.T) central.Store {
		s, err := central.OpenBolt(filepath.Join(t.TempDir(), central.FileName))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// BenchmarkIngest is the centre's store alone: events a second it takes
// in batches of 512 (one fsynced transaction each), from three halls.
func BenchmarkIngest(b *testing.B) {
	s, err := central.OpenBolt(filepath.Join(b.TempDir(), central.FileName))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	e1 := []city.Epoch{{ID: "e1", Base: 1}}
	var seq uint64
	b.ResetTimer()
	for done := 0; done < b.N; {
		n := min(512, b.N-done)
		batch := make([]city.Message, 0, n)
		for i := 0; i < n; i++ {
			if i%3 == 0 {
				seq++
			}
			batch = append(batch, storetest.Msg(b, []string{"a", "b", "c"}[i%3], e1, seq, "2026-11-23"))
		}
		if _, _, err := s.Ingest(batch); err != nil {
			b.Fatal(err)
		}
		done += n
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
