package content

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/mosaichq/mosaic/errs"
)

// A content type changes in one of two ways, both through plan and apply
// below, so that the studio, the API and `mosaic model import` share one
// rule:
//
//   - a full definition (UpdateContentType, ReplaceContentType, an import):
//     a field left out is removed;
//   - field operations (ChangeContentType): add, redefine or remove fields
//     by key; the fields not named stay exactly as they are.
//
// Either way a field that holds content — a value in any entry's draft or
// in any published version, variants and nested blocks included — is not
// removed, and does not change kind or list-ness, unless the caller forces
// it by key: a forgotten field must not silently take live pages' titles
// with it. A dry run returns the same diff and writes nothing.

// TypeChange is a set of field operations on one content type.
type TypeChange struct {
	// Name and Description, when non-nil, replace the type's.
	Name        *string
	Description *string
	// AddFields are appended in order; their keys must be new.
	AddFields []Field
	// ChangeFields each replace the whole definition of the field with
	// their key, in place.
	ChangeFields []Field
	// RemoveFields are keys of fields to remove.
	RemoveFields []string
}

// UpdateOptions say how far a change may go.
type UpdateOptions struct {
	// Force lists keys of fields that may be removed or retyped although
	// entries hold values for them. Those values stay in drafts and history;
	// a draft must leave them out on its next save.
	Force []string
	// DryRun computes the diff and writes nothing; refusals that Force
	// would lift are reported in the diff (NeedsForce) instead of failing.
	DryRun bool
}

// TypeDiff is what a change does to a type and its entries.
type TypeDiff struct {
	// Changes are the type's own properties that change, in words
	// ("name: Page → Pages").
	Changes []string    `json:"changes,omitempty"`
	Added   []FieldDiff `json:"added,omitempty"`
	Changed []FieldDiff `json:"changed,omitempty"`
	Removed []FieldDiff `json:"removed,omitempty"`
	// EntriesAffected counts distinct entries holding a value in a
	// changed or removed field.
	EntriesAffected int `json:"entriesAffected"`
}

// Empty reports whether the change changes nothing.
func (d TypeDiff) Empty() bool {
	return len(d.Changes)+len(d.Added)+len(d.Changed)+len(d.Removed) == 0
}

// FieldDiff is one field's part of a TypeDiff.
type FieldDiff struct {
	Key string `json:"key"`
	// Changes say what changes, in words ("kind: text → number").
	Changes []string `json:"changes"`
	// EntriesWithValues counts entries holding a value for the field in
	// their draft or in any published version (0 for added fields).
	EntriesWithValues int `json:"entriesWithValues"`
	// Destructive marks a removal or a kind/list change: stored values
	// would be lost or no longer fit.
	Destructive bool `json:"destructive,omitempty"`
	// NeedsForce marks a destructive change of a field holding values
	// that UpdateOptions.Force does not name: applying it is refused.
	NeedsForce bool `json:"needsForce,omitempty"`
}

// TypeUpdate is the outcome of a change: the type after it (or as it would
// be, on a dry run) and the diff. Applied is false on a dry run and when
// the change changed nothing.
type TypeUpdate struct {
	Type    ContentType
	Diff    TypeDiff
	Applied bool
}

// UpdateContentType replaces a type's definition with ct, refusing to drop
// or retype fields that hold content (see ReplaceContentType).
func (s *Service) UpdateContentType(ctx context.Context, ct ContentType, expectedVersion int) (ContentType, error) {
	up, err := s.ReplaceContentType(ctx, ct, expectedVersion, UpdateOptions{})
	return up.Type, err
}

// ReplaceContentType makes ct the type's whole definition if its version
// is still expectedVersion (any version on a dry run when 0). Fields of the
// stored type missing from ct are removed, under the rule above.
func (s *Service) ReplaceContentType(ctx context.Context, ct ContentType, expectedVersion int, opt UpdateOptions) (TypeUpdate, error) {
	old, err := s.ContentType(ctx, ct.Key)
	if err != nil {
		return TypeUpdate{}, err
	}
	if err := s.checkType(ctx, ct); err != nil {
		return TypeUpdate{}, err
	}
	if err := checkForceKeys(opt.Force, old, "force"); err != nil {
		return TypeUpdate{}, err
	}
	return s.applyTypeChange(ctx, old, ct, expectedVersion, opt)
}

