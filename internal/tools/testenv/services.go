package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/mosaichq/mosaic/internal/pgcluster"
)

// service is something the environment runs for the command's lifetime
// and tells the command about through environment variables: PostgreSQL,
// and an S3-compatible server for the storage tests (s3.go).
type service interface {
	name() string
	// start brings the service up and returns the variables (KEY=value)
	// through which the command reaches it.
	start(ctx context.Context, log *slog.Logger) ([]string, error)
	// stop shuts the service down and removes its files. It is called for
	// every service whose start was called, even if start failed.
	stop(ctx context.Context) error
}

type environment struct {
	log      *slog.Logger
	services []service
	started  []service
}

func newEnvironment(log *slog.Logger) *environment {
	return &environment{log: log, services: []service{&postgres{}, &s3server{}, natsServer{}}}
}

func (e *environment) start(ctx context.Context) ([]string, error) {
	var vars []string
	for _, s := range e.services {
		e.started = append(e.started, s)
		v, err := s.start(ctx, e.log.With("service", s.name()))
		if err != nil {
			return nil, fmt.Errorf("starting %s: %w", s.name(), err)
		}
		vars = append(vars, v...)
	}
	return vars, nil
}

// stop stops the started services, last started first.
func (e *environment) stop(ctx context.Context) error {
	var errs []error
	for _, s := range slices.Backward(e.started) {
		if err := s.stop(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.name(), err))
		}
	}
	e.started = nil
	return errors.Join(errs...)
}

// testDatabase is the database the tests get; internal/testdb makes a
// schema per test (or per process) inside it.
const testDatabase = "mosaic_test"

// postgres is an ephemeral PostgreSQL cluster in a temporary directory.
type postgres struct {
	cluster *pgcluster.Cluster
}

func (*postgres) name() string { return "postgres" }

func (p *postgres) start(ctx context.Context, log *slog.Logger) ([]string, error) {
	c, err := pgcluster.Start(ctx, pgcluster.Options{
		Ephemeral: true,
		// Parallel test packages each open pools; the default 100 is tight.
		// Read-replica tests make hot standbys of this cluster
		// (testdb.NewStandby: pg_basebackup, a slot and a WAL sender each),
		// several at once in parallel tests: the defaults of 10 are tight.
		Settings: map[string]string{"max_connections": "300", "max_wal_senders": "40", "max_replication_slots": "40"},
		Logger:   log,
	})
	if err != nil {
		return nil, err
	}
	p.cluster = c
	if err := c.CreateDatabase(ctx, testDatabase); err != nil {
		return nil, err
	}
	url := c.URL(testDatabase)
	log.InfoContext(ctx, "test database ready", "TEST_DATABASE_URL", url)
	return []string{"TEST_DATABASE_URL=" + url}, nil
}

func (p *postgres) stop(ctx context.Context) error {
	if p.cluster == nil {
		return nil
	}
	return p.cluster.Stop(ctx)
}
