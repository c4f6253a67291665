package content

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/internal/jsonscan"
)

// Resolved is a published entry as delivered: fields merged along the
// locale chain, blocks in order with global blocks filled in, and the
// entries it references loaded in the same batch (no query per block).
// Values are shared with the cache: callers must not mutate them.
type Resolved struct {
	ID          string
	Type        string
	Locale      string // the locale the entry's own row came from
	Slug        string
	Version     int
	PublishedAt time.Time
	Fields      map[string]any
	// Variants are the entry's own (a global block's live there), as
	// stored; VariantsMemo holds what delivery parses them into.
	Variants     Variants
	VariantsMemo *Memo
	Blocks       []Block
	// Links holds the published entries this one references (fields and
	// blocks), by id; nil for entries that were themselves loaded as links.
	Links map[string]*Resolved
	// BlocksKey is the key of the type's blocks field ("" for none): in
	// Fields it holds the blocks as delivered (content.DeliveredBlock),
	// never the stored ones with their variants.
	BlocksKey string
}

// Block is one delivered block. GlobalID is set for a reusable global block.
type Block struct {
	ID     string
	Type   string
	Fields map[string]any
	// Variants are the block's variants as stored (a global block's are
	// its entry's, and so is VariantsMemo, which holds what delivery
	// parses them into: stored.go).
	Variants     Variants
	VariantsMemo *Memo
	GlobalID     string
}

// Entry returns the published entry of type typ ("" = any) with this slug in
// locale's fallback chain as it is delivered now, or nil when there is none.
func (s *Service) Entry(ctx context.Context, typ, slug, locale string) (*Resolved, error) {
	return s.EntryAt(ctx, typ, slug, locale, time.Time{})
}

// EntryAt is Entry as delivered at instant at (zero: now): the live
// publications plus the scheduled publications (campaign releases) visible
// at that instant. Delivery passes the request's one instant, so every
// part of a response is read at the same instant; editors pass any instant
// to preview it.
func (s *Service) EntryAt(ctx context.Context, typ, slug, locale string, at time.Time) (*Resolved, error) {
	at = s.instant(at)
	if locale == "" {
		locale = s.cfg.Locales.Default
	}
	// The cache is read before the chain is built: only supported locales
	// are ever stored, so a hit needs no check, and a hit allocates
	// nothing but the key.
	key := typ + "\x00" + slug + "\x00" + locale
	if r, ok := s.cache.get(key, at); ok {
		return r, nil
	}
	chain, err := s.cfg.Locales.Chain(locale)
	if err != nil {
		return nil, err
	}
	gen := s.cache.generation()
	until, err := s.until(ctx, at)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.PublishedBySlug(ctx, typ, slug, chain, at)
	if err != nil {
		return nil, fmt.Errorf("loading %s %q: %w", typ, slug, err)
	}
	id, err := pickBySlug(rows, slug, chain)
	if err != nil || id == "" {
		return nil, err
	}
	docs, err := s.assemble(ctx, chain, rows, s.publishedAt(at))
	if err != nil {
		return nil, err
	}
	r := docs[id]
	s.cache.put(key, r, gen, at, until)
	return r, nil
}

// EntriesByIDs returns published entries by id as delivered now (missing
// ids are absent), for per-request loaders.
func (s *Service) EntriesByIDs(ctx context.Context, ids []string, locale string) (map[string]*Resolved, error) {
	return s.EntriesByIDsAt(ctx, ids, locale, time.Time{})
}

// EntriesByIDsAt is EntriesByIDs as delivered at instant at (zero: now).
func (s *Service) EntriesByIDsAt(ctx context.Context, ids []string, locale string, at time.Time) (map[string]*Resolved, error) {
	return s.entriesByIDs(ctx, ids, locale, s.publishedAt(s.instant(at)))
}

// pickBySlug chooses the document a slug names: the first locale in the
// chain where some document has that slug. Two types sharing a slug with no
// type given is ambiguous.
func pickBySlug(rows []Published, slug string, chain []string) (string, error) {
	for _, loc := range chain {
		var id, typ string
		for _, r := range rows {
			if r.Locale != loc || r.Slug != slug {
				continue
			}
			if id != "" && r.EntryID != id {
				return "", errs.Invalid(fmt.Sprintf("slug %q names a %q and a %q: pass type", slug, typ, r.Type),
					errs.FieldError{Path: "type", Message: "required when a slug is shared by several types"})
			}
			id, typ = r.EntryID, r.Type
		}
		if id != "" {
			return id, nil
		}
	}
	return "", nil
}

