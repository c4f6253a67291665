package postgres_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
)

// catalogue publishes 25 products p00..p24, in that order (so publishedAt
// grows with i). Product i costs (7i mod 25), a permutation of 0..24;
// its category cycles shoes, hats, bags; even ones have a release date;
// every fifth is tagged "sale".
func catalogue(t *testing.T, b *testBundle) map[string]int {
	t.Helper()
	ids := map[string]int{}
	for i := range 25 {
		fields := map[string]any{"title": fmt.Sprintf("Product %02d", i), "price": float64(i * 7 % 25),
			"category": []string{"shoes", "hats", "bags"}[i%3]}
		if i%2 == 0 {
			fields["releasedAt"] = time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
		}
		if i%5 == 0 {
			fields["tags"] = []any{"sale", "new"}
		}
		e := b.publish(t, b.create(t, "product", fmt.Sprintf("p%02d", i), fields))
		ids[e.ID] = i
	}
	return ids
}

// listAll pages through a list first at a time and returns the product
// numbers in order, checking the page shapes on the way.
func listAll(t *testing.T, b *testBundle, req content.ListRequest, ids map[string]int) []int {
	t.Helper()
	var out []int
	for pages := 0; ; pages++ {
		require.Less(t, pages, 30, "pagination does not end")
		page, err := b.svc.List(t.Context(), req)
		require.NoError(t, err)
		require.Len(t, page.Cursors, len(page.Items))
		for _, it := range page.Items {
			out = append(out, ids[it.ID])
		}
		if !page.HasNextPage {
			return out
		}
		require.Len(t, page.Items, req.First, "only the last page is short")
		req.After = page.Cursors[len(page.Cursors)-1]
	}
}

func numbers(from, to int, keep func(int) bool) []int {
	var out []int
	for i := from; i <= to; i++ {
		if keep == nil || keep(i) {
			out = append(out, i)
		}
	}
	return out
}

