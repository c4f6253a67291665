package seed_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/internal/seed"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// A database seeded before campaigns existed gets the demo campaign and its
// variants on the next seed, and a second seed changes nothing.
func TestSeedAddsTheDemoCampaignToAnOlderDemo(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	pool, _ := testdb.Schema(t)
	store := postgres.New(pool)
	log := slog.New(slog.DiscardHandler)
	exp, err := experience.New(ctx, store.Experience(), experience.Config{Campaigns: campaign.EngineSource{Store: store.Campaigns()}})
	require.NoError(t, err)
	svc, err := content.NewService(store, content.Config{CheckVariants: exp.CheckVariants})
	require.NoError(t, err)
	camps, err := campaign.New(store.Campaigns(), campaign.Config{Drafts: svc, Changed: func(ctx context.Context) {
		svc.Changed(false)
		require.NoError(t, exp.Reload(ctx))
	}})
	require.NoError(t, err)

	created, err := seed.Run(ctx, svc, exp, log) // an older demo: no campaign
	require.NoError(t, err)
	require.True(t, created)
	owned := func() []campaign.OwnedVariant {
		list, err := camps.OwnedVariants(ctx, seed.WinterSale)
		require.NoError(t, err)
		return list
	}
	require.Empty(t, owned())

	created, err = seed.Run(ctx, svc, exp, log, seed.WithCampaigns(camps))
	require.NoError(t, err)
	require.False(t, created)
	c, err := camps.ByKey(ctx, seed.WinterSale)
	require.NoError(t, err)
	require.Equal(t, campaign.Draft, c.StatusAt(camps.Now()))
	var got []string
	for _, v := range owned() {
		require.True(t, v.Published, v)
		got = append(got, v.Slug+"/"+v.Locale+"/"+v.BlockID)
	}
	require.ElementsMatch(t, []string{"home/en/hero", "home/ro/hero", "lobby/en/lobby-hero", "lobby/ro/lobby-hero"}, got)

	var versions int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM entry_versions`).Scan(&versions))
	_, err = seed.Run(ctx, svc, exp, log, seed.WithCampaigns(camps))
	require.NoError(t, err)
	var again int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM entry_versions`).Scan(&again))
	require.Equal(t, versions, again, "seeding twice publishes nothing new")
}

// A database seeded before the seed mark existed keeps the model its
// editors changed: the next seed with a State only marks it (and adds what
// is missing of the campaign demo), and from then on does nothing.
func TestSeedKeepsTheModelOfAnOlderDemo(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	pool, _ := testdb.Schema(t)
	store := postgres.New(pool)
	log := slog.New(slog.DiscardHandler)
	svc, err := content.NewService(store, content.Config{})
	require.NoError(t, err)

	created, err := seed.Run(ctx, svc, nil, log) // an older demo: no mark
	require.NoError(t, err)
	require.True(t, created)
	_, seeded, err := store.DemoSeededAt(ctx)
	require.NoError(t, err)
	require.False(t, seeded)
	page, err := svc.ContentType(ctx, "page")
	require.NoError(t, err)
	_, err = svc.ChangeContentType(ctx, "page", content.TypeChange{AddFields: []content.Field{{Key: "summary", Kind: content.KindText}}},
		page.Version, content.UpdateOptions{})
	require.NoError(t, err)

	for range 2 {
		created, err = seed.Run(ctx, svc, nil, log, seed.WithState(store))
		require.NoError(t, err)
		require.False(t, created)
		page, err := svc.ContentType(ctx, "page")
		require.NoError(t, err)
		require.Equal(t, "summary", page.Fields[len(page.Fields)-1].Key, "the editors' field stays")
		_, seeded, err = store.DemoSeededAt(ctx)
		require.NoError(t, err)
		require.True(t, seeded)
	}
}
