package content

import "encoding/json"

// Estimated heap bytes of the values a Resolved holds, for the cache's
// byte bound. The figures follow Go's layout on 64-bit platforms: a string
// header is 16 bytes, an interface 16, a slice header 24; a map costs a
// header plus, per element, its key and value and about a third again of
// slack and control bytes; small values stored in an interface are boxed
// (8 bytes). The estimate is within tens of percent of what the heap
// shows (TestCacheSizeEstimate), which is what a memory setting needs.
const (
	sizeString   = 16
	sizeIface    = 16
	sizeSlice    = 24
	sizeMapHead  = 48
	sizeMapSlot  = 44 // key string + value interface, with slack
	sizeBoxed    = 8
	sizeResolved = 200 // the struct itself, its times and headers
	sizeBlock    = 96
)

// sizeOf estimates the bytes r keeps alive, its links included (links are
// loaded with r and live as long as it does).
func sizeOf(r *Resolved) int64 {
	n := sizeResolved + int64(len(r.ID)+len(r.Type)+len(r.Locale)+len(r.Slug)+len(r.BlocksKey))
	n += sizeValue(r.Fields) + sizeValue(r.Variants)
	for i := range r.Blocks {
		b := &r.Blocks[i]
		n += sizeBlock + int64(len(b.ID)+len(b.Type)+len(b.GlobalID)) + sizeValue(b.Fields) + sizeValue(b.Variants)
	}
	for id, l := range r.Links {
		n += sizeMapSlot + int64(len(id))
		if l != nil && l != r {
			n += sizeOf(l)
		}
	}
	return n
}

// sizeValue estimates a decoded JSON value (the shapes stored fields have)
// and the delivered-blocks shapes built from them. Maps shared between the
// delivered fields and the blocks are counted twice: an overestimate,
// which errs on the side of the memory bound.
func sizeValue(v any) int64 {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return sizeString + int64(len(x))
	case float64, bool, json.Number, int, int64:
		return sizeBoxed
	case map[string]any:
		n := int64(sizeMapHead)
		for k, e := range x {
			n += sizeMapSlot + int64(len(k)) + sizeValue(e)
		}
		return n
	case []any:
		n := int64(sizeSlice) + int64(cap(x))*sizeIface
		for _, e := range x {
			n += sizeValue(e)
		}
		return n
	case []string:
		n := int64(sizeSlice) + int64(cap(x))*sizeString
		for _, s := range x {
			n += int64(len(s))
		}
		return n
	case []map[string]any:
		n := int64(sizeSlice) + int64(cap(x))*8
		for _, m := range x {
			n += sizeValue(m)
		}
		return n
	default:
		return 64 // a shape delivery does not build today: a token weight
	}
}
