package personalization_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/measurement/consent"
	"github.com/mosaichq/mosaic/measurement/profile"
	p "github.com/mosaichq/mosaic/personalization"
)

// person is a profile seen from at: three product views in the last
// week (one exactly 168 h ago), one a second too old, two purchases, a
// cart_add of shoes after one of hats, on two devices.
func person(at time.Time) *profile.Profile {
	ev := func(id, name string, ago time.Duration, props map[string]any, value float64) profile.Event {
		return profile.Event{ID: id, Name: name, Time: at.Add(-ago), Properties: props, Value: value}
	}
	return profile.New(profile.Facts{Visitors: 2, Devices: []string{"mobile", "tablet"}, Channels: []string{"web"},
		Traits: map[string]any{"plan": "pro", "age": 41.0}}, []profile.Event{
		ev("v1", "product_view", time.Hour, map[string]any{"sku": "s1"}, 0),
		ev("v2", "product_view", 48*time.Hour, nil, 0),
		ev("v3", "product_view", 168*time.Hour, nil, 0),
		ev("v4", "product_view", 168*time.Hour+time.Second, nil, 0),
		ev("p1", "purchase", 24*time.Hour, map[string]any{"value": 150.0}, 150),
		ev("p2", "purchase", 600*time.Hour, map[string]any{"value": 60.5}, 60.5),
		ev("c1", "cart_add", 3*time.Hour, map[string]any{"category": "hats", "qty": 1.0}, 0),
		ev("c2", "cart_add", 2*time.Hour, map[string]any{"category": "shoes", "qty": 2.0}, 0),
		ev("f1", "cart_add", -time.Second, map[string]any{"category": "future"}, 0),
	})
}

func TestBehaviourRules(t *testing.T) {
	t.Parallel()
	at := t0.Add(1000 * time.Hour)
	c := p.Context{VisitorID: "v", Device: "desktop", Channel: "web", At: at, Profile: person(at), Purposes: consent.All}
	empty := p.Context{VisitorID: "v", Device: "desktop", At: at, Purposes: consent.All}
	for _, tc := range []struct {
		rule         string
		want, wantEm bool
	}{
		// The window is [at−168h, at]: v3 (exactly 168 h) counts, v4 (a
		// second more) does not, nor does the future cart_add.
		{`events.count("product_view", duration("168h")) == 3`, true, false},
		{`events.count("product_view", duration("167h59m59s")) == 2`, true, false},
		{`events.count("product_view") == 4`, true, false},
		{`events.count("cart_add", duration("1h")) == 0`, true, true},
		{`events.count("nothing", duration("720h")) == 0`, true, true},
		{`events.sum("purchase", "value", duration("720h")) > 200.0`, true, false},
		{`events.sum("purchase", "value", duration("599h")) == 150.0`, true, false},
		{`events.sum("cart_add", "qty") == 3.0`, true, false},
		{`events.sum("cart_add", "category") == 0.0`, true, true},
		{`events.last("cart_add").properties.category == "shoes"`, true, false},
		{`events.last("cart_add").properties.qty == 2`, true, false},
		{`events.last("cart_add").properties.qty + 1 == 3`, true, false},
		{`profile.traits.age + 1 == 42`, true, false},
		{`events.last("cart_add").name == "cart_add"`, true, false},
		{`events.last("cart_add").time == now - duration("2h")`, true, false},
		{`events.last("nothing").name == ""`, true, true},
		{`profile.devices.size() > 1`, true, false},
		// The request's own device is one of the person's devices.
		{`"desktop" in profile.devices`, true, true},
		{`profile.visitors == 2`, true, false},
		{`profile.known`, true, false},
		{`!profile.known`, false, true},
		{`profile.firstSeen == now - duration("600h")`, true, false},
		// lastSeen spans every event held, also one after the instant.
		{`profile.lastSeen == now + duration("1s")`, true, false},
		{`now - profile.firstSeen > duration("720h")`, false, true},
		{`profile.traits.plan == "pro" && profile.traits.age > 40`, true, false},
		{`profile.channels == ["web"]`, true, false},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			r, err := p.CompileRule(tc.rule)
			require.NoError(t, err)
			got, _ := r.Match(c)
			require.Equal(t, tc.want, got, "with the profile")
			got, _ = r.Match(empty)
			require.Equal(t, tc.wantEm, got, "with no profile (not loaded): an empty history")
		})
	}
}

func TestBehaviourRulesRefused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ rule, msg string }{
		{`events.counts("product_view") > 1`, "events has events.count(name[, window])"},
		{`events.count("product_view", duration("168x")) > 1`, "duration"},
		{`events.count("product_view", duration("-1h")) > 1`, "must be positive"},
		{`events.count("product_view", duration("2161h")) > 1`, "at most 2160h0m0s"},
		{`events.count("product_view", duration(traits.w)) > 1`, "must be a duration literal"},
		{`events.count(1, duration("1h")) > 1`, "no matching overload"},
		{`events.sum("purchase") > 1.0`, "no matching overload"},
		{`events.last("x").propertis.a == 1`, "undefined field 'propertis'"},
		{`profile.devics.size() > 1`, "undefined field 'devics'"},
		{`events.count("x") > 1.5 + profile`, "no matching overload"},
		{`profile.stamp == 1`, "undefined field 'stamp'"},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			_, err := p.CompileRule(tc.rule)
			e, ok := errs.As(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, errs.BadUserInput, e.Code)
			require.Equal(t, "rule", e.Fields[0].Path)
			require.Contains(t, e.Fields[0].Message, tc.msg)
			require.Contains(t, e.Fields[0].Message, "line 1, column")
		})
	}
}

// Without personalization consent a behavioural rule sees nothing: the
// engine drops the profile with segments and traits.
func TestBehaviourNeedsPersonalization(t *testing.T) {
	t.Parallel()
	at := t0.Add(1000 * time.Hour)
	set, err := p.CompileSegments([]p.Segment{
		{Key: "browser", Rule: `events.count("product_view", duration("168h")) >= 3`},
		{Key: "unknown", Rule: `!profile.known`},
	}, nil)
	require.NoError(t, err)
	require.True(t, set.ReadsBehaviour())
	require.True(t, set.ReadsVisitorID(), "a behavioural rule depends on who the visitor is")
	engine, err := p.NewEngine(p.Options{Segments: set})
	require.NoError(t, err)
	c := p.Context{VisitorID: "v", At: at, Profile: person(at), Purposes: consent.All}
	require.Equal(t, []string{"browser"}, engine.Visitor(t.Context(), c).Segments())
	c.Purposes = consent.Of(consent.Measurement)
	require.Empty(t, engine.Visitor(t.Context(), c).Segments())
	require.Nil(t, engine.Visitor(t.Context(), c).Context().Profile)
}
