package personalization

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/measurement/consent"
)

// The key is sound: visitors with equal keys get equal decisions on every
// block, whatever their ids and traits; and it is not needlessly fine: the
// visitor id and the traits do not enter it.
func TestVisitorKeyDecides(t *testing.T) {
	t.Parallel()
	segs, err := CompileSegments([]Segment{{Key: "big-spender", Rule: `traits.spend > 500`}}, nil)
	require.NoError(t, err)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	e, err := NewEngine(Options{Segments: segs,
		Experiments: []Experiment{{Key: "cta", Arms: []Arm{{Key: "a", Weight: 1}, {Key: "b", Weight: 1}}, Holdout: 0.2}},
		Now:         func() time.Time { return at }})
	require.NoError(t, err)
	page := []Block{
		{ID: "hero", Variants: []Variant{{Key: "vip", Targeting: Targeting{Segments: []string{"vip"}}, Fields: map[string]any{"t": 1}},
			{Key: "mobile", Targeting: Targeting{Devices: []string{"mobile"}}}}},
		{ID: "cta", Variants: []Variant{{Key: "cta-a", Experiment: "cta", Arm: "a"}, {Key: "cta-b", Experiment: "cta", Arm: "b"}}},
		{ID: "list", Variants: []Variant{{Key: "premium", Targeting: Targeting{Segments: []string{"big-spender"}}}}},
	}
	byKey := map[string][]Decision{}
	for i := range 400 {
		c := Context{VisitorID: fmt.Sprint("v", i), Purposes: []consent.Set{consent.All, consent.None}[min(i%7, 1)], Device: []string{"", "mobile"}[i%2],
			Traits: map[string]any{"spend": float64(i * 3)}, At: at}
		if i%3 == 0 {
			c.Segments = []string{"vip"}
		}
		v := e.Visitor(context.Background(), c)
		key := string(v.Key(nil))
		got := v.DecidePage(page)
		if want, ok := byKey[key]; ok {
			require.True(t, reflect.DeepEqual(want, got), "visitors with key %s decided differently", key)
		}
		byKey[key] = got
	}
	// Two segments × two devices × consent × (a, b, held out, no id): far
	// fewer classes than visitors.
	require.Less(t, len(byKey), 40)
	require.Greater(t, len(byKey), 4)

	a := e.Visitor(context.Background(), Context{VisitorID: "x", Traits: map[string]any{"spend": 1.0}, Purposes: consent.All})
	b := e.Visitor(context.Background(), Context{VisitorID: "x", Traits: map[string]any{"spend": 2.0, "other": "y"}, Purposes: consent.All})
	require.Equal(t, string(a.Key(nil)), string(b.Key(nil)), "traits matter only through segments")
}
