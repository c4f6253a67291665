package experience

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

// Publisher is what a rollout needs of the content service (which
// satisfies it): drafts read and saved through the one validated write
// path, and published as new versions.
type Publisher interface {
	Drafts
	PublishEntry(ctx context.Context, actor, id, locale string, expectedVersion *int) (content.Entry, error)
}

// rolloutEdit is one entry locale's draft and the fields and variants it
// gets when the winner is rolled out.
type rolloutEdit struct {
	draft content.Entry
	patch content.EntryPatch
}

// StopAndRollout stops experiment key with winner and makes the winner's
// copy each block's default, through drafts and publication, so every
// change is a new published version in the entry's history (and
// rollbackEntry undoes it):
//
//   - in every entry locale whose published version has a variant of the
//     experiment, in a block (nested too) or among the entry's own
//     variants (a global block's): the winning arm's variant without
//     targeting or campaign has its fields merged into the block's (or the
//     entry's) default fields, key by key, as delivery would have
//     overridden them; a winning variant with targeting keeps targeting
//     that audience as an ordinary variant (its experiment and arm
//     dropped); every other variant of the experiment is removed;
//   - the draft is saved and published as the actor.
//
// Everything is checked before anything changes: the winner must be an
// arm (BAD_USER_INPUT), and an entry locale with unpublished draft edits
// is CONFLICT, since publishing it would ship someone else's pending
// work. The experiment is stopped first (CONFLICT if it already is), then
// the entries are published one by one; the versions published are
// recorded on the experiment (Experiment.Rollout).
func (s *Service) StopAndRollout(ctx context.Context, actor, key, winner string, c Publisher) (Experiment, error) {
	if winner == "" {
		return Experiment{}, errs.Invalid("rollout needs a winner", errs.FieldError{Path: "winner",
			Message: "name the arm to roll out, or stop without rollout"})
	}
	x, err := s.Experiment(ctx, key)
	if err != nil {
		return Experiment{}, err
	}
	if !x.hasArm(winner) {
		return Experiment{}, errs.Invalid("invalid winner", errs.FieldError{Path: "winner",
			Message: fmt.Sprintf("experiment %q has no arm %q", key, winner)})
	}
	if x.Status == Stopped {
		return Experiment{}, errs.E(errs.Conflict, "experiment %q is STOPPED: it cannot move to STOPPED (only [DRAFT RUNNING] can)", key)
	}
	targets, err := s.store.VariantEntries(ctx, key)
	if err != nil {
		return Experiment{}, err
	}
	var edits []rolloutEdit
	var pending []string
	for _, t := range targets {
		d, err := c.Draft(ctx, t.EntryID, t.Locale)
		if err != nil {
			return Experiment{}, err
		}
		if d.Status() != content.StatusPublished {
			pending = append(pending, fmt.Sprintf("%s (%s)", d.ID, d.Locale))
			continue
		}
		ct, err := c.ContentType(ctx, d.Type)
		if err != nil {
			return Experiment{}, err
		}
		r := rollout{experiment: key, winner: winner, types: c}
		fields := r.fields(ctx, ct, d.Fields, 0)
		own, ownWinner := r.variants(d.Variants)
		if ownWinner != nil {
			maps.Copy(fields, ownWinner)
		}
		edits = append(edits, rolloutEdit{draft: d, patch: content.EntryPatch{Fields: fields, Variants: own}})
	}
	if len(pending) > 0 {
		return Experiment{}, errs.E(errs.Conflict, "entries %s have unpublished draft edits: publish or discard them first, then roll out",
			strings.Join(pending, ", "))
	}
	if _, err := s.StopExperiment(ctx, actor, key, winner); err != nil {
		return Experiment{}, err
	}
	done := []RolloutEntry{}
	for _, e := range edits {
		saved, err := c.UpdateEntry(ctx, actor, e.draft.ID, e.draft.Locale, e.patch, e.draft.Version)
		if err == nil {
			saved, err = c.PublishEntry(ctx, actor, saved.ID, saved.Locale, &saved.Version)
		}
		if err != nil {
			// The experiment is stopped and some entries may be rolled out:
			// record those, and say which one failed and why.
			if _, rerr := s.store.SetRollout(ctx, key, done); rerr != nil {
				s.cfg.Logger.ErrorContext(ctx, "recording a partial rollout", "experiment", key, "error", rerr)
			}
			return Experiment{}, fmt.Errorf("rolling out arm %q of experiment %q to entry %s (%s), after %d of %d: %w",
				winner, key, e.draft.ID, e.draft.Locale, len(done), len(edits), err)
		}
		done = append(done, RolloutEntry{EntryID: saved.ID, Locale: saved.Locale, Version: saved.PublishedVersion})
	}
	out, err := s.store.SetRollout(ctx, key, done)
	if err != nil {
		return Experiment{}, err
	}
	s.afterWrite(ctx)
	return out, nil
}

