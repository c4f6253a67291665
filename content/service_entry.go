package content

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/mosaichq/mosaic/errs"
)

// CreateEntry validates and stores a new draft. A new document starts in the
// default locale, which holds its non-localized fields; in.ID adds another
// locale to an existing document.
func (s *Service) CreateEntry(ctx context.Context, actor string, in NewEntry) (Entry, error) {
	ct, err := s.inputType(ctx, in.Type)
	if err != nil {
		return Entry{}, err
	}
	if in.Locale == "" {
		in.Locale = s.cfg.Locales.Default
	}
	if err := s.cfg.Locales.CheckWritable(in.Locale); err != nil {
		return Entry{}, err
	}
	newDoc := in.ID == ""
	if newDoc {
		if in.Locale != s.cfg.Locales.Default {
			return Entry{}, errs.Invalid(fmt.Sprintf("a new entry starts in the default locale %q", s.cfg.Locales.Default),
				errs.FieldError{Path: "locale", Message: "create the default locale first, then add this one"})
		}
		in.ID = uuid.NewString()
	} else {
		if !uuidPattern.MatchString(in.ID) {
			return Entry{}, errs.Invalid("invalid entry id", errs.FieldError{Path: "id", Message: "must be an entry id"})
		}
		types, err := s.store.EntryTypes(ctx, []string{in.ID})
		if err != nil {
			return Entry{}, err
		}
		if types[in.ID] == "" {
			return Entry{}, errs.E(errs.NotFound, "entry %s not found", in.ID)
		}
		if types[in.ID] != ct.Key {
			return Entry{}, errs.Invalid(fmt.Sprintf("entry %s is a %q, not a %q", in.ID, types[in.ID], ct.Key),
				errs.FieldError{Path: "type", Message: "does not match the entry's type"})
		}
	}
	e := Entry{ID: in.ID, Type: ct.Key, Locale: in.Locale, Slug: trimSlug(in.Slug), Fields: in.Fields, Variants: in.Variants, UpdatedBy: actor}
	links, uniques, err := s.check(ctx, ct, &e)
	if err != nil {
		return Entry{}, err
	}
	return s.store.CreateEntry(ctx, e, newDoc, links, uniques)
}

// UpdateEntry saves a new draft version if expectedVersion is current.
func (s *Service) UpdateEntry(ctx context.Context, actor, id, locale string, patch EntryPatch, expectedVersion int) (Entry, error) {
	e, err := s.draft(ctx, id, locale)
	if err != nil {
		return Entry{}, err
	}
	if e.Version != expectedVersion {
		return Entry{}, staleVersion(e, expectedVersion)
	}
	ct, err := s.ContentType(ctx, e.Type)
	if err != nil {
		return Entry{}, err
	}
	if patch.Slug != nil {
		e.Slug = trimSlug(*patch.Slug)
	}
	if patch.Fields != nil {
		e.Fields = patch.Fields
	}
	if patch.Variants != nil {
		e.Variants = patch.Variants
	}
	e.UpdatedBy = actor
	links, uniques, err := s.check(ctx, ct, &e)
	if err != nil {
		return Entry{}, err
	}
	// The save instant: a campaign release not yet started takes a fresh
	// snapshot of this draft in the same transaction (see Store.UpdateDraft).
	e.UpdatedAt = s.cfg.Now()
	out, err := s.store.UpdateDraft(ctx, e, expectedVersion, links, uniques)
	if err == nil {
		s.cache.purge() // a release snapshot may have changed with it
	}
	return out, err
}

// ValidateDraft loads the draft (id, locale) and validates it in full, as
// publishing would: against the current model, its links and the variants
// hook. Campaign releases call it for every entry they will publish, when
// scheduled, so that a release is never discovered broken at its start.
func (s *Service) ValidateDraft(ctx context.Context, id, locale string) (Entry, error) {
	e, err := s.draft(ctx, id, locale)
	if err != nil {
		return Entry{}, err
	}
	ct, err := s.ContentType(ctx, e.Type)
	if err != nil {
		return Entry{}, err
	}
	checked := e
	if _, _, err := s.check(ctx, ct, &checked); err != nil {
		return e, err
	}
	return e, nil
}

