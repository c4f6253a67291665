package search_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/search"
)

// catalog is a fixed Source for the example; in Mosaic the Source is the
// *content.Service over PostgreSQL.
type catalog map[string]*content.Resolved

func (catalog) Locales() content.Locales { return content.DefaultLocales() }
func (catalog) ContentTypes(context.Context) ([]content.ContentType, error) {
	return []content.ContentType{{Key: "product", Kind: content.TypeEntry,
		Fields: []content.Field{{Key: "name", Kind: content.KindText, Localized: true}}}}, nil
}
func (c catalog) EntriesByIDs(_ context.Context, ids []string, _ string) (map[string]*content.Resolved, error) {
	out := map[string]*content.Resolved{}
	for _, id := range ids {
		if r := c[id]; r != nil {
			out[id] = r
		}
	}
	return out, nil
}
func (c catalog) PublishedIDs(_ context.Context, _, after string, _ int) ([]string, error) {
	if after != "" {
		return nil, nil
	}
	var ids []string
	for id := range c {
		ids = append(ids, id)
	}
	return ids, nil
}
func (c catalog) CountPublished(context.Context) (int, error) { return len(c), nil }
func (catalog) ChangesSince(context.Context, int64, int) ([]content.Change, error) {
	return nil, nil
}
func (catalog) Epoch(context.Context) (int64, error) { return 1, nil }

func Example() {
	dir, _ := os.MkdirTemp("", "mosaic-search-example")
	defer os.RemoveAll(dir)
	src := catalog{"0b7a4bfa-1e2d-4c3b-9a8f-000000000001": {ID: "0b7a4bfa-1e2d-4c3b-9a8f-000000000001",
		Type: "product", Slug: "shopping-bag", Locale: "ro", PublishedAt: time.Now(),
		Fields: map[string]any{"name": "Sacoșă de cumpărături"}}}
	ix, err := search.Open(search.Config{Dir: dir, Source: src})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()
	ix.Start(nil) // in Mosaic: the change feed's Ready channel
	_ = ix.WaitReady(context.Background())

	res, err := ix.Search(context.Background(), search.Request{Query: "sacosa cumparaturi", Locale: "ro", First: 10, Highlight: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, h := range res.Hits {
		fmt.Println(h.EntryID[len(h.EntryID)-1:], strings.Join(h.Highlights[0].Fragments, " "))
	}
	_, err = ix.Search(context.Background(), search.Request{Query: `"unclosed`, First: 10})
	fmt.Println(errs.CodeOf(err))
	// Output:
	// 1 <mark>Sacoșă</mark> de <mark>cumpărături</mark>
	// BAD_USER_INPUT
}
