package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"langelis/central"
	"langelis/central/postgres"
	"langelis/central/storetest"
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

// BenchmarkIngest is the PostgreSQL store alone (storetest.BenchIngest;
// each batch one transaction, the events by COPY), on a local cluster.
func BenchmarkIngest(b *testing.B) {
	dsn := pgtest.Start(b)
	s, err := postgres.Open(dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchIngest(b, s)
}
