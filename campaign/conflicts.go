package campaign

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/mosaichq/mosaic/errs"
)

// BlockRef names a block of an entry; BlockID "" is the entry's own
// variants (a global block's live there).
type BlockRef struct {
	EntryID string
	Type    string
	Slug    string
	BlockID string
}

// OwnedVariant is one variant a campaign owns: a variant naming its key.
type OwnedVariant struct {
	BlockRef
	Locale  string
	Variant string
	// Published says the variant is in what delivery shows, or in a
	// release snapshot waiting for its start; false: only in a draft.
	Published bool
}

// ownedVariant is a variant as found in stored content.
type ownedVariant struct {
	block    BlockRef
	locale   string
	key      string
	campaign string
	// channels targeted by the variant; empty: any.
	channels []string
	source   string
}

// walk finds the campaign variants of one stored row: the entry's own and
// those of every block at any depth (an object with an id and variants).
func walk(src VariantSource, want string) []ownedVariant {
	var out []ownedVariant
	ref := BlockRef{EntryID: src.EntryID, Type: src.Type, Slug: src.Slug}
	collect := func(blockID string, list []any) {
		for _, it := range list {
			v, _ := it.(map[string]any)
			key, _ := v["key"].(string)
			camp, _ := v["campaign"].(string)
			if key == "" || camp == "" || (want != "" && camp != want) {
				continue
			}
			var channels []string
			if t, ok := v["targeting"].(map[string]any); ok {
				chs, _ := t["channels"].([]any)
				for _, c := range chs {
					if s, ok := c.(string); ok {
						channels = append(channels, s)
					}
				}
			}
			r := ref
			r.BlockID = blockID
			out = append(out, ownedVariant{block: r, locale: src.Locale, key: key, campaign: camp, channels: channels, source: src.Source})
		}
	}
	collect("", src.Variants)
	var visit func(v any, depth int)
	visit = func(v any, depth int) {
		if depth > 12 {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			if id, ok := x["id"].(string); ok {
				if list, ok := x["variants"].([]any); ok {
					collect(id, list)
				}
			}
			for k, child := range x {
				if k != "variants" {
					visit(child, depth+1)
				}
			}
		case []any:
			for _, child := range x {
				visit(child, depth+1)
			}
		}
	}
	visit(src.Fields, 0)
	return out
}

// OwnedVariants lists the variants campaign key owns, in drafts and in
// what is (or will be) published, by entry, locale, block and variant.
func (s *Service) OwnedVariants(ctx context.Context, key string) ([]OwnedVariant, error) {
	srcs, err := s.store.VariantSources(ctx, key, true)
	if err != nil {
		return nil, err
	}
	type id struct{ entry, locale, block, variant string }
	seen := map[id]*OwnedVariant{}
	var order []id
	for _, src := range srcs {
		for _, v := range walk(src, key) {
			k := id{v.block.EntryID, v.locale, v.block.BlockID, v.key}
			o := seen[k]
			if o == nil {
				o = &OwnedVariant{BlockRef: v.block, Locale: v.locale, Variant: v.key}
				seen[k] = o
				order = append(order, k)
			}
			if v.source != "draft" {
				o.Published = true
			}
		}
	}
	out := make([]OwnedVariant, len(order))
	for i, k := range order {
		out[i] = *seen[k]
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Slug != b.Slug {
			return a.Slug < b.Slug
		}
		if a.Locale != b.Locale {
			return a.Locale < b.Locale
		}
		if a.BlockID != b.BlockID {
			return a.BlockID < b.BlockID
		}
		return a.Variant < b.Variant
	})
	return out, nil
}

// Conflict is two campaigns whose live windows overlap on a channel they
// both reach, with variants in the same block: while both are live the
// block shows the winner's variant.
type Conflict struct {
	Block   BlockRef
	Locales []string
	A, B    Campaign
	// From and To bound the overlap of the two live windows.
	From, To time.Time
	// Channels is where both reach (empty: every channel).
	Channels []string
	// Winner is the higher-priority campaign; nil on a tie, when the
	// block's precedence decides per visitor (targeting specificity,
	// variant priority, order).
	Winner *Campaign
	Reason string
}

