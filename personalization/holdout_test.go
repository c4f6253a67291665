package personalization_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/consent"
	p "github.com/mosaichq/mosaic/personalization"
)

// holdoutBlock has a segment variant and a variant of campaign sale,
// which outranks it while the campaign is live.
func holdoutBlock() p.Block {
	return p.Block{ID: "hero", Variants: []p.Variant{
		{Key: "vip", Targeting: p.Targeting{Segments: []string{"vip"}}, Fields: map[string]any{"title": "Hello VIP"}},
		{Key: "sale", Campaign: "sale", Fields: map[string]any{"title": "Sale -50%"}},
	}}
}

func holdoutEngine(t *testing.T, holdout float64) *p.Engine {
	t.Helper()
	e, err := p.NewEngine(p.Options{Campaigns: []p.Campaign{{Key: "sale", StartsAt: t0, EndsAt: t1, Holdout: holdout}}})
	require.NoError(t, err)
	return e
}

func TestCampaignHoldoutValidate(t *testing.T) {
	t.Parallel()
	for _, h := range []float64{-0.1, 0.51, 1, math.NaN(), math.Inf(1)} {
		err := p.Campaign{Key: "c", StartsAt: t0, EndsAt: t1, Holdout: h}.Validate(p.DefaultRegistry())
		require.Error(t, err, "holdout %v", h)
		e, ok := errs.As(err)
		require.True(t, ok)
		require.Equal(t, errs.BadUserInput, e.Code)
		require.Equal(t, "holdout", e.Fields[0].Path)
	}
	for _, h := range []float64{0, 0.1, 0.5} {
		require.NoError(t, p.Campaign{Key: "c", StartsAt: t0, EndsAt: t1, Holdout: h}.Validate(p.DefaultRegistry()))
	}
}

// A 20 % holdout holds out a fifth of the people the campaign's variant
// wins for, each always the same way; they see the block's default, with
// nothing of the campaign in the decision but the holdout's name.
func TestCampaignHoldoutDecide(t *testing.T) {
	t.Parallel()
	e := holdoutEngine(t, 0.2)
	b := holdoutBlock()
	const n = 20_000
	held := 0
	for i := range n {
		c := p.Context{VisitorID: fmt.Sprintf("v%d", i), At: t0, Purposes: consent.All}
		d := e.Decide(c, b)
		require.Equal(t, "sale", d.HoldoutCampaign)
		require.Equal(t, d, e.Decide(c, b), "sticky")
		if d.HeldOut {
			held++
			require.Equal(t, p.DefaultVariant, d.Variant)
			require.Empty(t, d.Campaign, "nothing of the campaign is delivered")
			require.Nil(t, d.Overrides)
			require.Equal(t, "held out of campaign sale (20 % holdout): default", d.Reason)
			continue
		}
		require.Equal(t, "sale", d.Variant)
		require.Equal(t, "sale", d.Campaign)
	}
	// Binomial(20000, 0.2): σ ≈ 57; 5σ bounds a deterministic hash.
	require.InDelta(t, 0.2*n, float64(held), 5*math.Sqrt(n*0.2*0.8))

	// Where the campaign's variant does not win (not live), no one is
	// held out of it and the decision says nothing of a holdout.
	before := e.Decide(p.Context{VisitorID: "v1", At: t0.Add(-milli), Purposes: consent.All}, b)
	require.Equal(t, p.Decision{BlockID: "hero", Variant: p.DefaultVariant, Reason: "no variant matched: default"}, before)
	// At the stop instant exactly, the campaign is off for everyone.
	for i := range 50 {
		d := e.Decide(p.Context{VisitorID: fmt.Sprintf("v%d", i), At: t1, Purposes: consent.All}, b)
		require.False(t, d.HeldOut)
		require.Empty(t, d.HoldoutCampaign)
	}
	// Without a holdout, nothing is marked.
	d := holdoutEngine(t, 0).Decide(p.Context{VisitorID: "v1", At: t0, Purposes: consent.All}, b)
	require.Equal(t, "sale", d.Variant)
	require.Empty(t, d.HoldoutCampaign)
	// A held-out person's record names the campaign with the default:
	// not an exposure any cap counts.
	require.Empty(t, p.Exposed("hero", p.DefaultVariant, "sale", ""))
	require.Len(t, p.Exposed("hero", "sale", "sale", ""), 2)
	// An anonymous visitor cannot be bucketed: shown the campaign.
	d = e.Decide(p.Context{At: t0, Purposes: consent.All}, b)
	require.Equal(t, "sale", d.Variant)
	require.Empty(t, d.HoldoutCampaign)
}

// heldOutVisitor finds a visitor id bucketed into the holdout, and one
// that is not.
func heldOutVisitor(t *testing.T, e *p.Engine, purposes consent.Set) (held, shown string) {
	t.Helper()
	for i := 0; held == "" || shown == ""; i++ {
		require.Less(t, i, 1000)
		v := fmt.Sprintf("v%d", i)
		if e.Decide(p.Context{VisitorID: v, At: t0, Purposes: purposes}, holdoutBlock()).HeldOut {
			held = v
		} else {
			shown = v
		}
	}
	return held, shown
}

