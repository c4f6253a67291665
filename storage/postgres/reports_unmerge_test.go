package postgres_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/report"
)

// A phone and a laptop reached by a campaign and going through a funnel
// (product on the phone, cart and purchase on the laptop) are merged by
// identify only after all of it, then unmerged by an editor. Reports that
// resolve people when they read — funnel, kpis, campaign reach — count
// one person after the merge, past events included, and two after the
// unmerge; the experiment and campaign outcome rollups keep what they
// counted (measurement/doc.go says why) and do not change.
func TestReportsFollowMergeAndUnmerge(t *testing.T) {
	t.Parallel()
	b := setupReports(t)
	b.store.SetUnits(b.store.IdentityUnits())
	ctx := t.Context()
	_, err := b.pool.Exec(ctx, `INSERT INTO campaigns (id, key, name, created_at, created_by, updated_at, updated_by)
		VALUES (gen_random_uuid(), 'winter', 'Winter', now(), 't', now(), 't')`)
	require.NoError(t, err)
	reached := func(id, visitor string, at time.Duration, device string) measurement.Decision {
		d := exposure(id, visitor, at, "a")
		d.Device = device
		d.Blocks = append(d.Blocks, measurement.BlockDecision{BlockID: "promo", Variant: "sale", Campaign: "winter",
			Reason: measurement.ReasonCampaign})
		return d
	}
	_, err = b.store.WriteDecisions(ctx, []measurement.Decision{reached("d1", "phone", 0, "mobile"), reached("d2", "laptop", time.Minute, "desktop")})
	require.NoError(t, err)
	track := func(id, visitor, name string, at time.Duration) measurement.Event {
		return measurement.Event{ID: id, Type: measurement.TypeTrack, VisitorID: visitor, Name: name, Time: rt0.Add(at), ReceivedAt: rt0.Add(at)}
	}
	_, err = b.store.WriteEvents(ctx, []measurement.Event{track("t1", "phone", "product", 2*time.Minute),
		track("t2", "laptop", "cart", 3*time.Minute), buy("p1", "laptop", 4*time.Minute, 30)})
	require.NoError(t, err)
	identify := func(id, visitor string, at time.Duration) measurement.Event {
		return measurement.Event{ID: id, Type: measurement.TypeIdentify, VisitorID: visitor, UserID: "ann", Time: rt0.Add(at), ReceivedAt: rt0.Add(at)}
	}

	type seen struct {
		funnelPeople, completed, crossed, kpiPeople, reach, units int64
		ltv                                                       float64
	}
	read := func() seen {
		t.Helper()
		f, err := b.svc.Funnel(ctx, report.FunnelQuery{Steps: []string{"product", "cart", "purchase"}, Window: "1h",
			From: rt0.Add(-time.Hour), To: rt0.Add(time.Hour)})
		require.NoError(t, err)
		k, err := b.svc.Kpis(ctx, report.KpiQuery{From: rt0, To: rt0})
		require.NoError(t, err)
		c, err := b.svc.CampaignReport(ctx, "winter", report.Range{}, "purchase", "")
		require.NoError(t, err)
		require.Len(t, c.Outcomes, 1)
		return seen{funnelPeople: f.Total.People, completed: f.Total.Steps[2].People, crossed: f.Total.CrossDevice,
			kpiPeople: k.Total.Visitors, reach: c.Reach, units: c.Outcomes[0].Units, ltv: k.Total.LifetimeRevenue}
	}
	// Two visitor ids: two people; the phone's funnel stops at the
	// product, the laptop's never starts. Each device was its own unit
	// when exposed.
	require.Equal(t, seen{funnelPeople: 1, kpiPeople: 2, reach: 2, units: 2, ltv: 30}, read())

	_, err = b.store.WriteEvents(ctx, []measurement.Event{identify("i1", "phone", time.Hour), identify("i2", "laptop", time.Hour+time.Minute)})
	require.NoError(t, err)
	require.Equal(t, seen{funnelPeople: 1, completed: 1, crossed: 1, kpiPeople: 1, reach: 1, units: 2, ltv: 30}, read(),
		"merged after the fact: one person who crossed devices; the outcome rollup keeps its two units")

	_, err = b.store.Unmerge(ctx, "laptop", "editor@example.com")
	require.NoError(t, err)
	require.Equal(t, seen{funnelPeople: 1, kpiPeople: 2, reach: 2, units: 2, ltv: 30}, read(), "split again")
}
