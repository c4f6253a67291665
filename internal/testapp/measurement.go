package testapp

import (
	"github.com/mosaichq/mosaic/internal/periodic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/capcount"
	"github.com/mosaichq/mosaic/measurement/eventlog"
	"github.com/mosaichq/mosaic/measurement/profile"
	"github.com/mosaichq/mosaic/measurement/recommend"
	"github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// Measure is the instance's client-event pipeline (Options.Measurement).
type Measure struct {
	Collector *measurement.Collector
	Log       *eventlog.Log
	Metrics   *measurement.Metrics
	// Recorder takes delivery's decision records (Entry.decisionId).
	Recorder *measurement.Recorder
	// People is the editors' view of people (visitorProfile, erasure).
	People *measurement.People
	// Reports is metrics and experiment results from the rollups.
	Reports *report.Service
	// Arms pins visitors' experiment arms to their person's first
	// (Options.ArmTTL, default measurement.DefaultArmTTL).
	Arms *measurement.ArmCache
	// Profiles is the visitors' behaviour for segment rules
	// (Options.ProfileTTL, default profile.DefaultTTL).
	Profiles *profile.Cache
	// Caps counts people's exposures to capped targets (Options.Caps
	// tunes it); CapMetrics are its counters.
	Caps       *capcount.Counter
	CapMetrics *capcount.Metrics
	// Recommend keeps recommendations in memory (measurement/recommend).
	Recommend *recommend.Engine
}

// newMeasurement builds the pipeline as internal/app does: an embedded
// NATS server in a temporary directory, its consumer writing to pool (the
// proxied one with DatabaseProxy, so an outage reaches it).
func newMeasurement(t testing.TB, pool *pgxpool.Pool, opts Options) *Measure {
	t.Helper()
	store := postgres.NewMeasurementStore(pool)
	store.SetUnits(store.IdentityUnits()) // rollups count people, as in internal/app
	// Recommendations are fed by the log's consumers, as in internal/app.
	rec := recommend.New(recommend.Config{Units: store.IdentityUnits(), Refresh: opts.RecommendRefresh})
	wait := rec.RebuildAsync(t.Context(), store)
	t.Cleanup(func() { _ = wait() })
	cfg := eventlog.Config{Dir: t.TempDir(), Store: recommend.Events{Store: store, Engine: rec},
		Decisions: recommend.Decisions{DecisionStore: store, Engine: rec}}
	if opts.EventLog != nil {
		opts.EventLog(&cfg)
	}
	m := &Measure{Metrics: measurement.NewMetrics(), Recommend: rec}
	cfg.Metrics = m.Metrics
	log, err := eventlog.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(log.Close)
	unshare, err := rec.Share(log) // as internal/app: through the log's NATS
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(unshare)
	if err := log.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	m.Log = log
	m.People = &measurement.People{Store: store}
	m.Reports = &report.Service{Store: postgres.NewReportStore(pool), Experiments: postgres.New(pool).Experience().ReportArms, Now: opts.Now}
	m.Arms = measurement.NewArmCache(measurement.ArmCacheConfig{Store: store, TTL: opts.ArmTTL})
	t.Cleanup(m.Arms.Close)
	m.Profiles = profile.NewCache(profile.Config{Store: store, TTL: opts.ProfileTTL})
	t.Cleanup(m.Profiles.Close)
	m.CapMetrics = capcount.NewMetrics()
	capCfg := capcount.Config{Store: store, Metrics: m.CapMetrics}
	if opts.Caps != nil {
		opts.Caps(&capCfg)
	}
	m.Caps = capcount.New(capCfg)
	t.Cleanup(m.Caps.Close)
	// No linger: tests take the log drained (Pending 0) as the records
	// landed, so a record must not wait in the Recorder for company.
	m.Recorder = measurement.NewRecorder(measurement.RecorderConfig{Log: log, Metrics: m.Metrics, Linger: time.Nanosecond})
	t.Cleanup(m.Recorder.Close)
	m.Collector = measurement.NewCollector(measurement.CollectorConfig{Log: log, Now: opts.Now, Metrics: m.Metrics,
		Observe: m.Profiles.Observe})
	// Views of cached copies settle as in internal/app.
	sweeper := &measurement.ViewSweeper{Store: store, Metrics: m.Metrics}
	t.Cleanup(periodic.Start(measurement.ViewSweepInterval, sweeper.Run))
	return m
}
