package postgres_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/events"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// TestCampaignWriteNamesItsCampaign: the "changed" event of a campaign
// write says which campaign, on the stream and in webhook bodies alike
// (both send the envelope); other changes carry no campaign.
func TestCampaignWriteNamesItsCampaign(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	ctx := t.Context()
	log := postgres.NewEventLog(pool)
	_, before, err := log.Bounds(ctx)
	require.NoError(t, err)

	now := time.Now().UTC().Truncate(time.Microsecond)
	c := campaign.Campaign{ID: uuid.NewString(), Key: "winter-sale", Name: "Winter sale", TimeZone: "UTC", Channels: []string{},
		CreatedAt: now, CreatedBy: "ana", UpdatedAt: now, UpdatedBy: "ana"}
	c, err = postgres.New(pool).Campaigns().Create(ctx, c)
	require.NoError(t, err)
	c.Name = "Winter sale, again"
	_, err = postgres.New(pool).Campaigns().Save(ctx, campaign.Write{Campaign: c, ExpectedVersion: c.Version, At: now, Actor: "ana"})
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO content_changes (action) VALUES ('model')`)
	require.NoError(t, err)

	evs, err := log.After(ctx, before, 100)
	require.NoError(t, err)
	require.Len(t, evs, 3)
	for _, e := range evs[:2] {
		require.Equal(t, events.TypeChanged, e.Type)
		require.Equal(t, "campaign", e.Change.Action)
		require.Equal(t, &events.Campaign{ID: c.ID, Key: "winter-sale"}, e.Change.Campaign)
		var env struct {
			Data struct {
				Campaign map[string]any `json:"campaign"`
			} `json:"data"`
		}
		require.NoError(t, json.Unmarshal(e.JSON(), &env))
		require.Equal(t, map[string]any{"id": c.ID, "key": "winter-sale"}, env.Data.Campaign)
	}
	require.Nil(t, evs[2].Change.Campaign, "a model change names no campaign")
}
