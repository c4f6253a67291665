package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/search"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// Search: index 10,000 generated articles (en + ro, read in en, ro and
// ro-RO: 30,000 documents) from PostgreSQL, then query them.
//
//	go run ./internal/tools/testenv -- go test -run '^$' -bench Search -benchtime 1x ./bench/
//
// index reports a full rebuild (ns/op, entries/s), the index size on
// disk, the Go heap at its peak during the build and after it, and the
// process's resident memory; query and hits report p50 and p99 over a
// fixed set of 16 queries; publish reports the time from a change
// notification to the change being searchable.

const searchEntries = 10_000

// searchVocab makes n pseudo-words from syllables; ro words carry
// diacritics. Word i is the i-th most frequent (Zipf).
func searchVocab(r *rand.Rand, n int, ro bool) []string {
	syl := []string{"ka", "lo", "mi", "ter", "win", "bo", "sa", "re", "nu", "ta", "vel", "dor", "pi", "ne", "st", "ul"}
	if ro {
		syl = append(syl, "că", "șu", "ță", "îm", "râ", "pă", "ști", "ră")
	}
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

type searchCorpus struct {
	en, ro []string
	zipf   *rand.Zipf
	r      *rand.Rand
}

func (c *searchCorpus) words(vocab []string, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = vocab[c.zipf.Uint64()]
	}
	return strings.Join(w, " ")
}

func (c *searchCorpus) fields(vocab []string, i int, tags bool) map[string]any {
	doc := func(s string) map[string]any {
		return map[string]any{"type": "doc", "content": []any{map[string]any{"type": "paragraph",
			"content": []any{map[string]any{"type": "text", "text": s}}}}}
	}
	f := map[string]any{
		"title":   strings.ToUpper(c.words(vocab, 1)[:1]) + c.words(vocab, 4+c.r.IntN(4)),
		"summary": c.words(vocab, 15+c.r.IntN(10)),
		"blocks": []any{
			map[string]any{"id": "p1", "type": "para", "fields": map[string]any{"body": doc(c.words(vocab, 40+c.r.IntN(40)))}},
			map[string]any{"id": "p2", "type": "para", "fields": map[string]any{"body": doc(c.words(vocab, 20+c.r.IntN(40)))}},
		},
	}
	if tags {
		f["tags"] = []any{fmt.Sprintf("tag%d", i%20), fmt.Sprintf("tag%d", c.r.IntN(50))}
		f["section"] = []string{"guides", "news", "stories"}[i%3]
	}
	return f
}

