package graph

import (
	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/graph/model"
)

// The schema spells kinds as GraphQL enums; the model file and the domain
// use camelCase. One table keeps both directions in step.
var fieldKinds = map[model.FieldKind]content.FieldKind{
	model.FieldKindText:      content.KindText,
	model.FieldKindRichText:  content.KindRichText,
	model.FieldKindNumber:    content.KindNumber,
	model.FieldKindBoolean:   content.KindBoolean,
	model.FieldKindDateTime:  content.KindDateTime,
	model.FieldKindEnum:      content.KindEnum,
	model.FieldKindReference: content.KindReference,
	model.FieldKindAsset:     content.KindAsset,
	model.FieldKindBlocks:    content.KindBlocks,
	model.FieldKindJSON:      content.KindJSON,
}

func toGraphKind(k content.FieldKind) model.FieldKind {
	for g, d := range fieldKinds {
		if d == k {
			return g
		}
	}
	return model.FieldKind(k)
}

func contentTypeOut(ct content.ContentType) *model.ContentType {
	out := &model.ContentType{Key: ct.Key, Name: ct.Name, Description: ct.Description,
		Kind: model.TypeKindEntry, Version: ct.Version, CreatedAt: ct.CreatedAt, UpdatedAt: ct.UpdatedAt, CT: ct}
	if ct.Kind == content.TypeBlock {
		out.Kind = model.TypeKindBlock
	}
	for _, f := range ct.Fields {
		out.Fields = append(out.Fields, &model.FieldDef{Key: f.Key, Name: optString(f.Name), Description: optString(f.Description),
			Kind: toGraphKind(f.Kind), Required: f.Required, Localized: f.Localized, Unique: f.Unique, List: f.List,
			Min: f.Min, Max: f.Max, Pattern: optString(f.Pattern), Values: f.Values, AllowedTypes: f.AllowedTypes,
			Recommend: recommendOut(f.Recommend)})
	}
	return out
}

func contentTypeIn(in model.ContentTypeInput) content.ContentType {
	ct := content.ContentType{Key: in.Key, Name: in.Name, Description: deref(in.Description), Kind: content.TypeEntry}
	if in.Kind != nil && *in.Kind == model.TypeKindBlock {
		ct.Kind = content.TypeBlock
	}
	for _, f := range in.Fields {
		ct.Fields = append(ct.Fields, content.Field{Key: f.Key, Name: deref(f.Name), Description: deref(f.Description),
			Kind: fieldKinds[f.Kind], Required: derefBool(f.Required), Localized: derefBool(f.Localized),
			Unique: derefBool(f.Unique), List: derefBool(f.List), Min: f.Min, Max: f.Max, Pattern: deref(f.Pattern),
			Values: f.Values, AllowedTypes: f.AllowedTypes, Recommend: recommendIn(f.Recommend)})
	}
	return ct
}

func fieldsIn(v any, path string) (map[string]any, error) {
	m, err := model.JSONObject(v)
	if err != nil {
		return nil, errs.Invalid(path+" "+err.Error(), errs.FieldError{Path: path, Message: err.Error()})
	}
	return m, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefBool(b *bool) bool { return b != nil && *b }

func derefInt(n *int, def int) int {
	if n == nil {
		return def
	}
	return *n
}

// pageSize reads a `first` argument: def when absent, else what
// errs.CheckFirst allows (0 and negatives are refused here because the
// services read 0 as "the default").
func pageSize(first *int, def, max int) (int, error) {
	if first == nil {
		return def, nil
	}
	return *first, errs.CheckFirst(*first, max)
}

// pageWeight is a list's page size as the complexity limit counts it:
// at least 1, so that a refused negative `first` cannot lower a query's
// cost below what its other fields weigh.
func pageWeight(first *int, def int) int {
	return max(derefInt(first, def), 1)
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func recommendIn(in *model.RecommendInput) *content.Recommend {
	if in == nil {
		return nil
	}
	out := &content.Recommend{Source: in.Source, By: deref(in.By), Window: deref(in.Window), Types: in.Types, Tags: in.Tags,
		ExcludePurchased: derefBool(in.ExcludePurchased)}
	if in.Limit != nil {
		out.Limit = *in.Limit
		if out.Limit == 0 { // 0 is not "the default": it is refused as out of range
			out.Limit = -1
		}
	}
	return out
}

func recommendOut(r *content.Recommend) *model.RecommendSettings {
	if r == nil {
		return nil
	}
	out := &model.RecommendSettings{Source: r.Source, By: optString(r.By), Window: optString(r.Window), Types: r.Types, Tags: r.Tags,
		ExcludePurchased: r.ExcludePurchased}
	if r.Limit > 0 {
		out.Limit = &r.Limit
	}
	return out
}
