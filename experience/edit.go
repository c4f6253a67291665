package experience

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/personalization"
)

// Drafts is what the Editor needs of the content service (which satisfies
// it): read a draft and save it through the one validated write path.
type Drafts interface {
	Draft(ctx context.Context, id, locale string) (content.Entry, error)
	ContentType(ctx context.Context, key string) (content.ContentType, error)
	UpdateEntry(ctx context.Context, actor, id, locale string, patch content.EntryPatch, expectedVersion int) (content.Entry, error)
}

// Editor adds, edits, removes and reorders the variants of a block of a
// draft, or of an entry itself. Each edit is one UpdateEntry: validated by
// the content service (with the CheckVariants hook), guarded by
// expectedVersion, written in one statement — so a stale version is a
// CONFLICT and nothing is half-written.
type Editor struct {
	content Drafts
}

// NewEditor returns an Editor over the content service.
func NewEditor(c Drafts) *Editor { return &Editor{content: c} }

// Target names the variants list to edit: inline block BlockID of the
// draft (EntryID, Locale), or the entry's own variants when BlockID is ""
// (that is where a global block's variants live).
type Target struct {
	EntryID string
	Locale  string
	BlockID string
}

// UpsertVariant replaces the variant with v.Key in place, or appends v.
func (e *Editor) UpsertVariant(ctx context.Context, actor string, t Target, v personalization.Variant, expectedVersion int) (content.Entry, error) {
	return e.edit(ctx, actor, t, expectedVersion, func(list []any) ([]any, error) {
		j := VariantJSON(v)
		if i := indexOf(list, v.Key); i >= 0 {
			list[i] = j
			return list, nil
		}
		return append(list, j), nil
	})
}

// RemoveVariant deletes the variant with key; an unknown key is NOT_FOUND.
func (e *Editor) RemoveVariant(ctx context.Context, actor string, t Target, key string, expectedVersion int) (content.Entry, error) {
	return e.edit(ctx, actor, t, expectedVersion, func(list []any) ([]any, error) {
		i := indexOf(list, key)
		if i < 0 {
			return nil, errs.E(errs.NotFound, "no variant %q", key)
		}
		return slices.Delete(list, i, i+1), nil
	})
}

// ReorderVariants puts the variants in the order of keys, which must name
// each existing variant exactly once. Order breaks the last precedence tie.
func (e *Editor) ReorderVariants(ctx context.Context, actor string, t Target, keys []string, expectedVersion int) (content.Entry, error) {
	return e.edit(ctx, actor, t, expectedVersion, func(list []any) ([]any, error) {
		have := make([]string, len(list))
		for i, it := range list {
			have[i] = variantKey(it)
		}
		if len(keys) != len(list) || !sameSet(keys, have) {
			return nil, errs.Invalid("keys must name every variant exactly once",
				errs.FieldError{Path: "keys", Message: fmt.Sprintf("the variants are %s", strings.Join(have, ", "))})
		}
		out := make([]any, len(list))
		for i, k := range keys {
			out[i] = list[slices.Index(have, k)]
		}
		return out, nil
	})
}

// edit loads the draft, applies change to the target's variants and saves.
// The version is checked up front too, so a stale edit is refused before
// any work; UpdateEntry checks it again atomically in the write.
func (e *Editor) edit(ctx context.Context, actor string, t Target, expectedVersion int, change func([]any) ([]any, error)) (content.Entry, error) {
	d, err := e.content.Draft(ctx, t.EntryID, t.Locale)
	if err != nil {
		return content.Entry{}, err
	}
	if d.Version != expectedVersion {
		return content.Entry{}, errs.E(errs.Conflict, "entry %s (%s) is at version %d, not %d: reload and reapply your change",
			d.ID, d.Locale, d.Version, expectedVersion)
	}
	var patch content.EntryPatch
	if t.BlockID == "" {
		list, err := change(slices.Clone(d.Variants))
		if err != nil {
			return content.Entry{}, err
		}
		patch.Variants = nonNil(list)
	} else {
		ct, err := e.content.ContentType(ctx, d.Type)
		if err != nil {
			return content.Entry{}, err
		}
		// d.Fields is this call's own copy (decoded from the store), so it
		// may be changed in place and sent back whole.
		b := e.findBlock(ctx, ct, d.Fields, t.BlockID, 0)
		switch {
		case b == nil:
			return content.Entry{}, errs.E(errs.NotFound, "entry %s (%s) has no block %q", d.ID, d.Locale, t.BlockID)
		case b["ref"] != nil:
			return content.Entry{}, errs.Invalid(fmt.Sprintf("block %q is the global block %v: edit that entry's own variants", t.BlockID, b["ref"]),
				errs.FieldError{Path: "blockId", Message: "a global block's variants live on its entry: pass its id and no blockId"})
		}
		list, _ := b["variants"].([]any)
		list, err = change(slices.Clone(list))
		if err != nil {
			return content.Entry{}, err
		}
		b["variants"] = nonNil(list)
		patch.Fields = d.Fields
	}
	return e.content.UpdateEntry(ctx, actor, d.ID, d.Locale, patch, expectedVersion)
}

// findBlock finds the block with id among the blocks fields of a value of
// type ct, descending into blocks nested in blocks.
func (e *Editor) findBlock(ctx context.Context, ct content.ContentType, fields map[string]any, id string, depth int) map[string]any {
	if depth > 4 {
		return nil
	}
	for _, f := range ct.Fields {
		if f.Kind != content.KindBlocks {
			continue
		}
		list, _ := fields[f.Key].([]any)
		for _, it := range list {
			b, _ := it.(map[string]any)
			if b == nil {
				continue
			}
			if b["id"] == id {
				return b
			}
			inner, _ := b["fields"].(map[string]any)
			typ, _ := b["type"].(string)
			if inner == nil || typ == "" {
				continue
			}
			if bt, err := e.content.ContentType(ctx, typ); err == nil {
				if found := e.findBlock(ctx, bt, inner, id, depth+1); found != nil {
					return found
				}
			}
		}
	}
	return nil
}

func variantKey(it any) string {
	m, _ := it.(map[string]any)
	k, _ := m["key"].(string)
	return k
}

func indexOf(list []any, key string) int {
	return slices.IndexFunc(list, func(it any) bool { return variantKey(it) == key })
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y) && len(slices.Compact(x)) == len(a)
}

// nonNil keeps an emptied list as [] rather than null, so the stored value
// still reads as "no variants".
func nonNil(list []any) []any {
	if list == nil {
		return []any{}
	}
	return list
}