// assemble merges rows into documents and loads what they link to in one
// batch, plus one more batch for global blocks used by linked entries;
// read loads linked entries in the same mode rows were read in.
func (s *Service) assemble(ctx context.Context, chain []string, rows []Published, read rowsByIDs) (map[string]*Resolved, error) {
	t, err := s.typeSet(ctx)
	if err != nil {
		return nil, err
	}
	docs, err := s.mergeRows(t, chain, rows)
	if err != nil {
		return nil, err
	}
	linked := map[string]*Resolved{}
	want := func(from map[string]*Resolved, globalsOnly bool) []string {
		var ids []string
		for _, d := range from {
			for _, id := range linkIDs(t, d, globalsOnly) {
				if docs[id] == nil && linked[id] == nil && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
		}
		return ids
	}
	for round, from := 0, docs; round < 2; round++ {
		ids := want(from, round > 0)
		if len(ids) == 0 {
			break
		}
		more, err := read(ctx, ids, chain)
		if err != nil {
			return nil, fmt.Errorf("loading linked entries: %w", err)
		}
		if from, err = s.mergeRows(t, chain, more); err != nil {
			return nil, err
		}
		for id, d := range from {
			linked[id] = d
		}
	}
	all := func(id string) *Resolved {
		if d := docs[id]; d != nil {
			return d
		}
		return linked[id]
	}
	for _, d := range linked {
		d.Blocks = buildBlocks(t, d, all)
	}
	for _, d := range docs {
		d.Blocks = buildBlocks(t, d, all)
		d.Links = map[string]*Resolved{}
		for _, id := range linkIDs(t, d, false) {
			if l := all(id); l != nil {
				d.Links[id] = l
			}
		}
	}
	for _, d := range linked {
		deliverable(t, d)
	}
	for _, d := range docs {
		deliverable(t, d)
	}
	return docs, nil
}

// mergeRows builds one Resolved per document: localized fields from the
// first chain locale that has them, the rest from the default locale.
func (s *Service) mergeRows(t map[string]ContentType, chain []string, rows []Published) (map[string]*Resolved, error) {
	byDoc := map[string][]Published{}
	for _, r := range rows {
		byDoc[r.EntryID] = append(byDoc[r.EntryID], r)
	}
	out := make(map[string]*Resolved, len(byDoc))
	for id, rs := range byDoc {
		slices.SortFunc(rs, func(a, b Published) int {
			return slices.Index(chain, a.Locale) - slices.Index(chain, b.Locale)
		})
		base := rs[0]
		if slices.Index(chain, base.Locale) < 0 {
			continue
		}
		ct := t[base.Type]
		stored := make([]rowFields, len(rs))
		for i := range rs {
			stored[i] = splitRow(rs[i].Fields)
		}
		fields := make(map[string]any, len(ct.Fields))
		for _, f := range ct.Fields {
			for i, r := range rs {
				if !f.Localized && r.Locale != s.cfg.Locales.Default {
					continue
				}
				raw, ok := stored[i][f.Key]
				if !ok || jsonscan.IsNull(raw) {
					continue
				}
				v, err := decodeField(f, raw)
				if err != nil {
					return nil, fmt.Errorf("decoding %s field %s: %w", id, f.Key, err)
				}
				fields[f.Key] = v
				break
			}
		}
		out[id] = &Resolved{ID: id, Type: base.Type, Locale: base.Locale, Slug: base.Slug, Version: base.Version,
			PublishedAt: base.PublishedAt, Fields: fields, Variants: storedVariants(Variants(base.Variants)), VariantsMemo: &Memo{}}
	}
	return out, nil
}

// linkIDs lists the entries d points at: references in its fields and in its
// inline blocks, and global blocks.
func linkIDs(t map[string]ContentType, d *Resolved, globalsOnly bool) []string {
	var ids []string
	var walk func(ct ContentType, fields map[string]any, depth int)
	walk = func(ct ContentType, fields map[string]any, depth int) {
		for _, f := range ct.Fields {
			v := fields[f.Key]
			switch {
			case f.Kind == KindReference && !globalsOnly:
				ids = appendIDs(ids, v)
			case f.Kind == KindBlocks && depth < maxBlockDepth:
				list, _ := v.([]any)
				for _, it := range list {
					b, _ := it.(map[string]any)
					if ref, ok := b["ref"].(string); ok {
						ids = append(ids, ref)
					} else if bt, ok := t[stringOf(b["type"])]; ok {
						inner, _ := b["fields"].(map[string]any)
						walk(bt, inner, depth+1)
					}
				}
			}
		}
	}
	walk(t[d.Type], d.Fields, 0)
	return ids
}

func appendIDs(ids []string, v any) []string {
	switch x := v.(type) {
	case string:
		return append(ids, x)
	case []any:
		for _, it := range x {
			if s, ok := it.(string); ok {
				ids = append(ids, s)
			}
		}
	}
	return ids
}

// buildBlocks lays out d's first blocks field; a global block that is not
// published is left out, as an unpublished entry is.
func buildBlocks(t map[string]ContentType, d *Resolved, get func(string) *Resolved) []Block {
	f, ok := t[d.Type].BlocksField()
	if !ok {
		return nil
	}
	list, _ := d.Fields[f.Key].([]any)
	out := make([]Block, 0, len(list))
	for _, it := range list {
		b, _ := it.(map[string]any)
		id := stringOf(b["id"])
		if ref, isRef := b["ref"].(string); isRef {
			g := get(ref)
			if g == nil {
				continue
			}
			out = append(out, Block{ID: id, Type: g.Type, Fields: g.Fields, Variants: g.Variants, VariantsMemo: g.VariantsMemo, GlobalID: g.ID})
			continue
		}
		fields, _ := b["fields"].(map[string]any)
		out = append(out, Block{ID: id, Type: stringOf(b["type"]), Fields: fields, Variants: storedVariants(b[variantsKey]), VariantsMemo: &Memo{}})
	}
	return out
}

func stringOf(v any) string {
	s, _ := v.(string)
	return s
}
