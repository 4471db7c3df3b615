package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"langelis/central"
	"langelis/central/postgres"
	"langelis/central/storetest"
	"langelis/city"
	"langelis/internal/pgtest"
)

// The PostgreSQL store passes the tests every centre store passes, on a
// real throwaway cluster; each test gets its own database.
func TestPostgres(t *testing.T) {
	dsn := pgtest.Start(t)
	n := 0
	storetest.Run(t, func(t *testing.T) central.Store {
		n++
		db := fmt.Sprintf("langelis_%d", n)
		conn, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(context.Background(), "CREATE DATABASE "+db); err != nil {
			t.Fatal(err)
		}
		conn.Close(context.Background())
		s, err := postgres.Open(dsn[:len(dsn)-len("postgres?sslmode=disable")] + db + "?sslmode=disable")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		// A second open finds the schema in place.
		again, err := postgres.Open(dsn[:len(dsn)-len("postgres?sslmode=disable")] + db + "?sslmode=disable")
		if err != nil {
			t.Fatal(err)
		}
		again.Close()
		return s
	})
}

// BenchmarkIngest is the PostgreSQL store alone: events a second it takes
// in batches of 512 (one transaction each, the events by COPY), from
// three halls, on a local cluster.
func BenchmarkIngest(b *testing.B) {
	dsn := pgtest.Start(b)
	s, err := postgres.Open(dsn)
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
