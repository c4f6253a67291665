package app

import (
	"context"

	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/personalization"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// openCampaigns builds the campaign service over the content service
// (release validation). The decision engine already reads campaigns from
// the store (campaign.EngineSource).
func (a *App) openCampaigns(store *postgres.Store, registry personalization.Registry) error {
	svc, err := campaign.New(store.Campaigns(), campaign.Config{Registry: registry, Drafts: a.Content,
		Logger: a.Log.With("component", "campaigns"), Changed: a.campaignsChanged})
	if err != nil {
		return err
	}
	a.Campaigns = svc
	return nil
}

// campaignsChanged runs after this process wrote a campaign: the writer
// reads its own write at once (other replicas follow on the change feed).
// It is also what any listener that may hand a campaign announcement to
// clients before the change feed has caught up should call first: it
// brings this replica's engine, caches and campaign list up to date.
func (a *App) campaignsChanged(ctx context.Context) {
	if a.Campaigns != nil {
		a.Campaigns.Changed()
	}
	a.Content.Changed(false)
	if err := a.Experience.Reload(ctx); err != nil {
		a.Log.ErrorContext(ctx, "rebuilding the decision engine after a campaign write", "error", err)
	}
}

// campaignsFeed drops the campaign cache when any replica wrote a
// campaign (the feed handler also reloads the engine).
func (a *App) campaignsFeed(c postgres.Change) {
	if a.Campaigns != nil && (c.Action == postgres.ChangeCampaign || c.Action == "resync") {
		a.Campaigns.Changed()
	}
}
