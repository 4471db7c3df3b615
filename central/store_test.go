package central_test

import (
	"path/filepath"
	"testing"

	"langelis/central"
	"langelis/central/storetest"
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

// BenchmarkIngest is the centre's bbolt store alone (storetest.BenchIngest;
// each batch one fsynced transaction).
func BenchmarkIngest(b *testing.B) {
	s, err := central.OpenBolt(filepath.Join(b.TempDir(), central.FileName))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchIngest(b, s)
}
