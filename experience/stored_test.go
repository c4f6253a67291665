package experience

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/personalization"
)

// storedCases are variant lists as they may be stored: the usual shapes,
// and every way one may be odd (hand-edited data, older formats).
var storedCases = []string{
	`[]`,
	`null`,
	`{"key": "not a list"}`,
	`[{"key": "vip", "targeting": {"segments": ["vip"]}, "fields": {"title": "VIP"}}]`,
	`[{"key": "m", "targeting": {"devices": ["mobile", "tablet"], "channels": ["web"], "locales": ["en", "ro"], "segments": []}},
	  {"key": "rich", "priority": 3, "fields": {"body": {"type": "doc", "content": [{"type": "text", "text": "Hi"}]}}},
	  {"key": "c", "campaign": "flash", "fields": {}},
	  {"key": "x", "experiment": "cta", "arm": "b", "priority": -2, "fields": null, "targeting": null},
	  {"key": "capped", "cap": {"max": 3, "per": "WEEK", "timeZone": "Europe/Bucharest", "perChannel": true}}]`,
	// Skipped by the parser: no key, the default's key, wrong types,
	// unknown members, fractional or huge priorities, bad caps.
	`[{"targeting": {"segments": ["a"]}}, {"key": "default"}, {"key": 5}, {"key": null},
	  {"key": "t", "targeting": "nope"}, {"key": "t2", "targeting": {"segments": [1]}},
	  {"key": "t3", "targeting": {"segments": [null]}}, {"key": "t4", "targeting": {"ages": ["9"]}},
	  {"key": "p", "priority": 1.5}, {"key": "p2", "priority": 2000000000}, {"key": "p3", "priority": "1"},
	  {"key": "f", "fields": [1]}, {"key": "u", "colour": "red"}, {"key": "cap", "cap": {"max": -1}},
	  "a string", 7, null, {"key": "kept after the rest", "priority": 1e2}]`,
	// Escapes: in strings (decoded) and in member names (the parser's).
	`[{"key": "caf\u00e9", "targeting": {"segments": ["v\"ip"]}, "fields": {"t": "\u2603"}},
	  {"k\u0065y": "escaped-name", "fields": {"a": 1}}]`,
	// A key twice in a block: the engine's own overrides stand.
	`[{"key": "d", "targeting": {"devices": ["mobile"]}, "fields": {"title": "first"}},
	  {"key": "d", "fields": {"title": "second"}}]`,
	// Whitespace as PostgreSQL never writes it, and a key repeated within
	// a variant (the last one wins, as encoding/json decides).
	` [ { "key" : "w" , "targeting" : { "segments" : [ "a" , "b" ] } , "key": "w2" } ] `,
}

// TestStoredVariantsReadAsDecoded: the variants parsed from their JSON are
// deliverable's over the decoded JSON, and each one's fields, decoded when
// chosen, are the fields deliverable read.
func TestStoredVariantsReadAsDecoded(t *testing.T) {
	for _, raw := range storedCases {
		requireReadAsDecoded(t, []byte(raw))
	}
}

func requireReadAsDecoded(t *testing.T, raw []byte) {
	t.Helper()
	var decoded any
	if json.Unmarshal(raw, &decoded) != nil {
		return
	}
	list, _ := decoded.([]any)
	want := deliverable(list)
	s := storedVariants(raw, &content.Memo{})
	got := s.variants()
	require.Len(t, got, len(want), "%s", raw)
	for i := range want {
		w := want[i]
		fields := w.Fields
		w.Fields = nil
		g := got[i]
		if !s.eager {
			require.Nil(t, g.Fields, "fields are decoded when chosen")
			g.Fields = nil
		} else {
			require.Equal(t, fields, g.Fields, "%s", raw)
			g.Fields = nil
		}
		require.Equal(t, w, g, "variant %d of %s", i, raw)
		d := personalization.Decision{Variant: w.Key, Overrides: fields}
		if !s.eager {
			d.Overrides = nil
			s.overrides(&d)
		}
		require.Equal(t, fields, d.Overrides, "the fields of %q in %s", w.Key, raw)
	}
	// The default and a held-out decision carry no overrides.
	d := personalization.Decision{Variant: personalization.DefaultVariant}
	s.overrides(&d)
	require.Nil(t, d.Overrides)
}

// FuzzStoredVariants: any JSON list of variants reads as decoded.
func FuzzStoredVariants(f *testing.F) {
	for _, c := range storedCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if !json.Valid([]byte(raw)) {
			return
		}
		requireReadAsDecoded(t, []byte(raw))
	})
}

// TestStoredVariantsParsedOnce: a cached entry's variants are parsed once,
// and a chosen variant's fields decoded once, whatever the number of
// visitors.
func TestStoredVariantsParsedOnce(t *testing.T) {
	raw := content.Variants(`[{"key": "vip", "targeting": {"segments": ["vip"]}, "fields": {"title": "VIP"}}]`)
	memo := &content.Memo{}
	a, b := storedVariants(raw, memo), storedVariants(raw, memo)
	require.Same(t, a, b)
	d1 := personalization.Decision{Variant: "vip"}
	d2 := personalization.Decision{Variant: "vip"}
	a.overrides(&d1)
	b.overrides(&d2)
	require.Equal(t, map[string]any{"title": "VIP"}, d1.Overrides)
	d1.Overrides["probe"] = true // the same map: decoded once
	require.Equal(t, true, d2.Overrides["probe"])
}