// Conflicts reports the overlapping campaigns that target the same block
// within [from, to) (zero from: now; zero to: forever), from what is
// published and what releases will publish.
func (s *Service) Conflicts(ctx context.Context, from, to time.Time) ([]Conflict, error) {
	if from.IsZero() {
		from = s.Now()
	}
	if !to.IsZero() && !to.After(from) {
		return nil, errs.Invalid("to must be after from", errs.FieldError{Path: "to", Message: "must be after from"})
	}
	all, err := s.store.List(ctx)
	if err != nil {
		return nil, err
	}
	byKey := map[string]Campaign{}
	for _, c := range all {
		if start, end, ok := c.Engine().Window(); ok && !c.Archived() && end.After(from) && (to.IsZero() || start.Before(to)) {
			byKey[c.Key] = c
		}
	}
	if len(byKey) < 2 {
		return []Conflict{}, nil
	}
	srcs, err := s.store.VariantSources(ctx, "", false)
	if err != nil {
		return nil, err
	}
	type blockKey struct{ entry, block string }
	type claim struct {
		ref      BlockRef
		locales  map[string][]string // campaign -> locales it has variants in
		channels map[string][]string // campaign -> channels its variants target
		anyChan  map[string]bool     // campaign has a variant for any channel
	}
	blocks := map[blockKey]*claim{}
	var order []blockKey
	for _, src := range srcs {
		for _, v := range walk(src, "") {
			if _, ok := byKey[v.campaign]; !ok {
				continue
			}
			k := blockKey{v.block.EntryID, v.block.BlockID}
			cl := blocks[k]
			if cl == nil {
				cl = &claim{ref: v.block, locales: map[string][]string{}, channels: map[string][]string{}, anyChan: map[string]bool{}}
				blocks[k] = cl
				order = append(order, k)
			}
			if !slices.Contains(cl.locales[v.campaign], v.locale) {
				cl.locales[v.campaign] = append(cl.locales[v.campaign], v.locale)
			}
			if len(v.channels) == 0 {
				cl.anyChan[v.campaign] = true
			}
			cl.channels[v.campaign] = append(cl.channels[v.campaign], v.channels...)
		}
	}
	out := []Conflict{}
	for _, k := range order {
		cl := blocks[k]
		keys := make([]string, 0, len(cl.channels))
		for key := range cl.channels {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for i := range keys {
			for j := i + 1; j < len(keys); j++ {
				a, b := byKey[keys[i]], byKey[keys[j]]
				// A visitor reads one locale: variants in different
				// locales never compete.
				locales := intersect(cl.locales[keys[i]], cl.locales[keys[j]])
				if len(cl.locales[keys[i]]) == 0 || len(locales) == 0 {
					continue
				}
				slices.Sort(locales)
				reach := func(key string, c Campaign) []string {
					if cl.anyChan[key] {
						return c.Channels
					}
					return intersect(c.Channels, cl.channels[key])
				}
				chans, ok := overlapChannels(reach(keys[i], a), reach(keys[j], b), len(a.Channels) == 0 && cl.anyChan[keys[i]],
					len(b.Channels) == 0 && cl.anyChan[keys[j]])
				if !ok {
					continue
				}
				aStart, aEnd, _ := a.Engine().Window()
				bStart, bEnd, _ := b.Engine().Window()
				start, end := later(aStart, bStart), earlier(aEnd, bEnd)
				start = later(start, from)
				if !to.IsZero() {
					end = earlier(end, to)
				}
				if !end.After(start) {
					continue
				}
				out = append(out, conflict(cl.ref, locales, a, b, start, end, chans))
			}
		}
	}
	return out, nil
}

func conflict(ref BlockRef, locales []string, a, b Campaign, from, to time.Time, chans []string) Conflict {
	c := Conflict{Block: ref, Locales: slices.Clone(locales), A: a, B: b, From: from, To: to, Channels: chans}
	switch {
	case a.Priority > b.Priority:
		w := a
		c.Winner = &w
	case b.Priority > a.Priority:
		w := b
		c.Winner = &w
	}
	if c.Winner == nil {
		c.Reason = fmt.Sprintf("%s and %s have the same priority (%d): the block's precedence decides per visitor (more specific targeting, variant priority, then order)",
			a.Key, b.Key, a.Priority)
		return c
	}
	loser := a
	if c.Winner.Key == a.Key {
		loser = b
	}
	c.Reason = fmt.Sprintf("%s wins: priority %d over %s's %d", c.Winner.Key, c.Winner.Priority, loser.Key, loser.Priority)
	return c
}

// overlapChannels intersects two channel reaches, where an empty reach with
// all set means every channel.
func overlapChannels(a, b []string, aAll, bAll bool) ([]string, bool) {
	switch {
	case aAll && bAll:
		return []string{}, true
	case aAll:
		return b, len(b) > 0
	case bAll:
		return a, len(a) > 0
	}
	out := intersect(a, b)
	return out, len(out) > 0
}

// intersect returns the values of a also in b; an empty a means every
// channel, so b itself.
func intersect(a, b []string) []string {
	if len(a) == 0 {
		return slices.Compact(slices.Sorted(slices.Values(b)))
	}
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
