package seed

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/experience"
)

// Resetter deletes all content and the seed mark in one transaction
// (storage/postgres implements it).
type Resetter interface {
	State
	ResetContent(ctx context.Context, at time.Time) (map[string]int, error)
}

// Reset puts the demo back as it was first seeded, so the tour can be
// played again: it deletes every content type, entry, campaign, segment and
// experiment, then runs Run with opts (pass WithState(r) so the mark is set
// again). Users, API keys, assets, the audit log and every secret and
// signing key are left alone. The reset is audited (actor who); it returns
// what it deleted, per table.
func Reset(ctx context.Context, r Resetter, who string, svc *content.Service, exp *experience.Service, camps *campaign.Service,
	log *slog.Logger, opts ...Option) (map[string]int, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	deleted, err := r.ResetContent(ctx, svc.Now())
	if err != nil {
		return nil, fmt.Errorf("resetting the demo: %w", err)
	}
	// This process's caches first: the change feed tells them too, but
	// the seed below must not read a type or segment that is gone.
	svc.Changed(true)
	if camps != nil {
		camps.Changed()
	}
	if exp != nil {
		if err := exp.Reload(ctx); err != nil {
			return nil, err
		}
	}
	if o.audit != nil {
		detail := map[string]any{"source": "mosaic dev --reset-demo"}
		for k, n := range deleted {
			detail[k] = n
		}
		if err := o.audit.Record(ctx, access.AuditEntry{Actor: who, ActorKind: "cli", Action: "resetDemo",
			EntityType: "Demo", EntityID: "demo", Detail: detail}); err != nil {
			return nil, fmt.Errorf("auditing the demo reset: %w", err)
		}
	}
	log.InfoContext(ctx, "demo content deleted", "deleted", deleted)
	if _, err := Run(ctx, svc, exp, log, opts...); err != nil {
		return nil, err
	}
	return deleted, nil
}
