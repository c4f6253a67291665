package postgres_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// viewsBundle writes records and views at real time: a decision's UUIDv7
// names the day its record is on, as delivery's do.
type viewsBundle struct{ *identityBundle }

func (b viewsBundle) record(t *testing.T, visitor string) measurement.Decision {
	t.Helper()
	d := measurement.Decision{ID: uuid.Must(uuid.NewV7()).String(), Time: time.Now().UTC(), VisitorID: visitor, Channel: "web", Device: "mobile",
		Consent: true, Purposes: measurement.Purposes(), EntryID: "e1", EntrySlug: "home", EntryVersion: 3,
		Blocks: []measurement.BlockDecision{{BlockID: "e1", Variant: "default", Reason: measurement.ReasonDefault},
			{BlockID: "hero", Variant: "b", Experiment: "exp", Arm: "b", Reason: measurement.ReasonExperiment}}}
	if visitor == "" {
		d.Consent, d.Purposes = false, []measurement.Purpose{}
	}
	_, err := b.s.WriteDecisions(t.Context(), []measurement.Decision{d})
	require.NoError(t, err)
	return d
}

func (b viewsBundle) view(visitor, decision string) measurement.Event {
	e := b.event(measurement.TypeView, visitor, "", time.Now().UTC())
	e.DecisionID, e.BlockID = decision, "hero"
	return e
}

func (b viewsBundle) sweep(t *testing.T, wait time.Duration) map[measurement.ViewOutcome]int {
	t.Helper()
	out, err := b.s.SweepViews(t.Context(), 1000, wait)
	require.NoError(t, err)
	return out
}

func (b viewsBundle) pending(t *testing.T) int {
	return b.count(t, `SELECT count(*)::int FROM measurement_view_pending`)
}

// A view of a cached copy — a decision another visitor's delivery
// recorded — becomes a record of the viewer's: the same decisions, the
// viewer's id, the view's time, its exposures kept as any record's. A
// visitor's view of its own record adds nothing, nor does a second view of
// the same copy; a view naming a record that has not landed waits for it,
// and one whose record never lands is settled as unmatched after the wait.
func TestViewsOfCachedCopies(t *testing.T) {
	t.Parallel()
	b := viewsBundle{setupIdentity(t)}
	ctx := t.Context()
	r := b.record(t, "ann")
	seen := b.view("bob", r.ID)
	b.write(t, b.view("ann", r.ID), seen, b.view("bob", r.ID), b.view("cid", r.ID))
	require.Equal(t, 3, b.pending(t), "bob's two views of one copy are one delivery")
	// Swept by another replica, which has made sure of no partition yet.
	out, err := postgres.NewMeasurementStore(b.pool).SweepViews(ctx, 1000, time.Hour)
	require.NoError(t, err)
	require.Equal(t, map[measurement.ViewOutcome]int{measurement.ViewOwn: 1, measurement.ViewDerived: 2}, out)
	require.Zero(t, b.pending(t))

	got, err := b.s.Decision(ctx, measurement.DerivedID(r.ID, "bob"))
	require.NoError(t, err)
	require.NotNil(t, got, "bob's record, under an id derived from the decision and the viewer")
	require.Equal(t, "bob", got.VisitorID)
	require.WithinDuration(t, seen.Time, got.Time, time.Millisecond, "the view's time: when bob was shown it")
	require.Equal(t, r.Blocks, got.Blocks)
	require.Equal(t, []any{"web", "mobile", "home", 3}, []any{got.Channel, got.Device, got.EntrySlug, got.EntryVersion})
	require.Equal(t, 1, b.count(t, `SELECT count(*)::int FROM identity_exposures WHERE visitor_id = 'bob' AND experiment = 'exp' AND arm = 'b'`),
		"the viewer is exposed as by any record")
	require.Equal(t, 3, b.count(t, `SELECT count(*)::int FROM measurement_decisions`), "ann's, and bob's and cid's derived")

	// Later views of the same copy, redelivered or not: nothing more.
	b.write(t, b.view("bob", r.ID), seen)
	require.Equal(t, 1, b.pending(t))
	require.Equal(t, map[measurement.ViewOutcome]int{measurement.ViewRepeat: 1}, b.sweep(t, time.Hour))
	require.Equal(t, 3, b.count(t, `SELECT count(*)::int FROM measurement_decisions`))

	// A view ahead of its record waits; the record lands; the view settles.
	early := uuid.Must(uuid.NewV7()).String()
	b.write(t, b.view("dan", early), b.view("eve", uuid.Must(uuid.NewV7()).String()))
	require.Empty(t, b.sweep(t, time.Hour), "nothing to settle yet")
	require.Equal(t, 2, b.pending(t))
	d := b.record(t, "fay")
	_, err = b.pool.Exec(ctx, `UPDATE measurement_view_pending SET decision_id = $1 WHERE decision_id = $2`, d.ID, early)
	require.NoError(t, err)
	require.Equal(t, map[measurement.ViewOutcome]int{measurement.ViewDerived: 1}, b.sweep(t, time.Hour),
		"the landed record's view settles; the other still waits")
	require.Equal(t, 1, b.pending(t))
	require.Equal(t, map[measurement.ViewOutcome]int{measurement.ViewUnmatched: 1}, b.sweep(t, 0), "its wait over: unmatched")
	require.Zero(t, b.pending(t))

	// A record without a visitor (no measurement consent) is nobody's: a
	// view of it cannot say whether the viewer is the one it was for.
	anon := b.record(t, "")
	b.write(t, b.view("gus", anon.ID))
	require.Equal(t, map[measurement.ViewOutcome]int{measurement.ViewAnonymous: 1}, b.sweep(t, time.Hour))
	require.Zero(t, b.count(t, `SELECT count(*)::int FROM measurement_decisions WHERE visitor_id = 'gus'`))
}

