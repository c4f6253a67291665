package content

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/errs"
)

const modelFile = `{
  "mosaicModel": 1,
  "types": [
    {"key": "promo", "name": "Promo", "kind": "block",
     "fields": [{"key": "headline", "kind": "text", "required": true, "localized": true, "max": 80}]},
    {"key": "page", "name": "Page", "kind": "entry", "description": "A page",
     "fields": [{"key": "blocks", "kind": "blocks", "allowedTypes": ["promo"]}]}
  ]
}`

func TestParseModel(t *testing.T) {
	t.Parallel()
	m, err := ParseModel([]byte(modelFile))
	require.NoError(t, err)
	require.Equal(t, ModelFormat, m.Format)
	require.Len(t, m.Types, 2)
	require.Equal(t, Field{Key: "headline", Kind: KindText, Required: true, Localized: true, Max: num(80)}, m.Types[0].Fields[0])
	require.Equal(t, []string{"promo"}, m.Types[1].Fields[0].AllowedTypes)

	// A parsed model marshals back to the same document.
	b, err := json.Marshal(m)
	require.NoError(t, err)
	require.JSONEq(t, modelFile, string(b))
}

func TestParseModelStrict(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"empty":                   ``,
		"not json":                `mosaicModel: 1`,
		"array":                   `[]`,
		"unknown top-level key":   `{"mosaicModel":1,"types":[],"extra":true}`,
		"unknown type property":   `{"mosaicModel":1,"types":[{"key":"a","name":"A","kind":"entry","fields":[],"color":"red"}]}`,
		"unknown field property":  `{"mosaicModel":1,"types":[{"key":"a","name":"A","kind":"entry","fields":[{"key":"x","kind":"text","requird":true}]}]}`,
		"version is not exported": `{"mosaicModel":1,"types":[{"key":"a","name":"A","kind":"entry","fields":[],"version":3}]}`,
		"wrong value type":        `{"mosaicModel":1,"types":[{"key":"a","name":"A","kind":"entry","fields":[{"key":"x","kind":"text","max":"5"}]}]}`,
		"missing format":          `{"types":[]}`,
		"future format":           `{"mosaicModel":2,"types":[]}`,
		"trailing garbage":        `{"mosaicModel":1,"types":[]} trailing`,
		"two documents":           `{"mosaicModel":1,"types":[]}{"mosaicModel":1,"types":[]}`,
		"truncated":               `{"mosaicModel":1,"types":[`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseModel([]byte(doc))
			requireCode(t, err, errs.BadUserInput)
		})
	}
	_, err := ParseModel([]byte(`{"mosaicModel":1,"types":[]}` + "\n  "))
	require.NoError(t, err, "trailing whitespace is fine")
	// encoding/json matches keys case-insensitively: a miscased key is
	// understood, not silently dropped, so it is accepted.
	m, err := ParseModel([]byte(`{"MosaicModel":1,"types":[{"key":"a","name":"A","kind":"entry","fields":[{"key":"x","kind":"text","Required":true}]}]}`))
	require.NoError(t, err)
	require.True(t, m.Types[0].Fields[0].Required)
}

func TestSameDefinition(t *testing.T) {
	t.Parallel()
	a := testModel()["page"]
	b := a
	b.Version, b.CreatedAt = 9, b.CreatedAt.AddDate(1, 0, 0)
	require.True(t, sameDefinition(a, b), "bookkeeping is not part of the definition")
	b.Fields = append([]Field(nil), a.Fields...)
	b.Fields[0].Required = false
	require.False(t, sameDefinition(a, b))
	require.True(t, sameDefinition(ContentType{Key: "x", Fields: nil}, ContentType{Key: "x", Fields: []Field{}}))
}
