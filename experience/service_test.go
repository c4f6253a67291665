package experience_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/experience"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/measurement/consent"
	"github.com/mosaichq/mosaic/personalization"
	"github.com/mosaichq/mosaic/storage/postgres"
)

var at = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

type testBundle struct {
	pool *pgxpool.Pool
	svc  *experience.Service
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	pool, _ := testdb.Schema(t)
	return &testBundle{pool: pool, svc: newService(t, pool)}
}

func newService(t *testing.T, pool *pgxpool.Pool) *experience.Service {
	t.Helper()
	svc, err := experience.New(context.Background(), postgres.New(pool).Experience(),
		experience.Config{Now: func() time.Time { return at }})
	require.NoError(t, err)
	return svc
}

// page is a resolved entry with one block per variants list.
func page(blocks ...[]any) *content.Resolved {
	r := &content.Resolved{ID: "page-1", Slug: "home", Fields: map[string]any{"title": "Home"}}
	for i, vs := range blocks {
		r.Blocks = append(r.Blocks, content.Block{ID: string(rune('a' + i)), Type: "hero",
			Fields: map[string]any{"title": "Default"}, Variants: storedJSON(vs)})
	}
	return r
}

func variant(v personalization.Variant) any { return experience.VariantJSON(v) }

// storedJSON is variants as a delivered entry carries them: as stored.
func storedJSON(vs []any) content.Variants {
	if vs == nil {
		return nil
	}
	b, err := json.Marshal(vs)
	if err != nil {
		panic(err)
	}
	return b
}

func decide(t *testing.T, svc *experience.Service, c personalization.Context, r *content.Resolved) experience.EntryDecision {
	t.Helper()
	v, err := svc.Visitor(context.Background(), c)
	require.NoError(t, err)
	return v.DecideEntry(r)
}

func TestSegmentsCRUDRebuildsEngine(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	r := page([]any{variant(personalization.Variant{Key: "loyal",
		Targeting: personalization.Targeting{Segments: []string{"loyal"}}, Fields: map[string]any{"title": "Welcome back"}})})
	visitor := personalization.Context{Purposes: consent.All, Traits: map[string]any{"visits": 5.0}}
	require.Equal(t, "default", decide(t, b.svc, visitor, r).Blocks[0].Decision.Variant)

	sg, err := b.svc.CreateSegment(ctx, "ana", experience.Segment{Key: "loyal", Name: "Loyal", Rule: "  traits.visits > 3  "})
	require.NoError(t, err)
	require.Equal(t, "traits.visits > 3", sg.Rule)
	require.Equal(t, 1, sg.Version)
	require.Equal(t, "ana", sg.UpdatedBy)
	d := decide(t, b.svc, visitor, r)
	require.Equal(t, "loyal", d.Blocks[0].Decision.Variant)
	require.Equal(t, "Welcome back", d.Blocks[0].Fields["title"])

	_, err = b.svc.UpdateSegment(ctx, "ana", experience.Segment{Key: "loyal", Name: "Loyal", Rule: "traits.visits > 10"}, 2)
	require.Equal(t, errs.Conflict, errs.CodeOf(err))
	sg, err = b.svc.UpdateSegment(ctx, "ana", experience.Segment{Key: "loyal", Name: "Loyal", Rule: "traits.visits > 10"}, 1)
	require.NoError(t, err)
	require.Equal(t, 2, sg.Version)
	require.Equal(t, "default", decide(t, b.svc, visitor, r).Blocks[0].Decision.Variant)

	_, err = b.svc.CreateSegment(ctx, "ana", experience.Segment{Key: "loyal", Name: "Again"})
	require.Equal(t, errs.Conflict, errs.CodeOf(err))
	require.NoError(t, b.svc.DeleteSegment(ctx, "ana", "loyal"))
	require.Equal(t, errs.NotFound, errs.CodeOf(b.svc.DeleteSegment(ctx, "ana", "loyal")))
	list, err := b.svc.Segments(ctx)
	require.NoError(t, err)
	require.Empty(t, list)
}

func TestSegmentRuleErrorsArePositioned(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.svc.CreateSegment(context.Background(), "ana", experience.Segment{Key: "x", Rule: "traits.visits >\n  && true"})
	e, ok := errs.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, errs.BadUserInput, e.Code)
	require.Equal(t, "rule", e.Fields[0].Path)
	require.Contains(t, e.Fields[0].Message, "line 2, column 3")
	list, err := b.svc.Segments(context.Background())
	require.NoError(t, err)
	require.Empty(t, list, "a rejected segment was written")
}

