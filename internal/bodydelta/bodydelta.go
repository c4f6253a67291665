package bodydelta

import (
	"bytes"
	"encoding/binary"
	"slices"
	"sync"
	"sync/atomic"
)

// block is the stride at which a reference is indexed: a run of at least
// 2·block−1 bytes shared with the reference always covers an indexed
// block, so it is found.
const block = 16

// minCopy is the shortest range worth a piece instead of literal bytes.
const minCopy = 24

// pieceSize is what a piece weighs (its fields, padded).
const pieceSize = 12

// Ref is a reference and, once a body has been split against it, its
// index. The bytes never change; the index is built once.
type Ref struct {
	b     []byte
	once  sync.Once
	table atomic.Pointer[[]int32] // open addressing: 1 + offset of a block-aligned block, 0 empty
}

// NewRef is a reference to b, which it keeps (the caller must not modify
// it). Its index is built by the first Split, so a reference nothing is
// split against costs its bytes alone.
func NewRef(b []byte) *Ref { return &Ref{b: b} }

func (r *Ref) index() []int32 {
	r.once.Do(func() {
		n := 1
		for n < 2*(len(r.b)/block) {
			n <<= 1
		}
		t := make([]int32, n)
		mask := uint64(n - 1)
	blocks:
		for off := 0; off+block <= len(r.b); off += block {
			for i := blockHash(r.b[off:]) & mask; ; i = (i + 1) & mask {
				v := t[i]
				if v == 0 {
					t[i] = int32(off) + 1
					break
				}
				if bytes.Equal(r.b[v-1:int(v-1)+block], r.b[off:off+block]) {
					continue blocks // the same block earlier: keep the first
				}
			}
		}
		r.table.Store(&t)
	})
	return *r.table.Load()
}

// find is the offset of a block of the reference equal to the block at
// b's start, or -1.
func (r *Ref) find(t []int32, b []byte) int {
	mask := uint64(len(t) - 1)
	for i := blockHash(b) & mask; ; i = (i + 1) & mask {
		v := t[i]
		if v == 0 {
			return -1
		}
		if bytes.Equal(r.b[v-1:int(v-1)+block], b[:block]) {
			return int(v - 1)
		}
	}
}

// Size is what r weighs: its bytes, and its index once built.
func (r *Ref) Size() int64 {
	n := int64(len(r.b))
	if t := r.table.Load(); t != nil {
		n += int64(len(*t)) * 4
	}
	return n
}

// Whole is the reference's own bytes as a Body (one piece).
func (r *Ref) Whole() *Body {
	return &Body{ref: r, pieces: []piece{{n: uint32(len(r.b))}}}
}

// blockHash mixes the block bytes at b's start.
func blockHash(b []byte) uint64 {
	x := binary.LittleEndian.Uint64(b) * 0x9E3779B97F4A7C15
	y := binary.LittleEndian.Uint64(b[8:]) * 0xC2B2AE3D27D4EB4F
	return x ^ (y>>29 | y<<35)
}

// piece is a range of a body: from the reference (lit false) or from the
// body's literal bytes.
type piece struct {
	from, n uint32
	lit     bool
}

// Body is a body as pieces of a Ref.
type Body struct {
	ref    *Ref
	pieces []piece
	lit    []byte
}

// Ref is the reference b is made of.
func (b *Body) Ref() *Ref { return b.ref }

// Size is what the pieces weigh (the reference is counted apart).
func (b *Body) Size() int64 { return int64(len(b.lit)) + int64(len(b.pieces))*pieceSize }

// AppendTo appends the body to dst.
func (b *Body) AppendTo(dst []byte) []byte {
	for _, p := range b.pieces {
		if p.lit {
			dst = append(dst, b.lit[p.from:p.from+p.n]...)
		} else {
			dst = append(dst, b.ref.b[p.from:p.from+p.n]...)
		}
	}
	return dst
}

// Split is body as pieces of r, or false when that would not weigh at
// most maxShare of body (0 < maxShare ≤ 1), or would not reproduce it.
// It does not keep body.
func (r *Ref) Split(body []byte, maxShare float64) (*Body, bool) {
	if len(body) >= 1<<32 || len(r.b) >= 1<<32 {
		return nil, false
	}
	s := &Body{ref: r}
	t := r.index()
	lit := 0 // start of the bytes no piece covers yet
	addLit := func(end int) {
		if end > lit {
			s.pieces = append(s.pieces, piece{from: uint32(len(s.lit)), n: uint32(end - lit), lit: true})
			s.lit = append(s.lit, body[lit:end]...)
		}
	}
	for p := 0; p+block <= len(body); {
		at := r.find(t, body[p:])
		if at < 0 {
			p++
			continue
		}
		start, from := p, at
		for start > lit && from > 0 && body[start-1] == r.b[from-1] { // back into the literal run
			start, from = start-1, from-1
		}
		end, to := p+block, at+block
		for end < len(body) && to < len(r.b) && body[end] == r.b[to] {
			end, to = end+1, to+1
		}
		if end-start < minCopy {
			p++
			continue
		}
		addLit(start)
		s.pieces = append(s.pieces, piece{from: uint32(from), n: uint32(end - start)})
		lit, p = end, end
	}
	addLit(len(body))
	if float64(s.Size()) > maxShare*float64(len(body)) {
		return nil, false
	}
	if !bytes.Equal(s.AppendTo(make([]byte, 0, len(body))), body) {
		return nil, false
	}
	// Kept exactly: appending left up to twice the room, and a cache
	// keeps thousands of these.
	s.pieces, s.lit = slices.Clone(s.pieces), bytes.Clone(s.lit)
	return s, true
}
