package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// A linked entry whose decision exposes the visitor to an experiment arm
// gets a decision record of its own, caps or not (delivery/linked.go):
// experiment results and the person's first exposure count what was
// delivered. Before the product has an experiment variant it has none:
// its parent's record is the delivery's.
func TestLinkedEntryArmRecorded(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Measurement: true})
	key := app.APIKey(auth.ScopeDelivery)

	before := scarf(t, app.QueryKey(key, linkedHome, webVisitor("arm-0")))
	require.Nil(t, before["decisionId"], "no caps, no arm: part of home's delivery")

	// Arm a sees the variant; arm b is served the default, still exposed.
	publishScarfVariant(t, app, map[string]any{
		"key": "scarf-a", "experiment": "cta-test", "arm": "a", "fields": map[string]any{"name": "Scarf, arm a"}})

	visitors := []string{"arm-1", "arm-2", "arm-3", "arm-4", "arm-5", "arm-6"}
	for _, v := range visitors {
		p := scarf(t, app.QueryKey(key, linkedHome, webVisitor(v)))
		require.NotEmpty(t, p["decisionId"], "%s: exposed to an arm, so recorded: %v", v, p)
		// The storefront reports the product it showed: a cached copy
		// counts through the view.
		showed(t, app, v, p["decisionId"].(string), "wool-scarf")
	}
	// An anonymous visitor is bucketed nowhere: no arm, no record.
	anon := scarf(t, app.QueryKey(key, linkedHome, map[string]any{"ctx": map[string]any{"channel": "web", "device": "desktop"}}))
	require.Nil(t, anon["decisionId"])

	drained(t, app)
	viewsSettled(t, app)
	require.Equal(t, len(visitors), decisionRows(t, app, `entry_slug = 'wool-scarf' AND blocks @> '[{"experiment":"cta-test"}]'`),
		"one record of the product per delivery, naming the experiment")
	require.Zero(t, decisionRows(t, app, `entry_slug = 'wool-scarf' AND visitor_id = 'arm-0'`))
}
