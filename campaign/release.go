package campaign

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

// Release lists the campaign's release: the entries (one locale each)
// published together at its start.
func (s *Service) Release(ctx context.Context, id string) ([]ReleaseItem, error) {
	if !uuidPattern.MatchString(id) {
		return nil, errs.E(errs.NotFound, "campaign %q not found", id)
	}
	return s.store.Release(ctx, id)
}

// AddToRelease adds the draft (entryID, locale) to the release of a campaign
// that has not started. The draft is validated in full at once; if the
// campaign is scheduled it is snapshotted at once too, to be published at
// the start.
func (s *Service) AddToRelease(ctx context.Context, actor, id, entryID, locale string) (Campaign, error) {
	return s.changeRelease(ctx, actor, id, ReleaseItem{EntryID: entryID, Locale: locale}, true)
}

// RemoveFromRelease takes (entryID, locale) out of the release of a
// campaign that has not started, with its snapshot.
func (s *Service) RemoveFromRelease(ctx context.Context, actor, id, entryID, locale string) (Campaign, error) {
	return s.changeRelease(ctx, actor, id, ReleaseItem{EntryID: entryID, Locale: locale}, false)
}

func (s *Service) changeRelease(ctx context.Context, actor, id string, item ReleaseItem, add bool) (Campaign, error) {
	cur, err := s.load(ctx, id, nil)
	if err != nil {
		return Campaign{}, err
	}
	if item.Locale == "" {
		item.Locale = s.cfg.Drafts.DefaultLocale()
	}
	now := s.Now()
	status := cur.StatusAt(now)
	if status != Draft && status != Scheduled {
		return Campaign{}, errs.E(errs.Conflict,
			"campaign %s is %s: its release can change only before it starts (publish the entry directly instead)", cur.Key, status)
	}
	items, err := s.store.Release(ctx, cur.ID)
	if err != nil {
		return Campaign{}, err
	}
	idx := slices.IndexFunc(items, func(it ReleaseItem) bool { return it.EntryID == item.EntryID && it.Locale == item.Locale })
	w := Write{Campaign: cur, ExpectedVersion: cur.Version, Actor: actor, At: now}
	switch {
	case add && idx >= 0:
		return Campaign{}, errs.E(errs.Conflict, "entry %s (%s) is already in the release of %s", item.EntryID, item.Locale, cur.Key)
	case !add && idx < 0:
		return Campaign{}, errs.E(errs.NotFound, "entry %s (%s) is not in the release of %s", item.EntryID, item.Locale, cur.Key)
	case add:
		item.AddedAt, item.AddedBy = now, actor
		w.AddItems = []ReleaseItem{item}
		refs, err := s.validateItems(ctx, []ReleaseItem{item}, "")
		if err != nil {
			return Campaign{}, err
		}
		items = append(items, item)
		if status == Scheduled {
			w.Snapshot = refs
		}
	default:
		w.RemoveItems = []ReleaseItem{item}
		items = slices.Delete(items, idx, idx+1)
	}
	if status == Scheduled {
		if err := s.checkLocales(ctx, items); err != nil {
			return Campaign{}, err
		}
	}
	return s.save(ctx, w)
}

// validateRelease validates the whole release of c in full and returns the
// draft versions to snapshot. Problems are reported all at once, with
// paths "release.N..." naming the item.
func (s *Service) validateRelease(ctx context.Context, c Campaign) ([]content.DraftRef, error) {
	items, err := s.store.Release(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	refs, err := s.validateItems(ctx, items, "release of campaign "+c.Key)
	if err != nil {
		return nil, err
	}
	return refs, s.checkLocales(ctx, items)
}

// validateItems validates each item's draft as publishing would.
func (s *Service) validateItems(ctx context.Context, items []ReleaseItem, what string) ([]content.DraftRef, error) {
	refs := make([]content.DraftRef, 0, len(items))
	var problems []errs.FieldError
	for i, it := range items {
		e, err := s.cfg.Drafts.ValidateDraft(ctx, it.EntryID, it.Locale)
		prefix := fmt.Sprintf("release.%d", i)
		ee, coded := errs.As(err)
		switch {
		case err == nil:
			refs = append(refs, content.DraftRef{EntryID: e.ID, Locale: e.Locale, Version: e.Version})
			continue
		case !coded || ee.Code == errs.Internal:
			return nil, err
		case len(ee.Fields) == 0 && len(items) == 1 && what == "":
			return nil, err // one entry: its own error (NOT_FOUND) says it best
		case len(ee.Fields) == 0:
			problems = append(problems, errs.FieldError{Path: prefix, Message: fmt.Sprintf("entry %s (%s): %s", it.EntryID, it.Locale, ee.Message)})
		}
		for _, f := range ee.Fields {
			problems = append(problems, errs.FieldError{Path: prefix + "." + f.Path,
				Message: fmt.Sprintf("entry %s %q (%s): %s", e.Type, e.Slug, it.Locale, f.Message)})
		}
	}
	if len(problems) == 0 {
		return refs, nil
	}
	if what == "" {
		return nil, errs.Invalid("the entry cannot be released: "+problems[0].Message, problems...)
	}
	return nil, errs.Invalid(fmt.Sprintf("the %s is invalid (%d problems): %s", what, len(problems), problems[0].Message), problems...)
}

// checkLocales enforces what publishing enforces: a locale other than the
// default reads its entry's shared fields from the default locale, which
// must be published already or published by the same release.
func (s *Service) checkLocales(ctx context.Context, items []ReleaseItem) error {
	def := s.cfg.Drafts.DefaultLocale()
	inRelease := map[string]bool{}
	for _, it := range items {
		if it.Locale == def {
			inRelease[it.EntryID] = true
		}
	}
	var problems []errs.FieldError
	checked := map[string]bool{}
	for i, it := range items {
		if it.Locale == def || inRelease[it.EntryID] || checked[it.EntryID] {
			continue
		}
		checked[it.EntryID] = true
		base, err := s.cfg.Drafts.Draft(ctx, it.EntryID, def)
		if err != nil {
			return err
		}
		if base.PublishedVersion == 0 {
			problems = append(problems, errs.FieldError{Path: fmt.Sprintf("release.%d.locale", i),
				Message: fmt.Sprintf("entry %s %q: its default locale %q is not published: add it to the release or publish it first",
					base.Type, base.Slug, def)})
		}
	}
	if len(problems) == 0 {
		return nil
	}
	msgs := make([]string, len(problems))
	for i, p := range problems {
		msgs[i] = p.Message
	}
	return errs.Invalid("the release is incomplete: "+strings.Join(msgs, "; "), problems...)
}
