package bench

import (
	"fmt"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/internal/testdb"
	reports "github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// Five events per visitor over November 2026, as a shop's funnel leaks:
// a view, a product page, then add_to_cart (~60 % of visitors),
// checkout (~60 % of those) and a purchase (~50 % of those), each a few
// minutes after the one before; the rest of the five are "scroll" track
// events. One visitor in ten also has a laptop ('l' || v, merged with
// the phone by identity) on which add_to_cart, checkout and purchase
// follow 5, 10 and 15 minutes after the phone's product page: the
// cross-device funnels. $1 and $2 are the visitor range [from, to):
// 5.3 events per visitor.
const (
	sqlSeedFunnelEvents = `INSERT INTO measurement_events (id, day, time, received_at, type, visitor_id, goal, value, name, entry)
		SELECT 'e' || v || '-' || j, t::date, t, t, typ, 'v' || v,
			CASE WHEN typ = 'conversion' THEN 'purchase' END, CASE WHEN typ = 'conversion' THEN 20 + v % 80 END,
			CASE WHEN typ = 'track' THEN nm END, CASE WHEN typ = 'view' THEN 'home' END
		FROM generate_series($1::bigint, $2::bigint - 1) v, generate_series(0, 4) j,
			LATERAL (SELECT '2026-11-01'::timestamptz + (v % 30) * interval '1 day' + (v * 7919 % 80000) * interval '1 second'
				+ j * (1 + v % 17) * interval '1 minute' AS t,
				v * 2654435761 % 100 < 60 AS cart, v * 40503 % 97 < 58 AS checkout, v * 65537 % 89 < 45 AS buy) tt,
			LATERAL (SELECT CASE
				WHEN j = 0 THEN 'view'
				WHEN j = 4 AND cart AND checkout AND buy THEN 'conversion'
				ELSE 'track' END AS typ,
				CASE
				WHEN j = 1 THEN 'product'
				WHEN j = 2 AND cart THEN 'add_to_cart'
				WHEN j = 3 AND cart AND checkout THEN 'checkout'
				ELSE 'scroll' END AS nm) k`
	sqlSeedFunnelLaptops = `INSERT INTO measurement_events (id, day, time, received_at, type, visitor_id, goal, value, name)
		SELECT 'l' || v || '-' || j, t::date, t, t, CASE WHEN j = 3 THEN 'conversion' ELSE 'track' END, 'l' || v,
			CASE WHEN j = 3 THEN 'purchase' END, CASE WHEN j = 3 THEN 20 + v % 80 END,
			CASE j WHEN 1 THEN 'add_to_cart' WHEN 2 THEN 'checkout' END
		FROM generate_series($1::bigint, $2::bigint - 1) v, generate_series(1, 3) j,
			LATERAL (SELECT '2026-11-01'::timestamptz + (v % 30) * interval '1 day' + (v * 7919 % 80000) * interval '1 second'
				+ (1 + v % 17) * interval '1 minute' + j * interval '5 minutes' AS t) tt
		WHERE v % 10 = 0`
	sqlSeedFunnelClusters = `WITH c AS (INSERT INTO identity_clusters (id, user_id, created_at)
			SELECT 'c' || v, 'u' || v, '2026-11-01' FROM generate_series($1::bigint, $2::bigint - 1) v WHERE v % 10 = 0 RETURNING id)
		INSERT INTO identity_members (visitor_id, cluster_id, linked_at)
		SELECT p || substr(id, 2), id, '2026-11-01' FROM c, unnest(ARRAY['v', 'l']) p`
	// The KPI rollup of the same visitors: their context, then the rows
	// migration 000016's backfill derives from raw events.
	sqlSeedKpiVisitors = `INSERT INTO measurement_kpi_visitors (visitor_id, device, channel, locale, context_at, first_seen)
		SELECT 'v' || v, (ARRAY['mobile', 'desktop', 'tablet'])[(1 + v % 3)::int], (ARRAY['web', 'app'])[(1 + v % 2)::int],
			(ARRAY['en', 'ro'])[(1 + (v / 7) % 2)::int], '2026-11-01'::timestamptz, '2026-11-01'::timestamptz + (v % 30) * interval '1 day'
		FROM generate_series($1::bigint, $2::bigint - 1) v
		UNION ALL SELECT 'l' || v, 'desktop', 'web', 'en', '2026-11-01'::timestamptz, '2026-11-01'::timestamptz + (v % 30) * interval '1 day'
		FROM generate_series($1::bigint, $2::bigint - 1) v WHERE v % 10 = 0`
	sqlSeedKpiDays        = `INSERT INTO measurement_kpi_days (day, visitor_id) SELECT DISTINCT day, visitor_id FROM measurement_events`
	sqlSeedKpiConversions = `INSERT INTO measurement_kpi_conversions (day, visitor_id, goal, conversions, orders, revenue, first_at)
		SELECT day, visitor_id, goal, count(*), count(value), sum(value), min(time) FROM measurement_events
		WHERE type = 'conversion' GROUP BY 1, 2, 3`
	// The funnels' narrow copy of the events, as migration 000023's
	// backfill derives it.
	sqlSeedFunnelNames = `INSERT INTO measurement_funnel_names (type, name)
		SELECT DISTINCT type, CASE type WHEN 'conversion' THEN goal WHEN 'track' THEN name ELSE coalesce(entry, '') END
		FROM measurement_events WHERE type IN ('view', 'conversion', 'track')
		ON CONFLICT DO NOTHING`
	sqlSeedFunnelCopy = `INSERT INTO measurement_funnel_events (day, name, time, visitor)
		SELECT e.day, n.id, e.time, hashtextextended(e.visitor_id, 0)
		FROM measurement_events e JOIN measurement_funnel_names n ON n.type = e.type
			AND n.name = CASE e.type WHEN 'conversion' THEN e.goal WHEN 'track' THEN e.name ELSE coalesce(e.entry, '') END
		WHERE e.type IN ('view', 'conversion', 'track')`
)

// BenchmarkFunnelAndKpis: funnel (4 steps, 30 days, raw events) and kpis
// (30 days of the KPI rollup) through reports.Service on a real
// PostgreSQL, as the resolvers call them, at 1 M events (189,000
// visitors) and again after 4 M more (5 M events, 943,000 visitors).
func BenchmarkFunnelAndKpis(b *testing.B) {
	pool, _ := testdb.Schema(b)
	ctx := b.Context()
	ms := postgres.NewMeasurementStore(pool)
	days := map[time.Time]bool{}
	for d := range 31 {
		days[time.Date(2026, 11, 1+d, 0, 0, 0, 0, time.UTC)] = true
	}
	if err := ms.EnsurePartitions(ctx, days); err != nil {
		b.Fatal(err)
	}
	svc := &reports.Service{Store: postgres.NewReportStore(pool)}
	clock := newCPUClock(b, pool)
	from, to := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	seeded := 0
	for _, visitors := range []int{189_000, 943_000} {
		start := time.Now()
		for _, q := range []string{sqlSeedFunnelEvents, sqlSeedFunnelLaptops, sqlSeedFunnelClusters, sqlSeedKpiVisitors} {
			if _, err := pool.Exec(ctx, q, seeded, visitors); err != nil {
				b.Fatal(err)
			}
		}
		// Rebuilt from every event so far, as migrations 000016 and 000023
		// do; then vacuumed, so no autovacuum runs (and counts in pg-cpu)
		// during the measured reads.
		for _, q := range []string{`TRUNCATE measurement_kpi_days, measurement_kpi_conversions, measurement_funnel_events`,
			sqlSeedKpiDays, sqlSeedKpiConversions, sqlSeedFunnelNames, sqlSeedFunnelCopy, `VACUUM (ANALYZE)`} {
			if _, err := pool.Exec(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
		seeded = visitors
		var events int64
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM measurement_events`).Scan(&events); err != nil {
			b.Fatal(err)
		}
		b.Logf("%d events of %d visitors seeded in %v", events, visitors, time.Since(start).Round(time.Millisecond))
		label := fmt.Sprintf("events=%.1fM", float64(events)/1e6)
		for _, by := range []reports.Breakdown{{}, {Device: true}} {
			b.Run(fmt.Sprintf("funnel/%s/device=%v", label, by.Device), func(b *testing.B) {
				var res reports.FunnelReport
				clock.measure(b, func() {
					var err error
					res, err = svc.Funnel(ctx, reports.FunnelQuery{Steps: []string{"product", "add_to_cart", "checkout", "purchase"},
						Window: "24h", From: from, To: to.Add(-24 * time.Hour), Breakdown: by})
					if err != nil {
						b.Fatal(err)
					}
				})
				b.ReportMetric(float64(res.Scanned), "events-read")
				b.ReportMetric(float64(res.Total.People), "people")
				b.ReportMetric(float64(res.Total.Steps[3].People), "completed")
				b.ReportMetric(float64(res.Total.CrossDevice), "cross-device")
			})
			b.Run(fmt.Sprintf("kpis/%s/device=%v", label, by.Device), func(b *testing.B) {
				var res reports.KpiReport
				clock.measure(b, func() {
					var err error
					res, err = svc.Kpis(ctx, reports.KpiQuery{From: from, To: to.Add(-time.Hour), Breakdown: by})
					if err != nil {
						b.Fatal(err)
					}
				})
				b.ReportMetric(float64(res.Total.Visitors), "people")
				b.ReportMetric(float64(res.Total.Converters), "converters")
			})
		}
	}
}
