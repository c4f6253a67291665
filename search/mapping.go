package search

import (
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion numbers the index layout: fields, analyzers and how
// documents are built. Bump it whenever any of them changes; an index built
// by another version is rebuilt on start.
const MappingVersion = 1

// Document field names. Text lives in one title and one body field per
// language (title_ro, body_ro), each with that language's analyzer: a
// field has one analyzer, and bleve picks it by field name at query time.
const (
	fieldEntry       = "entry"
	fieldLocale      = "locale"
	fieldType        = "type"
	fieldSlug        = "slug"
	fieldTags        = "tags"
	fieldRefs        = "refs" // global blocks embedded, to reindex embedders
	fieldPublishedAt = "publishedAt"
)

func titleField(lang string) string { return "title_" + lang }
func bodyField(lang string) string  { return "body_" + lang }

// Internal metadata keys, stored with the index in the same batches as the
// documents they describe.
var (
	keyMapping = []byte("mosaic.mapping")
	keyEpoch   = []byte("mosaic.epoch")
)

// fingerprint identifies the layout an index was built with: the mapping
// version and the locales it holds documents for.
func fingerprint(locales []string) string {
	l := slices.Clone(locales)
	slices.Sort(l)
	return fmt.Sprintf("v%d;%s", MappingVersion, strings.Join(l, ","))
}

// languages returns the analyzer keys the locales need, sorted.
func languages(locales []string) []string {
	var out []string
	for _, loc := range locales {
		if l := language(loc); !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

// newMapping builds the index mapping for locales. Nothing is dynamic:
// only the fields below are indexed, so a stray value cannot grow the
// index or collide with a field's analyzer.
func newMapping(locales []string) *mapping.IndexMappingImpl {
	kw := func(store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store, f.IncludeInAll, f.IncludeTermVectors = store, false, false
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldEntry, kw(true))
	doc.AddFieldMappingsAt(fieldLocale, kw(false))
	doc.AddFieldMappingsAt(fieldType, kw(false))
	doc.AddFieldMappingsAt(fieldSlug, kw(false))
	doc.AddFieldMappingsAt(fieldTags, kw(false))
	refs := kw(false)
	refs.DocValues = false
	doc.AddFieldMappingsAt(fieldRefs, refs)
	published := bleve.NewDateTimeFieldMapping()
	published.IncludeInAll = false
	doc.AddFieldMappingsAt(fieldPublishedAt, published)
	for _, lang := range languages(locales) {
		// Stored with term vectors: the highlighter cuts fragments from the
		// stored text at the recorded offsets.
		text := func() *mapping.FieldMapping {
			f := bleve.NewTextFieldMapping()
			f.Analyzer = analyzerName(lang)
			f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = true, true, false, false
			return f
		}
		doc.AddFieldMappingsAt(titleField(lang), text())
		doc.AddFieldMappingsAt(bodyField(lang), text())
	}
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = analyzerName(standardLanguage)
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false
	return m
}
