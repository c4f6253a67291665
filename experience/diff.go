package experience

import (
	"reflect"
	"slices"
	"sort"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/personalization"
)

// ChangeKind says how a block differs between two instants.
type ChangeKind string

const (
	Added   ChangeKind = "ADDED"   // only at the later instant
	Removed ChangeKind = "REMOVED" // only at the earlier instant
	Changed ChangeKind = "CHANGED" // another variant, or other fields
)

// Seen is a block (or the entry itself) as a visitor sees it at one
// instant.
type Seen struct {
	Type     string
	Decision personalization.Decision
	Fields   map[string]any
}

// BlockChange is one block whose view differs between two instants.
type BlockChange struct {
	// BlockID is "" for the entry itself (its fields and own variants).
	BlockID string
	Kind    ChangeKind
	// Before and After are nil when the block is absent at that instant.
	Before, After *Seen
	// Fields lists the field keys whose delivered value differs, sorted.
	Fields []string
}

// Diff compares what one visitor context sees of an entry at two instants:
// before and after are the entry as read at each instant (nil: not
// published then) and dBefore and dAfter its decisions by a visitor built
// at that instant. blocksField names the entry's blocks field, compared
// block by block rather than as one of the entry's fields. It returns the
// entry itself first (when it changed), then the blocks in the order of
// the later instant, removed blocks last.
func Diff(blocksField string, before *content.Resolved, dBefore *EntryDecision, after *content.Resolved, dAfter *EntryDecision) []BlockChange {
	var out []BlockChange
	seenEntry := func(r *content.Resolved, d *EntryDecision) *Seen {
		if r == nil {
			return nil
		}
		fields := make(map[string]any, len(d.Fields))
		for k, v := range d.Fields {
			if k != blocksField {
				fields[k] = v
			}
		}
		return &Seen{Type: r.Type, Decision: d.Decision, Fields: fields}
	}
	if c, ok := compare("", seenEntry(before, dBefore), seenEntry(after, dAfter)); ok {
		out = append(out, c)
	}
	blocks := func(r *content.Resolved, d *EntryDecision) ([]string, map[string]*Seen) {
		m := map[string]*Seen{}
		var ids []string
		if r == nil {
			return ids, m
		}
		for i, b := range r.Blocks {
			ids = append(ids, b.ID)
			m[b.ID] = &Seen{Type: b.Type, Decision: d.Blocks[i].Decision, Fields: d.Blocks[i].Fields}
		}
		return ids, m
	}
	beforeIDs, beforeSeen := blocks(before, dBefore)
	afterIDs, afterSeen := blocks(after, dAfter)
	for _, id := range afterIDs {
		if c, ok := compare(id, beforeSeen[id], afterSeen[id]); ok {
			out = append(out, c)
		}
	}
	for _, id := range beforeIDs {
		if !slices.Contains(afterIDs, id) {
			out = append(out, BlockChange{BlockID: id, Kind: Removed, Before: beforeSeen[id]})
		}
	}
	return out
}

func compare(id string, a, b *Seen) (BlockChange, bool) {
	switch {
	case a == nil && b == nil:
		return BlockChange{}, false
	case a == nil:
		return BlockChange{BlockID: id, Kind: Added, After: b, Fields: keys(b.Fields)}, true
	case b == nil:
		return BlockChange{BlockID: id, Kind: Removed, Before: a, Fields: keys(a.Fields)}, true
	}
	var fields []string
	for _, k := range keys(a.Fields, b.Fields) {
		if !reflect.DeepEqual(a.Fields[k], b.Fields[k]) {
			fields = append(fields, k)
		}
	}
	if len(fields) == 0 && a.Type == b.Type && a.Decision.Variant == b.Decision.Variant && a.Decision.Campaign == b.Decision.Campaign {
		return BlockChange{}, false
	}
	return BlockChange{BlockID: id, Kind: Changed, Before: a, After: b, Fields: nonNilStrings(fields)}, true
}

func keys(maps ...map[string]any) []string {
	var out []string
	for _, m := range maps {
		for k := range m {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return nonNilStrings(out)
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