// A viewer who withdrew measurement by the view's time gets no record,
// and an erased one's pending views go with the erasure.
func TestViewsRespectConsentAndErasure(t *testing.T) {
	t.Parallel()
	b := viewsBundle{setupIdentity(t)}
	r := b.record(t, "ann")
	v := b.view("hal", r.ID)
	withdraw := b.event(measurement.TypeConsent, "hal", "", v.Time.Add(time.Second))
	withdraw.Withdrawn = []measurement.Purpose{measurement.PurposeMeasurement}
	b.write(t, v, withdraw)
	require.Equal(t, map[measurement.ViewOutcome]int{measurement.ViewWithdrawn: 1}, b.sweep(t, time.Hour))
	require.Zero(t, b.count(t, `SELECT count(*)::int FROM measurement_decisions WHERE visitor_id = 'hal'`))

	b.write(t, b.view("ivy", uuid.Must(uuid.NewV7()).String()))
	require.Equal(t, 1, b.pending(t))
	_, err := b.s.Erase(t.Context(), "ivy", "")
	require.NoError(t, err)
	require.Zero(t, b.pending(t), "nothing of an erased visitor waits to be written")
}

// Sweeps on many replicas at once settle each view once.
func TestViewSweepsInParallel(t *testing.T) {
	t.Parallel()
	b := viewsBundle{setupIdentity(t)}
	r := b.record(t, "ann")
	var views []measurement.Event
	for i := range 120 {
		views = append(views, b.view(fmt.Sprint("v", i), r.ID))
	}
	b.write(t, views...)
	var mu sync.Mutex
	total := map[measurement.ViewOutcome]int{}
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for {
				out, err := b.s.SweepViews(t.Context(), 25, time.Hour)
				if !(err == nil && len(out) > 0) {
					require.NoError(t, err)
					return
				}
				mu.Lock()
				for k, n := range out {
					total[k] += n
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	require.Equal(t, map[measurement.ViewOutcome]int{measurement.ViewDerived: 120}, total)
	require.Equal(t, 121, b.count(t, `SELECT count(*)::int FROM measurement_decisions`))
	require.Zero(t, b.pending(t))
}
