package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/measurement/identity"
	"github.com/mosaichq/mosaic/storage/postgres"
)

var t0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

type identityBundle struct {
	pool *pgxpool.Pool
	s    *postgres.MeasurementStore
	n    int
}

func setupIdentity(t *testing.T) *identityBundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	return &identityBundle{pool: pool, s: postgres.NewMeasurementStore(pool)}
}

func (b *identityBundle) event(typ measurement.Type, visitor, user string, at time.Time) measurement.Event {
	b.n++
	return measurement.Event{ID: fmt.Sprint("e", b.n), Type: typ, VisitorID: visitor, UserID: user, Time: at, ReceivedAt: at}
}

func (b *identityBundle) write(t *testing.T, events ...measurement.Event) {
	t.Helper()
	_, err := b.s.WriteEvents(t.Context(), events)
	require.NoError(t, err)
}

func (b *identityBundle) decide(t *testing.T, visitor string, at time.Time, exp, arm string) string {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	_, err := b.s.WriteDecisions(t.Context(), []measurement.Decision{{ID: id, Time: at, VisitorID: visitor, Consent: true,
		Purposes: measurement.Purposes(), EntryID: "e1", EntrySlug: "home", EntryVersion: 1,
		Blocks: []measurement.BlockDecision{{BlockID: "b1", Variant: arm, Experiment: exp, Arm: arm, Reason: measurement.ReasonExperiment}}}})
	require.NoError(t, err)
	return id
}

func (b *identityBundle) cluster(t *testing.T, visitor string) string {
	t.Helper()
	c, err := b.s.ClusterOf(t.Context(), visitor)
	require.NoError(t, err)
	return c
}

func (b *identityBundle) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, b.pool.QueryRow(t.Context(), q, args...).Scan(&n))
	return n
}

