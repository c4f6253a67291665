package search

import (
	"strings"
	"time"

	"github.com/mosaichq/mosaic/content"
)

// titleKeys are the field keys whose text becomes an entry's title, in
// order of preference; the title is weighed above the body when ranking.
var titleKeys = []string{"title", "name", "headline", "label"}

// tagsKey is the field that feeds the tags facet: a text list or an enum.
const tagsKey = "tags"

// maxBlockDepth bounds how deep nested blocks are walked for text.
const maxBlockDepth = 4

// docID is the index document of one entry in one locale.
func docID(entryID, locale string) string { return entryID + "/" + locale }

// splitDocID reverses docID: entry ids are UUIDs and locale tags hold no
// slash.
func splitDocID(id string) (entryID, locale string) {
	entryID, locale, _ = strings.Cut(id, "/")
	return entryID, locale
}

// document is an entry as indexed in one locale. Only entry-kind types are
// documents: a global block is searchable through the entries embedding it.
type document struct {
	entry, locale, typ, slug string
	publishedAt              time.Time
	title                    string
	body                     []string
	tags                     []string
	refs                     []string
}

// newDocument extracts what is searchable from a delivered entry: text,
// rich text as plain text and enum values of its fields and of its blocks
// (global blocks included), in the block order editors see. Variants are
// not indexed: search matches the default content every visitor can get.
func newDocument(r *content.Resolved, locale string, types map[string]content.ContentType) document {
	d := document{entry: r.ID, locale: locale, typ: r.Type, slug: r.Slug, publishedAt: r.PublishedAt}
	ct := types[r.Type]
	d.title = titleOf(ct, r.Fields)
	d.tags = tagsOf(ct, r.Fields)
	d.collect(types, ct, r.Fields, true, 0)
	for _, b := range r.Blocks {
		if b.GlobalID != "" {
			d.refs = append(d.refs, b.GlobalID)
		}
		d.collect(types, types[b.Type], b.Fields, false, 1)
	}
	if d.title == "" {
		d.title = r.Slug
	}
	return d
}

// fields is the bleve document: field names carry the locale's language so
// each text field is analyzed by its language's analyzer.
func (d document) fields() map[string]any {
	lang := language(d.locale)
	m := map[string]any{
		fieldEntry: d.entry, fieldLocale: d.locale, fieldType: d.typ, fieldSlug: d.slug,
		fieldPublishedAt: d.publishedAt,
		titleField(lang): d.title,
		bodyField(lang):  strings.Join(d.body, "\n"),
	}
	if len(d.tags) > 0 {
		m[fieldTags] = d.tags
	}
	if len(d.refs) > 0 {
		m[fieldRefs] = d.refs
	}
	return m
}

func titleOf(ct content.ContentType, fields map[string]any) string {
	for _, k := range titleKeys {
		if f, ok := ct.Field(k); ok && f.Kind == content.KindText && !f.List {
			if s, _ := fields[k].(string); s != "" {
				return s
			}
		}
	}
	return ""
}

func tagsOf(ct content.ContentType, fields map[string]any) []string {
	f, ok := ct.Field(tagsKey)
	if !ok || (f.Kind != content.KindText && f.Kind != content.KindEnum) {
		return nil
	}
	var out []string
	for _, s := range stringValues(fields[tagsKey]) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// collect appends the searchable text of fields to d.body. top says these
// are the entry's own fields, whose title is indexed apart; the first
// blocks field of an entry is delivered (and so indexed) as r.Blocks.
func (d *document) collect(types map[string]content.ContentType, ct content.ContentType, fields map[string]any, top bool, depth int) {
	skippedBlocks := false
	for _, f := range ct.Fields {
		v, ok := fields[f.Key]
		if !ok || v == nil || (top && f.Key == tagsKey) {
			continue
		}
		switch f.Kind {
		case content.KindText:
			for _, s := range stringValues(v) {
				if top && s == d.title {
					continue
				}
				if !looksLikeURL(s) {
					d.add(s)
				}
			}
		case content.KindEnum:
			for _, s := range stringValues(v) {
				d.add(s)
			}
		case content.KindRichText:
			d.add(plainText(v))
		case content.KindBlocks:
			if top && !skippedBlocks {
				skippedBlocks = true // delivered as r.Blocks, globals filled in
				continue
			}
			if depth < maxBlockDepth {
				d.inlineBlocks(types, v, depth+1)
			}
		}
	}
}

// inlineBlocks walks a nested blocks value; references to global blocks
// inside nested blocks are not followed (delivery does not fill them in).
func (d *document) inlineBlocks(types map[string]content.ContentType, v any, depth int) {
	list, _ := v.([]any)
	for _, it := range list {
		b, _ := it.(map[string]any)
		typ, _ := b["type"].(string)
		fields, _ := b["fields"].(map[string]any)
		if ct, ok := types[typ]; ok && fields != nil {
			d.collect(types, ct, fields, false, depth)
		}
	}
}

func (d *document) add(s string) {
	if s = strings.TrimSpace(s); s != "" {
		d.body = append(d.body, s)
	}
}

// stringValues reads a text or enum value, single or list.
func stringValues(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, it := range x {
			if s, ok := it.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return x
	}
	return nil
}

// looksLikeURL skips links and paths: "/demo/hero.jpg" would only add noise
// words to every search.
func looksLikeURL(s string) bool {
	return strings.HasPrefix(s, "/") || strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// plainText flattens a rich text document (ProseMirror JSON) to text, one
// line per block node, so phrases do not run across paragraphs.
func plainText(v any) string {
	var b strings.Builder
	var walk func(n map[string]any, depth int)
	walk = func(n map[string]any, depth int) {
		if depth > 32 {
			return
		}
		if s, ok := n["text"].(string); ok {
			b.WriteString(s)
		}
		children, _ := n["content"].([]any)
		for _, c := range children {
			if cm, ok := c.(map[string]any); ok {
				walk(cm, depth+1)
			}
		}
		if t, _ := n["type"].(string); t != "text" && t != "doc" && b.Len() > 0 {
			b.WriteByte('\n')
		}
	}
	if doc, ok := v.(map[string]any); ok {
		walk(doc, 0)
	}
	return strings.TrimSpace(b.String())
}
