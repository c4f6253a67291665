package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

func str(s string) *string { return &s }

// TestUpdateKeepsFieldsWithContent is the first-time user's accident: an
// update sending only the field being changed used to delete every other
// field, live pages' titles included. A full definition now may not drop
// (or retype) a field that holds content unless it is forced by key.
func TestUpdateKeepsFieldsWithContent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ctx := t.Context()
	home := b.publish(t, b.create(t, "page", "home", map[string]any{"title": "Home", "summary": "Our shop"}))
	b.create(t, "page", "about", map[string]any{"title": "About"})

	onlyTheme := content.ContentType{Key: "page", Name: "Page", Kind: content.TypeEntry, Fields: []content.Field{
		{Key: "theme", Kind: content.KindEnum, Values: []string{"light", "dark", "high-contrast"}}}}
	err := b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
		_, err := b.svc.UpdateContentType(ctx, onlyTheme, 1)
		return err
	})
	require.ErrorContains(t, err, "title (2 entries)")
	require.ErrorContains(t, err, "summary (1 entries)")
	requireFieldProblem(t, err, "fields.title")
	requireFieldProblem(t, err, "fields.summary")
	e, _ := errs.As(err)
	require.Len(t, e.Fields, 2, "fields without content (featured, blocks) may go: %v", e.Fields)

	// A value only in a published version still counts: the draft lost
	// it, the live page did not.
	b.update(t, home, map[string]any{"title": "Home"})
	plan, err := b.svc.ReplaceContentType(ctx, onlyTheme, 1, content.UpdateOptions{DryRun: true})
	require.NoError(t, err)
	require.Equal(t, 1, removed(plan.Diff, "summary").EntriesWithValues)

	// Forcing one field is not enough; forcing both is.
	b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
		_, err := b.svc.ReplaceContentType(ctx, onlyTheme, 1, content.UpdateOptions{Force: []string{"title"}})
		return err
	})
	up, err := b.svc.ReplaceContentType(ctx, onlyTheme, 1, content.UpdateOptions{Force: []string{"title", "summary"}})
	require.NoError(t, err)
	require.True(t, up.Applied)
	require.Equal(t, 2, up.Type.Version)
	require.Len(t, up.Type.Fields, 1)
	require.Equal(t, 2, up.Diff.EntriesAffected)
}

