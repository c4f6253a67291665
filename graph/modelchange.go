package graph

import (
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/graph/model"
)

// typeChangeIn maps changeContentType's field operations; field
// definitions map as in createContentType.
func typeChangeIn(in model.ContentTypeChangesInput) content.TypeChange {
	fields := func(list []*model.FieldInput) []content.Field {
		if len(list) == 0 {
			return nil
		}
		ct := contentTypeIn(model.ContentTypeInput{Fields: list})
		return ct.Fields
	}
	return content.TypeChange{Name: in.Name, Description: in.Description, AddFields: fields(in.AddFields),
		ChangeFields: fields(in.ChangeFields), RemoveFields: in.RemoveFields}
}

func typeUpdateOut(up content.TypeUpdate) *model.ContentTypeChange {
	d := up.Diff
	return &model.ContentTypeChange{ContentType: contentTypeOut(up.Type), Applied: up.Applied,
		Diff: &model.ContentTypeDiff{Changes: nonNil(d.Changes), Added: fieldChangesOut(d.Added), Changed: fieldChangesOut(d.Changed),
			Removed: fieldChangesOut(d.Removed), EntriesAffected: d.EntriesAffected}}
}

func fieldChangesOut(list []content.FieldDiff) []*model.FieldChange {
	out := make([]*model.FieldChange, len(list))
	for i, f := range list {
		out[i] = &model.FieldChange{Key: f.Key, Changes: nonNil(f.Changes), EntriesWithValues: f.EntriesWithValues,
			Destructive: f.Destructive, NeedsForce: f.NeedsForce}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
