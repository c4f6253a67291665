package personalization_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
	p "github.com/mosaichq/mosaic/personalization"
)

func TestValidateVariants(t *testing.T) {
	t.Parallel()
	reg := p.DefaultRegistry()
	require.NoError(t, p.ValidateVariants(nil, reg))
	require.NoError(t, p.ValidateVariants([]p.Variant{
		{Key: "a", Targeting: p.Targeting{Devices: []string{"mobile"}, Channels: []string{"web"}}},
		{Key: "b", Experiment: "cta", Arm: "b"},
	}, reg))

	err := p.ValidateVariants([]p.Variant{
		{Key: ""},
		{Key: "default"},
		{Key: "a", Targeting: p.Targeting{Devices: []string{"mobile", "fridge"}}},
		{Key: "a", Targeting: p.Targeting{Channels: []string{"fax"}, Segments: []string{""}, Locales: []string{" "}}},
		{Key: "e1", Experiment: "cta"},
		{Key: "e2", Arm: "b"},
	}, reg)
	e, ok := errs.As(err)
	require.True(t, ok, "want *errs.Error, got %v", err)
	require.Equal(t, errs.BadUserInput, e.Code)
	got := map[string]string{}
	for _, f := range e.Fields {
		got[f.Path] = f.Message
	}
	require.Equal(t, map[string]string{
		"variants.0.key":                  "variant key is required",
		"variants.1.key":                  `variant key "default" is reserved for the block's own fields`,
		"variants.2.targeting.devices.1":  `unknown device "fridge"; allowed: mobile, tablet, desktop, tv, watch, kiosk`,
		"variants.3.key":                  `duplicate variant key "a" (also variants.2)`,
		"variants.3.targeting.channels.0": `unknown channel "fax"; allowed: web, app, kiosk, email, iot`,
		"variants.3.targeting.segments.0": "segment key is empty",
		"variants.3.targeting.locales.0":  "locale is empty",
		"variants.4.arm":                  "arm is required when experiment is set",
		"variants.5.experiment":           "experiment is required when arm is set",
	}, got)
}

func TestMerge(t *testing.T) {
	t.Parallel()
	defaults := map[string]any{"title": "Hello", "cta": map[string]any{"label": "Buy", "url": "/buy"}}
	overrides := map[string]any{"cta": map[string]any{"label": "Shop now"}, "badge": "new"}
	merged := p.Merge(defaults, overrides)
	require.Equal(t, map[string]any{
		"title": "Hello",
		"cta":   map[string]any{"label": "Shop now"}, // shallow: replaced whole
		"badge": "new",
	}, merged)
	// Inputs untouched.
	require.Equal(t, map[string]any{"title": "Hello", "cta": map[string]any{"label": "Buy", "url": "/buy"}}, defaults)
	require.Len(t, overrides, 2)
	merged["title"] = "changed"
	require.Equal(t, "Hello", defaults["title"])

	require.Equal(t, map[string]any{}, p.Merge(nil, nil))
}