// ChangeContentType applies field operations to the type key if its
// version is still expectedVersion (any version on a dry run when 0).
// Problems are reported with paths into ch ("addFields.0.kind",
// "removeFields.1"), every one at once.
func (s *Service) ChangeContentType(ctx context.Context, key string, ch TypeChange, expectedVersion int, opt UpdateOptions) (TypeUpdate, error) {
	old, err := s.ContentType(ctx, key)
	if err != nil {
		return TypeUpdate{}, err
	}
	next, err := ch.apply(old)
	if err != nil {
		return TypeUpdate{}, err
	}
	if err := checkForceKeys(opt.Force, old, "force"); err != nil {
		return TypeUpdate{}, err
	}
	if err := s.checkType(ctx, next); err != nil {
		return TypeUpdate{}, ch.pathsOf(next, err)
	}
	return s.applyTypeChange(ctx, old, next, expectedVersion, opt)
}

// pathsOf rewrites problems found in the resulting type ("fields.3.allowedTypes")
// to the operation that put the field there ("addFields.0.allowedTypes").
func (ch TypeChange) pathsOf(next ContentType, err error) error {
	e, ok := errs.As(err)
	if !ok {
		return err
	}
	ops := map[string]string{}
	for i, f := range ch.ChangeFields {
		ops[f.Key] = fmt.Sprintf("changeFields.%d", i)
	}
	for i, f := range ch.AddFields {
		ops[f.Key] = fmt.Sprintf("addFields.%d", i)
	}
	out := *e
	out.Fields = slices.Clone(e.Fields)
	for i, f := range out.Fields {
		for j, nf := range next.Fields {
			prefix := fmt.Sprintf("fields.%d", j)
			if op, ok := ops[nf.Key]; ok && (f.Path == prefix || strings.HasPrefix(f.Path, prefix+".")) {
				out.Fields[i].Path = op + strings.TrimPrefix(f.Path, prefix)
			}
		}
	}
	return &out
}

