package content

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/mosaichq/mosaic/errs"
)

// ModelFormat is the version of the model file format.
const ModelFormat = 1

// Model is the whole content model as a file, so it can live in git.
type Model struct {
	Format int           `json:"mosaicModel"`
	Types  []ContentType `json:"types"`
}

// ImportReport says what an import changed (or, on a dry run, would
// change); a second import of the same file reports everything unchanged.
type ImportReport struct {
	Created   []string `json:"created"`
	Updated   []string `json:"updated"`
	Unchanged []string `json:"unchanged"`
	// Diffs says, per created or updated type, what changes.
	Diffs map[string]TypeDiff `json:"diffs,omitempty"`
	// Versions are the created and updated types' versions before (0 for
	// new types) and after the import; empty on a dry run.
	Versions map[string][2]int `json:"-"`
}

// ImportOptions tune an import.
type ImportOptions struct {
	// AllowDrop names, as "type.field", the fields holding content that
	// the import may remove or retype anyway.
	AllowDrop []string
	// DryRun validates and computes the report, writing nothing; fields
	// that would need AllowDrop are flagged in the diffs, not refused.
	DryRun bool
}

// ExportModel returns the model with types sorted by key.
func (s *Service) ExportModel(ctx context.Context) (Model, error) {
	types, err := s.ContentTypes(ctx)
	if err != nil {
		return Model{}, err
	}
	return Model{Format: ModelFormat, Types: types}, nil
}

