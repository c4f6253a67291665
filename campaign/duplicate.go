package campaign

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

// DuplicateInput is what duplicateCampaign takes.
type DuplicateInput struct {
	// SourceID or SourceKey (exactly one) names the campaign to duplicate.
	SourceID  string
	SourceKey string
	// Key is the new campaign's key; a taken key is CONFLICT.
	Key string
	// Name defaults to the source's name with " (copy)".
	Name string
}

// Duplicate creates a new DRAFT campaign like the source campaign — same
// description, time zone, priority and channel scope, no window — that owns
// a copy of each of its variants: in every draft holding a variant of the
// source, a variant with the same targeting and fields, naming the new
// campaign, is added beside the original, and those drafts (with the
// source's own release) make up the new campaign's release, so its
// variants are published exactly at its start and never before (a release
// publishes each draft whole, as AddToRelease says). This is
// how a campaign is run again: a STOPPED or ENDED one keeps its history.
//
// The drafts are saved one by one through the content service (validated,
// versioned); if one fails — someone saved it meanwhile — the error names
// it and the new campaign stays a DRAFT, live nowhere, with the copies made
// so far.
func (s *Service) Duplicate(ctx context.Context, actor string, in DuplicateInput) (Campaign, error) {
	var src Campaign
	var err error
	switch {
	case (in.SourceID == "") == (in.SourceKey == ""):
		return Campaign{}, errs.Invalid("pass exactly one of id and key", errs.FieldError{Path: "id", Message: "pass id or key, not both"})
	case in.SourceID != "":
		src, err = s.Get(ctx, in.SourceID)
	default:
		src, err = s.ByKey(ctx, in.SourceKey)
	}
	if err != nil {
		return Campaign{}, err
	}
	name := in.Name
	if strings.TrimSpace(name) == "" {
		name = src.Name
		if len(name)+len(" (copy)") <= maxNameLength {
			name += " (copy)"
		}
	}
	dup, err := s.Create(ctx, actor, Input{Key: in.Key, Name: name, Description: src.Description,
		TimeZone: src.TimeZone, Priority: src.Priority, Channels: src.Channels, Cap: src.Cap, Holdout: src.Holdout})
	if err != nil {
		return Campaign{}, err
	}
	items, err := s.store.Release(ctx, src.ID)
	if err != nil {
		return Campaign{}, err
	}
	release := make([]ReleaseItem, 0, len(items))
	for _, it := range items {
		release = append(release, ReleaseItem{EntryID: it.EntryID, Locale: it.Locale})
	}
	copied, err := s.copyVariants(ctx, actor, src.Key, dup.Key)
	if err != nil {
		return Campaign{}, fmt.Errorf("copying the variants of %s to %s: %w", src.Key, dup.Key, err)
	}
	for _, it := range copied {
		if !slices.ContainsFunc(release, func(r ReleaseItem) bool { return r.EntryID == it.EntryID && r.Locale == it.Locale }) {
			release = append(release, it)
		}
	}
	if len(release) == 0 {
		return dup, nil
	}
	now := s.Now()
	for i := range release {
		release[i].AddedAt, release[i].AddedBy = now, actor
	}
	if _, err := s.validateItems(ctx, release, "release of campaign "+dup.Key); err != nil {
		return Campaign{}, err
	}
	return s.save(ctx, Write{Campaign: dup, ExpectedVersion: dup.Version, Actor: actor, At: now, AddItems: release})
}

// copyVariants adds, in every draft holding a variant of campaign from, a
// copy of it naming campaign to, and returns the drafts it saved.
func (s *Service) copyVariants(ctx context.Context, actor, from, to string) ([]ReleaseItem, error) {
	srcs, err := s.store.VariantSources(ctx, from, true)
	if err != nil {
		return nil, err
	}
	var saved []ReleaseItem
	for _, src := range srcs {
		if src.Source != "draft" {
			continue
		}
		d, err := s.cfg.Drafts.Draft(ctx, src.EntryID, src.Locale)
		if err != nil {
			return saved, err
		}
		// d is this call's own copy, decoded from the store: edited in place.
		n := copyIn(d.Fields, from, to, 0)
		own := ownVariants(d.Variants, from, to)
		if n == 0 && own == nil {
			continue
		}
		patch := content.EntryPatch{Fields: d.Fields, Variants: own}
		if _, err := s.cfg.Drafts.UpdateEntry(ctx, actor, d.ID, d.Locale, patch, d.Version); err != nil {
			return saved, fmt.Errorf("entry %s %q (%s): %w", d.Type, d.Slug, d.Locale, err)
		}
		saved = append(saved, ReleaseItem{EntryID: d.ID, Locale: d.Locale})
	}
	return saved, nil
}

// copyIn appends, to every variants list of a block (an object with an id
// and variants) in v at any depth, a copy of each variant of campaign from
// naming campaign to, and returns how many it added. It edits v in place.
func copyIn(v any, from, to string, depth int) int {
	if depth > 12 {
		return 0
	}
	n := 0
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["id"].(string); ok {
			if list, ok := x["variants"].([]any); ok {
				next := withCopies(list, from, to)
				n += len(next) - len(list)
				x["variants"] = next
			}
		}
		for k, child := range x {
			if k != "variants" {
				n += copyIn(child, from, to, depth+1)
			}
		}
	case []any:
		for _, child := range x {
			n += copyIn(child, from, to, depth+1)
		}
	}
	return n
}

// ownVariants is the entry's own variants list with copies (nil: none to
// add).
func ownVariants(list []any, from, to string) []any {
	next := withCopies(list, from, to)
	if len(next) == len(list) {
		return nil
	}
	return next
}

// withCopies returns list with a copy of each variant of campaign from
// appended, naming campaign to. The copy's key is the new campaign's key
// when the original's was the old campaign's, else the original key with
// the new campaign's appended; a key already taken in the list gets -2, -3…
// A list that already holds a variant of `to` is left as it is.
func withCopies(list []any, from, to string) []any {
	keys := map[string]bool{}
	for _, it := range list {
		m, _ := it.(map[string]any)
		if k, _ := m["key"].(string); k != "" {
			keys[k] = true
		}
		if c, _ := m["campaign"].(string); c == to {
			return list
		}
	}
	out := list
	for _, it := range list {
		m, _ := it.(map[string]any)
		if c, _ := m["campaign"].(string); c != from || m == nil {
			continue
		}
		cp := deepCopy(m)
		base, _ := m["key"].(string)
		if base == from || base == "" {
			base = to
		} else {
			base = truncateKey(base + "-" + to)
		}
		key := base
		for i := 2; keys[key]; i++ {
			key = fmt.Sprintf("%s-%d", base[:min(len(base), 56)], i)
		}
		keys[key] = true
		cp["key"], cp["campaign"] = key, to
		out = append(slices.Clip(out), cp)
	}
	return out
}

func truncateKey(k string) string {
	if len(k) > 64 {
		return k[:64]
	}
	return k
}

// deepCopy copies a decoded JSON object, so a copy shares nothing with its
// original.
func deepCopy(m map[string]any) map[string]any {
	raw, err := json.Marshal(m)
	if err != nil {
		panic(err) // decoded JSON always encodes
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		panic(err)
	}
	return out
}