// Identify events link visitor ids into one cluster per user id, in the
// consumer's write: the merge protections refuse (and record) what must
// not link, and a redelivered batch links nothing twice.
func TestIdentityLinksAndProtects(t *testing.T) {
	t.Parallel()
	b := setupIdentity(t)
	b.s.SetIdentityLimits(identity.Limits{MaxVisitors: 3, Window: time.Hour})
	metrics := measurement.NewMetrics()
	b.s.SetMetrics(metrics)
	outcomes := func(outcome, code string) int {
		var m dto.Metric
		require.NoError(t, metrics.Identities.WithLabelValues(outcome, code).Write(&m))
		return int(m.GetCounter().GetValue())
	}
	batch := []measurement.Event{
		b.event(measurement.TypeIdentify, "phone", "alice", t0),
		b.event(measurement.TypeIdentify, "laptop", "alice", t0.Add(time.Minute)),
		b.event(measurement.TypeIdentify, "phone", "bob", t0.Add(2*time.Minute)),   // one user id per cluster
		b.event(measurement.TypeIdentify, "tablet", "null", t0.Add(3*time.Minute)), // blocked (past /collect's check)
	}
	b.write(t, batch...)
	b.write(t, batch...) // redelivered: nothing moves, nothing links again
	alice := b.cluster(t, "phone")
	require.NotEqual(t, "phone", alice)
	require.Equal(t, alice, b.cluster(t, "laptop"))
	require.Equal(t, "stranger", b.cluster(t, "stranger"), "a visitor no identify named is its own person")
	require.Equal(t, "tablet", b.cluster(t, "tablet"))
	many, err := b.s.ClustersOf(t.Context(), []string{"phone", "laptop", "stranger"})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"phone": alice, "laptop": alice, "stranger": "stranger"}, many)
	require.Zero(t, b.count(t, `SELECT count(*) FROM identity_clusters WHERE user_id IN ('bob', 'null')`))
	require.Equal(t, 4, b.count(t, `SELECT count(*) FROM identity_links`), "create, link, two refusals, once each")
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM identity_links WHERE code = 'USER_CONFLICT' AND visitor_id = 'phone'`))
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM identity_links WHERE code = 'BLOCKED_VALUE'`))
	require.Equal(t, []int{1, 1, 1, 1, 0}, []int{outcomes("created", ""), outcomes("linked", ""),
		outcomes("refused", "USER_CONFLICT"), outcomes("refused", "BLOCKED_VALUE"), outcomes("none", "")},
		"counted once: the redelivered batch moved no identify")

	// The window's limit: alice has 2 links within the hour, a third
	// fits, a fourth does not; an hour later there is room again.
	b.write(t, b.event(measurement.TypeIdentify, "tv", "alice", t0.Add(10*time.Minute)),
		b.event(measurement.TypeIdentify, "watch", "alice", t0.Add(11*time.Minute)))
	require.Equal(t, alice, b.cluster(t, "tv"))
	require.Equal(t, "watch", b.cluster(t, "watch"))
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM identity_links WHERE code = 'TOO_MANY_VISITORS'`))
	require.Equal(t, 1, outcomes("refused", "TOO_MANY_VISITORS"))
	require.Equal(t, 2, outcomes("linked", ""))
	b.write(t, b.event(measurement.TypeIdentify, "watch", "alice", t0.Add(2*time.Hour)))
	require.Equal(t, alice, b.cluster(t, "watch"))

	_, err = b.pool.Exec(t.Context(), `UPDATE identity_links SET reason = 'rewritten'`)
	require.ErrorContains(t, err, "append-only")
}

// Assignments never flip for a person: the earliest exposure of the
// cluster keeps its arm after a merge, the other is marked conflict; an
// unmerge clears the mark, is recorded, and holds against the client's
// next identify.
func TestIdentityFirstTouchAndUnmerge(t *testing.T) {
	t.Parallel()
	b := setupIdentity(t)
	ctx := t.Context()
	first := b.decide(t, "laptop", t0, "hero", "b")
	b.decide(t, "laptop", t0.Add(30*time.Minute), "hero", "b")
	b.decide(t, "phone", t0.Add(time.Hour), "hero", "a")
	b.write(t, b.event(measurement.TypeIdentify, "phone", "carol", t0.Add(2*time.Hour)))
	b.write(t, b.event(measurement.TypeIdentify, "laptop", "carol", t0.Add(3*time.Hour)))

	p, err := b.s.Profile(ctx, "", "carol", 10)
	require.NoError(t, err)
	require.Equal(t, "carol", p.UserID)
	require.Len(t, p.Members, 2)
	require.Len(t, p.Assignments, 1)
	require.Equal(t, "b", p.Assignments[0].Arm, "the earlier exposure (laptop) decides, though the phone signed in first")
	require.Equal(t, first, p.Assignments[0].First.DecisionID)
	require.Len(t, p.Assignments[0].Conflicts, 1)
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM identity_exposures WHERE visitor_id = 'phone' AND conflict`))
	require.Zero(t, b.count(t, `SELECT count(*) FROM identity_exposures WHERE visitor_id = 'laptop' AND conflict`))
	arms, err := b.s.PersonArms(ctx, []string{"phone", "laptop", "stranger"})
	require.NoError(t, err)
	require.Equal(t, map[string]map[string]string{"phone": {"hero": "b"}, "laptop": {"hero": "b"}}, arms,
		"delivery pins the person's first arm on every device")
	// A later exposure of the phone (to its own arm) changes nothing; its
	// record names the user the phone is linked to now.
	later := b.decide(t, "phone", t0.Add(4*time.Hour), "hero", "a")
	d, err := b.s.Decision(ctx, later)
	require.NoError(t, err)
	require.Equal(t, "carol", d.UserID)
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM measurement_decisions WHERE user_id = 'carol'`), "earlier records stay as written")
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM identity_exposures WHERE visitor_id = 'phone' AND conflict`))

	l, err := b.s.Unmerge(ctx, "laptop", "editor@example.com")
	require.NoError(t, err)
	require.Equal(t, "unlink", l.Action)
	require.Equal(t, "laptop", b.cluster(t, "laptop"))
	require.Zero(t, b.count(t, `SELECT count(*) FROM identity_exposures WHERE conflict`), "apart again: no conflict")
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM identity_links WHERE action = 'unlink' AND actor = 'editor@example.com'`))
	_, err = b.s.Unmerge(ctx, "laptop", "editor@example.com")
	require.Equal(t, errs.NotFound, errs.CodeOf(err))
	// The client signs in again on the laptop: the unmerge holds.
	b.write(t, b.event(measurement.TypeIdentify, "laptop", "carol", t0.Add(5*time.Hour)))
	require.Equal(t, "laptop", b.cluster(t, "laptop"))
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM identity_links WHERE code = 'UNMERGED'`))
	p, err = b.s.Profile(ctx, "phone", "", 10)
	require.NoError(t, err)
	require.Equal(t, "a", p.Assignments[0].Arm)
	require.Len(t, p.Links, 4, "create, link, unlink, refusal: the whole history")
}

// A kiosk session's exposures before its sign-in are someone else's.
func TestIdentityKioskBeforeSignIn(t *testing.T) {
	t.Parallel()
	b := setupIdentity(t)
	b.decide(t, "kiosk:s1", t0, "hero", "a")
	b.decide(t, "phone", t0.Add(time.Hour), "hero", "b")
	b.write(t, b.event(measurement.TypeIdentify, "phone", "dan", t0.Add(2*time.Hour)),
		b.event(measurement.TypeIdentify, "kiosk:s1", "dan", t0.Add(3*time.Hour)))
	p, err := b.s.Profile(t.Context(), "kiosk:s1", "", 10)
	require.NoError(t, err)
	require.Equal(t, "b", p.Assignments[0].Arm)
	require.Empty(t, p.Assignments[0].Conflicts)
	require.Zero(t, b.count(t, `SELECT count(*) FROM identity_exposures WHERE conflict`))
}