// ParseModel decodes a model file strictly: unknown properties are mistakes.
func ParseModel(data []byte) (Model, error) {
	var m Model
	dec := json.NewDecoder(bytesReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Model{}, errs.Wrap(errs.BadUserInput, err, "model file is not valid: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Model{}, errs.E(errs.BadUserInput, "model file is not valid: unexpected data after the model object")
	}
	if m.Format != ModelFormat {
		return Model{}, errs.E(errs.BadUserInput, "model file format %d is not supported (want %d)", m.Format, ModelFormat)
	}
	return m, nil
}

// ImportModel is Import without options: it refuses to drop content.
func (s *Service) ImportModel(ctx context.Context, m Model) (ImportReport, error) {
	return s.Import(ctx, m, ImportOptions{})
}

// Import creates and updates types so the stored model matches m. Each
// type in m is a full definition and takes the path every model change
// takes (ReplaceContentType): a field that holds content is not removed or
// retyped unless opt.AllowDrop names it. Types absent from m are left
// alone: deleting a type is never implicit. Everything — definitions, types
// of the file referring to each other, what would lose content — is checked
// before anything is written, so a refused import writes nothing.
func (s *Service) Import(ctx context.Context, m Model, opt ImportOptions) (ImportReport, error) {
	rep := ImportReport{Diffs: map[string]TypeDiff{}, Versions: map[string][2]int{}}
	seen := map[string]bool{}
	for _, ct := range m.Types {
		if seen[ct.Key] {
			return rep, errs.E(errs.BadUserInput, "model file defines %q twice", ct.Key)
		}
		seen[ct.Key] = true
		if err := s.checkType(ctx, ct, m.Types...); err != nil {
			return rep, err
		}
	}
	existing, err := s.typeSet(ctx)
	if err != nil {
		return rep, err
	}
	force, err := allowDrop(opt.AllowDrop, m, existing)
	if err != nil {
		return rep, err
	}
	// Plan every update first (a dry run of the real path), so that a
	// refusal of the last type leaves the first unwritten.
	var refused []errs.FieldError
	for _, ct := range m.Types {
		old, ok := existing[ct.Key]
		switch {
		case !ok:
			rep.Created = append(rep.Created, ct.Key)
			rep.Diffs[ct.Key] = diffTypes(ContentType{Key: ct.Key}, ct)
			continue
		case sameDefinition(old, ct):
			rep.Unchanged = append(rep.Unchanged, ct.Key)
			continue
		}
		plan, err := s.applyTypeChange(ctx, old, ct, 0, UpdateOptions{Force: force[ct.Key], DryRun: true})
		if err != nil {
			return rep, fmt.Errorf("updating %q: %w", ct.Key, err)
		}
		rep.Updated = append(rep.Updated, ct.Key)
		rep.Diffs[ct.Key] = plan.Diff
		for _, list := range []struct {
			verb  string
			diffs []FieldDiff
		}{{"removes", plan.Diff.Removed}, {"changes the kind of", plan.Diff.Changed}} {
			for _, f := range list.diffs {
				if f.NeedsForce {
					refused = append(refused, errs.FieldError{Path: fmt.Sprintf("types.%s.fields.%s", ct.Key, f.Key),
						Message: fmt.Sprintf("%d entries hold a value for %s.%s; the file %s it", f.EntriesWithValues, ct.Key, f.Key, list.verb)})
				}
			}
		}
	}
	if opt.DryRun {
		// Refusals that AllowDrop would lift are flagged (NeedsForce) in
		// the diffs rather than raised: the dry run is where to find them.
		return rep, nil
	}
	if len(refused) > 0 {
		names := make([]string, len(refused))
		for i, f := range refused {
			names[i] = strings.Replace(strings.TrimPrefix(f.Path, "types."), ".fields.", ".", 1)
		}
		return ImportReport{}, &errs.Error{Code: errs.Conflict, Fields: refused, Message: fmt.Sprintf(
			"the model file would drop content of %s; nothing was imported: allow it by name (allowDrop %s) or keep those fields",
			strings.Join(names, ", "), strings.Join(names, ","))}
	}
	// Create new types first with no allowedTypes, so types may refer to
	// each other in any order; the update pass below sets them.
	for _, ct := range m.Types {
		if _, ok := existing[ct.Key]; ok {
			continue
		}
		bare := ct
		bare.Fields = slices.Clone(ct.Fields)
		for i := range bare.Fields {
			bare.Fields[i].AllowedTypes = nil
		}
		created, err := s.store.CreateContentType(ctx, bare)
		if err != nil {
			s.Changed(true)
			return rep, fmt.Errorf("creating %q: %w", ct.Key, err)
		}
		rep.Versions[ct.Key] = [2]int{0, created.Version}
	}
	s.Changed(true)
	current, err := s.typeSet(ctx)
	if err != nil {
		return rep, err
	}
	for _, ct := range m.Types {
		cur := current[ct.Key]
		if sameDefinition(cur, ct) {
			continue
		}
		up, err := s.ReplaceContentType(ctx, ct, cur.Version, UpdateOptions{Force: force[ct.Key]})
		if err != nil {
			return rep, fmt.Errorf("updating %q: %w", ct.Key, err)
		}
		before := cur.Version
		if v, ok := rep.Versions[ct.Key]; ok {
			before = v[0]
		}
		rep.Versions[ct.Key] = [2]int{before, up.Type.Version}
	}
	return rep, nil
}

// allowDrop parses "type.field" names into forced keys per type.
func allowDrop(names []string, m Model, existing map[string]ContentType) (map[string][]string, error) {
	out := map[string][]string{}
	var fe []errs.FieldError
	for i, n := range names {
		typ, field, ok := strings.Cut(n, ".")
		old, known := existing[typ]
		switch {
		case !ok:
			fe = append(fe, errs.FieldError{Path: fmt.Sprintf("allowDrop.%d", i), Message: fmt.Sprintf("%q is not type.field", n)})
		case !known || !slices.ContainsFunc(m.Types, func(ct ContentType) bool { return ct.Key == typ }):
			fe = append(fe, errs.FieldError{Path: fmt.Sprintf("allowDrop.%d", i), Message: fmt.Sprintf("%q: the file updates no stored type %q", n, typ)})
		default:
			if _, has := old.Field(field); !has {
				fe = append(fe, errs.FieldError{Path: fmt.Sprintf("allowDrop.%d", i), Message: fmt.Sprintf("%q: %q has no field %q", n, typ, field)})
				continue
			}
			out[typ] = append(out[typ], field)
		}
	}
	if len(fe) > 0 {
		return nil, errs.Invalid("allowDrop names fields the import does not touch", fe...)
	}
	return out, nil
}

func sameDefinition(a, b ContentType) bool {
	// No fields and an empty list of fields are one definition.
	if len(a.Fields) == 0 {
		a.Fields = nil
	}
	if len(b.Fields) == 0 {
		b.Fields = nil
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	var va, vb any
	_ = json.Unmarshal(ja, &va)
	_ = json.Unmarshal(jb, &vb)
	return reflect.DeepEqual(va, vb)
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