// A person's first cohort, pinned from another device (Context.Arms
// under HoldoutSubject), wins over the device's own bucket — only with
// measurement consent, as experiment pins.
func TestCampaignHoldoutPinned(t *testing.T) {
	t.Parallel()
	e := holdoutEngine(t, 0.2)
	held, shown := heldOutVisitor(t, e, consent.All)
	pinHeld := map[string]string{p.HoldoutSubject("sale"): p.HoldoutArm}
	pinShown := map[string]string{p.HoldoutSubject("sale"): p.ExposedArm}

	d := e.Decide(p.Context{VisitorID: shown, At: t0, Purposes: consent.All, Arms: pinHeld}, holdoutBlock())
	require.True(t, d.HeldOut)
	require.Contains(t, d.Reason, "(the person's first cohort)")
	d = e.Decide(p.Context{VisitorID: held, At: t0, Purposes: consent.All, Arms: pinShown}, holdoutBlock())
	require.False(t, d.HeldOut)
	require.Equal(t, "sale", d.Variant)
	// A pin that is no cohort is ignored.
	d = e.Decide(p.Context{VisitorID: held, At: t0, Purposes: consent.All, Arms: map[string]string{p.HoldoutSubject("sale"): "b"}}, holdoutBlock())
	require.True(t, d.HeldOut)
	// Without measurement, pins are not used.
	noMeasure := consent.Of(consent.Personalization)
	d1 := e.Decide(p.Context{VisitorID: shown, At: t0, Purposes: noMeasure, Arms: pinHeld}, holdoutBlock())
	d2 := e.Decide(p.Context{VisitorID: shown, At: t0, Purposes: noMeasure}, holdoutBlock())
	require.Equal(t, d2, d1)
}

// Two visitors of one class, one held out and one not, never share a
// key: the holdout is part of the decision vector, in Key and in
// AppendArmsOf for the campaign's HoldoutSubject.
func TestCampaignHoldoutKey(t *testing.T) {
	t.Parallel()
	e := holdoutEngine(t, 0.2)
	held, shown := heldOutVisitor(t, e, consent.All)
	vh := e.Visitor(t.Context(), p.Context{VisitorID: held, At: t0, Purposes: consent.All})
	vs := e.Visitor(t.Context(), p.Context{VisitorID: shown, At: t0, Purposes: consent.All})
	require.Equal(t, string(vh.ClassKey(nil)), string(vs.ClassKey(nil)))
	require.NotEqual(t, string(vh.Key(nil)), string(vs.Key(nil)))
	subject := []string{p.HoldoutSubject("sale")}
	require.NotEqual(t, string(vh.AppendArmsOf(nil, held, nil, subject)), string(vh.AppendArmsOf(nil, shown, nil, subject)))
	// The key follows the pin, as the decision does, and says it was
	// pinned (the reason does).
	pin := map[string]string{p.HoldoutSubject("sale"): p.HoldoutArm}
	require.Equal(t, string(vh.AppendArmsOf(nil, held, pin, subject)), string(vh.AppendArmsOf(nil, shown, pin, subject)))
	require.NotEqual(t, string(vh.AppendArmsOf(nil, held, nil, subject)), string(vh.AppendArmsOf(nil, shown, pin, subject)))
	// Two visitors on the same side share it.
	other := ""
	for i := 0; other == ""; i++ {
		v := fmt.Sprintf("w%d", i)
		if v != held && e.Decide(p.Context{VisitorID: v, At: t0, Purposes: consent.All}, holdoutBlock()).HeldOut {
			other = v
		}
	}
	require.Equal(t, string(vh.AppendArmsOf(nil, held, nil, subject)), string(vh.AppendArmsOf(nil, other, nil, subject)))
}

// Explain agrees with Decide: the campaign's variant is eligible, the
// default is chosen, and both say why.
func TestCampaignHoldoutExplain(t *testing.T) {
	t.Parallel()
	e := holdoutEngine(t, 0.1)
	held, _ := heldOutVisitor(t, e, consent.All)
	ex := e.Explain(p.Context{VisitorID: held, At: t0, Purposes: consent.All}, holdoutBlock())
	require.Len(t, ex, 3)
	require.True(t, ex[1].Matched)
	require.False(t, ex[1].Chosen)
	require.Contains(t, ex[1].Reasons, "eligible, but the visitor is held out of campaign sale (10 % holdout)")
	require.True(t, ex[2].Chosen)
	require.Equal(t, []string{"held out of campaign sale (10 % holdout): default"}, ex[2].Reasons)
}

// A campaign's reports count its held-out people under "holdout": no
// variant of a campaign may be keyed so (one without a campaign may).
func TestHoldoutVariantKeyReserved(t *testing.T) {
	t.Parallel()
	err := p.ValidateVariants([]p.Variant{{Key: "holdout", Campaign: "sale"}}, p.DefaultRegistry())
	e, ok := errs.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, "variants.0.key", e.Fields[0].Path)
	require.NoError(t, p.ValidateVariants([]p.Variant{{Key: "holdout"}}, p.DefaultRegistry()))
}
