package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mosaichq/mosaic/errs"
)

// ReadConfig configures the streaming-replication standbys published
// reads, reports and search rebuilds go to.
type ReadConfig struct {
	// URLs of hot standbys of the primary (MOSAIC_DATABASE_READ_URLS).
	URLs []string
	// MaxLag is how far behind the primary a standby may be and still
	// serve reads: how long ago the primary wrote the oldest WAL the
	// standby has not replayed. Zero means DefaultMaxLag.
	MaxLag time.Duration
	// CheckEvery is how often each standby's replay position is read.
	// Zero means MaxLag/4, between 50ms and 1s.
	CheckEvery time.Duration
	Logger     *slog.Logger
}

// DefaultMaxLag is ReadConfig.MaxLag's default.
const DefaultMaxLag = 2 * time.Second

const (
	// sqlPrimaryLSN is where the primary's WAL ends: everything committed
	// so far lies before it. The insert position, not the write position
	// (pg_current_wal_lsn): with synchronous_commit off a commit returns
	// before its record is written out, and must still count.
	sqlPrimaryLSN = `SELECT pg_current_wal_insert_lsn()::text`
	// sqlStandbyState: a server that is not in recovery was promoted (or
	// was never a standby) and may have diverged: it is never read from.
	sqlStandbyState = `SELECT pg_is_in_recovery(), COALESCE(pg_last_wal_replay_lsn(), '0/0'::pg_lsn)::text`
	// checkTimeout bounds one health check of one server.
	checkTimeout = 2 * time.Second
)

