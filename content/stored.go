package content

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"unicode/utf8"

	"github.com/mosaichq/mosaic/internal/jsonscan"
)

// How delivery decodes a stored row. The store hands rows over as the JSON
// PostgreSQL keeps (Published.Fields, Published.Variants), and this file
// decodes them knowing the type: only the fields the type has, and each
// block of a blocks field without its variants, which stay as their JSON
// (Block.Variants). A page's variants are most of its bytes — every
// targeted copy of every block — yet a visitor is shown at most one per
// block; decoding them all into maps was most of what reading a page cost
// (a ~5 KB page: ~880 allocations, ~50 KB), and the maps were most of what
// the content cache held for the collector to mark. Delivery parses the
// variants' JSON once per cached value (Memo; experience.deliverable).

// Variants are stored variants, as JSON (a list, or nil when there are
// none): what delivery decides from.
type Variants = json.RawMessage

// Memo holds a value derived once from a cached, read-only one: delivery
// parses a block's variants once per cached entry, not once per request.
// The zero Memo and a nil *Memo are empty; a nil one derives every time.
type Memo struct{ v atomic.Pointer[any] }

// Get returns the memoized value, deriving it on first use. Concurrent
// first uses may each derive; one value is kept and every caller gets it.
func (m *Memo) Get(derive func() any) any {
	if m == nil {
		return derive()
	}
	if p := m.v.Load(); p != nil {
		return *p
	}
	v := derive()
	m.v.CompareAndSwap(nil, &v)
	return *m.v.Load()
}

// rowFields are one row's fields as stored: each member's JSON, decoded on
// demand.
type rowFields map[string]json.RawMessage

// splitRow reads a row's fields object into its members; nil for a row
// without fields (or not an object: there is nothing to deliver).
func splitRow(raw json.RawMessage) rowFields {
	if jsonscan.IsNull(raw) {
		return nil
	}
	out := make(rowFields, 8)
	if jsonscan.EachMember(raw, func(name, value []byte) bool {
		out[string(name)] = value
		return true
	}) {
		return out
	}
	// A member name with an escape: let encoding/json read the names.
	clear(out)
	if json.Unmarshal(raw, (*map[string]json.RawMessage)(&out)) != nil {
		return nil
	}
	return out
}

// decodeField decodes one stored field value of field f: as encoding/json
// would, except that the blocks of a blocks field keep their variants as
// JSON (Variants).
func decodeField(f Field, raw json.RawMessage) (any, error) {
	if f.Kind == KindBlocks && len(raw) > 0 && raw[0] == '[' {
		return decodeBlocks(raw)
	}
	return decodeValue(raw)
}

// decodeValue decodes one JSON value as encoding/json does into an any.
// Most values of a stored page are short strings (ids, types, copy): they
// are read without a decoder, whose set-up is most of what decoding one
// costs.
func decodeValue(raw []byte) (any, error) {
	if s, ok := jsonscan.PlainString(raw); ok && utf8.Valid(s) {
		return string(s), nil
	}
	var v any
	err := json.Unmarshal(raw, &v)
	return v, err
}

// decodeBlocks decodes a stored blocks list: each block as a map, as
// encoding/json decodes it, but with its variants member left as JSON.
func decodeBlocks(raw json.RawMessage) ([]any, error) {
	list := make([]any, 0, 8)
	var err error
	ok := jsonscan.EachElement(raw, func(elem []byte) bool {
		var b any
		b, err = decodeBlock(elem)
		list = append(list, b)
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("reading a stored blocks list")
	}
	return list, nil
}

func decodeBlock(elem []byte) (any, error) {
	if len(elem) == 0 || elem[0] != '{' {
		var v any // not a block: kept as it is, as a whole decode would
		err := json.Unmarshal(elem, &v)
		return v, err
	}
	b := make(map[string]any, 4)
	var err error
	if jsonscan.EachMember(elem, func(name, value []byte) bool {
		if string(name) == variantsKey {
			// A copy: the row's buffer is not kept alive by its variants.
			b[variantsKey] = Variants(bytes.Clone(value))
			return true
		}
		var v any
		v, err = decodeValue(value)
		b[string(name)] = v
		return err == nil
	}) {
		return b, nil
	}
	if err != nil {
		return nil, err
	}
	// A member name with an escape: decode it whole, then put its variants
	// back into their JSON form.
	var m map[string]any
	if err := json.Unmarshal(elem, &m); err != nil {
		return nil, err
	}
	if v, has := m[variantsKey]; has {
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		m[variantsKey] = Variants(raw)
	}
	return m, nil
}

// storedVariants reads a stored block's variants member: JSON as
// decodeBlock left it; nil when absent.
func storedVariants(v any) Variants {
	raw, _ := v.(Variants)
	if jsonscan.IsNull(raw) {
		return nil
	}
	return raw
}
