package app

import (
	"context"
	"github.com/mosaichq/mosaic/internal/periodic"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/capcount"
	"github.com/mosaichq/mosaic/measurement/eventlog"
	"github.com/mosaichq/mosaic/measurement/identity"
	"github.com/mosaichq/mosaic/measurement/profile"
	"github.com/mosaichq/mosaic/measurement/recommend"
	"github.com/mosaichq/mosaic/measurement/report"
	"github.com/mosaichq/mosaic/server"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// measure is the client-event pipeline: POST /collect's collector, the
// durable log it appends to, and that log's consumer writing PostgreSQL.
type measure struct {
	Collector *measurement.Collector
	Log       *eventlog.Log
	// Recorder buffers delivery's decision records for the log.
	Recorder *measurement.Recorder
	// People is the editors' view of people (profiles, erasure).
	People *measurement.People
	// Reports is metrics and experiment results from the rollups.
	Reports *report.Service
	// Arms pins visitors' experiment arms to their person's first.
	Arms *measurement.ArmCache
	// Profiles is the visitors' behaviour for segment rules.
	Profiles *profile.Cache
	// Caps counts people's exposures to capped targets in memory.
	Caps       *capcount.Counter
	capMetrics *capcount.Metrics
	// Recommend keeps recommendations in memory, fed by the log's
	// consumers (recommend.go).
	Recommend *recommend.Engine
	metrics   *measurement.Metrics
}

// openMeasurement opens the event log (an embedded NATS server in
// <data-dir>/nats, or MOSAIC_NATS_URL) and starts its consumer. Close
// stops the consumer before the pool closes: it was opened after it.
func (a *App) openMeasurement(ctx context.Context) error {
	cfg := a.Config.Measurement
	m := &a.Measure
	m.metrics = measurement.NewMetrics()
	store := postgres.NewMeasurementStore(a.Pool)
	store.SetIdentityLimits(identity.Limits{MaxVisitors: cfg.IdentityMaxVisitors, Window: cfg.IdentityWindow})
	store.SetUnits(store.IdentityUnits()) // rollups count people, not devices
	store.SetMetrics(m.metrics)
	m.People = &measurement.People{Store: store}
	m.Reports = &report.Service{Store: postgres.NewReportStore(a.Pool).WithReads(a.reads), Experiments: postgres.New(a.Pool).WithReads(a.reads).Experience().ReportArms}
	m.Arms = measurement.NewArmCache(measurement.ArmCacheConfig{Store: store, Log: a.Log.With("component", "arms"), Metrics: m.metrics})
	a.closers = append(a.closers, m.Arms.Close)
	m.Profiles = profile.NewCache(profile.Config{Store: store, Log: a.Log.With("component", "profiles")})
	a.closers = append(a.closers, m.Profiles.Close)
	m.capMetrics = capcount.NewMetrics()
	m.Caps = capcount.New(capcount.Config{Store: store, Log: a.Log.With("component", "caps"), Metrics: m.capMetrics})
	a.closers = append(a.closers, m.Caps.Close)
	// Today's and tomorrow's partitions ahead, so the first events of a
	// day rarely wait for DDL; later days are made as events come.
	today := measurement.Event{Time: time.Now().UTC()}.Day()
	if err := store.EnsurePartitions(ctx, map[time.Time]bool{today: true, today.AddDate(0, 0, 1): true}); err != nil {
		return err
	}
	events, decisions := a.openRecommend(ctx, store)
	log, err := eventlog.Open(ctx, eventlog.Config{URL: cfg.NATSURL, Dir: filepath.Join(a.Config.DataDir, "nats"),
		MaxBytes: cfg.BufferBytes, DupWindow: cfg.DedupeWindow, Replicas: a.Config.NATSReplicas, Store: events, Decisions: decisions, Metrics: m.metrics,
		Log: a.Log.With("component", "measurement")})
	if err != nil {
		return err
	}
	a.closers = append(a.closers, log.Close)
	// Every replica's engine counts what any replica's consumer commits.
	// An embedded log listens to no one (no other replica): its engine
	// counts its own commits directly, without publishing each batch to
	// itself and decoding it again.
	if cfg.NATSURL != "" {
		unshare, err := m.Recommend.Share(log)
		if err != nil {
			return err
		}
		a.closers = append(a.closers, unshare)
	}
	if err := log.Start(ctx); err != nil {
		return err
	}
	m.Log = log
	if cfg.RetentionDays > 0 || cfg.RollupRetentionDays > 0 {
		retain := func(ctx context.Context) { a.retainMeasurement(ctx, store) }
		retain(ctx)
		a.closers = append(a.closers, periodic.Start(time.Hour, retain))
	}
	// Views of cached copies become their viewers' records once the
	// records they name are there (measurement/views.go), on every
	// replica.
	sweeper := &measurement.ViewSweeper{Store: store, Metrics: m.metrics, Logger: a.Log.With("component", "views")}
	a.closers = append(a.closers, periodic.Start(measurement.ViewSweepInterval, sweeper.Run))
	// Scheduled reports (report.daily, experiment.sample_reached): every
	// replica runs the rounds, the database claim makes each announcement
	// once (report.Announcer), and webhooks deliver them from the log.
	announcer := &report.Announcer{Reports: m.Reports, Store: postgres.NewReportStore(a.Pool), Log: a.Log.With("component", "reports")}
	a.closers = append(a.closers, periodic.Start(cfg.ReportInterval, func(ctx context.Context) { _ = announcer.Run(ctx) }))
	// Closed before the log (closers run in reverse): what it buffered is
	// appended first.
	// MOSAIC_DECISION_RECORDS=off: no Recorder, so delivery and bundles
	// record nothing and answer decisionId null.
	if cfg.DecisionRecords {
		m.Recorder = measurement.NewRecorder(measurement.RecorderConfig{Log: log, Metrics: m.metrics,
			Logger: a.Log.With("component", "decisions")})
		if a.Bundles != nil {
			a.Bundles.Decisions = m.Recorder
		}
		a.closers = append(a.closers, m.Recorder.Close)
	}
	m.Collector = measurement.NewCollector(measurement.CollectorConfig{Log: log,
		Limits: measurement.Limits{MaxAge: cfg.MaxAge}, Metrics: m.metrics, Observe: m.Profiles.Observe})
	return nil
}

// measurementDeps gives the HTTP surface /collect, the pipeline's metrics
// and the log's readiness.
func (a *App) measurementDeps(d *server.Deps) {
	m := a.Measure
	if m.Log == nil {
		return
	}
	d.Collect = m.Collector
	if m.Recorder != nil { // a nil *Recorder in the interface would not read as none
		d.Resolver.Decisions = m.Recorder
		d.Resolver.RecordEveryServe = a.Config.Measurement.RecordEveryServe
	}
	d.Resolver.People = m.People
	d.Resolver.Reports = m.Reports
	d.Resolver.Arms = m.Arms
	d.Resolver.Profiles = m.Profiles
	d.Resolver.Caps = m.Caps
	d.Resolver.CapReports = &capcount.Reports{Store: postgres.NewMeasurementStore(a.Pool)}
	if m.Recommend != nil {
		d.Resolver.Recommender = m.Recommend
	}
	d.Collectors = append(append([]prometheus.Collector{}, m.metrics.Collectors()...), m.Log.Collector())
	d.Collectors = append(d.Collectors, m.capMetrics.Collectors()...)
	d.Ready["events"] = m.Log.Ready
}

// retainMeasurement applies the retention settings once (hourly): day
// partitions of events and records past MOSAIC_EVENTS_RETENTION_DAYS are
// dropped and per-person rollup rows deleted with them (kept at least the
// acceptance window plus the longest conversion window, which a late
// conversion still counts in); daily aggregates past
// MOSAIC_ROLLUP_RETENTION_DAYS are deleted.
func (a *App) retainMeasurement(ctx context.Context, store *postgres.MeasurementStore) {
	cfg := a.Config.Measurement
	today := measurement.Event{Time: time.Now().UTC()}.Day()
	var units, aggregates time.Time
	if days := cfg.RetentionDays; days > 0 {
		cutoff := today.AddDate(0, 0, -days)
		dropped, err := store.DropPartitionsBefore(ctx, cutoff)
		if err != nil {
			a.Log.WarnContext(ctx, "measurement retention: dropping old day partitions", "error", err)
		} else if len(dropped) > 0 {
			a.Log.InfoContext(ctx, "measurement retention: dropped day partitions", "partitions", dropped)
		}
		units = cutoff
		if floor := today.Add(-cfg.MaxAge - measurement.MaxWindow()); floor.Before(units) {
			units = floor
		}
	}
	if days := cfg.RollupRetentionDays; days > 0 {
		aggregates = today.AddDate(0, 0, -days)
	}
	if units.IsZero() && aggregates.IsZero() {
		return
	}
	// Without events retention, per-person rows are kept (a zero cutoff
	// matches nothing).
	n, err := store.ExpireRollups(ctx, units, aggregates)
	if err != nil {
		a.Log.WarnContext(ctx, "measurement retention: expiring rollups", "error", err)
	} else if n > 0 {
		a.Log.InfoContext(ctx, "measurement retention: expired rollup rows", "rows", n)
	}
}
