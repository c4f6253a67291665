package content

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"

	"github.com/mosaichq/mosaic/errs"
)

// ModelFormat is the version of the model file format.
const ModelFormat = 1

// Model is the whole content model as a file, so it can live in git.
type Model struct {
	Format int           `json:"mosaicModel"`
	Types  []ContentType `json:"types"`
}

// ImportReport says what an import changed; a second import of the same
// file reports everything unchanged.
type ImportReport struct {
	Created   []string `json:"created"`
	Updated   []string `json:"updated"`
	Unchanged []string `json:"unchanged"`
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

// ImportModel creates and updates types so the stored model matches m.
// Types absent from m are left alone: deleting a type is never implicit.
// Everything is validated before anything is written, with types of the
// file able to refer to each other.
func (s *Service) ImportModel(ctx context.Context, m Model) (ImportReport, error) {
	var rep ImportReport
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
	// UpdateContentType refuses kind changes on types with entries; find
	// them now, before the first write, so a refused import writes nothing.
	for _, ct := range m.Types {
		old, ok := existing[ct.Key]
		if !ok || (old.Kind == ct.Kind && !kindChanged(old, ct)) {
			continue
		}
		n, err := s.store.CountEntries(ctx, ct.Key)
		if err != nil {
			return rep, err
		}
		if n > 0 {
			return rep, errs.E(errs.Conflict,
				"content type %q has %d entries: its kind and its fields' kinds cannot change", ct.Key, n)
		}
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
		if _, err := s.store.CreateContentType(ctx, bare); err != nil {
			s.Changed(true)
			return rep, fmt.Errorf("creating %q: %w", ct.Key, err)
		}
		rep.Created = append(rep.Created, ct.Key)
	}
	s.Changed(true)
	current, err := s.typeSet(ctx)
	if err != nil {
		return rep, err
	}
	for _, ct := range m.Types {
		cur := current[ct.Key]
		if sameDefinition(cur, ct) {
			if !slices.Contains(rep.Created, ct.Key) {
				rep.Unchanged = append(rep.Unchanged, ct.Key)
			}
			continue
		}
		if _, err := s.UpdateContentType(ctx, ct, cur.Version); err != nil {
			return rep, fmt.Errorf("updating %q: %w", ct.Key, err)
		}
		if !slices.Contains(rep.Created, ct.Key) {
			rep.Updated = append(rep.Updated, ct.Key)
		}
	}
	return rep, nil
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
