package model

import (
	"time"

	"github.com/mosaichq/mosaic/campaign"
)

// Campaign wraps a domain campaign. Status and nextTransition are resolved
// at At (zero: the request's instant), variants and release on demand; the
// description and who did what are resolved only for editors (a delivery
// decision names its campaign to anyone).
type Campaign struct {
	ID            string
	Key           string
	Name          string
	TimeZone      string
	Priority      int
	Channels      []string
	StartsAt      *time.Time
	EndsAt        *time.Time
	StartsAtLocal *string
	EndsAtLocal   *string
	StoppedAt     *time.Time
	Archived      bool
	ArchivedAt    *time.Time
	ReleaseSize   int
	// Holdout is the share of the campaign's audience held out of it.
	Holdout   float64
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time

	C  campaign.Campaign
	At time.Time
}

// NewCampaign wraps c, its status to be shown as of at (zero: now).
func NewCampaign(c campaign.Campaign, at time.Time) *Campaign {
	out := &Campaign{ID: c.ID, Key: c.Key, Name: c.Name, TimeZone: c.TimeZone,
		Priority: c.Priority, Channels: c.Channels, Archived: c.Archived(), ReleaseSize: c.ReleaseSize,
		Holdout: c.Holdout, Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, C: c, At: at}
	if out.Channels == nil {
		out.Channels = []string{}
	}
	zone, err := campaign.LoadZone(c.TimeZone)
	if err != nil {
		zone = time.UTC
	}
	local := func(t time.Time) *string {
		s := campaign.Local(t, zone)
		return &s
	}
	if !c.StartsAt.IsZero() {
		out.StartsAt, out.EndsAt = timePtr(c.StartsAt), timePtr(c.EndsAt)
		out.StartsAtLocal, out.EndsAtLocal = local(c.StartsAt), local(c.EndsAt)
	}
	if !c.StoppedAt.IsZero() {
		out.StoppedAt = timePtr(c.StoppedAt)
	}
	if c.Archived() {
		out.ArchivedAt = timePtr(c.ArchivedAt)
	}
	return out
}

func timePtr(t time.Time) *time.Time { return &t }
