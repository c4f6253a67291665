package bench

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/internal/testdb"
	reports "github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/personalization"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// A year of daily rollups for 20 experiments of 2 arms, in every cell of
// 3 devices × 2 channels × 2 locales, and one event in each of the 4
// windows: 175,200 exposure rows and 700,800 metric rows. Sums are
// consistent (converters ≤ units, Σx² ≥ (Σx)²/n) so stats accepts them.
const (
	sqlSeedExposureYear = `INSERT INTO measurement_exposure_daily (experiment, arm, device, channel, locale, day, units, multi_arm)
		SELECT 'exp-' || e, arm, device, channel, locale, d::date, 40 + (e + extract(doy FROM d)::int) % 20, 1
		FROM generate_series(1, 20) e, unnest(ARRAY['a', 'b']) arm, unnest(ARRAY['mobile', 'desktop', 'tablet']) device,
			unnest(ARRAY['web', 'app']) channel, unnest(ARRAY['en', 'ro']) locale,
			generate_series('2025-12-01'::date, '2026-11-30'::date, interval '1 day') d`
	sqlSeedMetricYear = `INSERT INTO measurement_metric_daily (experiment, arm, event, window_hours, device, channel, locale, day,
			converters, count, count_sq, sum, sum_sq)
		SELECT experiment, arm, 'purchase', w, device, channel, locale, day,
			units / 10 + (arm = 'b')::int, units / 10 + 1, units / 10 + 3, (units / 10 + 1) * 30.5, (units / 10 + 1) * 1900.0
		FROM measurement_exposure_daily, unnest(ARRAY[24, 72, 168, 720]) w`
)

// BenchmarkExperimentResults: one experimentResults (the rollup read and
// stats.Analyze) over a year of daily rollups, through reports.Service on
// a real PostgreSQL, as the resolver calls it.
func BenchmarkExperimentResults(b *testing.B) {
	pool, _ := testdb.Schema(b)
	ctx := b.Context()
	start := time.Now()
	for _, q := range []string{sqlSeedExposureYear, sqlSeedMetricYear, `ANALYZE measurement_exposure_daily`, `ANALYZE measurement_metric_daily`} {
		if _, err := pool.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	st := postgres.New(pool)
	for e := 1; e <= 20; e++ {
		if _, err := st.Experience().CreateExperiment(ctx, experience.Experiment{Key: fmt.Sprint("exp-", e), Name: "x",
			Arms: []personalization.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}}}); err != nil {
			b.Fatal(err)
		}
	}
	svc := &reports.Service{Store: postgres.NewReportStore(pool), Experiments: st.Experience().ReportArms}
	for _, in := range []reports.MetricInput{{Key: "buyers", Name: "B", Kind: "CONVERSION", Event: "purchase"},
		{Key: "revenue", Name: "R", Kind: "REVENUE", Event: "purchase", Window: "30d"}} {
		if _, err := svc.CreateMetric(ctx, in, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded a year of rollups in %v", time.Since(start).Round(time.Millisecond))
	november := reports.Range{From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}
	week := reports.Range{From: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}
	type query struct {
		name string
		q    reports.ResultsQuery
	}
	run := func(prefix string, qs []query) {
		for _, tc := range qs {
			b.Run(prefix+tc.name, func(b *testing.B) {
				var visitors int64
				var took []time.Duration
				for b.Loop() {
					t0 := time.Now()
					res, err := svc.ExperimentResults(ctx, tc.q)
					if err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(t0))
					visitors = res.Visitors
				}
				b.ReportMetric(float64(visitors), "visitors")
				// The targets are a p50 and a p99, not a mean.
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(took[min(len(took)-1, len(took)*99/100)].Microseconds())/1000, "p99-ms")
			})
		}
	}
	ranges := []query{
		{"year/conversion", reports.ResultsQuery{Experiment: "exp-7", Metric: "buyers"}},
		{"month/conversion", reports.ResultsQuery{Experiment: "exp-7", Metric: "buyers", Range: november}},
		{"week/conversion", reports.ResultsQuery{Experiment: "exp-7", Metric: "buyers", Range: week}},
	}
	run("", append(ranges, []query{
		{"year/revenue", reports.ResultsQuery{Experiment: "exp-7", Metric: "revenue"}},
		// What the studio's experiment page asks: the per-day series and a
		// breakdown by device, three more rollup reads.
		{"month/conversion+daily+device", reports.ResultsQuery{Experiment: "exp-7", Metric: "buyers", Range: november,
			Daily: true, Breakdown: []reports.Dimension{reports.Device}}},
		{"year/conversion+daily+device", reports.ResultsQuery{Experiment: "exp-7", Metric: "buyers",
			Daily: true, Breakdown: []reports.Dimension{reports.Device}}},
	}...))
	// The same ranges without migration 000017's range indexes, on the same
	// data in the same process: what a short range cost before them.
	for _, q := range []string{`DROP INDEX measurement_exposure_daily_range`, `DROP INDEX measurement_metric_daily_range`} {
		if _, err := pool.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	run("no-range-index/", ranges)
}