// seedSearchCorpus writes the model through the service and the entries
// straight into the published tables with COPY: 20,000 publishes through
// the service would take minutes and measure something else.
func seedSearchCorpus(b *testing.B, pool *pgxpool.Pool, svc *content.Service) *searchCorpus {
	ctx := context.Background()
	for _, ct := range []content.ContentType{
		{Key: "para", Name: "Paragraph", Kind: content.TypeBlock, Fields: []content.Field{
			{Key: "body", Kind: content.KindRichText, Localized: true}}},
		{Key: "article", Name: "Article", Kind: content.TypeEntry, Fields: []content.Field{
			{Key: "title", Kind: content.KindText, Required: true, Localized: true},
			{Key: "summary", Kind: content.KindText, Localized: true},
			{Key: "tags", Kind: content.KindText, List: true},
			{Key: "section", Kind: content.KindEnum, Values: []string{"guides", "news", "stories"}},
			{Key: "blocks", Kind: content.KindBlocks, Localized: true, AllowedTypes: []string{"para"}}}},
	} {
		_, err := svc.CreateContentType(ctx, ct)
		require.NoError(b, err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	c := &searchCorpus{en: searchVocab(r, 5000, false), ro: searchVocab(r, 5000, true), r: r}
	c.zipf = rand.NewZipf(r, 1.1, 2, 4999)
	now := time.Now().UTC()
	var docs, versions, published [][]any
	for i := range searchEntries {
		id := uuid.NewString()
		docs = append(docs, []any{id, "article", actor})
		for _, loc := range []string{"en", "ro"} {
			vocab := c.en
			if loc == "ro" {
				vocab = c.ro
			}
			fields, err := json.Marshal(c.fields(vocab, i, loc == "en"))
			require.NoError(b, err)
			slug := fmt.Sprintf("article-%05d", i)
			at := now.Add(-time.Duration(i) * time.Minute)
			versions = append(versions, []any{id, loc, 1, slug, string(fields), "[]", at, actor})
			published = append(published, []any{id, loc, "article", slug, 1, 1, string(fields), "[]", at})
		}
	}
	copyRows := func(table string, cols []string, rows [][]any) {
		_, err := pool.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		require.NoError(b, err)
	}
	copyRows("entries", []string{"id", "type_key", "created_by"}, docs)
	copyRows("entry_versions", []string{"entry_id", "locale", "version", "slug", "fields", "variants", "published_at", "published_by"}, versions)
	copyRows("published_entries", []string{"entry_id", "locale", "type_key", "slug", "version", "draft_version", "fields", "variants", "published_at"}, published)
	_, err := pool.Exec(ctx, `INSERT INTO content_changes (action) VALUES ('bench')`)
	require.NoError(b, err)
	return c
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

func BenchmarkSearch(b *testing.B) {
	pool, _ := testdb.Schema(b)
	svc, err := content.NewService(postgres.New(pool), content.Config{})
	require.NoError(b, err)
	c := seedSearchCorpus(b, pool, svc)
	ctx := context.Background()
	dir := b.TempDir()
	// The results cache off: the rows below measure what a query costs
	// bleve; "repeated" reopens the index with it on.
	ix, err := search.Open(search.Config{Dir: dir, Source: svc, ResultCacheSize: -1})
	require.NoError(b, err)
	b.Cleanup(ix.Close)
	// Built (and its worker running) whichever sub-benchmarks run.
	ix.Start(nil)
	require.NoError(b, ix.WaitReady(ctx))

	b.Run("index", func(b *testing.B) {
		var peak uint64
		var ms runtime.MemStats
		sample := func(int, int) {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		for b.Loop() {
			start := time.Now()
			require.NoError(b, ix.Rebuild(ctx, sample))
			b.ReportMetric(float64(searchEntries)/time.Since(start).Seconds(), "entries/s")
		}
		debug.FreeOSMemory()
		runtime.ReadMemStats(&ms)
		stats, err := ix.Stats()
		require.NoError(b, err)
		require.EqualValues(b, 3*searchEntries, stats.Documents)
		b.ReportMetric(float64(dirSize(dir))/(1<<20), "MB-on-disk")
		b.ReportMetric(float64(peak)/(1<<20), "MB-heap-peak")
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "MB-heap-after")
		b.ReportMetric(rssMB(), "MB-RSS-after")
	})

	fold := func(s string) string {
		return strings.NewReplacer("ă", "a", "â", "a", "î", "i", "ș", "s", "ț", "t").Replace(s)
	}
	queries := []search.Request{
		{Query: c.en[0]},                             // the most frequent word
		{Query: c.en[40]},                            // a common one
		{Query: c.en[2000]},                          // a rare one
		{Query: c.en[3] + " " + c.en[300]},           // any of two
		{Query: "+" + c.en[5] + " +" + c.en[50]},     // both
		{Query: `"` + c.en[0] + " " + c.en[1] + `"`}, // a phrase
		{Query: c.en[120][:3] + "*"},                 // a prefix
		{Query: c.en[70] + "~1"},                     // fuzzy
		{Query: c.en[10] + " -" + c.en[11]},          // must not
		{Query: "title:" + c.en[15]},                 // one field
		{Query: c.en[25], Filter: search.Filter{Tags: []string{"tag3"}}},
		{Query: ""},                    // browse: facets only
		{Query: c.ro[8], Locale: "ro"}, // Romanian
		{Query: fold(c.ro[30]) + " " + fold(c.ro[600]), Locale: "ro"}, // typed without diacritics
		{Query: c.ro[100], Locale: "ro-RO"},
	}
	// One op is the query set, 20 times over: p50 and p99 are taken over
	// every query, so even -benchtime 1x measures 320 of them. "query" asks
	// for what a search page shows (hits, highlights, facets), "hits" for
	// hits and highlights only (a search-as-you-type box).
	runQueries := func(b *testing.B, ix *search.Index, facets bool) {
		var took []time.Duration
		for b.Loop() {
			for range 20 {
				for _, req := range queries {
					req.First, req.Facets, req.Highlight = search.DefaultFirst, facets, true
					start := time.Now()
					_, err := ix.Search(ctx, req)
					took = append(took, time.Since(start))
					require.NoError(b, err, req.Query)
				}
			}
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)/2].Nanoseconds())/1000, "p50-µs")
		b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds())/1000, "p99-µs")
	}
	for _, bc := range []struct {
		name   string
		facets bool
	}{{"query", true}, {"hits", false}} {
		b.Run(bc.name, func(b *testing.B) { runQueries(b, ix, bc.facets) })
	}

	// One op is 50 changes, each applied and searched for until found.
	// Markers are unique across reruns (-count): the setup is shared.
	marker := 0
	b.Run("publish", func(b *testing.B) {
		ids, err := svc.PublishedIDs(ctx, "article", "", 100)
		require.NoError(b, err)
		var took []time.Duration
		for b.Loop() {
			for range 50 {
				marker++
				id, word := ids[marker%len(ids)], fmt.Sprintf("zzmarker%d", marker)
				_, err := pool.Exec(ctx, `UPDATE published_entries SET fields = jsonb_set(fields, '{title}', to_jsonb($2::text))
				WHERE entry_id = $1 AND locale = 'en'`, id, word)
				require.NoError(b, err)
				start := time.Now()
				ix.Notify(content.Change{Action: content.ChangePublish, Entry: id, Locale: "en"})
				for {
					res, err := ix.Search(ctx, search.Request{Query: word, First: 1})
					require.NoError(b, err)
					if res.Total == 1 {
						break
					}
					runtime.Gosched()
				}
				took = append(took, time.Since(start))
			}
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
	})

	// The same query set with the results cache on (the default): after
	// the first of the 20 rounds every query is a repeated one. Last, as
	// it closes the uncached index to reopen the directory.
	var cached *search.Index
	top := b // the cached index outlives each sub-benchmark
	for _, bc := range []struct {
		name   string
		facets bool
	}{{"repeated-query", true}, {"repeated-hits", false}} {
		b.Run(bc.name, func(b *testing.B) {
			if cached == nil {
				ix.Close()
				cached, err = search.Open(search.Config{Dir: dir, Source: svc})
				require.NoError(b, err)
				top.Cleanup(cached.Close)
				cached.Start(nil)
				require.NoError(b, cached.WaitReady(ctx))
			}
			runQueries(b, cached, bc.facets)
			st := cached.CacheStats()
			b.ReportMetric(100*float64(st.Hits)/float64(max(1, st.Hits+st.Misses)), "hit-%")
		})
	}
}

// rssMB is the process's resident memory: the Go heap plus the index
// segments bleve maps into memory.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(v), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}
