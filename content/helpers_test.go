package content

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

// Small factories for DB-free tests: a model of block types and entry types
// that the validation tests share. Integration tests build their own
// through the service (storage/postgres).

func num(f float64) *float64 { return &f }

const (
	idA = "0b7a4bfa-1e2d-4c3b-9a8f-000000000001"
	idB = "0b7a4bfa-1e2d-4c3b-9a8f-000000000002"
)

// testModel is a small content model: an entry type `page` with a blocks
// field, block types hero, section (which nests blocks) and promo, and an
// entry type `product`.
func testModel() map[string]ContentType {
	types := []ContentType{
		{Key: "hero", Name: "Hero", Kind: TypeBlock, Fields: []Field{
			{Key: "title", Kind: KindText, Required: true, Max: num(80)},
			{Key: "image", Kind: KindAsset},
		}},
		{Key: "section", Name: "Section", Kind: TypeBlock, Fields: []Field{
			{Key: "blocks", Kind: KindBlocks},
		}},
		{Key: "promo", Name: "Promo", Kind: TypeBlock, Fields: []Field{
			{Key: "headline", Kind: KindText, Required: true},
		}},
		{Key: "product", Name: "Product", Kind: TypeEntry, Fields: []Field{
			{Key: "title", Kind: KindText, Required: true, Localized: true},
		}},
		{Key: "page", Name: "Page", Kind: TypeEntry, Fields: []Field{
			{Key: "title", Kind: KindText, Required: true, Localized: true},
			{Key: "blocks", Kind: KindBlocks, Localized: true, Max: num(10)},
			{Key: "featured", Kind: KindReference, AllowedTypes: []string{"product"}},
			{Key: "code", Kind: KindText},
		}},
	}
	m := map[string]ContentType{}
	for _, ct := range types {
		m[ct.Key] = ct
	}
	return m
}

// validate runs field validation of fields against ct as the service does
// for a draft, in the default locale unless locale says otherwise.
func validate(types map[string]ContentType, ct ContentType, fields map[string]any, defaultLocale bool) *validation {
	v := &validation{types: lookup(types), isDefault: defaultLocale, blockIDs: map[string]bool{}}
	v.fields("fields", ct, fields, false, 0)
	return v
}

// problemsOf validates one field of kind f under the key "f" and returns the
// problem messages.
func problemsOf(f Field, val any) []string {
	f.Key = "f"
	ct := ContentType{Key: "t", Kind: TypeEntry, Fields: []Field{f}}
	v := validate(testModel(), ct, map[string]any{"f": val}, true)
	out := make([]string, len(v.problems))
	for i, p := range v.problems {
		out[i] = p.Path + ": " + p.Message
	}
	return out
}

// jsonMap decodes a JSON object literal as request bodies are decoded.
func jsonMap(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &m))
	return m
}

func jsonValue(t testing.TB, s string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	return v
}

// requireProblem asserts that some problem's path is path and its message
// contains msg.
func requireProblem(t testing.TB, problems []errs.FieldError, path, msg string) {
	t.Helper()
	for _, p := range problems {
		if p.Path == path && strings.Contains(p.Message, msg) {
			return
		}
	}
	require.Failf(t, "problem not reported", "want %s: %q in %v", path, msg, problems)
}

// requireCode asserts err carries code.
func requireCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, errs.CodeOf(err), "error: %v", err)
}