// TestChangeContentType: field operations touch only the fields they name.
func TestChangeContentType(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ctx := t.Context()
	b.publish(t, b.create(t, "page", "home", map[string]any{"title": "Home", "summary": "Our shop",
		"blocks": []any{map[string]any{"type": "hero", "fields": map[string]any{"title": "Winter"}}}}))
	b.create(t, "page", "sale", map[string]any{"title": "Sale", "theme": "dark"})

	change := content.TypeChange{
		Description:  str("A storefront page"),
		AddFields:    []content.Field{{Key: "seoTitle", Kind: content.KindText, Localized: true, Max: num(60)}},
		ChangeFields: []content.Field{{Key: "title", Kind: content.KindText, Required: true, Localized: true, Max: num(200)}},
		RemoveFields: []string{"featured", "theme"},
	}
	// The dry run: the diff and what it would refuse, nothing written.
	before := snapshot(t, b.pool)
	plan, err := b.svc.ChangeContentType(ctx, "page", change, 1, content.UpdateOptions{DryRun: true})
	require.NoError(t, err)
	require.Equal(t, before, snapshot(t, b.pool), "a dry run writes nothing")
	require.False(t, plan.Applied)
	require.Equal(t, []string{`description: "" → "A storefront page"`}, plan.Diff.Changes)
	require.Equal(t, "seoTitle", plan.Diff.Added[0].Key)
	require.Equal(t, []string{"max: unset → 200"}, plan.Diff.Changed[0].Changes)
	require.Equal(t, 2, plan.Diff.Changed[0].EntriesWithValues)
	require.False(t, plan.Diff.Changed[0].NeedsForce, "a new bound is not destructive")
	require.Equal(t, 0, removed(plan.Diff, "featured").EntriesWithValues)
	require.Equal(t, 1, removed(plan.Diff, "theme").EntriesWithValues)
	require.True(t, removed(plan.Diff, "theme").NeedsForce)
	require.Equal(t, 2, plan.Diff.EntriesAffected)
	require.Equal(t, []string{"title", "summary", "blocks", "seoTitle"}, keys(plan.Type.Fields))

	err = b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
		_, err := b.svc.ChangeContentType(ctx, "page", change, 1, content.UpdateOptions{})
		return err
	})
	require.ErrorContains(t, err, "theme (1 entries)")

	change.RemoveFields = []string{"featured"}
	up, err := b.svc.ChangeContentType(ctx, "page", change, 1, content.UpdateOptions{})
	require.NoError(t, err)
	require.True(t, up.Applied)
	require.Equal(t, []string{"title", "summary", "theme", "blocks", "seoTitle"}, keys(up.Type.Fields))
	require.Equal(t, "A storefront page", up.Type.Description)
	require.Equal(t, "Page", up.Type.Name, "what the change does not name stays")
	stored, err := b.newService(t).ContentType(ctx, "page")
	require.NoError(t, err)
	require.Equal(t, up.Type.Fields, stored.Fields)

	// Values inside blocks count for a block type's fields.
	heroPlan, err := b.svc.ChangeContentType(ctx, "hero", content.TypeChange{RemoveFields: []string{"title", "image"}}, 0,
		content.UpdateOptions{DryRun: true})
	require.NoError(t, err)
	require.Equal(t, 1, removed(heroPlan.Diff, "title").EntriesWithValues)
	require.Equal(t, 0, removed(heroPlan.Diff, "image").EntriesWithValues)

	t.Run("stale version", func(t *testing.T) {
		b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
			_, err := b.svc.ChangeContentType(ctx, "page", content.TypeChange{Name: str("Pages")}, 1, content.UpdateOptions{})
			return err
		})
	})
	t.Run("no change writes nothing", func(t *testing.T) {
		before := snapshot(t, b.pool)
		up, err := b.svc.ChangeContentType(ctx, "page", content.TypeChange{Name: str("Page")}, 2, content.UpdateOptions{})
		require.NoError(t, err)
		require.False(t, up.Applied)
		require.Equal(t, 2, up.Type.Version)
		require.Equal(t, before, snapshot(t, b.pool))
	})
}

// TestChangeContentTypeBadInput: every mistake is a BAD_USER_INPUT naming
// the operation's path, and nothing is written.
func TestChangeContentTypeBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	text := func(key string) content.Field { return content.Field{Key: key, Kind: content.KindText} }
	cases := []struct {
		name   string
		change content.TypeChange
		force  []string
		paths  []string
	}{
		{"unknown field to remove", content.TypeChange{RemoveFields: []string{"nope"}}, nil, []string{"removeFields.0"}},
		{"unknown field to change", content.TypeChange{ChangeFields: []content.Field{text("nope")}}, nil, []string{"changeFields.0.key"}},
		{"added field exists", content.TypeChange{AddFields: []content.Field{text("title")}}, nil, []string{"addFields.0.key"}},
		{"duplicate added keys", content.TypeChange{AddFields: []content.Field{text("a"), text("a")}}, nil, []string{"addFields.1.key"}},
		{"removed and changed", content.TypeChange{RemoveFields: []string{"summary"}, ChangeFields: []content.Field{text("summary")}},
			nil, []string{"changeFields.0.key"}},
		{"invalid kind", content.TypeChange{AddFields: []content.Field{{Key: "body", Kind: "html"}}}, nil, []string{"addFields.0.kind"}},
		{"invalid key", content.TypeChange{AddFields: []content.Field{text("Bad Key")}}, nil, []string{"addFields.0.key"}},
		{"pattern on a number", content.TypeChange{ChangeFields: []content.Field{{Key: "title", Kind: content.KindNumber, Pattern: "x"}}},
			nil, []string{"changeFields.0.pattern"}},
		{"unknown allowed type", content.TypeChange{AddFields: []content.Field{text("x"),
			{Key: "more", Kind: content.KindBlocks, AllowedTypes: []string{"carousel"}}}}, nil, []string{"addFields.1.allowedTypes"}},
		{"every problem at once", content.TypeChange{RemoveFields: []string{"nope"}, AddFields: []content.Field{{Key: "x", Kind: "html"}}},
			nil, []string{"removeFields.0", "addFields.0.kind"}},
		{"force names an unknown field", content.TypeChange{Name: str("Pages")}, []string{"titel"}, []string{"force.0"}},
		{"empty name", content.TypeChange{Name: str("")}, nil, []string{"name"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, dry := range []bool{false, true} {
				err := b.requireRejected(t, errs.BadUserInput, func(ctx context.Context) error {
					_, err := b.svc.ChangeContentType(ctx, "page", tc.change, 1, content.UpdateOptions{Force: tc.force, DryRun: dry})
					return err
				})
				for _, p := range tc.paths {
					requireFieldProblem(t, err, p)
				}
			}
		})
	}
	b.requireRejected(t, errs.NotFound, func(ctx context.Context) error {
		_, err := b.svc.ChangeContentType(ctx, "nope", content.TypeChange{Name: str("x")}, 1, content.UpdateOptions{})
		return err
	})
}

