package graph

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
)

// page is an answer shaped like the load test's: 8 blocks, each showing
// the variant chosen for the visitor's class.
func page(class int) []byte {
	var b strings.Builder
	b.WriteString(`{"data":{"entry":{"slug":"home","blocks":[`)
	for k := range 8 {
		if k > 0 {
			b.WriteByte(',')
		}
		v := (class >> (k % 3)) % 3
		fmt.Fprintf(&b, `{"id":"b%d","variant":"v%d","fields":{"title":"Block %d: the copy for value %d of its dimension","subtitle":"Layers for every season, made to last"}}`, k, v, k, v)
	}
	b.WriteString(`]}}}`)
	return []byte(b.String())
}

// The bound counts a family's reference once while an answer uses it,
// and gives everything back as answers leave, also when a key is kept
// twice.
func TestResponseCacheCountsFamiliesOnce(t *testing.T) {
	t.Parallel()
	c := newResponseCache(&Resolver{Content: &content.Service{}}, Limits{ResponseCacheBytes: 1 << 20}, time.Minute)
	now := time.Now()
	keep := func(i int, family uint64, body []byte) *cachedResponse {
		h := http.Header{"Cache-Control": {"public, max-age=60"}, EpochHeader: {"1"}, "Content-Type": {"application/json"},
			"Surrogate-Key": {"entry-1"}, "Etag": {bodyETag(body)}}
		if i == 5 {
			h["Surrogate-Key"] = []string{"entry-1 campaign-2"} // a variant of a campaign
		}
		rec := &teeWriter{code: http.StatusOK}
		rec.buf.Write(body)
		e := c.keep(cacheKey{key: [32]byte{byte(i)}, family: family}, h, rec, now, nil, false)
		require.NotNil(t, e)
		return e
	}
	first := keep(0, 7, page(0))
	require.NotNil(t, first.pieces)
	fam := first.fam
	require.Equal(t, fam.ref.Size()+familyOverhead+int64(len("application/json")+len("entry-1")+len("1")), fam.size(),
		"a family of one answer weighs its reference, unindexed")
	want := first.size
	for class := 1; class < 27; class++ {
		e := keep(class, 7, page(class))
		require.Same(t, fam, e.fam, "one reference per family")
		if class == 5 {
			require.Equal(t, "entry-1 campaign-2", e.header.Get("Surrogate-Key"), "a header of its own")
		} else {
			require.Equal(t, reflect.ValueOf(fam.header).Pointer(), reflect.ValueOf(e.header).Pointer(), "the family's header, shared")
		}
		want += e.size
	}
	require.Equal(t, want+fam.size(), c.stats().Bytes, "the family counts once, indexed since its second answer")
	require.Equal(t, fam.counted, fam.size())
	require.Equal(t, 27, fam.users)
	old := c.get([32]byte{3}, now)
	again := keep(3, 7, page(3)) // a key kept twice
	want += again.size - old.size
	require.Equal(t, want+fam.size(), c.stats().Bytes, "the replaced answer's bytes were given back")
	require.Equal(t, 27, fam.users, "and its use of the family")

	// Served, each answer is its body.
	for class := range 27 {
		e := c.get([32]byte{byte(class)}, now)
		require.NotNil(t, e)
		rec := httptest.NewRecorder()
		writeBody(rec, e)
		require.Equal(t, page(class), rec.Body.Bytes(), "class %d", class)
	}

	for class := range 27 {
		c.mu.Lock()
		c.lru.Remove([32]byte{byte(class)})
		c.mu.Unlock()
	}
	require.Zero(t, c.stats().Bytes, "nothing left counted")
	require.Empty(t, c.families)
	require.Zero(t, fam.users)
}
