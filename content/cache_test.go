package content

import (
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// pageJSON is a page of eight blocks, each with three targeted variants:
// the shape of the issue 15 load script.
func pageJSON(i int) string {
	blocks := make([]any, 8)
	for b := range blocks {
		var vs []any
		for v := range 3 {
			vs = append(vs, map[string]any{"key": fmt.Sprintf("v%d", v),
				"targeting": map[string]any{"segments": []any{fmt.Sprintf("s%d", v)}},
				"fields":    map[string]any{"title": fmt.Sprintf("Variant %d of block %d on page %d", v, b, i)}})
		}
		blocks[b] = map[string]any{"id": fmt.Sprintf("b%d", b), "type": "hero",
			"fields":   map[string]any{"title": fmt.Sprintf("Block %d of page %d", b, i), "subtitle": "A subtitle of some length"},
			"variants": vs}
	}
	out, _ := json.Marshal(map[string]any{"title": fmt.Sprintf("Page %d", i), "blocks": blocks})
	return string(out)
}

func resolvedPage(t testing.TB, i int) *Resolved {
	var fields map[string]any
	require.NoError(t, json.Unmarshal([]byte(pageJSON(i)), &fields))
	r := &Resolved{ID: fmt.Sprintf("%036d", i), Type: "page", Locale: "en", Slug: fmt.Sprintf("page-%d", i), Fields: fields}
	for _, it := range fields["blocks"].([]any) {
		b := it.(map[string]any)
		r.Blocks = append(r.Blocks, Block{ID: b["id"].(string), Type: b["type"].(string),
			Fields: b["fields"].(map[string]any), Variants: b["variants"].([]any)})
	}
	r.Fields = r.WithBlocks(fields, func(i int) map[string]any { return r.Blocks[i].Fields })
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
		est += sizeOf(pages[i])
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	runtime.KeepAlive(pages)
	ratio := float64(est) / float64(heap)
	t.Logf("estimated %d B/page, heap %d B/page (ratio %.2f)", est/n, heap/n, ratio)
	require.InDelta(t, 1.0, ratio, 0.5, "estimate %d vs heap %d", est, heap)
}