// Reads routes reads between the primary and its standbys. A standby
// serves a read only when it is usable (answering, in recovery, within
// MaxLag) and has replayed at least the read's floor: the primary's
// position when the last change notification arrived (so a cache refilled
// after a notification never refills from before the change) and, for a
// request that wrote or comes after its editor's write, the position after
// that write (read-your-writes, session.go). Everything else reads from
// the primary, as do writes and all reads that are not routed here.
//
// A process holds its routed reads on the primary (Hold) until its change
// feed listens (Release): it would not hear of a change a standby has not
// replayed yet.
//
// A nil *Reads, or one without standbys, reads everything from the
// primary.
type Reads struct {
	primary  *pgxpool.Pool
	standbys []*standby
	cfg      ReadConfig
	log      *slog.Logger

	floor atomic.Uint64 // LSN every routed read must see
	next  atomic.Uint64 // round robin over standbys

	mu      sync.Mutex
	samples []lsnSample // the primary's recent positions, oldest first

	primaryReads atomic.Uint64
	fallbacks    atomic.Uint64 // standby reads that failed and ran on the primary

	held     atomic.Bool // every routed read on the primary (Hold)
	started  atomic.Bool
	wake     chan struct{}
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

type lsnSample struct {
	at  time.Time
	lsn LSN
}

type standby struct {
	name     string // host:port, never the password
	pool     *pgxpool.Pool
	usable   atomic.Bool
	replayed atomic.Uint64
	lag      atomic.Int64 // nanoseconds
	reads    atomic.Uint64
	why      atomic.Value // string: why it is not usable, for logs on change
}

// StandbyStats is one standby's state, for metrics.
type StandbyStats struct {
	Name   string
	Usable bool
	Lag    time.Duration
	Reads  uint64
}

// OpenReads opens a pool per standby (connections are made lazily: a
// standby that is down at start is skipped until it answers) and checks
// them once. Start begins the periodic checks; Stop ends them and closes
// the standby pools.
func OpenReads(ctx context.Context, primary *pgxpool.Pool, cfg ReadConfig) (*Reads, error) {
	if cfg.MaxLag <= 0 {
		cfg.MaxLag = DefaultMaxLag
	}
	if cfg.CheckEvery <= 0 {
		cfg.CheckEvery = min(max(cfg.MaxLag/4, 50*time.Millisecond), time.Second)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Reads{primary: primary, cfg: cfg, log: log.With("component", "reads"),
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	for _, raw := range cfg.URLs {
		pc, err := pgxpool.ParseConfig(raw)
		if err != nil {
			r.closePools()
			return nil, fmt.Errorf("database read URL %q: %w", redactURL(raw), err)
		}
		// A standby that went away must not hold a read for long: the
		// read is retried on the primary when connecting fails.
		pc.ConnConfig.ConnectTimeout = checkTimeout
		if pc.ConnConfig.RuntimeParams["application_name"] == "" {
			pc.ConnConfig.RuntimeParams["application_name"] = "mosaic-read"
		}
		pool, err := pgxpool.NewWithConfig(ctx, pc)
		if err != nil {
			r.closePools()
			return nil, fmt.Errorf("database read URL %q: %w", redactURL(raw), err)
		}
		sb := &standby{name: fmt.Sprintf("%s:%d", pc.ConnConfig.Host, pc.ConnConfig.Port), pool: pool}
		sb.why.Store("not checked yet")
		r.standbys = append(r.standbys, sb)
	}
	r.check(ctx)
	return r, nil
}

// Start begins checking the standbys every CheckEvery.
func (r *Reads) Start() {
	if r == nil || len(r.standbys) == 0 || r.started.Swap(true) {
		return
	}
	go r.loop()
}

// Stop ends the checks and closes the standby pools. Safe twice.
func (r *Reads) Stop() {
	if r == nil {
		return
	}
	r.stopOnce.Do(func() {
		close(r.stop)
		if r.started.Load() {
			<-r.done
		}
		r.closePools()
	})
}

func (r *Reads) closePools() {
	for _, sb := range r.standbys {
		sb.pool.Close()
	}
}

func (r *Reads) loop() {
	defer close(r.done)
	t := time.NewTicker(r.cfg.CheckEvery)
	defer t.Stop()
	// After a change the standbys usually replay it within milliseconds:
	// look again soon rather than leave every read on the primary until
	// the next tick.
	var soon <-chan time.Time
	tries := 0
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
		case <-r.wake:
			tries = 0
		case <-soon:
		}
		soon = nil
		ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
		r.check(ctx)
		cancel()
		if tries < catchUpTries && r.behindFloor() {
			tries++
			soon = time.After(catchUpEvery)
		}
	}
}

const (
	catchUpEvery = 5 * time.Millisecond
	catchUpTries = 40
)

// behindFloor reports whether a usable standby has not replayed the floor.
func (r *Reads) behindFloor() bool {
	floor := r.floor.Load()
	for _, sb := range r.standbys {
		if sb.usable.Load() && sb.replayed.Load() < floor {
			return true
		}
	}
	return false
}

// Advance raises the floor of every routed read to the primary's current
// position. The change feed calls it for each notification before caches
// are dropped: whatever refills them reads the change or comes from the
// primary.
func (r *Reads) Advance(ctx context.Context) {
	if r == nil || len(r.standbys) == 0 {
		return
	}
	lsn, err := primaryLSN(ctx, r.primary)
	if err != nil {
		// Unknown: no standby may serve until one is known to be current.
		lsn = LSN(1<<64 - 1)
		r.log.WarnContext(ctx, "reading the primary's WAL position after a change; standbys skipped until the next check", "error", err)
	}
	raise(&r.floor, lsn)
	select { // look at the standbys now rather than at the next tick
	case r.wake <- struct{}{}:
	default:
	}
}

// Hold sends every routed read to the primary until Release: for a
// process whose change feed does not listen yet, which would not hear of a
// change a standby has not replayed.
func (r *Reads) Hold() {
	if r != nil {
		r.held.Store(true)
	}
}

// Release ends Hold once the change feed listens: the floor is raised to
// the primary's position now, so every change committed before the feed
// listened is seen, and every later one is notified (Advance).
func (r *Reads) Release(ctx context.Context) {
	if r != nil {
		r.Advance(ctx)
		r.held.Store(false)
	}
}

// raise sets a to v if v is greater.
func raise(a *atomic.Uint64, v LSN) {
	for {
		cur := a.Load()
		if uint64(v) <= cur || a.CompareAndSwap(cur, uint64(v)) {
			return
		}
	}
}

// check samples the primary's position, then each standby's.
func (r *Reads) check(ctx context.Context) {
	if len(r.standbys) == 0 {
		return
	}
	now := time.Now()
	cur, err := primaryLSN(ctx, r.primary)
	if err == nil {
		r.mu.Lock()
		r.samples = append(r.samples, lsnSample{now, cur})
		// Keep what measuring MaxLag needs, and a little more.
		keep := 0
		for keep < len(r.samples)-1 && now.Sub(r.samples[keep].at) > 4*r.cfg.MaxLag {
			keep++
		}
		r.samples = r.samples[keep:]
		r.mu.Unlock()
		if r.floor.Load() == 1<<64-1 { // Advance could not read it: now we know
			r.floor.Store(uint64(cur))
		}
	}
	var wg sync.WaitGroup
	for _, sb := range r.standbys {
		wg.Go(func() { r.checkStandby(ctx, sb, now) })
	}
	wg.Wait()
}

func (r *Reads) checkStandby(ctx context.Context, sb *standby, now time.Time) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	var inRecovery bool
	var text string
	err := sb.pool.QueryRow(ctx, sqlStandbyState).Scan(&inRecovery, &text)
	var replayed LSN
	if err == nil {
		replayed, err = ParseLSN(text)
	}
	switch {
	case err != nil:
		r.setUsable(sb, false, "not answering: "+err.Error())
	case !inRecovery:
		r.setUsable(sb, false, "not in recovery: promoted, or not a standby of this primary")
	default:
		raise(&sb.replayed, replayed)
		lag := r.lagOf(replayed, now)
		sb.lag.Store(int64(lag))
		if lag > r.cfg.MaxLag {
			r.setUsable(sb, false, fmt.Sprintf("behind the primary by %s (more than %s)", lag.Round(time.Millisecond), r.cfg.MaxLag))
		} else {
			r.setUsable(sb, true, "")
		}
	}
}

