package server_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/internal/testapp"
)

// The studio's locale tabs read the project's locales and each one's
// fallback chain from the API, whoever asks (the chain is configuration,
// not content).
func TestLocalesListsEachChain(t *testing.T) {
	t.Parallel()
	app := testapp.New(t, testapp.Options{NoSeed: true})
	res := app.Query("", `{ locales { default supported { code fallbackChain } } }`, nil)
	require.Empty(t, res.Errors)
	require.Equal(t, map[string]any{
		"default": "en",
		"supported": []any{
			map[string]any{"code": "en", "fallbackChain": []any{"en"}},
			map[string]any{"code": "ro", "fallbackChain": []any{"ro", "en"}},
			map[string]any{"code": "ro-RO", "fallbackChain": []any{"ro-RO", "ro", "en"}},
		},
	}, res.Data["locales"])
}