// DefaultLocale is the locale that holds an entry's shared fields.
func (s *Service) DefaultLocale() string { return s.cfg.Locales.Default }

// PublishEntry validates the draft again (the model may have changed since
// it was saved) and publishes it as a new immutable version. Publishing a
// draft whose content is live already is idempotent: no new version, and
// every caller — also concurrent ones — gets the same published version.
func (s *Service) PublishEntry(ctx context.Context, actor, id, locale string, expectedVersion *int) (Entry, error) {
	e, err := s.draft(ctx, id, locale)
	if err != nil {
		return Entry{}, err
	}
	if expectedVersion != nil && e.Version != *expectedVersion {
		return Entry{}, staleVersion(e, *expectedVersion)
	}
	ct, err := s.ContentType(ctx, e.Type)
	if err != nil {
		return Entry{}, err
	}
	if _, _, err := s.check(ctx, ct, &e); err != nil {
		return Entry{}, err
	}
	if e.Locale != s.cfg.Locales.Default {
		base, err := s.store.Draft(ctx, e.ID, s.cfg.Locales.Default)
		if err != nil {
			return Entry{}, err
		}
		if base.PublishedVersion == 0 {
			return Entry{}, errs.E(errs.Conflict, "publish the default locale %q first: it holds the shared fields", s.cfg.Locales.Default)
		}
	}
	out, err := s.store.Publish(ctx, e.ID, e.Locale, e.Version, actor, s.cfg.Now())
	s.cache.purge()
	return out, err
}

// UnpublishEntry takes a locale off delivery; its draft and history stay.
func (s *Service) UnpublishEntry(ctx context.Context, actor, id, locale string) (Entry, error) {
	e, err := s.draft(ctx, id, locale)
	if err != nil {
		return Entry{}, err
	}
	if e.PublishedVersion == 0 {
		return Entry{}, errs.E(errs.Conflict, "entry %s (%s) is not published", id, e.Locale)
	}
	if e.Locale == s.cfg.Locales.Default {
		all, err := s.store.Drafts(ctx, id)
		if err != nil {
			return Entry{}, err
		}
		for _, other := range all {
			if other.Locale != e.Locale && other.PublishedVersion > 0 {
				return Entry{}, errs.E(errs.Conflict, "unpublish locale %q first: it reads the shared fields of %q", other.Locale, e.Locale)
			}
		}
	}
	out, err := s.store.Unpublish(ctx, id, e.Locale, actor, s.cfg.Now())
	s.cache.purge()
	return out, err
}

// RollbackEntry republishes published version `version` as a new version
// (history only grows), after checking it still fits the current model.
func (s *Service) RollbackEntry(ctx context.Context, actor, id, locale string, version int, expectedVersion *int) (Entry, error) {
	e, err := s.draft(ctx, id, locale)
	if err != nil {
		return Entry{}, err
	}
	if expectedVersion != nil && e.Version != *expectedVersion {
		return Entry{}, staleVersion(e, *expectedVersion)
	}
	v, err := s.store.Version(ctx, e.ID, e.Locale, version)
	if err != nil {
		return Entry{}, err
	}
	ct, err := s.ContentType(ctx, e.Type)
	if err != nil {
		return Entry{}, err
	}
	old := e
	old.Slug, old.Fields, old.Variants = v.Slug, v.Fields, v.Variants
	links, uniques, err := s.check(ctx, ct, &old)
	if err != nil {
		return Entry{}, fmt.Errorf("version %d no longer fits type %q: %w", version, ct.Key, err)
	}
	out, err := s.store.Rollback(ctx, e.ID, e.Locale, version, e.Version, links, uniques, actor, s.cfg.Now())
	s.cache.purge()
	return out, err
}

// DeleteEntry removes a document, all its locales and its history.
func (s *Service) DeleteEntry(ctx context.Context, actor, id string) error {
	if !uuidPattern.MatchString(id) {
		return errs.E(errs.NotFound, "entry %q not found", id)
	}
	err := s.store.DeleteEntry(ctx, id, actor, s.cfg.Now())
	s.cache.purge()
	return err
}