// lagOf is how long ago the primary wrote the oldest WAL a standby that
// replayed up to lsn lacks: zero when it has everything sampled, and at
// least as old as the oldest sample when it lacks even that.
func (r *Reads) lagOf(lsn LSN, now time.Time) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.samples {
		if s.lsn > lsn {
			return now.Sub(s.at)
		}
	}
	return 0
}

func (r *Reads) setUsable(sb *standby, ok bool, why string) {
	was := sb.usable.Swap(ok)
	old, _ := sb.why.Swap(why).(string)
	switch {
	case ok && !was:
		r.log.Info("standby serving reads", "standby", sb.name)
	case !ok && (was || old == "not checked yet"):
		r.log.Warn("standby skipped", "standby", sb.name, "reason", why)
	}
}

// pick returns the standby that serves a read needing floor, or nil for
// the primary.
func (r *Reads) pick(floor LSN) *standby {
	n := len(r.standbys)
	start := int(r.next.Add(1))
	for i := range n {
		sb := r.standbys[(start+i)%n]
		if sb.usable.Load() && LSN(sb.replayed.Load()) >= floor {
			return sb
		}
	}
	return nil
}

// standbyFault reports whether err is the standby's own trouble, worth
// retrying on the primary: not the caller giving up, not an answer (no
// rows, a domain error) and not an error in the query itself.
func standbyFault(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, pgx.ErrNoRows) {
		return false
	}
	if _, ok := errs.As(err); ok {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && len(pe.Code) == 5 {
		switch pe.Code[:2] {
		case "08", "25", "40", "53", "57", "58", "XX": // connection, read-only, recovery conflict, resources, shutdown, system
			return true
		}
		return false
	}
	return true // connecting failed, the connection broke
}

// Stats reports each standby's state and the reads served, for metrics.
func (r *Reads) Stats() (standbys []StandbyStats, primaryReads, fallbacks uint64) {
	if r == nil {
		return nil, 0, 0
	}
	for _, sb := range r.standbys {
		standbys = append(standbys, StandbyStats{Name: sb.name, Usable: sb.usable.Load(),
			Lag: time.Duration(sb.lag.Load()), Reads: sb.reads.Load()})
	}
	return standbys, r.primaryReads.Load(), r.fallbacks.Load()
}

func primaryLSN(ctx context.Context, pool *pgxpool.Pool) (LSN, error) {
	var text string
	if err := pool.QueryRow(ctx, sqlPrimaryLSN).Scan(&text); err != nil {
		return 0, fmt.Errorf("reading the primary's WAL position: %w", err)
	}
	return ParseLSN(text)
}

// redactURL hides a password for error messages.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "(unparsable)"
}
