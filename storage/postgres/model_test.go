package postgres_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

func TestModelExportImport(t *testing.T) {
	t.Parallel()
	src := setup(t)
	src.model(t)
	exported, err := src.svc.ExportModel(t.Context())
	require.NoError(t, err)
	file, err := json.MarshalIndent(exported, "", "  ")
	require.NoError(t, err)

	// Import into a fresh schema: everything is created, in any order
	// (page refers to block types, productList to product).
	dst := setup(t)
	m, err := content.ParseModel(file)
	require.NoError(t, err)
	slicesReverse(m.Types)
	rep, err := dst.svc.ImportModel(t.Context(), m)
	require.NoError(t, err)
	require.Len(t, rep.Created, 8)
	require.Empty(t, rep.Updated)
	require.Empty(t, rep.Unchanged)

	again, err := dst.svc.ExportModel(t.Context())
	require.NoError(t, err)
	againFile, err := json.MarshalIndent(again, "", "  ")
	require.NoError(t, err)
	require.Equal(t, string(file), string(againFile), "the model file survives the round trip")

	// Re-importing changes nothing, on either side.
	for _, b := range []*testBundle{dst, src} {
		before := snapshot(t, b.pool)
		rep, err = b.svc.ImportModel(t.Context(), m)
		require.NoError(t, err)
		require.Empty(t, rep.Created)
		require.Empty(t, rep.Updated)
		require.Len(t, rep.Unchanged, 8)
		require.Equal(t, before, snapshot(t, b.pool), "an idempotent import writes nothing")
	}

	// One changed type is reported as updated.
	for i := range m.Types {
		if m.Types[i].Key == "product" {
			m.Types[i].Description = "Things we sell"
		}
	}
	rep, err = dst.svc.ImportModel(t.Context(), m)
	require.NoError(t, err)
	require.Equal(t, []string{"product"}, rep.Updated)
	require.Len(t, rep.Unchanged, 7)
}

func TestModelImportRefusals(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	b.create(t, "product", "shoe", map[string]any{"title": "Shoe"})
	base, err := b.svc.ExportModel(t.Context())
	require.NoError(t, err)

	// withNew adds a new type, so a refused import must also not create it.
	withNew := func(change func(ct *content.ContentType)) content.Model {
		m := content.Model{Format: content.ModelFormat}
		m.Types = append(m.Types, content.ContentType{Key: "article", Name: "Article", Kind: content.TypeEntry,
			Fields: []content.Field{{Key: "title", Kind: content.KindText}}})
		for _, ct := range base.Types {
			ct.Fields = append([]content.Field(nil), ct.Fields...)
			if ct.Key == "product" {
				change(&ct)
			}
			m.Types = append(m.Types, ct)
		}
		return m
	}
	cases := map[string]struct {
		code  errs.Code
		model content.Model
	}{
		"kind change of a field with values": {errs.Conflict, withNew(func(ct *content.ContentType) {
			ct.Fields[0].Kind = content.KindNumber
		})},
		"removal of a field with values": {errs.Conflict, withNew(func(ct *content.ContentType) { ct.Fields = ct.Fields[1:] })},
		"invalid type":                   {errs.BadUserInput, withNew(func(ct *content.ContentType) { ct.Fields[0].Kind = "html" })},
		"unknown allowed type": {errs.BadUserInput, withNew(func(ct *content.ContentType) {
			ct.Fields[7].AllowedTypes = []string{"nope"}
		})},
		"type defined twice": {errs.BadUserInput, content.Model{Format: 1, Types: append(base.Types[:1:1], base.Types[0])}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b.requireRejected(t, tc.code, func(ctx context.Context) error {
				_, err := b.svc.ImportModel(ctx, tc.model)
				return err
			})
		})
	}
}

func slicesReverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}
