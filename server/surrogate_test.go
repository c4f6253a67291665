package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/graph"
	"github.com/mosaichq/mosaic/internal/testapp"
)

// The surrogate keys go in the headers the operator's CDN reads
// (MOSAIC_SURROGATE_HEADERS), the same keys in each, on computed and kept
// answers alike; with none chosen, an answer names no key at all.
func TestSurrogateHeadersAreTheOperatorsChoice(t *testing.T) {
	t.Parallel()
	const home = `query($ctx: ExperienceContext) { entry(slug: "home", type: "page", context: $ctx) { id blocks { id fields } } }`
	get := "/graphql?query=" + url.QueryEscape(home) +
		"&variables=" + url.QueryEscape(`{"ctx":{"visitorId":"v1","device":"mobile","channel":"web"}}`)
	for _, tc := range []struct {
		name    string
		headers []string // nil: the default
		want    []string
	}{
		{"the default", nil, []string{"Surrogate-Key"}},
		{"Cloudflare's", []string{"Cache-Tag"}, []string{"Cache-Tag"}},
		{"both", []string{"Surrogate-Key", "Cache-Tag"}, []string{"Surrogate-Key", "Cache-Tag"}},
		{"none", []string{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			limits := graph.DefaultLimits()
			limits.SurrogateHeaders = tc.headers
			app := testapp.New(t, testapp.Options{Limits: &limits})
			for _, state := range []string{"MISS", "HIT"} {
				resp := app.Get("", get)
				require.Equal(t, http.StatusOK, resp.Status, resp.Raw)
				require.Equal(t, state, cacheState(resp))
				var lists [][]string
				for _, h := range []string{"Surrogate-Key", "Cache-Tag"} {
					v := resp.Header.Values(h)
					if !strings.Contains(strings.Join(tc.want, " "), h) {
						require.Empty(t, v, "%s on a %s", h, state)
						continue
					}
					require.Len(t, v, 1, "%s on a %s", h, state)
					sep := " "
					if h == "Cache-Tag" {
						sep = ","
					}
					keys := strings.Split(v[0], sep)
					require.Contains(t, keys, "mosaic")
					require.Contains(t, keys, "entry:"+testapp.Path(resp.Data, "entry", "id").(string))
					lists = append(lists, keys)
				}
				if len(lists) == 2 {
					require.Equal(t, lists[0], lists[1], "the same keys in each")
				}
			}
		})
	}
}
