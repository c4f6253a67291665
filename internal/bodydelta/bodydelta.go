package bodydelta

import (
	"bytes"
	"encoding/binary"
)

// block is the stride at which a reference is indexed: a run of at least
// 2·block−1 bytes shared with the reference always covers an indexed
// block, so it is found.
const block = 16

// minCopy is the shortest range worth a piece instead of literal bytes.
const minCopy = 24

// pieceSize is what a piece weighs (its fields, padded).
const pieceSize = 12

// Ref is a reference and its index. It never changes once made.
type Ref struct {
	b     []byte
	index map[uint64]int32 // hash of a block-aligned block → its offset (the first)
}

// NewRef indexes b, which the Ref keeps (the caller must not modify it).
func NewRef(b []byte) *Ref {
	r := &Ref{b: b, index: make(map[uint64]int32, len(b)/block)}
	for i := 0; i+block <= len(b); i += block {
		h := blockHash(b[i:])
		if _, dup := r.index[h]; !dup {
			r.index[h] = int32(i)
		}
	}
	return r
}

// Size is what r weighs: its bytes and its index.
func (r *Ref) Size() int64 { return int64(len(r.b)) + int64(len(r.index))*16 }

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
	lit := 0 // start of the bytes no piece covers yet
	addLit := func(end int) {
		if end > lit {
			s.pieces = append(s.pieces, piece{from: uint32(len(s.lit)), n: uint32(end - lit), lit: true})
			s.lit = append(s.lit, body[lit:end]...)
		}
	}
	for p := 0; p+block <= len(body); {
		at, ok := r.index[blockHash(body[p:])]
		if !ok || !bytes.Equal(body[p:p+block], r.b[at:int(at)+block]) {
			p++
			continue
		}
		start, from := p, int(at)
		for start > lit && from > 0 && body[start-1] == r.b[from-1] { // back into the literal run
			start, from = start-1, from-1
		}
		end, to := p+block, int(at)+block
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
	s.pieces, s.lit = s.pieces[:len(s.pieces):len(s.pieces)], bytes.Clone(s.lit)
	return s, true
}
