package server_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/auth"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// TestPageSizeOneRule: every `first` argument follows one rule: between 1
// and the list's maximum. -5 and 0 are refused like search always refused
// them, instead of answering with everything or a default page.
func TestPageSizeOneRule(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{Search: true})
	admin := app.Token(auth.RoleAdmin)
	for _, tc := range []struct {
		list string
		max  int
	}{
		{`entries(type: "page", first: %d) { nodes { slug } }`, 100},
		{`drafts(type: "page", first: %d) { id }`, 100},
		{`assets(first: %d) { nodes { id } }`, 100},
		{`search(query: "home", first: %d) { total }`, 100},
		{`auditLog(first: %d) { nodes { id } }`, 500},
		{`webhookDeliveries(first: %d) { nodes { id } }`, 500},
		{`screenFleet(first: %d) { screenId }`, 1000},
	} {
		for _, n := range []int{-5, 0, tc.max + 1} {
			resp := app.Query(admin, "{ "+fmt.Sprintf(tc.list, n)+" }", nil)
			require.Equal(t, "BAD_USER_INPUT", resp.Code(), "first: %d on %s: %s", n, tc.list, resp.Raw)
			require.Contains(t, resp.Errors[0].Message, fmt.Sprintf("first must be between 1 and %d, got %d", tc.max, n))
			require.Equal(t, "first", testapp.Path(resp.Errors[0].Extensions, "fields", 0, "path"))
		}
		for _, n := range []int{1, tc.max} {
			resp := app.Query(admin, "{ "+fmt.Sprintf(tc.list, n)+" }", nil)
			require.Empty(t, resp.Errors, "first: %d on %s: %s", n, tc.list, resp.Raw)
		}
	}
	// A refused negative page cannot buy complexity for the rest of a query.
	resp := app.Query(admin, `{ a: entries(type: "page", first: -100000) { nodes { slug } } b: entries(type: "page", first: 100) { nodes { slug fields blocks { id } } } }`, nil)
	require.NotEqual(t, "INTERNAL", resp.Code(), resp.Raw)
	require.GreaterOrEqual(t, testapp.Path(resp.Exts, "cost", "complexity").(float64), float64(100))
}