// rollout rewrites one draft's fields and variants.
type rollout struct {
	experiment, winner string
	types              interface {
		ContentType(ctx context.Context, key string) (content.ContentType, error)
	}
}

// fields returns a copy of fields of type ct with every block's variants
// rolled out, descending into blocks nested in blocks.
func (r rollout) fields(ctx context.Context, ct content.ContentType, fields map[string]any, depth int) map[string]any {
	out := maps.Clone(fields)
	if out == nil {
		out = map[string]any{}
	}
	if depth > 4 {
		return out
	}
	for _, f := range ct.Fields {
		if f.Kind != content.KindBlocks {
			continue
		}
		list, ok := out[f.Key].([]any)
		if !ok {
			continue
		}
		blocks := make([]any, len(list))
		for i, it := range list {
			b, ok := it.(map[string]any)
			if !ok {
				blocks[i] = it
				continue
			}
			b = maps.Clone(b)
			inner, _ := b["fields"].(map[string]any)
			if typ, _ := b["type"].(string); typ != "" && inner != nil {
				if bt, err := r.types.ContentType(ctx, typ); err == nil {
					inner = r.fields(ctx, bt, inner, depth+1)
				}
			}
			if raw, ok := b["variants"].([]any); ok {
				kept, win := r.variants(raw)
				b["variants"] = kept
				if win != nil {
					inner = maps.Clone(inner)
					if inner == nil {
						inner = map[string]any{}
					}
					maps.Copy(inner, win)
				}
			}
			if inner != nil {
				b["fields"] = inner
			}
			blocks[i] = b
		}
		out[f.Key] = blocks
	}
	return out
}

// variants returns raw without the experiment's variants, and the fields
// of the winner's untargeted variant (the first one, in list order),
// which become the default. A winning variant with targeting stays, as an
// ordinary variant for its audience.
func (r rollout) variants(raw []any) (kept []any, winner map[string]any) {
	kept = []any{}
	for _, it := range raw {
		v, ok := it.(map[string]any)
		if !ok || v["experiment"] != r.experiment {
			kept = append(kept, it)
			continue
		}
		if v["arm"] != r.winner {
			continue
		}
		if targeted(v) {
			v = maps.Clone(v)
			delete(v, "experiment")
			delete(v, "arm")
			kept = append(kept, v)
			continue
		}
		if f, _ := v["fields"].(map[string]any); winner == nil && f != nil {
			winner = f
		}
	}
	return kept, winner
}

// targeted reports whether a variant's JSON limits it to an audience or a
// campaign beyond its experiment.
func targeted(v map[string]any) bool {
	if c, _ := v["campaign"].(string); c != "" {
		return true
	}
	t, _ := v["targeting"].(map[string]any)
	return slices.ContainsFunc([]string{"segments", "devices", "channels", "locales"}, func(k string) bool {
		l, _ := t[k].([]any)
		return len(l) > 0
	})
}
