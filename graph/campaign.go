package graph

import (
	"context"
	"log/slog"
	"time"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/graph/model"
)

func (r *Resolver) logger() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

// campaigns returns the campaign service after checking perm.
func (r *Resolver) campaigns(ctx context.Context, perm auth.Permission) (*campaign.Service, string, error) {
	actor, err := requireActor(ctx, perm)
	if err != nil {
		return nil, "", err
	}
	if r.Campaigns == nil {
		return nil, "", errs.E(errs.ServiceUnavailable, "campaigns are not configured")
	}
	return r.Campaigns, actor, nil
}

// campaignOut wraps c for a response computed at `at` (zero: the
// request's instant) and bounds the response by c's next transition: its
// status is part of what the response says.
func campaignOut(ctx context.Context, c campaign.Campaign, at time.Time) *model.Campaign {
	if at.IsZero() {
		at = requestNow(ctx)
	}
	if at.IsZero() {
		at = time.Now()
	}
	if next, ok := c.NextTransition(at); ok {
		bound(ctx, next)
	}
	return model.NewCampaign(c, at)
}

// campaignResult wraps a mutation's result, its status as of the write
// (a stop lands after the request's instant).
func campaignResult(ctx context.Context, c campaign.Campaign, err error) (*model.Campaign, error) {
	if err != nil {
		return nil, err
	}
	at := c.UpdatedAt
	if now := requestNow(ctx); at.IsZero() || now.After(at) {
		at = now
	}
	return campaignOut(ctx, c, at), nil
}

func campaignsOut(ctx context.Context, list []campaign.Campaign) []*model.Campaign {
	out := make([]*model.Campaign, len(list))
	for i, c := range list {
		out[i] = campaignOut(ctx, c, time.Time{})
	}
	return out
}

var transitionKinds = map[campaign.TransitionKind]model.CampaignTransitionKind{
	campaign.KindStarted: model.CampaignTransitionKindStarted,
	campaign.KindEnded:   model.CampaignTransitionKindEnded,
	campaign.KindStopped: model.CampaignTransitionKindStopped,
}

func optBlockID(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}

func conflictOut(ctx context.Context, c campaign.Conflict) *model.CampaignConflict {
	out := &model.CampaignConflict{EntryID: c.Block.EntryID, Type: c.Block.Type, Slug: c.Block.Slug,
		BlockID: optBlockID(c.Block.BlockID), Locales: c.Locales, From: c.From, To: c.To, Channels: c.Channels,
		Campaigns: []*model.Campaign{campaignOut(ctx, c.A, time.Time{}), campaignOut(ctx, c.B, time.Time{})},
		Reason:    c.Reason}
	if out.Channels == nil {
		out.Channels = []string{}
	}
	if c.Winner != nil {
		out.Winner = campaignOut(ctx, *c.Winner, time.Time{})
	}
	return out
}

var changeKinds = map[experience.ChangeKind]model.BlockChangeKind{
	experience.Added:   model.BlockChangeKindAdded,
	experience.Removed: model.BlockChangeKindRemoved,
	experience.Changed: model.BlockChangeKindChanged,
}

func seenOut(s *experience.Seen, at time.Time) *model.SeenBlock {
	if s == nil {
		return nil
	}
	var fields any = s.Fields
	if s.Fields == nil {
		fields = map[string]any{}
	}
	return &model.SeenBlock{Decision: model.NewDecisionAt(s.Decision, at), Fields: fields}
}

func blockChangeOut(c experience.BlockChange, from, to time.Time) *model.BlockChange {
	out := &model.BlockChange{BlockID: optBlockID(c.BlockID), Kind: changeKinds[c.Kind], Fields: c.Fields,
		Before: seenOut(c.Before, from), After: seenOut(c.After, to)}
	if c.After != nil {
		out.Type = c.After.Type
	} else if c.Before != nil {
		out.Type = c.Before.Type
	}
	return out
}

func statusIn(s *model.CampaignStatus) campaign.Status {
	if s == nil {
		return ""
	}
	return campaign.Status(*s)
}

func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