// apply returns old with ch's operations done, or every problem of ch.
func (ch TypeChange) apply(old ContentType) (ContentType, error) {
	var fe []errs.FieldError
	add := func(path, format string, args ...any) {
		fe = append(fe, errs.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	named := map[string]string{} // field key -> the first path naming it
	claim := func(path, key string) bool {
		if first, ok := named[key]; ok {
			add(path, "field %q is already named by %s: one operation per field", key, first)
			return false
		}
		named[key] = path
		return true
	}
	next := old
	next.Fields = slices.Clone(old.Fields)
	if ch.Name != nil {
		next.Name = *ch.Name
	}
	if ch.Description != nil {
		next.Description = *ch.Description
	}
	for i, key := range ch.RemoveFields {
		p := fmt.Sprintf("removeFields.%d", i)
		if !claim(p, key) {
			continue
		}
		if _, ok := old.Field(key); !ok {
			add(p, "unknown field; %q has no field %q", old.Key, key)
			continue
		}
		next.Fields = slices.DeleteFunc(next.Fields, func(f Field) bool { return f.Key == key })
	}
	for i, f := range ch.ChangeFields {
		p := fmt.Sprintf("changeFields.%d", i)
		if !claim(p+".key", f.Key) {
			continue
		}
		j := slices.IndexFunc(next.Fields, func(x Field) bool { return x.Key == f.Key })
		if j < 0 {
			add(p+".key", "unknown field; %q has no field %q (add it with addFields)", old.Key, f.Key)
			continue
		}
		fe = append(fe, validateField(p, f)...)
		next.Fields[j] = f
	}
	for i, f := range ch.AddFields {
		p := fmt.Sprintf("addFields.%d", i)
		if !claim(p+".key", f.Key) {
			continue
		}
		if _, ok := old.Field(f.Key); ok {
			add(p+".key", "field %q exists already (redefine it with changeFields)", f.Key)
			continue
		}
		fe = append(fe, validateField(p, f)...)
		next.Fields = append(next.Fields, f)
	}
	if len(fe) > 0 {
		return ContentType{}, errs.Invalid(fmt.Sprintf("change of content type %q is invalid", old.Key), fe...)
	}
	return next, nil
}

// checkForceKeys refuses forcing fields the type does not have: a typo
// there would otherwise pass unnoticed.
func checkForceKeys(force []string, old ContentType, path string) error {
	var fe []errs.FieldError
	for i, k := range force {
		if _, ok := old.Field(k); !ok {
			fe = append(fe, errs.FieldError{Path: fmt.Sprintf("%s.%d", path, i), Message: fmt.Sprintf("unknown field; %q has no field %q", old.Key, k)})
		}
	}
	if len(fe) > 0 {
		return errs.Invalid(fmt.Sprintf("force names unknown fields of %q", old.Key), fe...)
	}
	return nil
}

// applyTypeChange is the one path every model change takes: diff old and
// next, count the entries holding values in what changes, refuse what would
// lose content unforced, then write (unless a dry run or nothing changed).
func (s *Service) applyTypeChange(ctx context.Context, old, next ContentType, expectedVersion int, opt UpdateOptions) (TypeUpdate, error) {
	if (!opt.DryRun || expectedVersion != 0) && old.Version != expectedVersion {
		return TypeUpdate{}, errs.E(errs.Conflict, "content type %q is at version %d, not %d", old.Key, old.Version, expectedVersion)
	}
	// A type's kind (entry or block) decides where its entries may live:
	// no force makes existing ones fit elsewhere.
	if old.Kind != next.Kind {
		n, err := s.store.CountEntries(ctx, old.Key)
		if err != nil {
			return TypeUpdate{}, err
		}
		if n > 0 {
			return TypeUpdate{}, &errs.Error{Code: errs.Conflict, Message: fmt.Sprintf("content type %q has %d entries: its kind cannot change", old.Key, n),
				Fields: []errs.FieldError{{Path: "kind", Message: fmt.Sprintf("%d entries are %s documents", n, old.Kind)}}}
		}
	}
	diff := diffTypes(old, next)
	if err := s.countValues(ctx, old, &diff, opt.Force); err != nil {
		return TypeUpdate{}, err
	}
	preview := next
	preview.Version, preview.CreatedAt, preview.UpdatedAt = old.Version, old.CreatedAt, old.UpdatedAt
	if opt.DryRun {
		return TypeUpdate{Type: preview, Diff: diff}, nil
	}
	if err := refusals(old, diff); err != nil {
		return TypeUpdate{}, err
	}
	if sameDefinition(old, next) {
		return TypeUpdate{Type: old, Diff: diff}, nil
	}
	out, err := s.store.UpdateContentType(ctx, next, expectedVersion)
	s.Changed(true)
	if err != nil {
		return TypeUpdate{}, err
	}
	return TypeUpdate{Type: out, Diff: diff, Applied: true}, nil
}

// refusals is the CONFLICT for destructive changes of fields holding
// content that were not forced, naming each field and its count.
func refusals(old ContentType, d TypeDiff) error {
	var fe []errs.FieldError
	for _, f := range append(slices.Clone(d.Removed), d.Changed...) {
		if !f.NeedsForce {
			continue
		}
		what := "removing it"
		if slices.ContainsFunc(d.Changed, func(c FieldDiff) bool { return c.Key == f.Key }) {
			what = "changing its kind"
		}
		fe = append(fe, errs.FieldError{Path: "fields." + f.Key, Message: fmt.Sprintf(
			"%d entries hold a value for %q; %s would lose them: force it by key, or clear those values first",
			f.EntriesWithValues, f.Key, what)})
	}
	if len(fe) == 0 {
		return nil
	}
	var lost []string
	for _, f := range append(slices.Clone(d.Removed), d.Changed...) {
		if f.NeedsForce {
			lost = append(lost, fmt.Sprintf("%s (%d entries)", f.Key, f.EntriesWithValues))
		}
	}
	return &errs.Error{Code: errs.Conflict, Fields: fe, Message: fmt.Sprintf(
		"content type %q not changed: it would lose the content of %s", old.Key, strings.Join(lost, ", "))}
}

// diffTypes lists what changes from old to next, fields in next's order
// (removed ones in old's).
func diffTypes(old, next ContentType) TypeDiff {
	var d TypeDiff
	if old.Name != next.Name {
		d.Changes = append(d.Changes, fmt.Sprintf("name: %q → %q", old.Name, next.Name))
	}
	if old.Description != next.Description {
		d.Changes = append(d.Changes, fmt.Sprintf("description: %q → %q", old.Description, next.Description))
	}
	if old.Kind != next.Kind {
		d.Changes = append(d.Changes, fmt.Sprintf("kind: %s → %s", old.Kind, next.Kind))
	}
	for _, f := range next.Fields {
		of, ok := old.Field(f.Key)
		if !ok {
			d.Added = append(d.Added, FieldDiff{Key: f.Key, Changes: []string{"added (" + string(f.Kind) + ")"}})
			continue
		}
		if changes := fieldChanges(of, f); len(changes) > 0 {
			d.Changed = append(d.Changed, FieldDiff{Key: f.Key, Changes: changes,
				Destructive: of.Kind != f.Kind || of.List != f.List})
		}
	}
	var kept []string
	for _, f := range old.Fields {
		if _, ok := next.Field(f.Key); !ok {
			d.Removed = append(d.Removed, FieldDiff{Key: f.Key, Changes: []string{"removed"}, Destructive: true})
		} else {
			kept = append(kept, f.Key)
		}
	}
	var order []string
	for _, f := range next.Fields {
		if _, ok := old.Field(f.Key); ok {
			order = append(order, f.Key)
		}
	}
	if !slices.Equal(kept, order) {
		d.Changes = append(d.Changes, fmt.Sprintf("field order: %s → %s", strings.Join(kept, ", "), strings.Join(order, ", ")))
	}
	return d
}

// fieldChanges describes each property that differs, as the model file
// names it, in a stable order.
func fieldChanges(a, b Field) []string {
	ma, mb := asMap(a), asMap(b)
	keys := map[string]bool{}
	for k := range ma {
		keys[k] = true
	}
	for k := range mb {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var out []string
	for _, k := range sorted {
		if !reflect.DeepEqual(ma[k], mb[k]) {
			out = append(out, fmt.Sprintf("%s: %s → %s", k, show(ma[k]), show(mb[k])))
		}
	}
	return out
}

func asMap(f Field) map[string]any {
	raw, _ := json.Marshal(f)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return m
}

func show(v any) string {
	if v == nil {
		return "unset"
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

// countValues fills in EntriesWithValues of changed and removed fields,
// EntriesAffected, and NeedsForce.
func (s *Service) countValues(ctx context.Context, old ContentType, d *TypeDiff, force []string) error {
	var keys []string
	for _, f := range append(slices.Clone(d.Changed), d.Removed...) {
		keys = append(keys, f.Key)
	}
	if len(keys) == 0 {
		return nil
	}
	counts, total, err := s.store.FieldValueCounts(ctx, old.Key, old.Kind == TypeBlock, keys)
	if err != nil {
		return fmt.Errorf("counting values of %q: %w", old.Key, err)
	}
	d.EntriesAffected = total
	for _, list := range [][]FieldDiff{d.Changed, d.Removed} {
		for i := range list {
			list[i].EntriesWithValues = counts[list[i].Key]
			list[i].NeedsForce = list[i].Destructive && list[i].EntriesWithValues > 0 && !slices.Contains(force, list[i].Key)
		}
	}
	return nil
}
