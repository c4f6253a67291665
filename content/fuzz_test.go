package content

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

// linkStore answers the one Store question validation asks: which type an
// entry id is. Every other method panics (the embedded nil interface), so a
// fuzz run that strays into the store is caught.
type linkStore struct {
	Store
	types map[string]string
}

func (s linkStore) EntryTypes(_ context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for _, id := range ids {
		if typ, ok := s.types[id]; ok {
			out[id] = typ
		}
	}
	return out, nil
}

// checkService is a Service over linkStore with testModel loaded: idA is a
// product, idB a global promo block.
func checkService(t testing.TB) *Service {
	t.Helper()
	s, err := NewService(linkStore{types: map[string]string{idA: "product", idB: "promo"}}, Config{})
	require.NoError(t, err)
	s.types = testModel()
	return s
}

func TestCheckLinks(t *testing.T) {
	t.Parallel()
	s := checkService(t)
	page := s.types["page"]
	missing := "0b7a4bfa-1e2d-4c3b-9a8f-0000000000ff"
	cases := []struct {
		name, fields, path, want string
	}{
		{"ok", `{"title":"x","featured":"` + idA + `","blocks":[{"id":"p","ref":"` + idB + `"}]}`, "", ""},
		{"dangling reference", `{"title":"x","featured":"` + missing + `"}`, "fields.featured", "dangling reference"},
		{"reference to the wrong type", `{"title":"x","featured":"` + idB + `"}`, "fields.featured", `is a "promo"; allowed: [product]`},
		{"global block that is not a block", `{"title":"x","blocks":[{"id":"p","ref":"` + idA + `"}]}`, "fields.blocks.0.ref", "not a block"},
		{"dangling global block", `{"title":"x","blocks":[{"id":"p","ref":"` + missing + `"}]}`, "fields.blocks.0.ref", "dangling reference"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := Entry{Type: "page", Locale: "en", Slug: "home", Fields: jsonMap(t, tc.fields)}
			links, _, err := s.check(t.Context(), page, &e)
			if tc.want == "" {
				require.NoError(t, err)
				require.ElementsMatch(t, []string{idA, idB}, links)
				return
			}
			requireCode(t, err, errs.BadUserInput)
			ee, _ := errs.As(err)
			requireProblem(t, ee.Fields, tc.path, tc.want)
		})
	}
}

func TestCheckSlug(t *testing.T) {
	t.Parallel()
	s := checkService(t)
	for slug, ok := range map[string]bool{"home": true, "shoes/red-1": true, "": false, "Home": false,
		"a--b": false, "/a": false, "a/": false, "a b": false} {
		e := Entry{Type: "page", Locale: "en", Slug: slug, Fields: map[string]any{"title": "x"}}
		_, _, err := s.check(t.Context(), s.types["page"], &e)
		if ok {
			require.NoError(t, err, slug)
		} else {
			requireCode(t, err, errs.BadUserInput)
		}
	}
}

// FuzzValidateFields feeds arbitrary JSON as an entry's fields, in the
// default and in another locale: validation never panics, and either
// accepts or refuses with BAD_USER_INPUT.
func FuzzValidateFields(f *testing.F) {
	for _, s := range []string{
		`{"title":"Home"}`,
		`{"title":"Home","featured":"` + idA + `","code":"x","blocks":[{"id":"g","ref":"` + idB + `"}]}`,
		`{"title":"x","blocks":[{"type":"hero","fields":{"title":"Hi","image":"` + idA + `"},"variants":[{"key":"a","fields":{"title":"v"}}]}]}`,
		`{"title":"x","blocks":[{"type":"section","fields":{"blocks":[{"type":"section","fields":{"blocks":[{"type":"promo"}]}}]}}]}`,
		`{"title":null,"blocks":[null,1,"x",{"id":"","ref":7}]}`,
		`{"blocks":[{"type":"hero","fields":{"title":"x"},"variants":[{"key":"default"},{"key":"a"},{"key":"a"}]}]}`,
		`{"title":["a"],"featured":{"x":1},"blocks":{"a":1}}`,
	} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	s := checkService(f)
	f.Fuzz(func(t *testing.T, data []byte, defaultLocale bool) {
		var fields map[string]any
		if json.Unmarshal(data, &fields) != nil {
			return
		}
		e := Entry{Type: "page", Locale: "en", Slug: "home", Fields: fields}
		if !defaultLocale {
			e.Locale = "ro"
		}
		_, _, err := s.check(context.Background(), s.types["page"], &e)
		if err != nil {
			require.Equal(t, errs.BadUserInput, errs.CodeOf(err), "error: %v", err)
			ee, _ := errs.As(err)
			require.NotEmpty(t, ee.Fields, "a refusal names the fields at fault")
		}
		// Whatever was accepted must still be JSON: it is stored as jsonb.
		_, err = json.Marshal(e.Fields)
		require.NoError(t, err)
	})
}
