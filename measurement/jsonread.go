package measurement

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// A batch is read in one pass over its bytes: json.Valid checks the whole
// body once (the same scanner, grammar and nesting limit encoding/json
// decoded it with before), then these helpers walk the valid bytes
// without decoding anything twice. Every helper assumes valid JSON: they
// are never given anything json.Valid refused.
//
// Strings are read (unquote) and written (appendQuoted) exactly as
// encoding/json reads them into a string and writes them: invalid UTF-8
// and broken surrogate escapes become U+FFFD, <, > and & are escaped. So
// an event reads the same, byte for byte, as when each of its fields went
// through encoding/json (parse_legacy_test.go checks it).

// skipWS returns the index of the first non-space byte at or after i.
func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the string whose opening quote is at i.
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd returns the index after the value starting at i.
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = stringEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	// A number, true, false or null.
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// members calls fn with each member of the object obj (its raw key,
// quotes included, and its value), in order, until fn returns false.
func members(obj []byte, fn func(key, val []byte) bool) {
	i := skipWS(obj, 1)
	for i < len(obj) && obj[i] == '"' {
		kEnd := stringEnd(obj, i)
		key := obj[i:kEnd]
		v := skipWS(obj, skipWS(obj, kEnd)+1) // past the colon
		vEnd := valueEnd(obj, v)
		if !fn(key, obj[v:vEnd]) {
			return
		}
		i = skipWS(obj, vEnd)
		if i < len(obj) && obj[i] == ',' {
			i = skipWS(obj, i+1)
		}
	}
}

// elements calls fn with each element of the array arr, in order, until fn
// returns false.
func elements(arr []byte, fn func(val []byte) bool) {
	i := skipWS(arr, 1)
	for i < len(arr) && arr[i] != ']' {
		end := valueEnd(arr, i)
		if !fn(arr[i:end]) {
			return
		}
		i = skipWS(arr, end)
		if i < len(arr) && arr[i] == ',' {
			i = skipWS(arr, i+1)
		}
	}
}

// isNull: the value is JSON null.
func isNull(v []byte) bool { return string(v) == "null" }

// unquote reads a JSON string (quotes included) as encoding/json reads it
// into a Go string. Its fast path, a string with nothing to unescape or
// replace, is one copy.
func unquote(q []byte) string {
	s := q[1 : len(q)-1]
	r := 0
	for r < len(s) {
		c := s[r]
		if c == '\\' || c < ' ' {
			break
		}
		if c < utf8.RuneSelf {
			r++
			continue
		}
		rr, size := utf8.DecodeRune(s[r:])
		if rr == utf8.RuneError && size == 1 {
			break
		}
		r += size
	}
	if r == len(s) {
		return string(s)
	}
	b := make([]byte, r, len(s)+utf8.UTFMax)
	copy(b, s[:r])
	for r < len(s) {
		switch c := s[r]; {
		case c == '\\':
			r++
			switch s[r] {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := getu4(s[r-1:])
				r += 4
				if utf16.IsSurrogate(rr) {
					// A valid pair is consumed whole; anything else is
					// one replacement and the next escape read on its own.
					if dec := utf16.DecodeRune(rr, getu4(s[r+1:])); dec != unicode.ReplacementChar {
						r += 6
						b = utf8.AppendRune(b, dec)
						break
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
			default: // " \ /
				b = append(b, s[r])
			}
			r++
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return string(b)
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

const hexDigits = "0123456789abcdef"

// appendQuoted writes s as encoding/json writes a string (HTML-escaped).
func appendQuoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// DecodeObject reads a JSON object as json.Unmarshal reads it into a
// map[string]any (numbers as float64, a repeated key's last value), in
// one walk over its bytes: properties and traits, which the profile cache
// reads for every event /collect accepts. Anything but a valid object
// (and numbers beyond float64) is an error.
func DecodeObject(raw []byte) (map[string]any, error) {
	i := skipWS(raw, 0)
	if i == len(raw) || raw[i] != '{' || !json.Valid(raw) {
		return nil, errNotObject
	}
	v, err := decodeAny(raw[i:valueEnd(raw, i)])
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

var errNotObject = errors.New("not a JSON object")

// decodeAny reads one valid JSON value as json.Unmarshal into any.
func decodeAny(v []byte) (any, error) {
	switch v[0] {
	case '"':
		return unquote(v), nil
	case '{':
		m := map[string]any{}
		var err error
		members(v, func(k, x []byte) bool {
			var val any
			if val, err = decodeAny(x); err == nil {
				m[unquote(k)] = val
			}
			return err == nil
		})
		return m, err
	case '[':
		a := []any{}
		var err error
		elements(v, func(x []byte) bool {
			var val any
			if val, err = decodeAny(x); err == nil {
				a = append(a, val)
			}
			return err == nil
		})
		return a, err
	case 't':
		return true, nil
	case 'f':
		return false, nil
	case 'n':
		return nil, nil
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return nil, fmt.Errorf("number %s is out of range", clip(string(v)))
	}
	return f, nil
}
