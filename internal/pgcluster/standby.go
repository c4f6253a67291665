package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
)

// StandbyOptions configure StartStandby.
type StandbyOptions struct {
	// PrimaryURL is a superuser URL of the primary to copy and follow; it
	// must accept replication connections from 127.0.0.1 (a cluster started
	// by Start does: initdb's pg_hba.conf trusts them).
	PrimaryURL string
	// BinDir overrides discovery of the PostgreSQL binaries.
	BinDir string
	// Logger receives a line per lifecycle step; nil discards them.
	Logger *slog.Logger
}

// hotStandbyLimits are the settings a hot standby refuses to start with
// when they are lower than the primary's: they are copied from the
// primary, which may have been started with -c (not in the copied
// postgresql.conf).
var hotStandbyLimits = []string{"max_connections", "max_worker_processes", "max_wal_senders",
	"max_prepared_transactions", "max_locks_per_transaction"}

// StartStandby makes a streaming-replication hot standby of a running
// primary in a fresh temporary directory: pg_basebackup -R (which writes
// standby.signal and primary_conninfo) through a replication slot of its
// own, so that the primary keeps the WAL the standby has not received
// while it is halted, then starts it on a free loopback port. Stop stops
// it, removes its directory and drops the slot on the primary.
//
// Meant for tests of read replicas: Halt and Resume stop and start it again
// in place, and it trades durability for speed as an Ephemeral cluster does.
func StartStandby(ctx context.Context, opts StandbyOptions) (_ *Cluster, err error) {
	begin := time.Now()
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	bins, err := findBinaries(opts.BinDir)
	if err != nil {
		return nil, err
	}
	basebackup := filepath.Join(bins.dir, "pg_basebackup")
	user, err := currentRunAs()
	if err != nil {
		return nil, err
	}
	settings, err := primarySettings(ctx, opts.PrimaryURL)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "mosaic-pg-standby-")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary data directory: %w", err)
	}
	c := &Cluster{bins: bins, user: user, log: log, dataDir: filepath.Join(dir, "data"), removeDir: dir,
		primaryURL: opts.PrimaryURL, slot: fmt.Sprintf("mosaic_standby_%08x", rand.Uint32())}
	defer func() {
		if err != nil {
			_ = c.Stop(context.WithoutCancel(ctx))
		}
	}()
	if err := user.chown(dir); err != nil {
		return nil, err
	}
	// The slot reserves WAL before the copy starts: -C would make it only
	// once the copy has begun, and on a busy primary (the whole test suite
	// writing) a checkpoint in between removes a segment the stream still
	// needs ("requested WAL segment … has already been removed"). -X stream
	// then copies the WAL written during the copy through that slot.
	if err := reserveSlot(ctx, opts.PrimaryURL, c.slot); err != nil {
		c.slot = ""
		return nil, err
	}
	if out, err := c.run(ctx, basebackup, "-D", c.dataDir, "-d", opts.PrimaryURL, "-R", "-X", "stream",
		"-c", "fast", "-S", c.slot, "--no-sync"); err != nil {
		return nil, fmt.Errorf("pg_basebackup from %s: %w\n%s", redact(opts.PrimaryURL), err, out)
	}
	c.opts = Options{Ephemeral: true, Settings: settings}
	if err := c.startServer(ctx, c.opts); err != nil {
		return nil, err
	}
	log.InfoContext(ctx, "PostgreSQL standby started", "dir", c.dataDir, "port", c.port, "slot", c.slot,
		"took", time.Since(begin).Round(time.Millisecond))
	return c, nil
}

// primarySettings reads the primary's hotStandbyLimits.
func primarySettings(ctx context.Context, url string) (map[string]string, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("connecting to the primary: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	out := make(map[string]string, len(hotStandbyLimits))
	for _, name := range hotStandbyLimits {
		var v string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&v); err != nil {
			return nil, fmt.Errorf("reading the primary's %s: %w", name, err)
		}
		out[name] = v
	}
	return out, nil
}

// reserveSlot makes the physical replication slot a standby streams
// through, reserving WAL from now on.
func reserveSlot(ctx context.Context, url, slot string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connecting to the primary: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "SELECT pg_create_physical_replication_slot($1, true)", slot); err != nil {
		return fmt.Errorf("making replication slot %s: %w", slot, err)
	}
	return nil
}

// Halt stops the server (fast shutdown) and keeps its files, so that Resume
// can start it again where it was: a standby resumes streaming from its
// slot. Only for clusters made by StartStandby or Start with Ephemeral.
func (c *Cluster) Halt(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || c.removeDir == "" {
		return errors.New("pgcluster: Halt is only for a running throwaway cluster")
	}
	return c.stopServer(ctx)
}

// Resume starts a halted cluster again on the same port.
func (c *Cluster) Resume(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || c.removeDir == "" {
		return errors.New("pgcluster: Resume is only for a halted throwaway cluster")
	}
	if state, _ := inspect(c.dataDir); state == stateRunning {
		return nil
	}
	_ = removeStalePIDFile(c.dataDir)
	opts := c.opts
	opts.Port = c.port
	return c.startServer(ctx, opts)
}

// dropSlot drops the standby's replication slot on the primary, which
// would otherwise keep WAL for it forever. The standby must be stopped:
// an active slot cannot be dropped.
func (c *Cluster) dropSlot(ctx context.Context) error {
	if c.slot == "" || c.primaryURL == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.primaryURL)
	if err != nil {
		return fmt.Errorf("connecting to the primary to drop slot %s: %w", c.slot, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", c.slot)
	if err != nil {
		return fmt.Errorf("dropping replication slot %s: %w", c.slot, err)
	}
	return nil
}

// redact hides a password in a URL for error messages.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "the primary"
}