func TestExperimentsCRUD(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	x, err := b.svc.CreateExperiment(ctx, "ana", experience.Experiment{Key: "cta", Name: "CTA",
		Arms: []personalization.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 3}}, Holdout: 0.25})
	require.NoError(t, err)
	require.Equal(t, []personalization.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 3}}, x.Arms)
	require.Equal(t, 0.25, x.Holdout)

	_, err = b.svc.CreateExperiment(ctx, "ana", experience.Experiment{Key: "bad", Arms: []personalization.Arm{{Key: "a", Weight: -1}}})
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))

	x, err = b.svc.UpdateExperiment(ctx, "bo", experience.Experiment{Key: "cta", Name: "CTA", Arms: []personalization.Arm{{Key: "b", Weight: 1}}}, 1)
	require.NoError(t, err)
	require.Equal(t, 2, x.Version)
	require.Equal(t, "bo", x.UpdatedBy)
	got, err := b.svc.Experiment(ctx, "cta")
	require.NoError(t, err)
	require.Equal(t, x, got)

	r := page([]any{variant(personalization.Variant{Key: "vb", Experiment: "cta", Arm: "b"})})
	require.Equal(t, "vb", decide(t, b.svc, personalization.Context{VisitorID: "v1", Purposes: consent.All}, r).Blocks[0].Decision.Variant)
	require.NoError(t, b.svc.DeleteExperiment(ctx, "bo", "cta"))
	require.Equal(t, "default", decide(t, b.svc, personalization.Context{VisitorID: "v1", Purposes: consent.All}, r).Blocks[0].Decision.Variant)
	_, err = b.svc.Experiment(ctx, "cta")
	require.Equal(t, errs.NotFound, errs.CodeOf(err))
}

// TestOtherReplicaReloadsFromFeed: a write on one replica reaches another
// through LISTEN/NOTIFY, and the other's engine is rebuilt.
func TestOtherReplicaReloadsFromFeed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	other := newService(t, b.pool)
	type reloaded struct {
		c   postgres.Change
		err error
	}
	changes := make(chan reloaded, 16)
	feed := postgres.NewFeed(b.pool, slog.New(slog.DiscardHandler), func(c postgres.Change) {
		var err error
		if c.Action == postgres.ChangePersonalization {
			err = other.Reload(context.Background())
		}
		changes <- reloaded{c, err}
	})
	feed.Start(context.Background())
	t.Cleanup(feed.Stop)
	<-feed.Ready()

	page0 := page([]any{variant(personalization.Variant{Key: "vip", Targeting: personalization.Targeting{Segments: []string{"big"}}})})
	visitor := personalization.Context{Purposes: consent.All, Traits: map[string]any{"cart": 200.0}}
	require.Equal(t, "default", decide(t, other, visitor, page0).Blocks[0].Decision.Variant)
	_, err := b.svc.CreateSegment(context.Background(), "ana", experience.Segment{Key: "big", Rule: "traits.cart >= 100.0"})
	require.NoError(t, err)
	// NOTIFY is database-wide: changes of tests in other schemas arrive
	// too, so wait for a reload after which this schema's segment is seen.
	deadline := time.After(30 * time.Second)
	for {
		select {
		case r := <-changes:
			require.NoError(t, r.err)
			if r.c.Action != postgres.ChangePersonalization {
				continue
			}
			require.Positive(t, r.c.Epoch)
			if decide(t, other, visitor, page0).Blocks[0].Decision.Variant == "vip" {
				return
			}
		case <-deadline:
			t.Fatal("the other replica never reloaded the new segment")
		}
	}
}

func TestDecideEntryOnePass(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	_, err := b.svc.CreateExperiment(ctx, "ana", experience.Experiment{Key: "cta", Arms: []personalization.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}}})
	require.NoError(t, err)
	r := page(
		[]any{variant(personalization.Variant{Key: "m", Targeting: personalization.Targeting{Devices: []string{"mobile"}}, Fields: map[string]any{"title": "Small"}})},
		[]any{variant(personalization.Variant{Key: "a", Experiment: "cta", Arm: "a"}), variant(personalization.Variant{Key: "b", Experiment: "cta", Arm: "b"})},
		nil,
		[]any{map[string]any{"key": "broken", "targeting": "not an object"}}, // stored badly: skipped, not fatal
	)
	r.Variants = storedJSON([]any{variant(personalization.Variant{Key: "kiosk", Targeting: personalization.Targeting{Channels: []string{"kiosk"}},
		Fields: map[string]any{"title": "Kiosk home"}})})
	d := decide(t, b.svc, personalization.Context{VisitorID: "v-7", Device: "mobile", Channel: "kiosk", Purposes: consent.All}, r)
	require.Equal(t, "kiosk", d.Decision.Variant)
	require.Equal(t, "Kiosk home", d.Fields["title"])
	require.Equal(t, "Home", r.Fields["title"], "the cached entry was modified")
	require.Len(t, d.Blocks, 4)
	require.Equal(t, "m", d.Blocks[0].Decision.Variant)
	require.Equal(t, "Small", d.Blocks[0].Fields["title"])
	require.Equal(t, "Default", r.Blocks[0].Fields["title"], "the cached block was modified")
	arm, _ := personalization.Bucket(personalization.Experiment{Key: "cta", Arms: []personalization.Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}}}, "v-7")
	require.Equal(t, arm, d.Blocks[1].Decision.Variant)
	require.Equal(t, "default", d.Blocks[2].Decision.Variant)
	require.Equal(t, "default", d.Blocks[3].Decision.Variant)

	_, err = b.svc.Visitor(ctx, personalization.Context{Device: "fridge"})
	require.Equal(t, errs.BadUserInput, errs.CodeOf(err))

	x, err := func() (experience.Explanation, error) {
		v, err := b.svc.Visitor(ctx, personalization.Context{Device: "desktop", Purposes: consent.All})
		require.NoError(t, err)
		return v.Explain(r, "a")
	}()
	require.NoError(t, err)
	require.Equal(t, "default", x.Decision.Variant)
	require.Len(t, x.Variants, 2)
	require.False(t, x.Variants[0].Matched)
	require.Equal(t, []string{`device "desktop" is not mobile`}, x.Variants[0].Reasons)
}
