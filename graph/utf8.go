package graph

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// textProblem says why a JSON request text cannot be stored as sent, or
// "". encoding/json (and so gqlgen) silently replaces invalid UTF-8 and
// lone UTF-16 surrogate escapes ("\ud800") with U+FFFD, so a client's
// broken text would be saved as something else; it is refused instead,
// with the byte offset so the client can find it.
func textProblem(body []byte) string {
	if !utf8.Valid(body) {
		for i := 0; i < len(body); {
			r, n := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && n <= 1 {
				return fmt.Sprintf("the request is not valid UTF-8 (byte %d): send text as UTF-8", i)
			}
			i += n
		}
	}
	// Backslashes occur only inside JSON strings, so each one starts an
	// escape; only \u escapes need a look.
	for i := 0; i < len(body)-1; i++ {
		if body[i] != '\\' {
			continue
		}
		if body[i+1] != 'u' {
			i++
			continue
		}
		r, ok := hex4(body, i+2)
		if !ok {
			return "" // not JSON: its own check reports it
		}
		switch {
		case utf16.IsSurrogate(r) && r < 0xdc00:
			low, ok := rune(0), i+11 < len(body) && body[i+6] == '\\' && body[i+7] == 'u'
			if ok {
				low, ok = hex4(body, i+8)
			}
			if !ok || utf16.DecodeRune(r, low) == utf8.RuneError {
				return fmt.Sprintf(`the request has a lone UTF-16 surrogate \u%04x (byte %d): escape a character outside the BMP as a pair`, r, i)
			}
			i += 11
		case utf16.IsSurrogate(r):
			return fmt.Sprintf(`the request has a lone UTF-16 surrogate \u%04x (byte %d): escape a character outside the BMP as a pair`, r, i)
		default:
			i += 5
		}
	}
	return ""
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[at:at+4]), 16, 32)
	return rune(n), err == nil
}
