package bodydelta

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// page is an answer shaped like the load test's: 8 blocks, each showing
// the variant chosen for the visitor's class.
func page(slug string, class int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"data":{"entry":{"id":"0193a1b2-c3d4-7e5f-8a9b-%012d","slug":%q,"blocks":[`, len(slug), slug)
	for k := range 8 {
		if k > 0 {
			b.WriteByte(',')
		}
		v := (class >> (k % 3)) % 3
		fmt.Fprintf(&b, `{"id":"b%d","type":"hero","variant":"v%d","fields":{"title":"Page %s, block %d: the copy for value %d of its dimension","subtitle":"Layers for every season, made to last"}}`, k, v, slug, k, v)
	}
	b.WriteString(`]}},"extensions":{"epoch":"2026-12-06T18:00:00Z"}}`)
	return []byte(b.String())
}

func TestSiblingsAsPieces(t *testing.T) {
	ref := page("home", 0)
	r := NewRef(ref)
	require.Equal(t, int64(len(ref)), r.Size(), "no index until a body is split")
	require.Equal(t, ref, r.Whole().AppendTo(nil))
	for class := range 27 {
		body := page("home", class)
		s, ok := r.Split(body, 0.5)
		require.True(t, ok, "class %d: a sibling answer splits", class)
		require.Equal(t, body, s.AppendTo(nil), "class %d", class)
		require.Same(t, r, s.Ref())
	}
	require.Greater(t, r.Size(), int64(len(ref)), "indexed")
	s, ok := r.Split(ref, 0.5)
	require.True(t, ok)
	require.Len(t, s.pieces, 1, "the reference itself is one copy")
	require.Equal(t, int64(pieceSize), s.Size())
	require.Equal(t, []byte("x"), (&Body{ref: r, pieces: []piece{{n: 1, lit: true}}, lit: []byte("x")}).AppendTo(nil))

	// What does not share enough with the reference is refused.
	_, ok = r.Split(bytes.Repeat([]byte("z"), len(ref)), 0.5)
	require.False(t, ok)
	_, ok = r.Split(page("other-page-entirely", 1), 0.1)
	require.False(t, ok, "over the share asked for")
	_, ok = r.Split([]byte(`{"data":null}`), 0.5)
	require.False(t, ok, "shorter than a block: all literal")
	_, ok = NewRef(nil).Split(ref, 0.5)
	require.False(t, ok, "an empty reference")
}

// Random references and bodies over small alphabets (many repeats, many
// near-misses): pieces are the body exactly or are refused. The fuzz
// target below explores further (make fuzz).
func TestRandomPiecesAreExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	split := 0
	for i := range 50_000 {
		ref, body := make([]byte, r.IntN(300)), make([]byte, r.IntN(300))
		alpha := 1 + r.IntN(3)
		for j := range ref {
			ref[j] = byte('a' + r.IntN(alpha))
		}
		for j := range body {
			if j < len(ref) && r.IntN(8) > 0 {
				body[j] = ref[j] // mostly the reference, with changes
			} else {
				body[j] = byte('a' + r.IntN(alpha))
			}
		}
		s, ok := NewRef(ref).Split(body, 1)
		if ok {
			split++
			require.True(t, bytes.Equal(body, s.AppendTo(nil)), "case %d", i)
		}
	}
	require.Greater(t, split, 10_000, "most bodies split")
}

func FuzzSplit(f *testing.F) {
	f.Add(page("a", 0), page("a", 5))
	f.Add(page("a", 0), page("b", 0))
	f.Add([]byte("0123456789abcdef0123456789abcdef"), []byte("x0123456789abcdef0123456789abcdefx0123456789abcdef0123456789abcdef"))
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, ref, body []byte) {
		s, ok := NewRef(ref).Split(body, 1)
		if ok && !bytes.Equal(s.AppendTo(nil), body) {
			t.Fatalf("pieces of %q against %q came out as %q", body, ref, s.AppendTo(nil))
		}
	})
}

// BenchmarkAppendTo: what a cache hit pays to put a 3 KB answer of 27
// siblings back together, beside copying it whole.
func BenchmarkAppendTo(b *testing.B) {
	r := NewRef(page("home", 0))
	body := page("home", 26)
	s, ok := r.Split(body, 0.5)
	require.True(b, ok)
	dst := make([]byte, 0, 8<<10)
	b.Run("pieces", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			dst = s.AppendTo(dst[:0])
		}
	})
	b.Run("whole", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			dst = append(dst[:0], body...)
		}
	})
}

// BenchmarkSplit: what a miss pays to keep its answer as pieces — a
// family's second answer indexes the reference first (index), later ones
// split against the index (split).
func BenchmarkSplit(b *testing.B) {
	ref, body := page("home", 0), page("home", 26)
	b.Run("index", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, ok := NewRef(ref).Split(body, 0.5); !ok {
				b.Fatal("not split")
			}
		}
	})
	r := NewRef(ref)
	b.Run("split", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, ok := r.Split(body, 0.5); !ok {
				b.Fatal("not split")
			}
		}
	})
}