func TestListPagination(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ids := catalogue(t, b)
	byPrice := func(desc bool) []int {
		out := numbers(0, 24, nil)
		slices.SortFunc(out, func(x, y int) int { return (x * 7 % 25) - (y * 7 % 25) })
		if desc {
			slices.Reverse(out)
		}
		return out
	}
	newestFirst := numbers(0, 24, nil)
	slices.Reverse(newestFirst)

	// First page shape: 10 items and a next page.
	page, err := b.svc.List(t.Context(), content.ListRequest{Type: "product", First: 10})
	require.NoError(t, err)
	require.Len(t, page.Items, 10)
	require.True(t, page.HasNextPage)

	cases := map[string]struct {
		sort *content.SortKey
		want []int
	}{
		"default: newest first":  {nil, newestFirst},
		"publishedAt ascending":  {&content.SortKey{Field: "publishedAt"}, numbers(0, 24, nil)},
		"price ascending":        {&content.SortKey{Field: "price"}, byPrice(false)},
		"price descending":       {&content.SortKey{Field: "price", Descending: true}, byPrice(true)},
		"slug descending":        {&content.SortKey{Field: "slug", Descending: true}, newestFirst},
		"title (localized) asc.": {&content.SortKey{Field: "title"}, numbers(0, 24, nil)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := listAll(t, b, content.ListRequest{Type: "product", First: 10, Sort: tc.sort}, ids)
			require.Equal(t, tc.want, got, "no duplicates, no gaps, in order")
		})
	}
	// Sorts with ties (category) and missing values (releasedAt) still
	// page through every entry exactly once.
	for _, sort := range []content.SortKey{{Field: "category"}, {Field: "category", Descending: true},
		{Field: "releasedAt"}, {Field: "releasedAt", Descending: true}} {
		t.Run("ties and nulls "+sort.Field, func(t *testing.T) {
			t.Parallel()
			got := listAll(t, b, content.ListRequest{Type: "product", First: 10, Sort: &sort}, ids)
			require.ElementsMatch(t, numbers(0, 24, nil), got)
		})
	}
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	ids := catalogue(t, b)
	byPublish := &content.SortKey{Field: "publishedAt"}
	priceOf := func(i int) int { return i * 7 % 25 }
	cases := map[string]struct {
		filters []content.Filter
		want    []int
	}{
		"EQ enum":       {[]content.Filter{{Field: "category", Op: content.OpEq, Value: "shoes"}}, numbers(0, 24, func(i int) bool { return i%3 == 0 })},
		"NE enum":       {[]content.Filter{{Field: "category", Op: content.OpNe, Value: "shoes"}}, numbers(0, 24, func(i int) bool { return i%3 != 0 })},
		"GT number":     {[]content.Filter{{Field: "price", Op: content.OpGt, Value: 20.0}}, numbers(0, 24, func(i int) bool { return priceOf(i) > 20 })},
		"LTE number":    {[]content.Filter{{Field: "price", Op: content.OpLte, Value: 2.0}}, numbers(0, 24, func(i int) bool { return priceOf(i) <= 2 })},
		"IN enum":       {[]content.Filter{{Field: "category", Op: content.OpIn, Value: []any{"hats", "bags"}}}, numbers(0, 24, func(i int) bool { return i%3 != 0 })},
		"EXISTS":        {[]content.Filter{{Field: "releasedAt", Op: content.OpExists}}, numbers(0, 24, func(i int) bool { return i%2 == 0 })},
		"EQ on a list":  {[]content.Filter{{Field: "tags", Op: content.OpEq, Value: "sale"}}, numbers(0, 24, func(i int) bool { return i%5 == 0 })},
		"GTE date-time": {[]content.Filter{{Field: "releasedAt", Op: content.OpGte, Value: "2026-01-20T00:00:00Z"}}, []int{20, 22, 24}},
		"EQ text":       {[]content.Filter{{Field: "title", Op: content.OpEq, Value: "Product 07"}}, []int{7}},
		"combined": {[]content.Filter{{Field: "category", Op: content.OpEq, Value: "shoes"}, {Field: "price", Op: content.OpGt, Value: 10.0}},
			numbers(0, 24, func(i int) bool { return i%3 == 0 && priceOf(i) > 10 })},
		"nothing": {[]content.Filter{{Field: "price", Op: content.OpGt, Value: 1000.0}}, nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := listAll(t, b, content.ListRequest{Type: "product", First: 4, Sort: byPublish, Filters: tc.filters}, ids)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestListRefusals(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	catalogue(t, b)
	page, err := b.svc.List(t.Context(), content.ListRequest{Type: "product", First: 10, Sort: &content.SortKey{Field: "price"}})
	require.NoError(t, err)
	priceCursor := page.Cursors[9]

	for name, req := range map[string]content.ListRequest{
		"cursor from another sort":      {Type: "product", After: priceCursor},
		"cursor from another direction": {Type: "product", After: priceCursor, Sort: &content.SortKey{Field: "price", Descending: true}},
		"garbage cursor":                {Type: "product", After: "garbage"},
		"unknown type":                  {Type: "article"},
		"unknown locale":                {Type: "product", Locale: "de"},
		"unsortable field":              {Type: "product", Sort: &content.SortKey{Field: "tags"}},
		"filter value of a wrong type":  {Type: "product", Filters: []content.Filter{{Field: "price", Op: content.OpGt, Value: "10"}}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := b.svc.List(t.Context(), req)
			requireCode(t, err, errs.BadUserInput)
		})
	}
}

func TestListLocales(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.model(t)
	a := b.product(t, "a", 1)
	b.product(t, "b", 2)
	b.publish(t, b.addLocale(t, a, "ro", "a-ro", map[string]any{"title": "Produs A"}))

	page, err := b.svc.List(t.Context(), content.ListRequest{Type: "product", Locale: "ro-RO", Sort: &content.SortKey{Field: "price"}})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	require.Equal(t, "ro", page.Items[0].Locale)
	require.Equal(t, "Produs A", page.Items[0].Fields["title"])
	require.Equal(t, 1.0, page.Items[0].Fields["price"], "non-localized fields from en")
	require.Equal(t, "en", page.Items[1].Locale)

	// Filters see the reader's locale first, then en.
	page, err = b.svc.List(t.Context(), content.ListRequest{Type: "product", Locale: "ro",
		Filters: []content.Filter{{Field: "title", Op: content.OpEq, Value: "Produs A"}}})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	page, err = b.svc.List(t.Context(), content.ListRequest{Type: "product", Locale: "en",
		Filters: []content.Filter{{Field: "title", Op: content.OpEq, Value: "Produs A"}}})
	require.NoError(t, err)
	require.Empty(t, page.Items)
	require.False(t, page.HasNextPage)
}
