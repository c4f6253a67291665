package surrogate_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/delivery/surrogate"
)

func TestParseHeaders(t *testing.T) {
	for in, want := range map[string][]string{
		"Surrogate-Key":             {"Surrogate-Key"},
		"cache-tag":                 {"Cache-Tag"},
		" Surrogate-Key, CACHE-TAG": {"Surrogate-Key", "Cache-Tag"},
		"Cache-Tag,Cache-Tag":       {"Cache-Tag"},
		"off":                       {},
		"":                          {},
	} {
		got, err := surrogate.ParseHeaders(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"Edge-Cache-Tag", "Surrogate-Key,", "xkey", "off,Cache-Tag"} {
		_, err := surrogate.ParseHeaders(bad)
		require.ErrorContains(t, err, "want Surrogate-Key, Cache-Tag", bad)
	}
	require.Equal(t, " ", surrogate.Separator(surrogate.Header))
	require.Equal(t, ",", surrogate.Separator(surrogate.TagHeader))
}