// Withdrawing measurement deletes the visitor's records up to the
// withdrawal, also a record that reaches the store after it; the consent
// event itself stays, and other visitors are untouched.
func TestConsentWithdrawalDeletesRecords(t *testing.T) {
	t.Parallel()
	b := setupIdentity(t)
	b.decide(t, "v1", t0, "hero", "a")
	b.decide(t, "v2", t0, "hero", "a")
	view := b.event(measurement.TypeView, "v1", "", t0.Add(time.Minute))
	view.Entry = "home"
	traits := b.event(measurement.TypeIdentify, "v1", "erin", t0.Add(time.Minute))
	traits.Traits = []byte(`{"plan":"pro"}`)
	b.write(t, view, traits)
	w := b.event(measurement.TypeConsent, "v1", "", t0.Add(time.Hour))
	w.Withdrawn = []measurement.Purpose{measurement.PurposeMeasurement, measurement.PurposePersonalization}
	b.write(t, w)
	b.decide(t, "v1", t0.Add(30*time.Minute), "hero", "a") // late from the log
	require.Zero(t, b.count(t, `SELECT count(*) FROM measurement_decisions WHERE visitor_id = 'v1'`))
	require.Zero(t, b.count(t, `SELECT count(*) FROM measurement_events WHERE visitor_id = 'v1' AND type = 'view'`))
	require.Zero(t, b.count(t, `SELECT count(*) FROM measurement_events WHERE visitor_id = 'v1' AND data IS NOT NULL AND type = 'identify'`))
	require.Zero(t, b.count(t, `SELECT count(*) FROM identity_exposures WHERE visitor_id = 'v1'`))
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM measurement_events WHERE visitor_id = 'v1' AND type = 'consent'`))
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM measurement_decisions WHERE visitor_id = 'v2'`))
	// Measured again after the withdrawal: kept.
	b.decide(t, "v1", t0.Add(2*time.Hour), "hero", "a")
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM measurement_decisions WHERE visitor_id = 'v1'`))
}

// Erasure removes every record of the person, across its visitor ids,
// and nothing of anyone else's; erasing again removes nothing.
func TestEraseAndReads(t *testing.T) {
	t.Parallel()
	b := setupIdentity(t)
	ctx := t.Context()
	d := b.decide(t, "phone", t0, "hero", "a")
	b.decide(t, "laptop", t0, "hero", "a")
	b.decide(t, "other", t0, "hero", "a")
	b.write(t, b.event(measurement.TypeIdentify, "phone", "fay", t0.Add(time.Minute)),
		b.event(measurement.TypeIdentify, "laptop", "fay", t0.Add(2*time.Minute)),
		b.event(measurement.TypeTrack, "other", "", t0))

	got, err := b.s.Decision(ctx, d)
	require.NoError(t, err)
	require.Equal(t, "phone", got.VisitorID)
	require.Equal(t, measurement.Purposes(), got.Purposes)
	require.Equal(t, "hero", got.Blocks[0].Experiment)
	none, err := b.s.Decision(ctx, uuid.Must(uuid.NewV7()).String())
	require.NoError(t, err)
	require.Nil(t, none)
	counts, err := b.s.EventCounts(ctx, t0.Truncate(24*time.Hour), t0.Truncate(24*time.Hour).AddDate(0, 0, 1))
	require.NoError(t, err)
	require.Len(t, counts, 2)
	require.Equal(t, measurement.EventCount{Day: t0.Truncate(24 * time.Hour), Type: measurement.TypeIdentify, Count: 2}, counts[0])

	e, err := b.s.Erase(ctx, "laptop", "")
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"phone", "laptop"}, e.Visitors)
	require.Equal(t, 2, e.Events)
	require.Equal(t, 2, e.Decisions)
	require.Equal(t, 2, e.Exposures)
	require.Equal(t, 2, e.Links)
	for _, q := range []string{`SELECT count(*) FROM measurement_events WHERE visitor_id IN ('phone', 'laptop')`,
		`SELECT count(*) FROM measurement_decisions WHERE visitor_id IN ('phone', 'laptop')`,
		`SELECT count(*) FROM identity_clusters`, `SELECT count(*) FROM identity_members`, `SELECT count(*) FROM identity_links`} {
		require.Zero(t, b.count(t, q), q)
	}
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM measurement_decisions WHERE visitor_id = 'other'`))
	require.Equal(t, 1, b.count(t, `SELECT count(*) FROM measurement_events WHERE visitor_id = 'other'`))
	again, err := b.s.Erase(ctx, "", "fay")
	require.NoError(t, err)
	require.Equal(t, measurement.Erasure{Visitors: []string{}}, again)
	p, err := b.s.Profile(ctx, "", "fay", 10)
	require.NoError(t, err)
	require.Nil(t, p)
	p, err = b.s.Profile(ctx, "phone", "", 10)
	require.NoError(t, err)
	require.Nil(t, p, "an erased visitor id is unknown")
	p, err = b.s.Profile(ctx, "other", "", 10)
	require.NoError(t, err)
	require.Equal(t, "other", p.ClusterID, "a visitor id on its own is its own cluster")
	require.Len(t, p.Events, 1)
}
