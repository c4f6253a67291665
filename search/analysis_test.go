package search

import (
	"testing"

	"github.com/blevesearch/bleve/v2/registry"
	"github.com/stretchr/testify/require"
)

func terms(t *testing.T, lang, text string) []string {
	t.Helper()
	a, err := registry.NewCache().AnalyzerNamed(analyzerName(lang))
	require.NoError(t, err)
	var out []string
	for _, tok := range a.Analyze([]byte(text)) {
		out = append(out, string(tok.Term))
		// Offsets point into the original text: highlights depend on it.
		require.Equal(t, string(tok.Term) != "", tok.End > tok.Start)
	}
	return out
}

func TestFoldingMatchesWithAndWithoutDiacritics(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ lang, a, b string }{
		{"ro", "cumpărături", "cumparaturi"},
		{"ro", "Căciulă tricotată", "caciula tricotata"},
		{"ro", "ștergător ţesătură", "stergator tesatura"}, // comma-below and cedilla
		{"ro", "cumpa\u0306ra\u0306turi", "cumparaturi"},   // combining breve
		{"de", "Müller Straße", "muller strasse"},
		{"fr", "crème brûlée", "creme brulee"},
		{"es", "años pequeños", "anos pequenos"},
		{"it", "perché città", "perche citta"},
		{"ru", "ёлка", "елка"},
		{"pl", "żółć", "zolc"},
		{"standard", "Ærøskøbing Łódź", "aeroskobing lodz"},
	} {
		require.Equal(t, terms(t, tc.lang, tc.a), terms(t, tc.lang, tc.b), "%s: %s / %s", tc.lang, tc.a, tc.b)
	}
	// Stemming still applies: inflected forms meet.
	require.Equal(t, terms(t, "ro", "cumpărăturile"), terms(t, "ro", "cumparaturi"))
	require.Equal(t, terms(t, "en", "boots"), terms(t, "en", "boot"))
}

func TestFoldKeepsOffsetsOfTheOriginalText(t *testing.T) {
	t.Parallel()
	a, err := registry.NewCache().AnalyzerNamed(analyzerName("ro"))
	require.NoError(t, err)
	text := "Lista de cumpărături"
	toks := a.Analyze([]byte(text))
	last := toks[len(toks)-1]
	require.Equal(t, "cumpărături", text[last.Start:last.End])
}

func TestLanguageOfLocale(t *testing.T) {
	t.Parallel()
	for loc, want := range map[string]string{"ro": "ro", "ro-RO": "ro", "en-GB": "en", "pt-BR": "pt", "nb": "no",
		"zh-Hant": "cjk", "ja": "cjk", "xx": "standard", "bg": "standard"} {
		require.Equal(t, want, language(loc), loc)
	}
}

func TestEveryLanguageAnalyzerBuilds(t *testing.T) {
	t.Parallel()
	cache := registry.NewCache()
	for _, lang := range append(bleveLanguages, standardLanguage) {
		a, err := cache.AnalyzerNamed(analyzerName(lang))
		require.NoError(t, err, lang)
		require.NotEmpty(t, a.Analyze([]byte("Mosaic 2026")), lang)
	}
}