// Draft returns one locale of an entry as editors see it.
func (s *Service) Draft(ctx context.Context, id, locale string) (Entry, error) {
	return s.draft(ctx, id, locale)
}

// Drafts lists drafts of a type for editors.
func (s *Service) Drafts(ctx context.Context, q DraftQuery) ([]Entry, error) {
	if q.Locale == "" {
		q.Locale = s.cfg.Locales.Default
	}
	if err := s.cfg.Locales.CheckWritable(q.Locale); err != nil {
		return nil, err
	}
	if q.After != "" && !uuidPattern.MatchString(q.After) {
		return nil, errs.Invalid("invalid cursor", errs.FieldError{Path: "after", Message: "not a cursor from this list"})
	}
	if err := checkDraftQuery(q); err != nil {
		return nil, err
	}
	var err error
	if q.Limit, err = pageLimit(q.Limit); err != nil {
		return nil, err
	}
	list, err := s.store.ListDrafts(ctx, q)
	if err != nil || len(list) > 0 || q.After == "" {
		return list, err
	}
	// An empty page after a cursor: the end of the list, or a cursor whose
	// entry is gone (its sort key with it). Say which, rather than end a
	// list silently in the middle.
	if _, err := s.store.Draft(ctx, q.After, q.Locale); errs.CodeOf(err) == errs.NotFound {
		return nil, errs.Invalid("invalid cursor", errs.FieldError{Path: "after",
			Message: "the entry this cursor points at no longer exists in this locale: start from the first page"})
	} else if err != nil {
		return nil, err
	}
	return list, nil
}

// History lists the published versions of an entry's locale, newest first.
func (s *Service) History(ctx context.Context, id, locale string) ([]Version, error) {
	e, err := s.draft(ctx, id, locale)
	if err != nil {
		return nil, err
	}
	return s.store.Versions(ctx, e.ID, e.Locale)
}

func (s *Service) draft(ctx context.Context, id, locale string) (Entry, error) {
	if locale == "" {
		locale = s.cfg.Locales.Default
	}
	if err := s.cfg.Locales.CheckWritable(locale); err != nil {
		return Entry{}, err
	}
	if !uuidPattern.MatchString(id) {
		return Entry{}, errs.E(errs.NotFound, "entry %q not found", id)
	}
	return s.store.Draft(ctx, id, locale)
}

// inputType resolves a type named in user input: unknown is the caller's
// mistake (BAD_USER_INPUT), and only entry types hold documents... except
// global blocks, which are entries of block types.
func (s *Service) inputType(ctx context.Context, key string) (ContentType, error) {
	ct, err := s.ContentType(ctx, key)
	if errs.CodeOf(err) == errs.NotFound {
		return ContentType{}, errs.Invalid(fmt.Sprintf("unknown content type %q", key),
			errs.FieldError{Path: "type", Message: "unknown content type"})
	}
	return ct, err
}

// check validates e against ct and the links it makes, normalising e (block
// ids are assigned) and returning the link targets and unique values the
// store must enforce in the same transaction.
func (s *Service) check(ctx context.Context, ct ContentType, e *Entry) ([]string, []UniqueValue, error) {
	t, err := s.typeSet(ctx)
	if err != nil {
		return nil, nil, err
	}
	if e.Fields == nil {
		e.Fields = map[string]any{}
	}
	v := validation{types: lookup(t), isDefault: e.Locale == s.cfg.Locales.Default, blockIDs: map[string]bool{},
		checkVariants: s.cfg.CheckVariants}
	if !slugPattern.MatchString(e.Slug) || len(e.Slug) > 200 {
		v.add("slug", "must be lowercase letters and digits separated by - or / (max 200)")
	}
	v.fields("fields", ct, e.Fields, !v.isDefault, 0)
	if e.Variants != nil {
		// Depth 1: overrides are partial, and a unique field overridden in
		// a variant is not a second value for the uniqueness check.
		v.variants("variants", ct, e.Variants, 1)
	}
	if len(v.problems) == 0 && len(v.links) > 0 {
		if err := v.checkLinks(ctx, s.store, t); err != nil {
			return nil, nil, err
		}
	}
	if len(v.problems) == 0 && len(v.assets) > 0 && s.cfg.MissingAssets != nil {
		if err := v.checkAssets(ctx, s.cfg.MissingAssets); err != nil {
			return nil, nil, err
		}
	}
	if len(v.problems) > 0 {
		return nil, nil, errs.Invalid(fmt.Sprintf("%s entry is invalid", ct.Key), v.problems...)
	}
	ids := make([]string, 0, len(v.links))
	for _, l := range v.links {
		if !slices.Contains(ids, l.ID) {
			ids = append(ids, l.ID)
		}
	}
	return ids, v.uniques, nil
}

