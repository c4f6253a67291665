package documents_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/documents"
	"github.com/mosaichq/mosaic/errs"
	"github.com/mosaichq/mosaic/internal/testdb"
	"github.com/mosaichq/mosaic/storage/postgres"
)

// Two replicas share one registry: a query registered by APQ on one is
// known on the other, and a trusted registration on one is seen by the
// other (after its short negative cache) without a restart.
func TestRegistrySharedAcrossReplicas(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.Schema(t)
	store := postgres.New(pool).Documents()
	now := time.Now()
	a, err := documents.New(documents.Config{Store: store})
	require.NoError(t, err)
	b, err := documents.New(documents.Config{Store: store, Now: func() time.Time { return now }})
	require.NoError(t, err)
	ctx := t.Context()

	q := `{ entries(type: "product") { nodes { slug } } }`
	hash := documents.Hash(q)
	_, ok := b.APQ().Get(ctx, hash)
	require.False(t, ok)
	a.APQ().Add(ctx, hash, q)
	_, ok = b.APQ().Get(ctx, hash)
	require.False(t, ok, "b remembers its miss for a moment")
	now = now.Add(3 * time.Second)
	got, ok := b.APQ().Get(ctx, hash)
	require.True(t, ok, "registered on a, known on b")
	require.Equal(t, q, got)
	trusted, err := b.Trusted(ctx, q)
	require.NoError(t, err)
	require.False(t, trusted, "an APQ registration is not trusted")

	// The same text registered ahead becomes trusted, under its manifest id
	// and its hash.
	reg, err := a.Register(ctx, "admin", []byte(`{"products": "`+`{ entries(type: \"product\") { nodes { slug } } }"}`))
	require.NoError(t, err)
	require.Equal(t, 1, reg.Added)
	for _, id := range []string{"products", "sha256:" + hash} {
		d, err := a.Lookup(ctx, id)
		require.NoError(t, err, id)
		require.Equal(t, q, d.Body)
	}
	_, err = a.Lookup(ctx, "nope")
	require.Equal(t, errs.NotFound, errs.CodeOf(err))
}

func TestNormalizeID(t *testing.T) {
	t.Parallel()
	h := documents.Hash("{ x }")
	for in, want := range map[string]string{"sha256:" + h: h, h: h, " a1 ": "a1", "sha256:xyz": "sha256:xyz"} {
		require.Equal(t, want, documents.NormalizeID(in), in)
	}
}

// FuzzParseManifest: any bytes either parse into documents that each
// parse as GraphQL and hash to their SHA256, or are refused as the
// client's mistake — never a panic, never another code.
func FuzzParseManifest(f *testing.F) {
	for _, s := range []string{`{"a":"{ x }"}`, `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id":"a","body":"query A { x }"}]}`,
		`{"operations":null}`, `{"operations":[{}]}`, `[]`, `{"a":1}`, `{"a":"query {"}`, ``, `{"":""}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		docs, err := documents.ParseManifest(raw)
		if err != nil {
			if errs.CodeOf(err) != errs.BadUserInput {
				t.Fatalf("%q: %v", raw, err)
			}
			return
		}
		for _, d := range docs {
			if d.ID == "" || d.SHA256 != documents.Hash(d.Body) {
				t.Fatalf("%q: %+v", raw, d)
			}
		}
	})
}
