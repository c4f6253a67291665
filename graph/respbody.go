package graph

import (
	"net/http"
	"slices"

	"github.com/mosaichq/mosaic/internal/bodydelta"
)

// Kept bodies as pieces. The answers of one document and variables to
// the visitor classes of a page (27 of them in the load test: 3 segments
// × 3 devices × 3 channels) differ in their blocks' chosen variants and
// share the rest: the structure, the unvaried blocks, the field names.
// Kept whole, those copies were half of a serving process's live heap,
// which the collector's headroom doubles in its resident size. So the
// first answer kept for a family (cacheKey.family: everything of the key
// but the visitors) becomes its reference, and every answer of the family
// is kept as pieces of it (bodydelta): a hit appends them into a pooled
// buffer and writes that. A body that does not come out a third smaller
// is kept whole; so is a private answer, whose ids are spliced in
// (respsplice.go).

// maxPieceShare is the most an answer's pieces may weigh, as a share of
// its body, to be kept as pieces.
const maxPieceShare = 2.0 / 3

// bodyFamily is a family's reference. users and the family map are the
// cache's, under its lock (respcache.go).
type bodyFamily struct {
	key uint64
	ref *bodydelta.Ref
	// header is the first answer's kept header: its siblings mostly have
	// the same (type, Vary, epoch, surrogate keys), and share the map
	// when they do. Never modified.
	header http.Header
	users  int // kept answers made of it
	// counted is what it weighs in the cache's bytes while used: its
	// reference grows an index when the family's second answer is split
	// against it (use reconciles).
	counted int64
}

// familyOverhead is what a family weighs besides its reference and its
// header's values: the family, its Ref and its slot in the map
// (estimated; the header map is within each answer's entryOverhead).
const familyOverhead = 128

// size is what a family weighs: its reference and index, its header's
// values, familyOverhead.
func (f *bodyFamily) size() int64 {
	n := f.ref.Size() + familyOverhead
	for _, v := range f.header {
		for _, x := range v {
			n += int64(len(x))
		}
	}
	return n
}

// sameHeader says whether two kept headers hold the same values.
func sameHeader(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// share is body as pieces of its family's reference (the body itself,
// for the family's first answer) and the family; nil pieces to keep it
// whole.
func (c *responseCache) share(family uint64, body []byte, header http.Header) (*bodyFamily, *bodydelta.Body) {
	c.mu.RLock()
	f := c.families[family]
	c.mu.RUnlock()
	if f == nil { // the first answer is the reference: nothing to split (or index) yet
		f = &bodyFamily{key: family, ref: bodydelta.NewRef(body), header: header}
		return f, f.ref.Whole()
	}
	p, ok := f.ref.Split(body, maxPieceShare)
	if !ok {
		return nil, nil
	}
	return f, p
}

// use counts a kept answer made of f (under c.mu): its first makes the
// reference weigh, and installs it if its family has none (two answers
// of a new family computed at once may each bring their own; the
// second's stays its answer's alone).
func (c *responseCache) use(f *bodyFamily) {
	if f.users == 0 && c.families[f.key] == nil {
		c.families[f.key] = f
	}
	if n := f.size(); n != f.counted { // new, or indexed since
		c.bytes += n - f.counted
		f.counted = n
	}
	f.users++
}

// release gives back a use of f (under c.mu, as an answer leaves).
func (c *responseCache) release(f *bodyFamily) {
	if f.users--; f.users == 0 {
		c.bytes -= f.counted
		f.counted = 0
		if c.families[f.key] == f {
			delete(c.families, f.key)
		}
	}
}
