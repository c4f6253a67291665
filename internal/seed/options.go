package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/mosaichq/mosaic/access"
	"github.com/mosaichq/mosaic/campaign"
	"github.com/mosaichq/mosaic/content"
)

// Option tunes Run.
type Option func(*options)

type options struct {
	campaigns *campaign.Service
	state     State
	audit     Auditor
	assets    Uploader
}

// State is where the database remembers that the demo was seeded
// (storage/postgres implements it over the settings table).
type State interface {
	DemoSeededAt(ctx context.Context) (time.Time, bool, error)
	MarkDemoSeeded(ctx context.Context, at time.Time, actor string) error
}

// Auditor records the seed's model changes in the audit log (the access
// service satisfies it).
type Auditor interface {
	Record(ctx context.Context, e access.AuditEntry) error
}

// WithCampaigns seeds the demo campaign too: a DRAFT `winter-sale` owning a
// hero variant on `home` and a variant on the `lobby` screen's hero, so
// that scheduling it (from GraphiQL, a few seconds ahead) shows the switch
// on web and kiosk at the same instant.
func WithCampaigns(c *campaign.Service) Option { return func(o *options) { o.campaigns = c } }

// WithState makes the seed happen once: Run does nothing once st says the
// demo was seeded, and marks it when it seeds.
func WithState(st State) Option { return func(o *options) { o.state = st } }

// WithAudit audits each content type the seed creates or changes.
func WithAudit(a Auditor) Option { return func(o *options) { o.audit = a } }

// mark records the seed in the database's state, if Run has one.
func (o *options) mark(ctx context.Context, svc *content.Service) error {
	if o.state == nil {
		return nil
	}
	return o.state.MarkDemoSeeded(ctx, svc.Now(), actor)
}

// importModel imports the demo model and audits what it created or
// changed, as `mosaic model import` does: a model change is never silent.
func importModel(ctx context.Context, svc *content.Service, audit Auditor) error {
	m, err := Model()
	if err != nil {
		return err
	}
	rep, err := svc.ImportModel(ctx, m)
	if err != nil {
		return fmt.Errorf("importing demo model: %w", err)
	}
	if audit == nil {
		return nil
	}
	for _, group := range []struct {
		action string
		keys   []string
	}{{"createContentType", rep.Created}, {"updateContentType", rep.Updated}} {
		for _, key := range group.keys {
			v := rep.Versions[key]
			e := access.AuditEntry{Actor: actor, ActorKind: "system", Action: group.action, EntityType: "ContentType", EntityID: key,
				AfterVersion: &v[1], Detail: map[string]any{"source": "demo seed", "diff": rep.Diffs[key]}}
			if v[0] > 0 {
				e.BeforeVersion = &v[0]
			}
			if err := audit.Record(ctx, e); err != nil {
				return fmt.Errorf("auditing the demo model's %q: %w", key, err)
			}
		}
	}
	return nil
}
