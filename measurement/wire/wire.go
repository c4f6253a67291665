package wire

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
)

// Version is the first byte of a binary message. JSON, which earlier
// versions wrote, starts with '[', '{' or a space, never with it.
const Version = 1

// The kind byte after the version.
const (
	kindEvents    = 'E'
	kindDecisions = 'D'
)

// errShort: the message ends inside an item.
var errShort = errors.New("wire: the message ends before its last item")

// isBinary says whether data is a binary message: its version byte, or
// JSON (an error for a version this code does not know).
func isBinary(data []byte) (bool, error) {
	switch {
	case len(data) > 0 && data[0] == Version:
		return true, nil
	case len(data) == 0 || data[0] == '[' || data[0] == '{' || data[0] == ' ' || data[0] == '\t' || data[0] == '\n' || data[0] == '\r':
		return false, nil
	}
	return false, fmt.Errorf("wire: unknown message version %d", data[0])
}

// decodeJSON reads what earlier versions appended: a JSON array of items
// or one object.
func decodeJSON[T any](data []byte) ([]T, error) {
	for len(data) > 0 && (data[0] == ' ' || data[0] == '\t' || data[0] == '\n' || data[0] == '\r') {
		data = data[1:]
	}
	if len(data) > 0 && data[0] == '[' {
		var its []T
		if err := json.Unmarshal(data, &its); err != nil {
			return nil, err
		}
		if len(its) == 0 {
			return nil, errors.New("wire: an empty list")
		}
		return its, nil
	}
	var it T
	if err := json.Unmarshal(data, &it); err != nil {
		return nil, err
	}
	return []T{it}, nil
}

// header checks a binary message's version and kind and returns a reader
// past them, with the item count.
func header(data []byte, kind byte) (*reader, int, error) {
	if len(data) < 2 {
		return nil, 0, errShort
	}
	if data[1] != kind {
		return nil, 0, fmt.Errorf("wire: a message of kind %q, not %q", data[1], kind)
	}
	r := &reader{b: data[2:]}
	n := r.count()
	if r.err == nil && n == 0 {
		r.err = errors.New("wire: a message of no items")
	}
	return r, n, r.err
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

func appendBytes(dst, b []byte) []byte {
	if b == nil {
		return append(dst, 0)
	}
	dst = binary.AppendUvarint(dst, uint64(len(b))+1)
	return append(dst, b...)
}

// appendLen writes a slice's length plus one (0: nil).
func appendLen(dst []byte, n int, isNil bool) []byte {
	if isNil {
		return append(dst, 0)
	}
	return binary.AppendUvarint(dst, uint64(n)+1)
}

func appendTime(dst []byte, t time.Time) []byte {
	dst = binary.AppendVarint(dst, t.Unix())
	return binary.AppendUvarint(dst, uint64(t.Nanosecond()))
}

func appendBool(dst []byte, b bool) []byte {
	if b {
		return append(dst, 1)
	}
	return append(dst, 0)
}

func appendStrings[S ~string](dst []byte, ss []S) []byte {
	dst = appendLen(dst, len(ss), ss == nil)
	for _, s := range ss {
		dst = appendString(dst, string(s))
	}
	return dst
}

// reader reads a binary message; the first error sticks and every read
// after it returns zero values.
type reader struct {
	b   []byte
	err error
	// seen holds the strings interned reads made (nil: none).
	seen map[string]string
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errShort
		return 0
	}
	r.b = r.b[n:]
	return v
}

// take returns the next n bytes (aliasing the message).
func (r *reader) take(n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.err = errShort
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) string() string {
	return string(r.take(r.uvarint()))
}

// interned reads a string, one copy per distinct value in the message.
func (r *reader) interned() string {
	b := r.take(r.uvarint())
	if s, ok := r.seen[string(b)]; ok {
		return s
	}
	s := string(b)
	r.seen[s] = s
	return s
}

func readInterned[S ~string](r *reader) []S {
	n, isNil := r.sliceLen()
	if isNil {
		return nil
	}
	out := make([]S, n)
	for i := range out {
		out[i] = S(r.interned())
	}
	return out
}

// known returns s's constant when it is one of them (no allocation for
// the few values every record repeats), else a copy.
func (r *reader) known(consts ...string) string {
	b := r.take(r.uvarint())
	for _, c := range consts {
		if string(b) == c {
			return c
		}
	}
	return string(b)
}

// bytes reads a byte string (nil stays nil), copied out of the message.
func (r *reader) bytes() []byte {
	n := r.uvarint()
	if n == 0 {
		return nil
	}
	return append([]byte{}, r.take(n-1)...)
}

// count reads an item count: at most one item per remaining byte, so a
// corrupt count cannot ask for a huge allocation.
func (r *reader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		if r.err == nil {
			r.err = errShort
		}
		return 0
	}
	return int(n)
}

// sliceLen reads a slice's length; nil when it was nil.
func (r *reader) sliceLen() (int, bool) {
	n := r.uvarint()
	if n == 0 {
		return 0, true
	}
	if n-1 > uint64(len(r.b)) {
		if r.err == nil {
			r.err = errShort
		}
		return 0, true
	}
	return int(n - 1), false
}

func (r *reader) time() time.Time {
	sec := r.varint()
	nsec := r.uvarint()
	if nsec >= 1e9 {
		if r.err == nil {
			r.err = errors.New("wire: a time's nanoseconds out of range")
		}
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

func (r *reader) bool() bool {
	b := r.take(1)
	return len(b) == 1 && b[0] != 0
}

func (r *reader) float() float64 {
	b := r.take(8)
	if len(b) < 8 {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

func readStrings[S ~string](r *reader) []S {
	n, isNil := r.sliceLen()
	if isNil {
		return nil
	}
	out := make([]S, n)
	for i := range out {
		out[i] = S(r.string())
	}
	return out
}

// done checks the message was read to its end.
func (r *reader) done() error {
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("wire: %d bytes after the last item", len(r.b))
	}
	return r.err
}
