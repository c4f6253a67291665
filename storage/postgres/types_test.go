package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

func TestContentTypeLifecycle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()

	created, err := b.svc.CreateContentType(ctx, productType())
	require.NoError(t, err)
	require.Equal(t, 1, created.Version)
	require.False(t, created.CreatedAt.IsZero())
	require.Equal(t, productType().Fields, created.Fields)

	got, err := b.svc.ContentType(ctx, "product")
	require.NoError(t, err)
	require.Equal(t, created, got)
	// Another replica reads the same model from the database.
	got, err = b.newService(t).ContentType(ctx, "product")
	require.NoError(t, err)
	require.Equal(t, created.Fields, got.Fields)

	t.Run("duplicate", func(t *testing.T) {
		b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
			_, err := b.svc.CreateContentType(ctx, productType())
			return err
		})
	})

	ct := productType()
	ct.Description = "Things we sell"
	updated, err := b.svc.UpdateContentType(ctx, ct, 1)
	require.NoError(t, err)
	require.Equal(t, 2, updated.Version)
	require.Equal(t, "Things we sell", updated.Description)

	t.Run("stale version", func(t *testing.T) {
		ct := productType()
		ct.Name = "Goods"
		err := b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
			_, err := b.svc.UpdateContentType(ctx, ct, 1)
			return err
		})
		require.ErrorContains(t, err, "version 2, not 1")
	})
	t.Run("unknown type", func(t *testing.T) {
		ct := productType()
		ct.Key = "nope"
		b.requireRejected(t, errs.NotFound, func(ctx context.Context) error {
			_, err := b.svc.UpdateContentType(ctx, ct, 1)
			return err
		})
	})
	t.Run("invalid definition", func(t *testing.T) {
		ct := productType()
		ct.Key = "Bad Key"
		ct.Fields = append(ct.Fields, content.Field{Key: "x", Kind: "html"})
		err := b.requireRejected(t, errs.BadUserInput, func(ctx context.Context) error {
			_, err := b.svc.CreateContentType(ctx, ct)
			return err
		})
		requireFieldProblem(t, err, "key")
		requireFieldProblem(t, err, "fields.8.kind")
	})
	t.Run("allowedTypes name unknown types", func(t *testing.T) {
		ct := pageType()
		err := b.requireRejected(t, errs.BadUserInput, func(ctx context.Context) error {
			_, err := b.svc.CreateContentType(ctx, ct) // its block types do not exist yet
			return err
		})
		requireFieldProblem(t, err, "fields.4.allowedTypes")
	})
	t.Run("blocks hold block types only", func(t *testing.T) {
		ct := content.ContentType{Key: "landing", Name: "Landing", Kind: content.TypeEntry, Fields: []content.Field{
			{Key: "blocks", Kind: content.KindBlocks, AllowedTypes: []string{"product"}}}}
		b.requireRejected(t, errs.BadUserInput, func(ctx context.Context) error {
			_, err := b.svc.CreateContentType(ctx, ct)
			return err
		})
	})
}

func TestContentTypeKindChange(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	_, err := b.svc.CreateContentType(ctx, productType())
	require.NoError(t, err)

	// Without entries, kinds may change freely.
	ct := productType()
	ct.Fields[2].Kind = content.KindText // price: number -> text
	ct.Fields[2].Min = nil
	_, err = b.svc.UpdateContentType(ctx, ct, 1)
	require.NoError(t, err)
	_, err = b.svc.UpdateContentType(ctx, productType(), 2)
	require.NoError(t, err)

	b.create(t, "product", "shoe", map[string]any{"title": "Shoe", "price": 10.0})

	// With entries, a field that holds values keeps its kind (sku holds
	// none, so it may still change).
	changes := map[string]func(*content.ContentType){
		"field kind":    func(ct *content.ContentType) { ct.Fields[2].Kind = content.KindText; ct.Fields[2].Min = nil },
		"field list":    func(ct *content.ContentType) { ct.Fields[0].List = true },
		"type to block": func(ct *content.ContentType) { ct.Kind = content.TypeBlock },
	}
	refusal := map[string]string{"field kind": "price (1 entries)", "field list": "title (1 entries)", "type to block": "has 1 entries"}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			ct := productType()
			change(&ct)
			err := b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
				_, err := b.svc.UpdateContentType(ctx, ct, 3)
				return err
			})
			require.ErrorContains(t, err, refusal[name])
		})
	}

	// Other changes are fine with entries: a new optional field, a new bound.
	ct = productType()
	ct.Fields = append(ct.Fields, content.Field{Key: "colour", Kind: content.KindText})
	ct.Fields[0].Max = num(200)
	_, err = b.svc.UpdateContentType(ctx, ct, 3)
	require.NoError(t, err)
}

func TestTypeSchema(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	page, err := b.svc.ContentType(t.Context(), "page")
	require.NoError(t, err)
	s, err := b.svc.TypeSchema(t.Context(), page)
	require.NoError(t, err)
	require.Equal(t, "mosaic:type:page", s["$id"])
	defs := s["$defs"].(map[string]any)
	require.Len(t, defs, 6, "one definition per allowed block type")
	require.Contains(t, defs, "block_promo")

	all, err := b.svc.ContentTypes(t.Context())
	require.NoError(t, err)
	var keys []string
	for _, ct := range all {
		keys = append(keys, ct.Key)
	}
	require.Equal(t, []string{"cta", "hero", "media", "page", "product", "productList", "promo", "richText"}, keys)
}
