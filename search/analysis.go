package search

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	unitok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"

	// The language analyzers bleve ships; each registers itself.
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ar"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ckb"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/da"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/de"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/es"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fa"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/fr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hi"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hr"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/hu"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/it"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/nl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/no"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pl"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/pt"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ro"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/ru"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/sv"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/tr"
)

// bleveLanguages are the languages with a full analyzer (stop words and a
// stemmer) in bleve/v2; every other language gets the standard analyzer.
var bleveLanguages = []string{"ar", "cjk", "ckb", "da", "de", "en", "es", "fa", "fi", "fr", "hi",
	"hr", "hu", "it", "nl", "no", "pl", "pt", "ro", "ru", "sv", "tr"}

// languageAliases maps language subtags onto the analyzer that serves them.
var languageAliases = map[string]string{"nb": "no", "nn": "no", "zh": "cjk", "ja": "cjk", "ko": "cjk", "ku": "ckb"}

const (
	standardLanguage = "standard"
	foldFilterName   = "mosaic_fold"
	analyzerPrefix   = "mosaic_"
)

// language returns the analyzer key for a locale tag: "ro-RO" → "ro",
// "zh-Hant" → "cjk", "xx" → "standard".
func language(locale string) string {
	lang, _, _ := strings.Cut(strings.ToLower(locale), "-")
	if a, ok := languageAliases[lang]; ok {
		return a
	}
	for _, l := range bleveLanguages {
		if l == lang {
			return lang
		}
	}
	return standardLanguage
}

// analyzerName is the registered analyzer for a language key.
func analyzerName(lang string) string { return analyzerPrefix + lang }

// foldFilter folds accents and diacritics away (ă → a, ș → s, ß → ss, é →
// e), before the language's stop words and stemmer, so that
// "cumparaturi" and "cumpărături" reach the stemmer as the same token on
// both the index and the query side. It is a token filter rather than
// bleve's asciifolding char filter: a char filter changes byte lengths and
// would shift every highlight after the first accent, while token filters
// keep the tokenizer's offsets into the original text.
type foldFilter struct {
	ascii *asciifolding.AsciiFoldingFilter
}

// stripMarks decomposes and drops combining marks, so text typed with
// combining characters (a + U+0306) folds like precomposed text (ă). It
// recomposes what is left (Hangul). norm.Form is safe for concurrent use;
// a transform.Chain is not, and analysis runs on several goroutines.
func stripMarks(b []byte) []byte {
	d := norm.NFD.Bytes(b)
	out := make([]byte, 0, len(d))
	for len(d) > 0 {
		r, size := utf8.DecodeRune(d)
		if !unicode.Is(unicode.Mn, r) {
			out = utf8.AppendRune(out, r)
		}
		d = d[size:]
	}
	return norm.NFC.Bytes(out)
}

func (f foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Term = fold(f.ascii, tok.Term)
	}
	return input
}

// fold folds one term. Lucene's ASCII folding covers precomposed Latin
// letters (all of Romanian, German, French...) cheaply; only what it
// leaves non-ASCII (combining marks, ё, Greek tonos) pays for Unicode
// decomposition.
func fold(ascii *asciifolding.AsciiFoldingFilter, term []byte) []byte {
	if isASCII(term) {
		return term
	}
	folded := ascii.Filter(term)
	if isASCII(folded) {
		return folded
	}
	return ascii.Filter(stripMarks(folded))
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldString is fold for query terms the analyzers never see (wildcards).
func foldString(s string) string {
	return string(fold(asciifolding.New(), []byte(strings.ToLower(s))))
}

// withFold returns a copy of a language analyzer with foldFilter placed
// before its stop filter, which is given the folded stop words too (so
// "perche" is dropped like "perché"); without a stop filter, fold goes
// after the lower-case filter.
func withFold(base analysis.Analyzer, stopWords analysis.TokenMap) (analysis.Analyzer, error) {
	da, ok := base.(*analysis.DefaultAnalyzer)
	if !ok {
		return nil, fmt.Errorf("analyzer %T is not a DefaultAnalyzer", base)
	}
	ascii := asciifolding.New()
	filters := slices.Clone(da.TokenFilters)
	at := 0
	for i, f := range filters {
		if _, ok := f.(*lowercase.LowerCaseFilter); ok {
			at = i + 1
		}
	}
	if i := slices.IndexFunc(filters, func(f analysis.TokenFilter) bool { _, ok := f.(*stop.StopTokensFilter); return ok }); i >= 0 && stopWords != nil {
		folded := analysis.NewTokenMap()
		for w := range stopWords {
			folded.AddToken(w)
			folded.AddToken(string(fold(ascii, []byte(w))))
		}
		filters[i] = stop.NewStopTokensFilter(folded)
		at = i
	}
	filters = slices.Insert(filters, at, analysis.TokenFilter(foldFilter{ascii: ascii}))
	return &analysis.DefaultAnalyzer{CharFilters: da.CharFilters, Tokenizer: da.Tokenizer, TokenFilters: filters}, nil
}

// init registers mosaic_<lang> for every language, and mosaic_standard
// (Unicode words, lower case, folded) for the rest. Registration is
// global in bleve: indexes opened later find the analyzers by name.
func init() {
	must(registry.RegisterTokenFilter(foldFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{ascii: asciifolding.New()}, nil
	}))
	for _, lang := range bleveLanguages {
		must(registry.RegisterAnalyzer(analyzerName(lang), func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
			base, err := cache.AnalyzerNamed(lang)
			if err != nil {
				return nil, err
			}
			// Every bleve language with a stop filter names its list so.
			stopWords, _ := cache.TokenMapNamed("stop_" + lang)
			return withFold(base, stopWords)
		}))
	}
	must(registry.RegisterAnalyzer(analyzerName(standardLanguage), func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		tok, err := cache.TokenizerNamed(unitok.Name)
		if err != nil {
			return nil, err
		}
		lower, err := cache.TokenFilterNamed(lowercase.Name)
		if err != nil {
			return nil, err
		}
		return &analysis.DefaultAnalyzer{Tokenizer: tok,
			TokenFilters: []analysis.TokenFilter{lower, foldFilter{ascii: asciifolding.New()}}}, nil
	}))
}

// must panics on a registration error: a duplicate name is a programming
// error found by the first test run.
func must(err error) {
	if err != nil {
		panic(err)
	}
}
