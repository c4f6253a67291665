package server_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// The root page links everything a person can open on the server, each
// link answers, and none leaves the server.
func TestLandingPageLinksWhatTheServerServes(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{})
	page := app.Get("", "/")
	require.Equal(t, 200, page.Status)
	require.Equal(t, "text/html; charset=utf-8", page.Header.Get("Content-Type"))
	require.Contains(t, page.Raw, "<title>Mosaic</title>")
	require.NotContains(t, page.Header.Get("Content-Security-Policy"), "script-src", "the page runs no script")

	var links []string
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(page.Raw, -1) {
		if m[1] == "data:," {
			continue
		}
		require.True(t, strings.HasPrefix(m[1], "/"), "%s leaves the server", m[1])
		links = append(links, m[1])
	}
	for _, want := range []string{"/studio/", "/graphiql", "/graphiql/schema.graphql", "/healthz", "/readyz"} {
		require.Contains(t, links, want)
	}
	for _, l := range links {
		require.Equal(t, 200, app.Get("", l).Status, l)
	}

	// Only / itself: other unknown paths still answer 404, and / is not a
	// catch-all for other methods.
	require.Equal(t, 404, app.Get("", "/nope").Status)
	require.Equal(t, 404, app.Get("", "/index.html").Status)

	sdl := app.Get("", "/graphiql/schema.graphql")
	require.Contains(t, sdl.Raw, "type Query {")
	require.Contains(t, sdl.Raw, "entry(")
}

// With introspection off the schema is not served either, and the page
// does not link it.
func TestLandingPageWithoutIntrospection(t *testing.T) {
	t.Parallel()
	limits := graph.DefaultLimits()
	limits.Introspection = false
	app := testapp.New(t, testapp.Options{NoSeed: true, Limits: &limits})
	page := app.Get("", "/")
	require.Equal(t, 200, page.Status)
	require.NotContains(t, page.Raw, "schema.graphql")
	require.Contains(t, page.Raw, `href="/graphiql"`)
	sdl := app.Get("", "/graphiql/schema.graphql")
	require.Equal(t, 404, sdl.Status)
	require.Equal(t, "NOT_FOUND", sdl.Errors[0].Extensions["code"])
}
