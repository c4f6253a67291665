package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// validateSegmentRule is what the studio's CEL editor calls as you type:
// problems with line and column, nothing stored, and only for callers who
// may read content.
func TestValidateSegmentRule(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	viewer := app.Token(auth.RoleViewer)
	const q = `query($r: String!) { validateSegmentRule(rule: $r) { valid problems { line column message } } }`

	ok := app.Query(viewer, q, map[string]any{"r": `traits.visits > 3 && context.device == "mobile"`})
	require.Empty(t, ok.Errors, ok.Raw)
	require.Equal(t, true, testapp.Path(ok.Data, "validateSegmentRule", "valid"))
	require.Empty(t, testapp.Path(ok.Data, "validateSegmentRule", "problems"))

	before := pSnapshot(t, app)
	bad := app.Query(viewer, q, map[string]any{"r": "traits.visits > 3 &&\n  context.devise == \"mobile\""})
	require.Empty(t, bad.Errors, bad.Raw) // a bad rule is an answer, not an error
	require.Equal(t, false, testapp.Path(bad.Data, "validateSegmentRule", "valid"))
	problems := testapp.Path(bad.Data, "validateSegmentRule", "problems").([]any)
	require.NotEmpty(t, problems)
	first := problems[0].(map[string]any)
	require.Equal(t, float64(2), first["line"])
	require.Greater(t, first["column"].(float64), float64(0))
	require.Contains(t, first["message"], "devise")
	require.Equal(t, before, pSnapshot(t, app), "validating stores nothing")

	anon := app.Query("", q, map[string]any{"r": "true"})
	require.NotEmpty(t, anon.Errors, "an anonymous caller may not probe rules")
	require.Nil(t, anon.Data["validateSegmentRule"])
}
