package content

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

func TestLocaleChains(t *testing.T) {
	t.Parallel()
	custom := Locales{Default: "en", Supported: []string{"en", "ro", "ro-RO", "ro-MD", "de", "de-AT", "fr-CA", "fr"},
		Fallbacks: map[string]string{"ro-MD": "ro-RO", "fr-CA": "en"}}
	require.NoError(t, custom.Validate())
	cases := []struct {
		locales Locales
		in      string
		want    []string
	}{
		{DefaultLocales(), "ro-RO", []string{"ro-RO", "ro", "en"}},
		{DefaultLocales(), "ro", []string{"ro", "en"}},
		{DefaultLocales(), "en", []string{"en"}},
		{DefaultLocales(), "", []string{"en"}},
		{custom, "ro-MD", []string{"ro-MD", "ro-RO", "ro", "en"}},
		{custom, "de-AT", []string{"de-AT", "de", "en"}},
		{custom, "fr-CA", []string{"fr-CA", "en"}},                                                     // a custom fallback beats the language
		{Locales{Default: "en", Supported: []string{"en", "pt-BR"}}, "pt-BR", []string{"pt-BR", "en"}}, // no "pt": straight to the default
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := tc.locales.Chain(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
	_, err := DefaultLocales().Chain("de")
	requireCode(t, err, errs.BadUserInput)
	requireCode(t, DefaultLocales().CheckWritable("xx"), errs.BadUserInput)
	require.NoError(t, DefaultLocales().CheckWritable("ro-RO"))
}

func TestLocalesValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		locales Locales
		want    string
	}{
		{"default not supported", Locales{Default: "de", Supported: []string{"en"}}, "not in supported"},
		{"bad tag", Locales{Default: "en", Supported: []string{"en", "Romanian"}}, "not a locale tag"},
		{"fallback to unsupported", Locales{Default: "en", Supported: []string{"en", "ro"}, Fallbacks: map[string]string{"ro": "de"}}, "unsupported"},
		{"two-locale cycle", Locales{Default: "en", Supported: []string{"en", "ro", "ro-RO"},
			Fallbacks: map[string]string{"ro": "ro-RO", "ro-RO": "ro"}}, "loops"},
		{"self cycle", Locales{Default: "en", Supported: []string{"en", "ro"}, Fallbacks: map[string]string{"ro": "ro"}}, "loops"},
		{"three-locale cycle", Locales{Default: "en", Supported: []string{"en", "de", "fr", "it"},
			Fallbacks: map[string]string{"de": "fr", "fr": "it", "it": "de"}}, "loops"},
		{"default falls back", Locales{Default: "en", Supported: []string{"en", "ro"}, Fallbacks: map[string]string{"en": "ro"}}, "takes no fallback"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.ErrorContains(t, tc.locales.Validate(), tc.want)
		})
	}
	require.NoError(t, DefaultLocales().Validate())
}

func TestNewServiceRefusesBadLocales(t *testing.T) {
	t.Parallel()
	_, err := NewService(nil, Config{Locales: Locales{Default: "en", Supported: []string{"en", "ro"},
		Fallbacks: map[string]string{"ro": "ro"}}})
	require.ErrorContains(t, err, "loops")
}

func ExampleLocales_Chain() {
	l := Locales{Default: "en", Supported: []string{"en", "ro", "ro-RO", "ro-MD"},
		Fallbacks: map[string]string{"ro-MD": "ro-RO"}}
	chain, _ := l.Chain("ro-MD")
	fmt.Println(chain)
	// Output: [ro-MD ro-RO ro en]
}
