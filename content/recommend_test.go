package content

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

// A recommendation source belongs on a reference list; everything else it
// says is checked, each problem with its path.
func TestRecommendDefinition(t *testing.T) {
	t.Parallel()
	valid := func() ContentType {
		return ContentType{Key: "productList", Name: "Product list", Kind: TypeBlock, Fields: []Field{
			{Key: "title", Kind: KindText},
			{Key: "products", Kind: KindReference, List: true, Max: num(6),
				Recommend: &Recommend{Source: SourcePopular, By: "device", Window: "24h", Types: []string{"product"}, Tags: []string{"winter"}, ExcludePurchased: true}},
			{Key: "hero", Kind: KindReference},
		}}
	}
	ct := valid()
	require.NoError(t, ct.validateDefinition())
	f, _ := ct.Field("products")
	require.Equal(t, 6, f.Recommend.LimitFor(f), "the field's max")
	require.Equal(t, 24*time.Hour, f.Recommend.WindowDuration())
	require.Equal(t, []Field{f}, ct.RecommendedFields())
	require.Equal(t, DefaultRecommendWindow, (&Recommend{Source: SourcePopular}).WindowDuration())

	rec := func(i int, r Recommend) func(*ContentType) {
		return func(ct *ContentType) { ct.Fields[i].Recommend = &r }
	}
	cases := []struct {
		name   string
		modify func(*ContentType)
		path   string
		want   string
	}{
		{"on a text field", rec(0, Recommend{Source: SourcePopular}), "fields.0.recommend", "only a reference list field"},
		{"on a single reference", rec(2, Recommend{Source: SourceAlsoViewed}), "fields.2.recommend", "this is a reference field"},
		{"unknown source", rec(1, Recommend{Source: "trending"}), "fields.1.recommend.source", `unknown source "trending"`},
		{"unknown audience", rec(1, Recommend{Source: SourcePopular, By: "country"}), "fields.1.recommend.by", `unknown audience "country"`},
		{"audience of alsoViewed", rec(1, Recommend{Source: SourceAlsoViewed, By: "device"}), "fields.1.recommend.by", "only popular"},
		{"window of recentlyViewed", rec(1, Recommend{Source: SourceRecentlyViewed, Window: "24h"}), "fields.1.recommend.window", "only popular"},
		{"window not a duration", rec(1, Recommend{Source: SourcePopular, Window: "a week"}), "fields.1.recommend.window", "not a duration"},
		{"window of minutes", rec(1, Recommend{Source: SourcePopular, Window: "90m"}), "fields.1.recommend.window", "whole hours"},
		{"window too long", rec(1, Recommend{Source: SourcePopular, Window: "1000h"}), "fields.1.recommend.window", "up to 720h"},
		{"limit too large", rec(1, Recommend{Source: SourcePopular, Limit: 51}), "fields.1.recommend.limit", "between 1 and 50"},
		{"bad type key", rec(1, Recommend{Source: SourcePopular, Types: []string{"Product!"}}), "fields.1.recommend.types.0", "not a content type key"},
		{"empty tag", rec(1, Recommend{Source: SourcePopular, Tags: []string{""}}), "fields.1.recommend.tags.0", "1 to 100"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ct := valid()
			tc.modify(&ct)
			err := ct.validateDefinition()
			requireCode(t, err, errs.BadUserInput)
			e, _ := errs.As(err)
			requireProblem(t, e.Fields, tc.path, tc.want)
		})
	}
}
