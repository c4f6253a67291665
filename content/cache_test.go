package content

import (
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// pageJSON is a page of eight blocks, each with three targeted variants
// overriding one field, rich text in every other block: the shape of the
// issue 15 load script (bench/load).
func pageJSON(i int) string {
	rich := func(s string) any {
		return map[string]any{"type": "doc", "content": []any{map[string]any{"type": "paragraph",
			"content": []any{map[string]any{"type": "text", "text": s}}}}}
	}
	blocks := make([]any, 8)
	for b := range blocks {
		typ, field := "hero", "title"
		var value func(string) any = func(s string) any { return s }
		if b%2 == 1 {
			typ, field, value = "text", "body", rich
		}
		var vs []any
		for v := range 3 {
			vs = append(vs, map[string]any{"key": fmt.Sprintf("seg-s%d", v),
				"targeting": map[string]any{"segments": []any{fmt.Sprintf("s%d", v)}},
				"fields":    map[string]any{field: value(fmt.Sprintf("Page %d, block %d: for s%d", i, b, v))}})
		}
		blocks[b] = map[string]any{"id": fmt.Sprintf("b%d", b), "type": typ,
			"fields":   map[string]any{field: value(fmt.Sprintf("Page %d, block %d: the default copy for everyone", i, b)), "imageUrl": "/img/x.jpg"},
			"variants": vs}
	}
	out, _ := json.Marshal(map[string]any{"title": fmt.Sprintf("Page %d", i), "blocks": blocks})
	return string(out)
}

// resolvedPage builds page i the way delivery does: stored fields
// decoded, blocks laid out, variants kept apart from the delivered fields.
func resolvedPage(t testing.TB, i int) *Resolved {
	types := map[string]ContentType{
		"hero": {Key: "hero", Kind: TypeBlock, Fields: []Field{{Key: "title", Kind: KindText}, {Key: "imageUrl", Kind: KindText}}},
		"text": {Key: "text", Kind: TypeBlock, Fields: []Field{{Key: "body", Kind: KindRichText}, {Key: "imageUrl", Kind: KindText}}},
		"page": {Key: "page", Kind: TypeEntry, Fields: []Field{{Key: "title", Kind: KindText}, {Key: "blocks", Kind: KindBlocks}}},
	}
	// Decoded as delivery decodes a stored row (stored.go).
	row := splitRow(json.RawMessage(pageJSON(i)))
	fields := map[string]any{}
	for _, f := range types["page"].Fields {
		v, err := decodeField(f, row[f.Key])
		require.NoError(t, err)
		fields[f.Key] = v
	}
	r := &Resolved{ID: fmt.Sprintf("%036d", i), Type: "page", Locale: "en", Slug: fmt.Sprintf("page-%d", i), Fields: fields}
	r.Blocks = buildBlocks(types, r, func(string) *Resolved { return nil })
	deliverable(types, r)
	return r
}

// The cache never holds more than its bytes, evicts the least recently
// used first, and stores nothing read before a purge.
func TestDeliveryCacheBoundedInBytes(t *testing.T) {
	t.Parallel()
	one := sizeOf(resolvedPage(t, 0)) + 8
	c := newDeliveryCache(10 * one)
	at := time.Now()
	for i := range 30 {
		c.put(fmt.Sprint(i), resolvedPage(t, i), c.generation(), at, time.Time{})
		require.LessOrEqual(t, c.bytes, c.max, "over the bound after %d puts", i+1)
	}
	_, ok := c.get("0", at)
	require.False(t, ok, "the oldest was evicted")
	_, ok = c.get("29", at)
	require.True(t, ok, "the newest is kept")
	require.Greater(t, c.lru.Len(), 5)

	gen := c.generation()
	c.purge()
	c.put("late", resolvedPage(t, 1), gen, at, time.Time{})
	_, ok = c.get("late", at)
	require.False(t, ok, "a value read before the purge is not stored after it")
	require.Zero(t, c.bytes)

	off := newDeliveryCache(-1)
	off.put("x", resolvedPage(t, 1), off.generation(), at, time.Time{})
	_, ok = off.get("x", at)
	require.False(t, ok, "a negative bound caches nothing")
}

// sizeOf is what the byte bound rests on: it must not be far below what
// the values really keep on the heap, or the bound would not bound memory.
func TestCacheSizeEstimate(t *testing.T) {
	const n = 2000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	pages := make([]*Resolved, n)
	var est int64
	for i := range pages {
		pages[i] = resolvedPage(t, i)
		// Less what the memos will hold once decided (none is here).
		est += sizeOf(pages[i])
		for _, b := range pages[i].Blocks {
			est -= sizeParsedPerByte * int64(len(b.Variants))
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	runtime.KeepAlive(pages)
	ratio := float64(est) / float64(heap)
	t.Logf("estimated %d B/page, heap %d B/page (ratio %.2f)", est/n, heap/n, ratio)
	require.InDelta(t, 1.0, ratio, 0.35, "estimate %d vs heap %d", est, heap)
}
