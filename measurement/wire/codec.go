package wire

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"time"
)

// codec walks an item's fields in their wire order, writing them (enc)
// or reading them. Each kind of item has one such walk (eventFields,
// decisionFields): a field written is a field read, so the two directions
// cannot drift apart as hand-written pairs did when fields were added.
type codec struct {
	enc bool
	buf []byte // encoding: the message so far
	r   *reader
}

// The walks call these for every field of every item: plain methods, not
// generic functions (those went through a dictionary and cost a third
// more).

func (c *codec) str(s *string) {
	if c.enc {
		c.buf = appendString(c.buf, *s)
	} else {
		*s = c.r.string()
	}
}

// interned is str for values records of a message share (channel,
// variant, …): read once per distinct value.
func (c *codec) interned(s *string) {
	if c.enc {
		c.buf = appendString(c.buf, *s)
	} else {
		*s = c.r.interned()
	}
}

// oneOf is str for a value that is mostly one of consts: read without an
// allocation when it is.
func (c *codec) oneOf(s *string, consts []string) {
	if c.enc {
		c.buf = appendString(c.buf, *s)
	} else {
		*s = c.r.known(consts...)
	}
}

func (c *codec) time(t *time.Time) {
	if c.enc {
		c.buf = appendTime(c.buf, *t)
	} else {
		*t = c.r.time()
	}
}

func (c *codec) bool(b *bool) {
	if c.enc {
		c.buf = appendBool(c.buf, *b)
	} else {
		*b = c.r.bool()
	}
}

func (c *codec) int(i *int) {
	if c.enc {
		c.buf = binary.AppendVarint(c.buf, int64(*i))
	} else {
		*i = int(c.r.varint())
	}
}

// raw is a byte string (JSON kept as it came); nil stays apart from
// empty.
func (c *codec) raw(b *json.RawMessage) {
	if c.enc {
		c.buf = appendBytes(c.buf, *b)
	} else {
		*b = c.r.bytes()
	}
}

// optFloat is a float that may be absent (nil).
func (c *codec) optFloat(f **float64) {
	if c.enc {
		if *f == nil {
			c.buf = append(c.buf, 0)
			return
		}
		c.buf = append(c.buf, 1)
		c.buf = binary.LittleEndian.AppendUint64(c.buf, math.Float64bits(**f))
		return
	}
	if c.r.bool() {
		v := c.r.float()
		*f = &v
	}
}

// slice walks a slice's items with each; nil stays apart from empty.
func slice[T any](c *codec, s *[]T, each func(*codec, *T)) {
	if c.enc {
		c.buf = appendLen(c.buf, len(*s), *s == nil)
	} else {
		n, isNil := c.r.sliceLen()
		if isNil {
			*s = nil
			return
		}
		*s = make([]T, n)
	}
	for i := range *s {
		each(c, &(*s)[i])
		if !c.enc && c.r.err != nil {
			return
		}
	}
}

// strs is a slice of strings, interned when shared is set.
func strs[S ~string](c *codec, s *[]S, shared bool) {
	if c.enc {
		c.buf = appendStrings(c.buf, *s)
		return
	}
	if shared {
		*s = readInterned[S](c.r)
	} else {
		*s = readStrings[S](c.r)
	}
}

// encode appends the message of items (kind) to dst.
func encode[T any](dst []byte, kind byte, items []T, fields func(*codec, *T)) []byte {
	c := codec{enc: true, buf: append(dst, Version, kind)}
	c.buf = binary.AppendUvarint(c.buf, uint64(len(items)))
	for i := range items {
		fields(&c, &items[i])
	}
	return c.buf
}

// decode reads a message of items (kind): this package's encoding, or the
// JSON of earlier versions. It never returns an empty list without an
// error. shared: strings are interned (records of a message mostly share
// their context, entry and blocks).
func decode[T any](data []byte, kind byte, shared bool, fields func(*codec, *T)) ([]T, error) {
	if bin, err := isBinary(data); err != nil || !bin {
		if err != nil {
			return nil, err
		}
		return decodeJSON[T](data)
	}
	r, n, err := header(data, kind)
	if err != nil {
		return nil, err
	}
	if shared {
		r.seen = make(map[string]string, 64)
	}
	out := make([]T, n)
	c := codec{r: r}
	for i := range out {
		fields(&c, &out[i])
		if r.err != nil {
			return nil, r.err
		}
	}
	return out, r.done()
}
