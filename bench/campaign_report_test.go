package bench

import (
	"fmt"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/internal/testdb"
	reports "github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// A year of campaign rollups for 3 campaigns of 2 variants: 150 units a
// variant a day drawn from 15,000 per variant (so reach over a range is
// far below the sum of daily reach), 438,000 unit rows, and the daily
// exposure rollup in 3 devices × 2 channels.
const (
	sqlSeedCampaigns = `INSERT INTO campaigns (id, key, name, created_at, created_by, updated_at, updated_by)
		SELECT gen_random_uuid(), 'camp-' || c, 'Campaign ' || c, now(), 'bench', now(), 'bench' FROM generate_series(1, 3) c`
	sqlSeedCampaignUnits = `INSERT INTO measurement_campaign_units (campaign, variant, day, unit, device, channel)
		SELECT 'camp-' || c, v, d::date, v || ((extract(doy FROM d)::int * 7919 + i * 31 + c) % 15000),
			(ARRAY['mobile', 'desktop', 'tablet'])[1 + i % 3], (ARRAY['web', 'app'])[1 + i % 2]
		FROM generate_series(1, 3) c, unnest(ARRAY['a', 'b']) v, generate_series(1, 150) i,
			generate_series('2025-12-01'::date, '2026-11-30'::date, interval '1 day') d
		ON CONFLICT DO NOTHING`
	sqlSeedCampaignDaily = `INSERT INTO measurement_campaign_daily (campaign, variant, device, channel, day, units, exposures)
		SELECT campaign, variant, device, channel, day, count(*), 2 * count(*)
		FROM measurement_campaign_units GROUP BY 1, 2, 3, 4, 5`

	// The reach query as it was before the fix (main 8b0cb06): an open
	// bound written "$2 IS NULL OR day >= $2", which a generic plan (pgx
	// prepares statements) cannot use as an index bound. Kept here only to
	// measure the fix against it on the same data in the same run.
	sqlCampaignReachBefore = `SELECT 'all', '', count(DISTINCT unit), 0::bigint FROM measurement_campaign_units
			WHERE campaign = $1 AND ($2::date IS NULL OR day >= $2) AND ($3::date IS NULL OR day <= $3)
		UNION ALL SELECT 'variant', variant, count(DISTINCT unit), 0 FROM measurement_campaign_units
			WHERE campaign = $1 AND ($2::date IS NULL OR day >= $2) AND ($3::date IS NULL OR day <= $3) GROUP BY variant
		UNION ALL SELECT 'device', device, count(DISTINCT unit), 0 FROM measurement_campaign_units
			WHERE campaign = $1 AND ($2::date IS NULL OR day >= $2) AND ($3::date IS NULL OR day <= $3) GROUP BY device
		UNION ALL SELECT 'channel', channel, count(DISTINCT unit), 0 FROM measurement_campaign_units
			WHERE campaign = $1 AND ($2::date IS NULL OR day >= $2) AND ($3::date IS NULL OR day <= $3) GROUP BY channel
		UNION ALL SELECT 'variant-x', variant, 0, sum(exposures)::bigint FROM measurement_campaign_daily
			WHERE campaign = $1 AND ($2::date IS NULL OR day >= $2) AND ($3::date IS NULL OR day <= $3) GROUP BY variant
		UNION ALL SELECT 'device-x', device, 0, sum(exposures)::bigint FROM measurement_campaign_daily
			WHERE campaign = $1 AND ($2::date IS NULL OR day >= $2) AND ($3::date IS NULL OR day <= $3) GROUP BY device
		UNION ALL SELECT 'channel-x', channel, 0, sum(exposures)::bigint FROM measurement_campaign_daily
			WHERE campaign = $1 AND ($2::date IS NULL OR day >= $2) AND ($3::date IS NULL OR day <= $3) GROUP BY channel`
)

// BenchmarkCampaignReport: one campaignReport's reach (no event) over a
// year of campaign rollups, through reports.Service as the resolver calls
// it; before/… runs the reach query as it was before the fix, with the
// same existence check, on the same data in the same process.
func BenchmarkCampaignReport(b *testing.B) {
	pool, _ := testdb.Schema(b)
	ctx := b.Context()
	start := time.Now()
	for _, q := range []string{sqlSeedCampaigns, sqlSeedCampaignUnits, sqlSeedCampaignDaily,
		`VACUUM ANALYZE measurement_campaign_units`, `VACUUM ANALYZE measurement_campaign_daily`} {
		if _, err := pool.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded a year of campaign rollups in %v", time.Since(start).Round(time.Millisecond))
	svc := &reports.Service{Store: postgres.NewReportStore(pool)}
	ranges := []struct {
		name string
		r    reports.Range
	}{
		{"year", reports.Range{}},
		{"month", reports.Range{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}},
		{"week", reports.Range{From: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}},
	}
	optDay := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t
	}
	for _, tc := range ranges {
		b.Run("after/"+tc.name, func(b *testing.B) {
			var reach int64
			for b.Loop() {
				res, err := svc.CampaignReport(ctx, "camp-2", tc.r, "", "")
				if err != nil {
					b.Fatal(err)
				}
				reach = res.Reach
			}
			b.ReportMetric(float64(reach), "reach")
		})
		b.Run("before/"+tc.name, func(b *testing.B) {
			var reach int64
			for b.Loop() {
				var n int
				if err := pool.QueryRow(ctx, `SELECT count(*) FROM campaigns WHERE key = $1`, "camp-2").Scan(&n); err != nil || n != 1 {
					b.Fatal(fmt.Sprint(n, err))
				}
				rows, err := pool.Query(ctx, sqlCampaignReachBefore, "camp-2", optDay(tc.r.From), optDay(tc.r.To))
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
					var kind, key string
					var units, exposures int64
					if err := rows.Scan(&kind, &key, &units, &exposures); err != nil {
						b.Fatal(err)
					}
					if kind == "all" {
						reach = units
					}
				}
				if err := rows.Err(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(reach), "reach")
		})
	}
}
