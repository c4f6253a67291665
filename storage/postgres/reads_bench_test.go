package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// BenchmarkRoutedRead: one published entry by slug from the primary
// directly, and through the router from a standby (read in full before
// returning, so that a standby's failure can be retried on the primary),
// both servers on this machine.
func BenchmarkRoutedRead(b *testing.B) {
	_, u := testdb.Schema(b)
	sb := testdb.NewStandby(b)
	ctx := context.Background()
	primary, err := postgres.NewPool(ctx, u)
	require.NoError(b, err)
	b.Cleanup(primary.Close)
	reads, err := postgres.OpenReads(ctx, primary, postgres.ReadConfig{URLs: []string{sb.URL(u)}, MaxLag: time.Minute, CheckEvery: 20 * time.Millisecond})
	require.NoError(b, err)
	reads.Start()
	b.Cleanup(reads.Stop)
	routed := postgres.New(primary).WithReads(reads)
	svc, err := content.NewService(routed, content.Config{})
	require.NoError(b, err)
	_, err = svc.CreateContentType(ctx, productType())
	require.NoError(b, err)
	e, err := svc.CreateEntry(ctx, actor, content.NewEntry{Type: "product", Slug: "shoe", Fields: map[string]any{"title": "Shoe", "price": 10.0}})
	require.NoError(b, err)
	_, err = svc.PublishEntry(ctx, actor, e.ID, e.Locale, nil)
	require.NoError(b, err)
	reads.Advance(ctx)
	at := time.Now()
	read := func(s *postgres.Store) int {
		rows, err := s.PublishedBySlug(ctx, "product", "shoe", []string{"en"}, at)
		require.NoError(b, err)
		return len(rows)
	}
	require.Eventually(b, func() bool {
		before, _, _ := reads.Stats()
		n := read(routed)
		after, _, _ := reads.Stats()
		return n == 1 && after[0].Reads > before[0].Reads
	}, 20*time.Second, 10*time.Millisecond, "the standby serves")

	direct, err := pgxpool.New(ctx, sb.URL(u))
	require.NoError(b, err)
	b.Cleanup(direct.Close)
	for _, c := range []struct {
		name  string
		store *postgres.Store
	}{{"primary", postgres.New(primary)}, {"standby-direct", postgres.New(direct)}, {"standby", routed}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if read(c.store) != 1 {
					b.Fatal("no row")
				}
			}
		})
	}
}
