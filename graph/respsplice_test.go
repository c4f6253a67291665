package graph

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mosaichq/mosaic/content"
	"github.com/mosaichq/mosaic/delivery"
)

// Every place an entry's id was written is found (an alias selects it
// twice), each entry's in its own list; an entry whose id the document
// did not show is kept for its record, with no place; a look-alike that
// is not the quoted id is left alone.
func TestSplicePoints(t *testing.T) {
	t.Parallel()
	a, b, c := "01a24a07-bd87-72e8-a2a3-f534d85a7cd3", "01a24a07-bd94-72db-9c36-40d7347f5cf5", "01a24a07-bd94-7e4b-8e35-48171ac65201"
	body := []byte(`{"data":{"x":{"decisionId":"` + a + `","again":"` + a + `","text":"x` + a + `"},"y":{"decisionId":"` + b + `"}}}`)
	entry := func(id string) *delivery.Entry {
		return &delivery.Entry{Resolved: &content.Resolved{}, DecisionID: id, Blocks: []delivery.Block{{Fields: map[string]any{"big": 1}}}}
	}
	sr := splicePoints(body, []*delivery.Entry{entry(a), entry(b), entry(c)})
	require.Len(t, sr.entries, 3)
	require.Len(t, sr.at[0], 2)
	require.Len(t, sr.at[1], 1)
	require.Empty(t, sr.at[2])
	for i, id := range []string{a, b} {
		for _, off := range sr.at[i] {
			require.Equal(t, id, string(body[off:off+uuidLen]))
		}
	}
	require.NotNil(t, sr.entries[0], "what is kept is the record (delivery.Kept), not the entry and its fields")
}
