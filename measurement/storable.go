package measurement

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// object reads properties or traits: a JSON object, re-encoded as
// encoding/json re-encoded it through a map (compact, keys sorted, a
// repeated key's last value, strings escaped its way) so that what is
// stored is valid UTF-8 JSON PostgreSQL's jsonb accepts (no NUL, finite
// numbers), bounded in size and depth.
func (f *fields) object(fd field) (json.RawMessage, *Rejection) {
	raw := f.val[fd]
	if raw == nil || isNull(raw) {
		return nil, nil
	}
	name := fieldNames[fd]
	if raw[0] != '{' {
		return nil, reject(CodeInvalidField, "%s must be a JSON object", name)
	}
	out, why := appendStorable(make([]byte, 0, len(raw)), raw, 0)
	if why != "" {
		return nil, reject(CodeInvalidField, "%s: %s", name, why)
	}
	if len(out) > maxObjectBytes {
		return nil, reject(CodeInvalidField, "%s must be at most %d bytes of JSON", name, maxObjectBytes)
	}
	return out, nil
}

// member is an object's member being re-encoded.
type member struct {
	key string
	val []byte
}

// tooDeep is the refusal of a value nested deeper than maxDepth.
var tooDeep = fmt.Sprintf("nested deeper than %d levels", maxDepth)

// appendStorable re-encodes the valid JSON value v, found at depth, or
// says why it cannot be stored as jsonb.
func appendStorable(dst, v []byte, depth int) ([]byte, string) {
	if depth > maxDepth {
		return dst, tooDeep
	}
	var why string
	switch v[0] {
	case '"':
		s := unquote(v)
		if strings.IndexByte(s, 0) >= 0 {
			return dst, "strings may not contain NUL characters"
		}
		return appendQuoted(dst, s), ""
	case '[':
		dst = append(dst, '[')
		n := 0
		elements(v, func(x []byte) bool {
			if n++; n > 1 {
				dst = append(dst, ',')
			}
			dst, why = appendStorable(dst, x, depth+1)
			return why == ""
		})
		return append(dst, ']'), why
	case '{':
		var ms []member
		members(v, func(k, x []byte) bool {
			ms = append(ms, member{unquote(k), x})
			return true
		})
		// Sorted by key, each key's last value (stable: a repeated key's
		// values stay in order).
		slices.SortStableFunc(ms, func(a, b member) int { return strings.Compare(a.key, b.key) })
		dst = append(dst, '{')
		n := 0
		for i, m := range ms {
			if i+1 < len(ms) && ms[i+1].key == m.key {
				continue
			}
			if depth+1 > maxDepth {
				return dst, tooDeep
			}
			if strings.IndexByte(m.key, 0) >= 0 {
				return dst, "strings may not contain NUL characters"
			}
			if n++; n > 1 {
				dst = append(dst, ',')
			}
			dst = append(appendQuoted(dst, m.key), ':')
			if dst, why = appendStorable(dst, m.val, depth+1); why != "" {
				return dst, why
			}
		}
		return append(dst, '}'), ""
	case 't', 'f', 'n':
		return append(dst, v...), ""
	}
	if x, err := strconv.ParseFloat(string(v), 64); err != nil || math.IsInf(x, 0) {
		return dst, fmt.Sprintf("number %s is out of range", clip(string(v)))
	}
	return append(dst, v...), ""
}
