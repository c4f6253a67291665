package content

import "encoding/json"

// Estimated heap bytes of the values a Resolved holds, for the cache's
// byte bound. The figures follow Go's layout on 64-bit platforms: a string
// header is 16 bytes, an interface 16, a slice header 24; a map is a
// header plus groups of 8 slots (8 control bytes and 8 × 32 bytes of key
// and value), one group however small the map — so a one-field object
// costs ~340 bytes, which is most of what decoded JSON weighs — and about
// 7 elements per group when bigger; small values stored in an interface
// are boxed (8 bytes); decoded arrays grow by doubling. The estimate is
// checked against the heap (TestCacheSizeEstimate).
const (
	sizeString   = 16
	sizeIface    = 16
	sizeSlice    = 24
	sizeMapHead  = 48
	sizeMapGroup = 8 + 8*32
	sizeBoxed    = 8
	sizeResolved = 200 // the struct itself, its times and headers
	sizeBlock    = 96
)

func sizeMap(n int) int64 {
	if n <= 8 {
		return sizeMapHead + sizeMapGroup + 16 // the group's allocation size class
	}
	return sizeMapHead + int64((n*8/7+7)/8)*sizeMapGroup + 64 // and the table directory
}

// sizeOf estimates the bytes r keeps alive, its links included (links are
// loaded with r and live as long as it does).
func sizeOf(r *Resolved) int64 {
	n := sizeResolved + int64(len(r.ID)+len(r.Type)+len(r.Locale)+len(r.Slug)+len(r.BlocksKey))
	n += sizeFields(r) + sizeVariants(r.Variants)
	for i := range r.Blocks {
		b := &r.Blocks[i]
		n += sizeBlock + int64(len(b.ID)+len(b.Type)+len(b.GlobalID)) + sizeValue(b.Fields)
		if b.GlobalID == "" { // a global block's variants are its entry's, counted with the link
			n += sizeVariants(b.Variants)
		}
	}
	n += sizeMap(len(r.Links))
	for id, l := range r.Links {
		n += int64(len(id))
		if l != nil && l != r {
			n += sizeOf(l)
		}
	}
	return n
}

// sizeFields estimates r.Fields. Its blocks field holds the delivered
// blocks, whose fields are the blocks' own (counted with r.Blocks): only
// the list and the blocks' maps are counted there.
func sizeFields(r *Resolved) int64 {
	if r.BlocksKey == "" {
		return sizeValue(r.Fields)
	}
	n := sizeMap(len(r.Fields))
	for k, v := range r.Fields {
		n += int64(len(k))
		list, ok := v.([]any)
		if k != r.BlocksKey || !ok {
			n += sizeValue(v)
			continue
		}
		n += int64(sizeSlice) + int64(cap(list))*sizeIface
		for _, it := range list {
			m, _ := it.(map[string]any)
			n += sizeMap(len(m))
			for mk, mv := range m {
				if n += int64(len(mk)); mk != "fields" {
					n += sizeValue(mv)
				}
			}
		}
	}
	return n
}

// sizeParsedPerByte is what delivery's parse of stored variants keeps
// (content.Memo: the variants without their fields, each chosen one's
// fields decoded) per byte of their JSON: ~2.9 for the load script's
// page, whose variants are short copy and a targeting each.
const sizeParsedPerByte = 3

// sizeVariants estimates stored variants and their parse, which the memo
// holds once a visitor was decided.
func sizeVariants(raw Variants) int64 {
	if len(raw) == 0 {
		return 0
	}
	return sizeSlice + int64(cap(raw)) + sizeParsedPerByte*int64(len(raw))
}

// sizeValue estimates a decoded JSON value (the shapes stored fields have)
// and the delivered-blocks shapes built from them.
func sizeValue(v any) int64 {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return sizeString + int64(len(x))
	case json.RawMessage:
		return sizeVariants(x)
	case float64, bool, json.Number, int, int64:
		return sizeBoxed
	case map[string]any:
		n := sizeMap(len(x))
		for k, e := range x {
			n += int64(len(k)) + sizeValue(e)
		}
		return n
	case []any:
		n := int64(sizeSlice) + int64(max(cap(x), 2*len(x)-1))*sizeIface // JSON arrays grow by appending
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