// TestImportKeepsFieldsWithContent: `mosaic model import` takes the same
// path: a file that leaves out a field holding content is refused whole
// unless the field is allowed by name.
func TestImportKeepsFieldsWithContent(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ctx := t.Context()
	b.create(t, "page", "home", map[string]any{"title": "Home", "summary": "Our shop"})
	m, err := b.svc.ExportModel(ctx)
	require.NoError(t, err)
	for i, ct := range m.Types {
		if ct.Key == "page" {
			m.Types[i].Fields = ct.Fields[:1] // title only: summary, theme, featured, blocks go
		}
		if ct.Key == "product" {
			m.Types[i].Description = "Things we sell"
		}
	}
	err = b.requireRejected(t, errs.Conflict, func(ctx context.Context) error {
		_, err := b.svc.ImportModel(ctx, m)
		return err
	})
	require.ErrorContains(t, err, "page.summary")
	requireFieldProblem(t, err, "types.page.fields.summary")

	before := snapshot(t, b.pool)
	rep, err := b.svc.Import(ctx, m, content.ImportOptions{AllowDrop: []string{"page.summary"}, DryRun: true})
	require.NoError(t, err)
	require.Equal(t, before, snapshot(t, b.pool), "a dry run writes nothing")
	require.ElementsMatch(t, []string{"page", "product"}, rep.Updated)
	require.Len(t, rep.Diffs["page"].Removed, 4)
	require.False(t, removed(rep.Diffs["page"], "summary").NeedsForce, "allowed by name")
	rep, err = b.svc.Import(ctx, m, content.ImportOptions{DryRun: true})
	require.NoError(t, err, "a dry run flags what it would refuse")
	require.True(t, removed(rep.Diffs["page"], "summary").NeedsForce)
	require.Equal(t, 1, removed(rep.Diffs["page"], "summary").EntriesWithValues)
	require.Equal(t, before, snapshot(t, b.pool))

	for _, bad := range []string{"summary", "nope.summary", "page.nope"} {
		b.requireRejected(t, errs.BadUserInput, func(ctx context.Context) error {
			_, err := b.svc.Import(ctx, m, content.ImportOptions{AllowDrop: []string{bad}})
			return err
		})
	}

	rep, err = b.svc.Import(ctx, m, content.ImportOptions{AllowDrop: []string{"page.summary"}})
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"page", "product"}, rep.Updated)
	require.Equal(t, [2]int{1, 2}, rep.Versions["page"])
	page, err := b.svc.ContentType(ctx, "page")
	require.NoError(t, err)
	require.Equal(t, []string{"title"}, keys(page.Fields))
}

func removed(d content.TypeDiff, key string) content.FieldDiff {
	for _, f := range d.Removed {
		if f.Key == key {
			return f
		}
	}
	return content.FieldDiff{Key: "(not removed)"}
}

func keys(fields []content.Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Key
	}
	return out
}
