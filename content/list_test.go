package content

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	byPrice := SortKey{Field: "price", Descending: true}
	for _, v := range []any{12.5, "shoe", nil, true, 1790000000123456.0} {
		c := Cursor{SortValue: v, EntryID: idA, Sort: sortName(byPrice)}
		got, err := decodeCursor(encodeCursor(c), byPrice)
		require.NoError(t, err)
		require.Equal(t, c, *got)
	}
	// Microsecond timestamps survive exactly (publishedAt cursors).
	c, err := decodeCursor(encodeCursor(Cursor{SortValue: 1790000000123457.0, EntryID: idA, Sort: "publishedAt:asc"}), SortKey{Field: "publishedAt"})
	require.NoError(t, err)
	require.Equal(t, 1790000000123457.0, c.SortValue)
}

func TestCursorGarbage(t *testing.T) {
	t.Parallel()
	sort := SortKey{Field: "price"}
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for name, s := range map[string]string{
		"not base64":       "!!!",
		"padded base64":    base64.URLEncoding.EncodeToString([]byte(`{"v":1,"id":"` + idA + `","s":"price:asc"}`)),
		"not json":         enc("hello"),
		"json array":       enc(`[1,2]`),
		"no id":            enc(`{"v":1,"s":"price:asc"}`),
		"id not a uuid":    enc(`{"v":1,"id":"1; DROP TABLE entries","s":"price:asc"}`),
		"too long":         strings.Repeat("A", 4096),
		"empty object":     enc(`{}`),
		"wrong value type": enc(`{"v":1,"id":5,"s":"price:asc"}`),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := decodeCursor(s, sort)
			requireCode(t, err, errs.BadUserInput)
		})
	}
	// A valid cursor made for another sort order is refused too.
	other := encodeCursor(Cursor{SortValue: 1.0, EntryID: idA, Sort: "price:desc"})
	_, err := decodeCursor(other, sort)
	requireCode(t, err, errs.BadUserInput)
	require.ErrorContains(t, err, "another sort order")
}

func TestCheckSortAndFilters(t *testing.T) {
	t.Parallel()
	ct := ContentType{Key: "product", Kind: TypeEntry, Fields: []Field{
		{Key: "title", Kind: KindText},
		{Key: "price", Kind: KindNumber},
		{Key: "tags", Kind: KindText, List: true},
		{Key: "body", Kind: KindRichText},
		{Key: "category", Kind: KindEnum, Values: []string{"shoes", "hats"}},
		{Key: "at", Kind: KindDateTime},
	}}
	for _, k := range []string{"publishedAt", "slug", "title", "price", "category", "at"} {
		require.NoError(t, checkSort(ct, SortKey{Field: k}), k)
	}
	for _, k := range []string{"tags", "body", "nope"} {
		requireCode(t, checkSort(ct, SortKey{Field: k}), errs.BadUserInput)
	}

	ok := []Filter{
		{Field: "price", Op: OpGt, Value: 10.0},
		{Field: "category", Op: OpIn, Value: []any{"shoes", "hats"}},
		{Field: "tags", Op: OpEq, Value: "sale"},
		{Field: "at", Op: OpLte, Value: "2026-12-01T00:00:00Z"},
		{Field: "title", Op: OpExists},
	}
	require.NoError(t, checkFilters(ct, ok))
	bad := []struct {
		name string
		f    Filter
		want string
	}{
		{"unknown field", Filter{Field: "colour", Op: OpEq, Value: "red"}, "has no field"},
		{"rich text", Filter{Field: "body", Op: OpExists}, "cannot be filtered"},
		{"wrong value type", Filter{Field: "price", Op: OpGt, Value: "10"}, "must be a number"},
		{"enum value outside the enum", Filter{Field: "category", Op: OpEq, Value: "socks"}, "must be one of"},
		{"IN without a list", Filter{Field: "price", Op: OpIn, Value: 1.0}, "IN takes a list"},
		{"IN empty", Filter{Field: "price", Op: OpIn, Value: []any{}}, "IN takes a list"},
		{"IN wrong item", Filter{Field: "price", Op: OpIn, Value: []any{1.0, "x"}}, "must be a number"},
		{"GT on a list", Filter{Field: "tags", Op: OpGt, Value: "a"}, "list fields take"},
		{"unknown op", Filter{Field: "price", Op: "LIKE", Value: 1.0}, "unknown operator"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := checkFilters(ct, []Filter{tc.f})
			requireCode(t, err, errs.BadUserInput)
			e, _ := errs.As(err)
			require.Contains(t, e.Fields[0].Message, tc.want)
		})
	}
	many := make([]Filter, maxFilters+1)
	for i := range many {
		many[i] = Filter{Field: "title", Op: OpExists}
	}
	requireCode(t, checkFilters(ct, many), errs.BadUserInput)
}

// TestPageLimit: 0 is the default; out of range is refused, never clamped.
func TestPageLimit(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]int{0: DefaultFirst, 1: 1, 7: 7, MaxFirst: MaxFirst} {
		got, err := pageLimit(n)
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	for _, n := range []int{-5, -1, MaxFirst + 1, 1000} {
		_, err := pageLimit(n)
		requireCode(t, err, errs.BadUserInput)
	}
}