func (v *validation) checkLinks(ctx context.Context, store Store, t map[string]ContentType) error {
	ids := make([]string, 0, len(v.links))
	for _, l := range v.links {
		ids = append(ids, l.ID)
	}
	found, err := store.EntryTypes(ctx, ids)
	if err != nil {
		return fmt.Errorf("checking references: %w", err)
	}
	for _, l := range v.links {
		typ, ok := found[l.ID]
		switch {
		case !ok:
			v.add(l.Path, "dangling reference: entry %s does not exist", l.ID)
		case l.Block && t[typ].Kind != TypeBlock:
			v.add(l.Path, "entry %s is a %q, not a block", l.ID, typ)
		case len(l.AllowedTypes) > 0 && !slices.Contains(l.AllowedTypes, typ):
			v.add(l.Path, "entry %s is a %q; allowed: %v", l.ID, typ, l.AllowedTypes)
		}
	}
	return nil
}

func (v *validation) checkAssets(ctx context.Context, missing func(context.Context, []string) ([]string, error)) error {
	ids := make([]string, 0, len(v.assets))
	for _, a := range v.assets {
		if !slices.Contains(ids, a.ID) {
			ids = append(ids, a.ID)
		}
	}
	gone, err := missing(ctx, ids)
	if err != nil {
		return fmt.Errorf("checking assets: %w", err)
	}
	for _, a := range v.assets {
		if slices.Contains(gone, a.ID) {
			v.add(a.Path, "asset %s does not exist", a.ID)
		}
	}
	return nil
}

func staleVersion(e Entry, expected int) error {
	return errs.E(errs.Conflict, "entry %s (%s) is at version %d, not %d: reload and reapply your change",
		e.ID, e.Locale, e.Version, expected)
}

// Page sizes of entry lists (delivery and drafts).
const (
	DefaultFirst = 20
	MaxFirst     = 100
)

// checkDraftQuery refuses a draft list's search, status or order that
// the store could not answer exactly.
func checkDraftQuery(q DraftQuery) error {
	if n := utf8.RuneCountInString(q.Search); n > MaxDraftSearch {
		return errs.Invalid("search too long", errs.FieldError{Path: "search",
			Message: fmt.Sprintf("at most %d characters (got %d)", MaxDraftSearch, n)})
	}
	if !utf8.ValidString(q.Search) || strings.ContainsRune(q.Search, 0) {
		return errs.Invalid("invalid search", errs.FieldError{Path: "search", Message: "not valid text"})
	}
	switch q.Status {
	case "", StatusDraft, StatusPublished, StatusChanged:
	default:
		return errs.Invalid("invalid status", errs.FieldError{Path: "status", Message: fmt.Sprintf("unknown status %q", q.Status)})
	}
	switch q.Sort.Field {
	case DraftByID, DraftByUpdatedAt, DraftBySlug, DraftByTitle:
	default:
		return errs.Invalid("invalid order", errs.FieldError{Path: "orderBy.field", Message: fmt.Sprintf("unknown field %q", q.Sort.Field)})
	}
	return nil
}

// pageLimit is a list's page size: 0 means DefaultFirst; otherwise
// errs.CheckFirst's rule, never clamped.
func pageLimit(n int) (int, error) {
	if n == 0 {
		return DefaultFirst, nil
	}
	return n, errs.CheckFirst(n, MaxFirst)
}
